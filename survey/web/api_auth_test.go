package web_test

import (
	"net/http"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/webtest"
)

// Wrong Basic credentials from one client, however many, never refuse the
// right ones from another: the throttle counts (client, name) and client,
// not the name alone. The same holds on the posters sheet, which takes
// Basic credentials too.
func TestBasicNotLockedFromAnotherClient(t *testing.T) {
	for _, path := range []string{"/api/v1/agencies", "/agencies/D1/posters"} {
		t.Run(path, func(t *testing.T) {
			e := webtest.New(t)
			const attacker = "203.0.113.66:4000"
			var last int
			for range survey.ThrottleFreeClient + 5 {
				last = e.Do(t, webtest.Request{URL: path, User: "admin", Password: "guess-guess", Remote: attacker}).Code
			}
			if last != http.StatusTooManyRequests {
				t.Fatalf("attacker's last attempt: got %d, want 429", last)
			}
			if w := e.Do(t, webtest.Request{URL: path, User: "admin", Remote: attacker}); w.Code != http.StatusTooManyRequests {
				t.Fatalf("attacker with the right password: got %d, want 429", w.Code)
			}
			if w := e.Do(t, webtest.Request{URL: path, User: "admin"}); w.Code != http.StatusOK {
				t.Fatalf("the owner from another client: got %d, want 200: %.300s", w.Code, w.Body)
			}
		})
	}
}

package web

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/sipas/sipas/survey"
)

// Closing an agency retires the QR codes of all its counters.
func TestClosedAgencyRetiresItsCodes(t *testing.T) {
	e := newSecEnv(t, Config{})
	if w := e.do(secReq{method: "GET", path: "/s/" + e.tokens["A1/Q1"]}); w.Code != http.StatusOK {
		t.Fatalf("open agency: got %d, want 200", w.Code)
	}
	closed := true
	if _, err := e.db.UpdateAgency(t.Context(), "A1", survey.AgencyUpdate{Closed: &closed}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if w := e.do(secReq{method: "GET", path: "/s/" + e.tokens["A1/Q1"]}); w.Code != http.StatusGone {
		t.Fatalf("closed agency: got %d, want 410", w.Code)
	}
	w := e.do(secReq{method: "POST", path: "/api/v1/responses", body: e.jsonSubmission("A1/Q1", secSubmissionID())})
	if w.Code != http.StatusGone {
		t.Fatalf("API on closed agency: got %d %s, want 410", w.Code, w.Body.String())
	}
}

// Answers are numbers 1..5 or the string "na"; the string "5" is refused.
func TestAPIAnswersAreNumbers(t *testing.T) {
	e := newSecEnv(t, Config{})
	body, _ := json.Marshal(map[string]any{"token": e.tokens["A/Q1"], "submission_id": secSubmissionID(), "answers": e.answers("A/Q1", "5")})
	w := e.do(secReq{method: "POST", path: "/api/v1/responses", body: string(body)})
	if w.Code != http.StatusBadRequest {
		t.Fatalf("string answers: got %d %s, want 400", w.Code, w.Body.String())
	}
	if n := e.count(`SELECT count(*) FROM responses`); n != 0 {
		t.Fatalf("stored %d responses, want 0", n)
	}
}

// A state-changing API call must be JSON, so that a form on another site
// cannot ride on credentials a browser remembers for the Basic prompt.
func TestAPIMutationsNeedJSON(t *testing.T) {
	e := newSecEnv(t, Config{})
	for _, ct := range []string{"", "application/x-www-form-urlencoded", "text/plain"} {
		w := e.do(secReq{method: "POST", path: "/api/v1/agencies/A/counters/Q1/rotate", user: "admin", body: "x=1",
			header: map[string]string{"Content-Type": ct}})
		if w.Code != http.StatusUnsupportedMediaType {
			t.Fatalf("rotate with %q: got %d, want 415", ct, w.Code)
		}
	}
	if c, _ := e.db.FindCounter(t.Context(), "A", "Q1"); c.TokenVersion != 1 {
		t.Fatalf("token version %d after refused rotations, want 1", c.TokenVersion)
	}
}

// Basic auth shares the sign-in throttle: repeated wrong passwords for a
// name get 429, even with the right password, until the delay passes.
func TestBasicAuthThrottled(t *testing.T) {
	e := newSecEnv(t, Config{})
	codes := []int{}
	for i := 0; i < 5; i++ {
		w := e.do(secReq{method: "GET", path: "/api/v1/agencies", user: "offA", password: "wrong-password"})
		codes = append(codes, w.Code)
	}
	if codes[0] != http.StatusUnauthorized || codes[len(codes)-1] != http.StatusTooManyRequests {
		t.Fatalf("wrong passwords: got %v, want 401 first and 429 at the end", codes)
	}
	w := e.do(secReq{method: "GET", path: "/api/v1/agencies", user: "offA"})
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("right password while throttled: got %d, want 429 with Retry-After", w.Code)
	}
}

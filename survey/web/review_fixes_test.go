package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web"
)

// Closing an agency retires the QR codes of all its counters.
func TestClosedAgencyRetiresItsCodes(t *testing.T) {
	e := newSecEnv(t, web.Config{})
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
	// Closing a parent retires the codes of the agencies beneath it too.
	if w := e.do(secReq{method: "GET", path: "/s/" + e.tokens["B/Q1"]}); w.Code != http.StatusOK {
		t.Fatalf("B open: got %d", w.Code)
	}
	if _, err := e.db.UpdateAgency(t.Context(), "P", survey.AgencyUpdate{Closed: &closed}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if w := e.do(secReq{method: "GET", path: "/s/" + e.tokens["B/Q1"]}); w.Code != http.StatusGone {
		t.Fatalf("B under a closed province: got %d, want 410", w.Code)
	}
}

// Answers are numbers 1..5 or the string "na"; the string "5" is refused.
func TestAPIAnswersAreNumbers(t *testing.T) {
	e := newSecEnv(t, web.Config{})
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
	e := newSecEnv(t, web.Config{})
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
	e := newSecEnv(t, web.Config{})
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

// CSV imports over the API: all or nothing, errors name the CSV line.
func TestAPIImports(t *testing.T) {
	e := newSecEnv(t, web.Config{})
	csvReq := func(path, body, user string) *httptest.ResponseRecorder {
		return e.do(secReq{method: "POST", path: path, body: body, contentType: "text/csv", user: user})
	}
	agencies := func() int { return e.count(`SELECT count(*) FROM agencies`) }
	before := agencies()
	for _, tc := range []struct {
		name, path, body string
		want             int
		contains         string
	}{
		{"agencies ok", "/api/v1/agencies/import", "code,name,parent\nX1,Xã Một,A\nX2,Xã Hai,X1\n", 201, `"imported":2`},
		{"unknown parent on line 3", "/api/v1/agencies/import", "code,name,parent\nY1,Một,A\nY2,Hai,NOPE\n", 400, `"line":3`},
		{"duplicate code on line 2", "/api/v1/agencies/import", "code,name,parent\nA,Trùng,\n", 409, `"line":2`},
		{"malformed CSV", "/api/v1/agencies/import", "code,name,parent\n\"open,quote\n", 400, `"line":2`},
		{"counters ok", "/api/v1/counters/import", "agency,code,name,instrument\nX1,Q1,Quầy 1,quick\n", 201, `"imported":1`},
		{"unknown instrument on line 2", "/api/v1/counters/import", "agency,code,name,instrument\nX1,Q2,Quầy 2,nope\n", 400, `"line":2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := csvReq(tc.path, tc.body, "admin")
			if w.Code != tc.want || !strings.Contains(w.Body.String(), tc.contains) {
				t.Fatalf("got %d %s, want %d containing %s", w.Code, w.Body.String(), tc.want, tc.contains)
			}
		})
	}
	if got := agencies(); got != before+2 {
		t.Fatalf("agencies: got %d, want %d (only the good file imported)", got, before+2)
	}
	if w := csvReq("/api/v1/agencies/import", "code,name\nZ1,Z\n", "offA"); w.Code != http.StatusForbidden {
		t.Fatalf("official import: got %d, want 403", w.Code)
	}
	if w := e.do(secReq{method: "POST", path: "/api/v1/agencies/import", body: "code,name\nZ1,Z\n", contentType: "text/plain", user: "admin"}); w.Code != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain import: got %d, want 415", w.Code)
	}
}

// The counter's own tablet (signed kiosk key) serves every citizen of the
// counter from one address: it gets survey.KioskFactor times the rate limit; a
// plain kiosk=1 or a phone does not.
func TestKioskRateLimit(t *testing.T) {
	e := newSecEnv(t, web.Config{RateLimit: 2})
	key := e.signer.KioskKey(e.ids["A/Q1"], 1)
	post := func(kiosk string) {
		f := e.formSubmission("A/Q1", secSubmissionID())
		if kiosk != "" {
			f.Set("kiosk", kiosk)
		}
		if w := e.do(secReq{method: "POST", path: "/s/" + e.tokens["A/Q1"], body: f.Encode(), remote: "203.0.113.7:5000"}); w.Code != http.StatusSeeOther {
			t.Fatalf("kiosk %q: got %d", kiosk, w.Code)
		}
	}
	for i := 0; i < 12; i++ {
		post(key)
	}
	if n := e.count(`SELECT count(*) FROM responses WHERE channel = 'kiosk' AND flag = ''`); n != 12 {
		t.Fatalf("kiosk tablet: %d of 12 counted, want all (limit 2 × %d)", n, survey.KioskFactor)
	}
	e2 := newSecEnv(t, web.Config{RateLimit: 2})
	for i := 0; i < 5; i++ {
		f := e2.formSubmission("A/Q1", secSubmissionID())
		f.Set("kiosk", "1")
		e2.do(secReq{method: "POST", path: "/s/" + e2.tokens["A/Q1"], body: f.Encode(), remote: "203.0.113.7:5000"})
	}
	if n := e2.count(`SELECT count(*) FROM responses WHERE flag = 'rate_limited'`); n != 3 {
		t.Fatalf("unsigned kiosk: %d flagged, want 3 of 5 over the limit of 2", n)
	}
	// The API: a tablet sends the key; a wrong key is refused.
	body, _ := json.Marshal(map[string]any{"token": e.tokens["A/Q1"], "submission_id": secSubmissionID(), "answers": e.answers("A/Q1", 4), "kiosk": "wrong-key"})
	if w := e.do(secReq{method: "POST", path: "/api/v1/responses", body: string(body)}); w.Code != http.StatusBadRequest {
		t.Fatalf("wrong kiosk key: got %d", w.Code)
	}
	body, _ = json.Marshal(map[string]any{"token": e.tokens["A/Q1"], "submission_id": secSubmissionID(), "answers": e.answers("A/Q1", 4), "kiosk": key})
	if w := e.do(secReq{method: "POST", path: "/api/v1/responses", body: string(body)}); w.Code != http.StatusCreated {
		t.Fatalf("kiosk key over the API: got %d %s", w.Code, w.Body.String())
	}
	// Only admins see the kiosk URL.
	if w := e.do(secReq{method: "GET", path: "/api/v1/agencies/A/counters/Q1", user: "offA"}); strings.Contains(w.Body.String(), "kiosk_url") {
		t.Fatalf("official sees the kiosk URL")
	}
	if w := e.do(secReq{method: "GET", path: "/api/v1/agencies/A/counters/Q1", user: "admin"}); !strings.Contains(w.Body.String(), "kiosk="+key) {
		t.Fatalf("admin does not see the kiosk URL: %s", w.Body.String())
	}
}

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

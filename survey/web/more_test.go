package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web"
)

// A one-tap rating is sent by the tap; its thank-you page then offers the
// optional follow-up question and comment, which complete that response
// once, and the month's follow-up counts with it.
func TestQuickFollowupAfterTap(t *testing.T) {
	e := newSecEnv(t, web.Config{})
	tok := e.tokens["A/Q2"] // quick
	sid := secSubmissionID()
	w := e.do(secReq{method: "POST", path: "/s/" + tok, body: url.Values{"submission_id": {sid}, "OV": {"4"}}.Encode()})
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.Contains(loc, "more="+sid) {
		t.Fatalf("tap: got %d %q, want 303 to the thank-you page offering more", w.Code, loc)
	}
	page := e.do(secReq{method: "GET", path: loc}).Body.String()
	for _, want := range []string{`action="/s/` + tok + `/more"`, `name="trips" value="0"`, `name="submission_id" value="` + sid + `"`, `<textarea id="comment"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("thank-you page lacks %q", want)
		}
	}
	followups := func() []int64 {
		var raw string
		db, _ := sqlOpen(e.db.Path)
		defer db.Close()
		if err := db.QueryRow(`SELECT followups FROM stats_monthly WHERE instrument = 'quick'`).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var out []int64
		json.Unmarshal([]byte(raw), &out)
		return out
	}
	if got := followups(); len(got) < 1 || got[0] != 1 {
		t.Fatalf("before: follow-up counts %v, want one unanswered", got)
	}
	more := func(token, body string) *httptest.ResponseRecorder {
		return e.do(secReq{method: "POST", path: "/s/" + token + "/more", body: body})
	}
	if w := more(tok, url.Values{"submission_id": {sid}, "trips": {"5"}}.Encode()); w.Code != http.StatusBadRequest {
		t.Fatalf("bad option: got %d, want 400", w.Code)
	}
	// Through another counter the response is not found: nothing changes.
	if err := e.db.AddFollowup(t.Context(), sid, e.ids["A1/Q1"], 3, "", time.Hour); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("another counter: got %v, want not found", err)
	}
	if w := more(e.tokens["A1/Q1"], url.Values{"submission_id": {sid}, "trips": {"2+"}}.Encode()); w.Code != http.StatusBadRequest {
		t.Fatalf("more on a 22-criterion counter: got %d, want 400", w.Code)
	}
	if got := followups(); got[0] != 1 {
		t.Fatalf("another counter changed the counts: %v", got)
	}
	if w := more(tok, url.Values{"submission_id": {sid}, "trips": {"2+"}, "comment": {"Phải đi lại vì thiếu giấy tờ"}}.Encode()); w.Code != http.StatusSeeOther {
		t.Fatalf("more: got %d %s", w.Code, w.Body.String())
	}
	var fu int
	var comment string
	db, _ := sqlOpen(e.db.Path)
	if err := db.QueryRow(`SELECT followup, comment FROM responses WHERE submission_id = ?`, sid).Scan(&fu, &comment); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fu != 3 || comment != "Phải đi lại vì thiếu giấy tờ" {
		t.Fatalf("stored follow-up %d comment %q, want 3 and the comment", fu, comment)
	}
	if got := followups(); got[0] != 0 || got[3] != 1 {
		t.Fatalf("after: follow-up counts %v, want the answer moved from unanswered to 2+", got)
	}
	// Only once: a second answer changes nothing.
	if w := more(tok, url.Values{"submission_id": {sid}, "trips": {"0"}, "comment": {"khác"}}.Encode()); w.Code != http.StatusSeeOther {
		t.Fatalf("second time: got %d", w.Code)
	}
	if got := followups(); got[1] != 0 || got[3] != 1 {
		t.Fatalf("second time changed the counts: %v", got)
	}
	// Too late: past the window the store refuses.
	sid2 := secSubmissionID()
	e.do(secReq{method: "POST", path: "/s/" + tok, body: url.Values{"submission_id": {sid2}, "OV": {"5"}}.Encode()})
	if err := e.db.AddFollowup(t.Context(), sid2, e.ids["A/Q2"], 1, "", -time.Second); err == nil {
		t.Fatalf("added after the window")
	}
	// The 22-criterion form and kiosk tablets are not offered more.
	w = e.do(secReq{method: "POST", path: "/s/" + e.tokens["A/Q1"], body: e.formSubmission("A/Q1", secSubmissionID()).Encode()})
	if strings.Contains(w.Header().Get("Location"), "more=") {
		t.Fatalf("sipas-2017 offered more: %s", w.Header().Get("Location"))
	}
}

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
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestSurveyThanks(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "thank-you page", URL: "/s/{D1/Q1}/thanks", WantStatus: 200,
			WantContains: []string{"Cảm ơn Ông/Bà!", `href="/s/{D1/Q1}"`}, WantNot: []string{`http-equiv="refresh"`}},
		{Name: "thank-you page in English", URL: "/s/{D1/Q1}/thanks?lang=en", WantStatus: 200, WantContains: []string{"Thank you!", `href="/s/{D1/Q1}?lang=en"`}},
		{Name: "kiosk thank-you returns to a fresh form", URL: "/s/{D1/Q1}/thanks?kiosk=1", WantStatus: 200,
			WantContains: []string{`<meta http-equiv="refresh" content="8;url=/s/{D1/Q1}?kiosk=1">`, "Phiếu mới sẽ mở sau vài giây."}},
		{Name: "thank-you of a rotated token", URL: "/s/{ROT}/thanks", WantStatus: 410},
	})
}

// A one-tap rating is sent by the tap; its thank-you page then offers the
// optional follow-up question and comment, which complete that response
// once, and the month's follow-up counts with it.
func TestQuickFollowupAfterTap(t *testing.T) {
	e := webtest.New(t)
	tok := e.Token(t, "D1/K1") // quick
	sid := sqlitetest.SubmissionID()
	w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/" + tok, Body: url.Values{"submission_id": {sid}, "OV": {"4"}}.Encode()})
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.Contains(loc, "more="+sid) {
		t.Fatalf("tap: got %d %q, want 303 to the thank-you page offering more", w.Code, loc)
	}
	page := e.Do(t, webtest.Request{URL: loc}).Body.String()
	for _, want := range []string{`action="/s/` + tok + `/more"`, `name="trips" value="0"`, `name="submission_id" value="` + sid + `"`, `<textarea id="comment"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("thank-you page lacks %q", want)
		}
	}
	followups := func() []int64 {
		var raw string
		if err := e.RO.QueryRow(`SELECT followups FROM stats_monthly WHERE instrument = 'quick'`).Scan(&raw); err != nil {
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
		return e.Do(t, webtest.Request{Method: "POST", URL: "/s/" + token + "/more", Body: body})
	}
	if w := more(tok, url.Values{"submission_id": {sid}, "trips": {"5"}}.Encode()); w.Code != http.StatusBadRequest {
		t.Fatalf("bad option: got %d, want 400", w.Code)
	}
	// Through another counter the response is not found: nothing changes.
	if err := e.DB.AddFollowup(t.Context(), sid, e.Counter(t, "D2/Q1").ID, 3, "", time.Hour); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("another counter: got %v, want not found", err)
	}
	if w := more(e.Token(t, "D2/Q1"), url.Values{"submission_id": {sid}, "trips": {"2+"}}.Encode()); w.Code != http.StatusBadRequest {
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
	if err := e.RO.QueryRow(`SELECT followup, comment FROM responses WHERE submission_id = ?`, sid).Scan(&fu, &comment); err != nil {
		t.Fatal(err)
	}
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
	sid2 := sqlitetest.SubmissionID()
	e.Do(t, webtest.Request{Method: "POST", URL: "/s/" + tok, Body: url.Values{"submission_id": {sid2}, "OV": {"5"}}.Encode()})
	if err := e.DB.AddFollowup(t.Context(), sid2, e.Counter(t, "D1/K1").ID, 1, "", -time.Second); err == nil {
		t.Fatalf("added after the window")
	}
	// The 22-criterion form and kiosk tablets are not offered more.
	w = e.Do(t, webtest.Request{Method: "POST", URL: "/s/" + e.Token(t, "D1/Q1"), Body: e.FormSubmission(t, "D1/Q1", sqlitetest.SubmissionID()).Encode()})
	if strings.Contains(w.Header().Get("Location"), "more=") {
		t.Fatalf("sipas-2017 offered more: %s", w.Header().Get("Location"))
	}
}

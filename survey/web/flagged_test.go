package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web"
)

// flaggedResponse submits a honeypot form to counter and returns the id of
// the stored (flagged) response.
func (e *secEnv) flaggedResponse(counter string) int64 {
	e.tb.Helper()
	sid := secSubmissionID()
	f := e.formSubmission(counter, sid)
	f.Set("website", "http://spam.example")
	w := e.do(secReq{method: "POST", path: "/s/" + e.tokens[counter], body: f.Encode()})
	if w.Code != http.StatusSeeOther {
		e.tb.Fatalf("honeypot submit: got %d, want 303 (the bot sees thanks): %s", w.Code, w.Body)
	}
	return int64(e.count(`SELECT id FROM responses WHERE submission_id = ?`, sid))
}

// respondents is what stats_monthly counts for an agency (the indices).
func (e *secEnv) respondents(agency string) int {
	e.tb.Helper()
	return e.count(`SELECT COALESCE(SUM(respondents), 0) FROM stats_monthly WHERE agency_id = (SELECT id FROM agencies WHERE code = ?)`, agency)
}

func TestFlaggedReview(t *testing.T) {
	e := newSecEnv(t, web.Config{})
	ok := e.do(secReq{method: "POST", path: "/api/v1/responses", body: e.jsonSubmission("A/Q1", secSubmissionID())})
	if ok.Code != http.StatusCreated {
		t.Fatalf("clean submission: got %d, want 201: %s", ok.Code, ok.Body)
	}
	acceptID := e.flaggedResponse("A/Q1")
	rejectID := e.flaggedResponse("A/Q1")
	otherID := e.flaggedResponse("B/Q1")
	if got := e.respondents("A"); got != 1 {
		t.Fatalf("respondents of A with two honeypot hits: got %d, want 1 (flagged ones are out of the index)", got)
	}

	list := func(query string) []survey.FlaggedResponse {
		t.Helper()
		w := e.do(secReq{method: "GET", path: "/api/v1/flagged" + query, user: "admin"})
		if w.Code != http.StatusOK {
			t.Fatalf("list %s: got %d, want 200: %s", query, w.Code, w.Body)
		}
		var out []survey.FlaggedResponse
		secDecode(t, w, &out)
		return out
	}
	ids := func(fs []survey.FlaggedResponse) string {
		var s []string
		for _, f := range fs {
			s = append(s, strconv.FormatInt(f.ID, 10))
		}
		return strings.Join(s, ",")
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	if got, want := ids(list("?agency=A")), id(rejectID)+","+id(acceptID); got != want {
		t.Fatalf("pending of A: got %s, want %s", got, want)
	}
	if got, want := ids(list("?agency=P")), id(otherID)+","+id(rejectID)+","+id(acceptID); got != want {
		t.Fatalf("pending of P (subtree): got %s, want %s", got, want)
	}
	if got := list("?agency=A")[0]; got.Flag != survey.FlagHoneypot || got.AgencyCode != "A" || got.CounterCode != "Q1" || len(got.Answers) == 0 {
		t.Fatalf("flagged entry: got %+v", got)
	}

	review := func(n int64, verb string, want int) survey.FlaggedResponse {
		t.Helper()
		w := e.do(secReq{method: "POST", path: "/api/v1/flagged/" + id(n) + "/" + verb, body: `{"note":"checked the camera log"}`, user: "admin"})
		if w.Code != want {
			t.Fatalf("%s %d: got %d, want %d: %s", verb, n, w.Code, want, w.Body)
		}
		var fr survey.FlaggedResponse
		if want == http.StatusOK {
			secDecode(t, w, &fr)
		}
		return fr
	}
	fr := review(acceptID, "accept", http.StatusOK)
	if fr.Review != survey.ReviewAccepted || fr.ReviewedBy != "admin" || fr.ReviewedAt == nil || fr.Flag != survey.FlagHoneypot {
		t.Fatalf("accepted: got %+v", fr)
	}
	if got := e.respondents("A"); got != 2 {
		t.Fatalf("respondents of A after accepting: got %d, want 2", got)
	}
	if got := e.count(`SELECT flag = '' FROM responses WHERE id = ?`, acceptID); got != 1 {
		t.Fatalf("accepted response still flagged")
	}
	review(acceptID, "accept", http.StatusConflict)
	review(acceptID, "reject", http.StatusConflict)

	fr = review(rejectID, "reject", http.StatusOK)
	if fr.Review != survey.ReviewRejected {
		t.Fatalf("rejected: got %+v", fr)
	}
	if got := e.respondents("A"); got != 2 {
		t.Fatalf("respondents of A after rejecting: got %d, want 2", got)
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE id = ? AND flag = 'honeypot'`, rejectID); got != 1 {
		t.Fatalf("rejected response lost its flag")
	}
	if got := ids(list("?agency=A")); got != "" {
		t.Fatalf("pending of A after review: got %s, want none", got)
	}
	if got, want := ids(list("?agency=A&status=reviewed")), id(rejectID)+","+id(acceptID); got != want {
		t.Fatalf("reviewed of A: got %s, want %s", got, want)
	}
	if got, want := ids(list("?status=all&limit=1")), id(otherID); got != want {
		t.Fatalf("all, limit 1: got %s, want %s", got, want)
	}
	if got, want := ids(list("?status=all&before="+id(otherID))), id(rejectID)+","+id(acceptID); got != want {
		t.Fatalf("all before %d: got %s, want %s", otherID, got, want)
	}

	// Bad requests change nothing and say why.
	for _, tt := range []struct {
		name, method, path, body, ct string
		want                         int
	}{
		{"unknown id", "POST", "/api/v1/flagged/999999/accept", `{}`, "", 404},
		{"id not a number", "POST", "/api/v1/flagged/abc/accept", `{}`, "", 404},
		{"clean response", "POST", "/api/v1/flagged/1/accept", `{}`, "", 404},
		{"form post (CSRF)", "POST", "/api/v1/flagged/" + id(otherID) + "/accept", `note=x`, "application/x-www-form-urlencoded", 415},
		{"no body", "POST", "/api/v1/flagged/" + id(otherID) + "/accept", ``, "application/json", 400},
		{"unknown field", "POST", "/api/v1/flagged/" + id(otherID) + "/accept", `{"accept":true}`, "", 400},
		{"long note", "POST", "/api/v1/flagged/" + id(otherID) + "/reject", `{"note":"` + strings.Repeat("x", 501) + `"}`, "", 400},
		{"bad status", "GET", "/api/v1/flagged?status=maybe", ``, "", 400},
		{"bad limit", "GET", "/api/v1/flagged?limit=-1", ``, "", 400},
		{"unknown agency", "GET", "/api/v1/flagged?agency=ZZ", ``, "", 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(secReq{method: tt.method, path: tt.path, body: tt.body, contentType: tt.ct, user: "admin"})
			if w.Code != tt.want {
				t.Fatalf("got %d, want %d: %s", w.Code, tt.want, w.Body)
			}
			if !strings.Contains(w.Body.String(), `"error":`) {
				t.Fatalf("no JSON error message: %s", w.Body)
			}
		})
	}
	if got := ids(list("?agency=B")); got != id(otherID) {
		t.Fatalf("B's flagged response after bad requests: got %s, want %s pending", got, id(otherID))
	}
}

func TestAuditLog(t *testing.T) {
	e := newSecEnv(t, web.Config{})
	fid := e.flaggedResponse("A/Q1")
	if w := e.do(secReq{method: "POST", path: "/api/v1/flagged/" + strconv.FormatInt(fid, 10) + "/accept", body: `{"note":"ok\u0000 by phone"}`, user: "admin"}); w.Code != http.StatusOK {
		t.Fatalf("accept: got %d: %s", w.Code, w.Body)
	}
	if w := e.do(secReq{method: "PATCH", path: "/api/v1/agencies/B", body: `{"name":"Sở B mới"}`, user: "admin"}); w.Code != http.StatusOK {
		t.Fatalf("rename: got %d: %s", w.Code, w.Body)
	}
	w := e.do(secReq{method: "GET", path: "/api/v1/audit?limit=2", user: "admin"})
	if w.Code != http.StatusOK {
		t.Fatalf("audit: got %d: %s", w.Code, w.Body)
	}
	var got []survey.AuditEntry
	secDecode(t, w, &got)
	if len(got) != 2 {
		t.Fatalf("got %d entries, want 2", len(got))
	}
	if got[0].Action != "agency.update" || got[0].User != "admin" || got[0].Detail != "B" {
		t.Fatalf("newest entry: got %+v, want agency.update of B by admin", got[0])
	}
	want := "response " + strconv.FormatInt(fid, 10) + " (flagged honeypot): ok by phone"
	if got[1].Action != "response.accept" || got[1].User != "admin" || got[1].Detail != want || got[1].At.IsZero() {
		t.Fatalf("review entry: got %+v, want response.accept by admin with detail %q", got[1], want)
	}
	w = e.do(secReq{method: "GET", path: "/api/v1/audit?before=" + strconv.FormatInt(got[1].ID, 10), user: "admin"})
	var older []survey.AuditEntry
	secDecode(t, w, &older)
	for _, a := range older {
		if a.ID >= got[1].ID {
			t.Fatalf("before=%d returned entry %d", got[1].ID, a.ID)
		}
	}
	if len(older) == 0 {
		t.Fatalf("no entries before the review (the set-up created agencies)")
	}
	if w := e.do(secReq{method: "GET", path: "/api/v1/audit?before=x", user: "admin"}); w.Code != http.StatusBadRequest {
		t.Fatalf("before=x: got %d, want 400", w.Code)
	}
}

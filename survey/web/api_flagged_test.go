package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestFlaggedReview(t *testing.T) {
	e := webtest.New(t)
	ok := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: e.JSONSubmission(t, "D1/Q1", sqlitetest.SubmissionID())})
	if ok.Code != http.StatusCreated {
		t.Fatalf("clean submission: got %d, want 201: %s", ok.Code, ok.Body)
	}
	acceptID := e.Flagged(t, "D1/Q1")
	rejectID := e.Flagged(t, "D1/Q1")
	otherID := e.Flagged(t, "D2/Q1")
	if got := e.Respondents(t, "D1"); got != 1 {
		t.Fatalf("respondents of D1 with two honeypot hits: got %d, want 1 (flagged ones are out of the index)", got)
	}

	list := func(query string) []survey.FlaggedResponse {
		t.Helper()
		w := e.Do(t, webtest.Request{URL: "/api/v1/flagged" + query, User: "admin"})
		if w.Code != http.StatusOK {
			t.Fatalf("list %s: got %d, want 200: %s", query, w.Code, w.Body)
		}
		var out []survey.FlaggedResponse
		decodeInto(t, w, &out)
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
	if got, want := ids(list("?agency=D1")), id(rejectID)+","+id(acceptID); got != want {
		t.Fatalf("pending of D1: got %s, want %s", got, want)
	}
	if got, want := ids(list("?agency=P")), id(otherID)+","+id(rejectID)+","+id(acceptID); got != want {
		t.Fatalf("pending of P (subtree): got %s, want %s", got, want)
	}
	if got := list("?agency=D1")[0]; got.Flag != survey.FlagHoneypot || got.AgencyCode != "D1" || got.CounterCode != "Q1" || len(got.Answers) == 0 {
		t.Fatalf("flagged entry: got %+v", got)
	}

	review := func(n int64, verb string, want int) survey.FlaggedResponse {
		t.Helper()
		w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/flagged/" + id(n) + "/" + verb, Body: `{"note":"checked the camera log"}`, User: "admin"})
		if w.Code != want {
			t.Fatalf("%s %d: got %d, want %d: %s", verb, n, w.Code, want, w.Body)
		}
		var fr survey.FlaggedResponse
		if want == http.StatusOK {
			decodeInto(t, w, &fr)
		}
		return fr
	}
	fr := review(acceptID, "accept", http.StatusOK)
	if fr.Review != survey.ReviewAccepted || fr.ReviewedBy != "admin" || fr.ReviewedAt == nil || fr.Flag != survey.FlagHoneypot {
		t.Fatalf("accepted: got %+v", fr)
	}
	if got := e.Respondents(t, "D1"); got != 2 {
		t.Fatalf("respondents of D1 after accepting: got %d, want 2", got)
	}
	if got := e.Count(t, `SELECT flag = '' FROM responses WHERE id = ?`, acceptID); got != 1 {
		t.Fatalf("accepted response still flagged")
	}
	review(acceptID, "accept", http.StatusConflict)
	review(acceptID, "reject", http.StatusConflict)

	fr = review(rejectID, "reject", http.StatusOK)
	if fr.Review != survey.ReviewRejected {
		t.Fatalf("rejected: got %+v", fr)
	}
	if got := e.Respondents(t, "D1"); got != 2 {
		t.Fatalf("respondents of D1 after rejecting: got %d, want 2", got)
	}
	if got := e.Count(t, `SELECT count(*) FROM responses WHERE id = ? AND flag = 'honeypot'`, rejectID); got != 1 {
		t.Fatalf("rejected response lost its flag")
	}
	if got := ids(list("?agency=D1")); got != "" {
		t.Fatalf("pending of D1 after review: got %s, want none", got)
	}
	if got, want := ids(list("?agency=D1&status=reviewed")), id(rejectID)+","+id(acceptID); got != want {
		t.Fatalf("reviewed of D1: got %s, want %s", got, want)
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
			w := e.Do(t, webtest.Request{Method: tt.method, URL: tt.path, Body: tt.body, ContentType: tt.ct, User: "admin"})
			if w.Code != tt.want {
				t.Fatalf("got %d, want %d: %s", w.Code, tt.want, w.Body)
			}
			if !strings.Contains(w.Body.String(), `"error":`) {
				t.Fatalf("no JSON error message: %s", w.Body)
			}
		})
	}
	if got := ids(list("?agency=D2")); got != id(otherID) {
		t.Fatalf("D2's flagged response after bad requests: got %s, want %s pending", got, id(otherID))
	}
}

func TestAuditLog(t *testing.T) {
	e := webtest.New(t)
	fid := e.Flagged(t, "D1/Q1")
	if w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/flagged/" + strconv.FormatInt(fid, 10) + "/accept", Body: `{"note":"ok\u0000 by phone"}`, User: "admin"}); w.Code != http.StatusOK {
		t.Fatalf("accept: got %d: %s", w.Code, w.Body)
	}
	if w := e.Do(t, webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D2", Body: `{"name":"UBND huyện Phong Điền mới"}`, User: "admin"}); w.Code != http.StatusOK {
		t.Fatalf("rename: got %d: %s", w.Code, w.Body)
	}
	w := e.Do(t, webtest.Request{URL: "/api/v1/audit?limit=2", User: "admin"})
	if w.Code != http.StatusOK {
		t.Fatalf("audit: got %d: %s", w.Code, w.Body)
	}
	var got []survey.AuditEntry
	decodeInto(t, w, &got)
	if len(got) != 2 {
		t.Fatalf("got %d entries, want 2", len(got))
	}
	if got[0].Action != "agency.update" || got[0].User != "admin" || got[0].Detail != "D2" {
		t.Fatalf("newest entry: got %+v, want agency.update of D2 by admin", got[0])
	}
	want := "response " + strconv.FormatInt(fid, 10) + " (flagged honeypot): ok by phone"
	if got[1].Action != "response.accept" || got[1].User != "admin" || got[1].Detail != want || got[1].At.IsZero() {
		t.Fatalf("review entry: got %+v, want response.accept by admin with detail %q", got[1], want)
	}
	w = e.Do(t, webtest.Request{URL: "/api/v1/audit?before=" + strconv.FormatInt(got[1].ID, 10), User: "admin"})
	var older []survey.AuditEntry
	decodeInto(t, w, &older)
	for _, a := range older {
		if a.ID >= got[1].ID {
			t.Fatalf("before=%d returned entry %d", got[1].ID, a.ID)
		}
	}
	if len(older) == 0 {
		t.Fatalf("no entries before the review (the set-up created agencies)")
	}
	if w := e.Do(t, webtest.Request{URL: "/api/v1/audit?before=x", User: "admin"}); w.Code != http.StatusBadRequest {
		t.Fatalf("before=x: got %d, want 400", w.Code)
	}
}

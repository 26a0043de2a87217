package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

// The fuzz targets of the web layer drive the real router over a real
// SQLite file. Seed corpora are committed under testdata/fuzz/<target>; in
// them "{token}" stands for a valid survey token of counter D1/Q1
// (sipas-2017; the corpora do not depend on the token secret).

// FuzzSurveyForm posts arbitrary bodies to the citizen's form. It must
// never answer 5xx; a 303 (thanks) means the submission named in the body
// is stored exactly once, and anything else is a 4xx page.
func FuzzSurveyForm(f *testing.F) {
	e := webtest.New(f)
	token := e.Token(f, "D1/Q1")
	f.Add(e.FormSubmission(f, "D1/Q1", "fuzz-seed-0000000001").Encode(), false)
	f.Add("submission_id=fuzz-seed-0000000002&TC1=5&website=x", true)
	f.Add("submission_id=fuzz-seed-0000000003&comment=%FF", false)
	f.Add("%%%", false)
	f.Fuzz(func(t *testing.T, body string, kiosk bool) {
		path := "/s/" + token
		if kiosk {
			path += "?kiosk=1"
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		e.Handler.ServeHTTP(w, req)
		switch {
		case w.Code == http.StatusSeeOther:
			form, err := url.ParseQuery(body)
			if err != nil {
				t.Fatalf("303 for a body that does not parse: %q", body)
			}
			if n := e.Count(t, `SELECT count(*) FROM responses WHERE submission_id = ?`, form.Get("submission_id")); n != 1 {
				t.Fatalf("303 but %d stored responses for %q", n, form.Get("submission_id"))
			}
		case w.Code >= 400 && w.Code < 500:
			if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("status %d with content type %q", w.Code, w.Header().Get("Content-Type"))
			}
		default:
			t.Fatalf("status %d for body %q: %.300s", w.Code, body, w.Body)
		}
	})
}

// FuzzResponseJSON posts arbitrary JSON to the submission API. It must
// never answer 5xx; errors are JSON {"error": …}; a 201 or 200 names (by
// its public id) a response that is stored exactly once.
func FuzzResponseJSON(f *testing.F) {
	e := webtest.New(f)
	token := e.Token(f, "D1/Q1")
	f.Add(`{"token":"{token}","submission_id":"fuzz-seed-0000000001","answers":{"TC1":5,"CC2":"na"}}`)
	f.Add(strings.Replace(e.JSONSubmission(f, "D1/Q1", "fuzz-seed-0000000002"), token, "{token}", 1))
	f.Add(`{"token":"{token}","submission_id":"fuzz-seed-0000000003","answers":{},"followup":"1","comment":"\u0000"}`)
	f.Add(`{"token":1}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		body = strings.ReplaceAll(body, "{token}", token)
		req := httptest.NewRequest("POST", "/api/v1/responses", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.Handler.ServeHTTP(w, req)
		switch {
		case w.Code == http.StatusCreated || w.Code == http.StatusOK:
			var r struct {
				ID           string `json:"id"`
				SubmissionID string `json:"submission_id"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || r.ID == "" {
				t.Fatalf("success without an id: %s", w.Body)
			}
			if n := e.Count(t, `SELECT count(*) FROM responses WHERE submission_id = ?`, r.SubmissionID); n != 1 {
				t.Fatalf("status %d but response %s is not stored once", w.Code, r.SubmissionID)
			}
			if id := e.Count(t, `SELECT id FROM responses WHERE submission_id = ?`, r.SubmissionID); e.Signer.PublicID(int64(id)) != r.ID {
				t.Fatalf("status %d with id %s, but the stored response's is %s", w.Code, r.ID, e.Signer.PublicID(int64(id)))
			}
		case w.Code >= 400 && w.Code < 500:
			var ae struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &ae); err != nil || ae.Error == "" {
				t.Fatalf("status %d without a JSON error: %s", w.Code, w.Body)
			}
		default:
			t.Fatalf("status %d for body %q: %.300s", w.Code, body, w.Body)
		}
	})
}

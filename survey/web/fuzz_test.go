package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web"
)

// The fuzz targets of the web layer drive the real router over a real
// SQLite file. Seed corpora are committed under testdata/fuzz/<target>; in
// them "{token}" stands for a valid survey token of counter A/Q1 (the token
// secret differs for each test database).

// FuzzSurveyForm posts arbitrary bodies to the citizen's form. It must
// never answer 5xx; a 303 (thanks) means the submission named in the body
// is stored exactly once, and anything else is a 4xx page.
func FuzzSurveyForm(f *testing.F) {
	e := newSecEnv(f, web.Config{})
	f.Add(e.formSubmission("A/Q1", "fuzz-seed-0000000001").Encode(), false)
	f.Add("submission_id=fuzz-seed-0000000002&TC1=5&website=x", true)
	f.Add("submission_id=fuzz-seed-0000000003&comment=%FF", false)
	f.Add("%%%", false)
	f.Fuzz(func(t *testing.T, body string, kiosk bool) {
		path := "/s/" + e.tokens["A/Q1"]
		if kiosk {
			path += "?kiosk=1"
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		switch {
		case w.Code == http.StatusSeeOther:
			form, err := url.ParseQuery(body)
			if err != nil {
				t.Fatalf("303 for a body that does not parse: %q", body)
			}
			if n := e.countIn(t, `SELECT count(*) FROM responses WHERE submission_id = ?`, form.Get("submission_id")); n != 1 {
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
// never answer 5xx; errors are JSON {"error": …}; a 201 or 200 names a
// response that is stored exactly once.
func FuzzResponseJSON(f *testing.F) {
	e := newSecEnv(f, web.Config{})
	f.Add(`{"token":"{token}","submission_id":"fuzz-seed-0000000001","answers":{"TC1":5,"CC2":"na"}}`)
	f.Add(strings.Replace(e.jsonSubmission("A/Q1", "fuzz-seed-0000000002"), e.tokens["A/Q1"], "{token}", 1))
	f.Add(`{"token":"{token}","submission_id":"fuzz-seed-0000000003","answers":{},"followup":"1","comment":"\u0000"}`)
	f.Add(`{"token":1}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		body = strings.ReplaceAll(body, "{token}", e.tokens["A/Q1"])
		req := httptest.NewRequest("POST", "/api/v1/responses", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		switch {
		case w.Code == http.StatusCreated || w.Code == http.StatusOK:
			var r struct {
				ID           int64  `json:"id"`
				SubmissionID string `json:"submission_id"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || r.ID == 0 {
				t.Fatalf("success without an id: %s", w.Body)
			}
			if n := e.countIn(t, `SELECT count(*) FROM responses WHERE id = ? AND submission_id = ?`, r.ID, r.SubmissionID); n != 1 {
				t.Fatalf("status %d but response %d is not stored once", w.Code, r.ID)
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

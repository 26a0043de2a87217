package webtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// FormSubmissionID is the submission id of SipasForm's forms.
const FormSubmissionID = "form-submission-000001"

// SipasItems returns the item codes of sipas-2017 in form order (checked
// against the instrument by this package's tests).
func SipasItems() []string {
	return []string{
		"TC1", "TC2", "TC3", "TC4", "TT1", "TT2", "TT3", "TT4", "TT5",
		"CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "KQ1", "KQ2", "KQ3", "GY1", "GY2", "GY3", "GY4",
	}
}

// SipasForm returns the body of a posted sipas-2017 form answering every
// item value ("1".."5", "na"), in Vietnamese with an empty comment and the
// submission id FormSubmissionID, then with the fields of set set and the
// fields of drop left out.
func SipasForm(value string, set map[string]string, drop ...string) string {
	f := url.Values{}
	for _, c := range SipasItems() {
		f.Set(c, value)
	}
	f.Set("submission_id", FormSubmissionID)
	f.Set("lang", "vi")
	f.Set("comment", "")
	for k, v := range set {
		f.Set(k, v)
	}
	for _, d := range drop {
		f.Del(d)
	}
	return f.Encode()
}

// SipasAnswers returns the "answers" object of a sipas-2017 API
// submission: every item value (a JSON value: `5`, `"na"`), then set's
// items (any code, e.g. an unknown "XX1") set to theirs and drop's left
// out, in form order with the unknown codes last.
func SipasAnswers(value string, set map[string]string, drop ...string) string {
	m := map[string]string{}
	codes := SipasItems()
	for _, c := range codes {
		m[c] = value
	}
	var extra []string
	for k, v := range set {
		if _, ok := m[k]; !ok {
			extra = append(extra, k)
		}
		m[k] = v
	}
	for _, d := range drop {
		delete(m, d)
	}
	slices.Sort(extra)
	var parts []string
	for _, c := range append(codes, extra...) {
		if v, ok := m[c]; ok {
			parts = append(parts, `"`+c+`": `+v)
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// ResponseBody returns a POST /api/v1/responses body with token (a token
// or a placeholder), submission id and answers (a JSON object), and extra
// members (`"comment": "…"`).
func ResponseBody(token, submissionID, answers string, extra ...string) string {
	parts := []string{`"token": "` + token + `"`, `"submission_id": "` + submissionID + `"`, `"answers": ` + answers}
	return "{" + strings.Join(append(parts, extra...), ", ") + "}"
}

// Answers returns an answers object giving value to every item of the
// counter's instrument ("D1/Q1": sipas-2017, "D1/K1": quick).
func (e *Env) Answers(tb testing.TB, counter string, value any) map[string]any {
	tb.Helper()
	in := e.Instrument(tb, e.Counter(tb, counter).Instrument)
	out := map[string]any{}
	for _, it := range in.Items {
		out[it.Code] = value
	}
	return out
}

// JSONSubmission returns a valid POST /api/v1/responses body for the
// counter's current token, answering 4 to every item.
func (e *Env) JSONSubmission(tb testing.TB, counter, submissionID string) string {
	tb.Helper()
	b, err := json.Marshal(map[string]any{"token": e.Token(tb, counter), "submission_id": submissionID, "answers": e.Answers(tb, counter, 4)})
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// FormSubmission returns a valid form for the counter's survey form,
// answering 4 to every item.
func (e *Env) FormSubmission(tb testing.TB, counter, submissionID string) url.Values {
	tb.Helper()
	f := url.Values{"submission_id": {submissionID}}
	for code := range e.Answers(tb, counter, 4) {
		f.Set(code, "4")
	}
	return f
}

// Flagged submits a form with the honeypot filled in to the counter and
// returns the id of the stored, flagged response.
func (e *Env) Flagged(tb testing.TB, counter string) int64 {
	tb.Helper()
	sid := sqlitetest.SubmissionID()
	f := e.FormSubmission(tb, counter, sid)
	f.Set("website", "http://spam.example")
	w := e.Do(tb, Request{Method: http.MethodPost, URL: "/s/" + e.Token(tb, counter), Body: f.Encode()})
	if w.Code != http.StatusSeeOther {
		tb.Fatalf("honeypot submit: got %d, want 303 (the bot sees thanks): %s", w.Code, w.Body)
	}
	return int64(e.Count(tb, `SELECT id FROM responses WHERE submission_id = ?`, sid))
}

// Respondents returns what stats_monthly counts for an agency, its own
// counters only: what the indices see.
func (e *Env) Respondents(tb testing.TB, agency string) int {
	tb.Helper()
	return e.Count(tb, `SELECT COALESCE(SUM(respondents), 0) FROM stats_monthly WHERE agency_id = (SELECT id FROM agencies WHERE code = ?)`, agency)
}

// AddCounter creates a counter ("C1/S1") with an instrument, for trees the
// standard province lacks (a sipas-2017 counter beneath D1), and returns it.
func (e *Env) AddCounter(tb testing.TB, key, instrument string) *survey.Counter {
	tb.Helper()
	agency, code, ok := strings.Cut(key, "/")
	if !ok {
		tb.Fatalf("counter key %q: want AGENCY/CODE", key)
	}
	c := &survey.Counter{AgencyCode: agency, Code: code, Name: fmt.Sprintf("Quầy %s", code), Instrument: instrument}
	if err := e.DB.CreateCounter(tb.Context(), c, survey.Actor{Name: "webtest"}); err != nil {
		tb.Fatalf("create counter %s: %v", key, err)
	}
	return c
}

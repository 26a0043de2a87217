package webtest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// Rate submits a counter's ("D1/Q1") citizen form as a citizen would, at
// the Env's clock, from remote (an address, e.g. "203.0.113.9"), every
// item of its instrument answered value ("1".."5"); on the counter's own
// tablet (its kiosk key) when kiosk is set. The test fails unless the
// rating is taken (303): it may still be flagged, by the rate limit or the
// integrity rule of a kiosk out of hours.
func (e *Env) Rate(tb testing.TB, counter, value, remote string, kiosk bool) {
	tb.Helper()
	f := url.Values{"submission_id": {sqlitetest.SubmissionID()}, "lang": {"vi"}}
	for code := range e.Answers(tb, counter, 0) {
		f.Set(code, value)
	}
	if kiosk {
		f.Set("kiosk", e.KioskKey(tb, counter))
	}
	w := e.Do(tb, Request{Method: http.MethodPost, URL: "/s/" + e.Token(tb, counter), Body: f.Encode(), Remote: remote + ":4000"})
	if w.Code != http.StatusSeeOther {
		tb.Fatalf("rate %s from %s: got %d, want 303: %.500s", counter, remote, w.Code, w.Body)
	}
}

// Scan runs the integrity scan over dates (YYYY-MM-DD; none: yesterday and
// today) at the Env's clock, as the server's periodic pass does, and
// returns what it did.
func (e *Env) Scan(tb testing.TB, dates ...string) integrity.ScanResult {
	tb.Helper()
	res, err := (&integrity.Scanner{Store: e.DB, Now: e.Now}).Scan(tb.Context(), dates...)
	if err != nil {
		tb.Fatalf("integrity scan: %v", err)
	}
	return res
}

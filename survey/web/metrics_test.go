package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey/web"
)

func TestMetrics(t *testing.T) {
	e := newSecEnv(t, web.Config{RateLimit: 1})
	api := func(body string, remote string) {
		t.Helper()
		e.do(secReq{method: "POST", path: "/api/v1/responses", body: body, remote: remote})
	}
	sid := secSubmissionID()
	api(e.jsonSubmission("A/Q1", sid), "198.51.100.1:1")                       // stored, api
	api(e.jsonSubmission("A/Q1", sid), "198.51.100.2:1")                       // replay
	api(e.jsonSubmission("A/Q1", secSubmissionID()), "198.51.100.1:1")         // stored, flagged rate_limited
	api(`{"token":"AQE.AAAAAAAAAAAAAAAA","submission_id":"x"}`, "192.0.2.9:1") // bad token
	api(`{"nope":1}`, "192.0.2.9:1")                                           // invalid
	e.do(secReq{method: "POST", path: "/api/v1/responses", body: "x", contentType: "text/plain"})
	e.do(secReq{method: "POST", path: "/api/v1/responses", body: strings.Repeat("a", 70<<10)})
	e.flaggedResponse("B/Q1") // stored, web, flagged honeypot
	form := e.formSubmission("A1/Q1", secSubmissionID())
	form.Set("kiosk", e.signer.KioskKey(e.ids["A1/Q1"], 1))
	e.do(secReq{method: "POST", path: "/s/" + e.tokens["A1/Q1"], body: form.Encode()}) // stored, kiosk
	e.srv.ObserveCommit(3*time.Millisecond, 7)

	w := e.do(secReq{method: "GET", path: "/metrics"})
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("metrics: got %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	for _, want := range []string{
		`sipas_submissions_stored_total{channel="api"} 2`,
		`sipas_submissions_stored_total{channel="web"} 1`,
		`sipas_submissions_stored_total{channel="kiosk"} 1`,
		`sipas_submissions_replayed_total{channel="api"} 1`,
		`sipas_submissions_flagged_total{reason="rate_limited"} 1`,
		`sipas_submissions_flagged_total{reason="honeypot"} 1`,
		`sipas_submissions_rejected_total{reason="bad_token"} 1`,
		`sipas_submissions_rejected_total{reason="invalid"} 1`,
		`sipas_submissions_rejected_total{reason="bad_content_type"} 1`,
		`sipas_submissions_rejected_total{reason="too_large"} 1`,
		`sipas_http_request_duration_seconds_count{method="POST",route="/api/v1/responses",status_class="2xx"} 3`,
		`sipas_http_request_duration_seconds_bucket{method="POST",route="/s/:token",status_class="3xx",le="+Inf"} 2`,
		`sipas_db_commit_batch_size_bucket{le="8"} `,
		`sipas_http_requests_in_flight 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, e.tokens["A/Q1"]) {
		t.Errorf("metrics hold a survey token: routes must be patterns")
	}
	// Every line is a comment or "name{labels} value".
	line := regexp.MustCompile(`^[a-z_]+(\{([a-z_]+="[^"]*",?)*\})? (\+Inf|[0-9.e+-]+)$`)
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		if !strings.HasPrefix(l, "# ") && !line.MatchString(l) {
			t.Errorf("malformed exposition line %q", l)
		}
	}
	// Histogram buckets are cumulative: the batch of 7 is in le="8" but not
	// le="4", and +Inf counts everything.
	val := func(series string) float64 {
		t.Helper()
		m := regexp.MustCompile(regexp.QuoteMeta(series) + ` ([0-9.e+-]+)\n`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no series %s", series)
		}
		f, _ := strconv.ParseFloat(m[1], 64)
		return f
	}
	le4, le8 := val(`sipas_db_commit_batch_size_bucket{le="4"}`), val(`sipas_db_commit_batch_size_bucket{le="8"}`)
	inf, count := val(`sipas_db_commit_batch_size_bucket{le="+Inf"}`), val(`sipas_db_commit_batch_size_count`)
	if le8 != le4+1 || inf != count || count < 5 {
		t.Errorf("batch size histogram: le4 %v, le8 %v, +Inf %v, count %v; want le8 = le4+1, +Inf = count ≥ 5", le4, le8, inf, count)
	}
}

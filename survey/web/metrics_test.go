package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

// TestMetricsReplaysAndConflicts: a replay and a submission id reused for
// another rating are counted in their own series, on the form as on the
// API, never as stored ratings. (Before, the form's replays counted as
// stored and conflicts were answered as replays.)
func TestMetricsReplaysAndConflicts(t *testing.T) {
	e := webtest.New(t)
	post := func(url, body string, want int) {
		t.Helper()
		if w := e.Do(t, webtest.Request{Method: "POST", URL: url, Body: body}); w.Code != want {
			t.Fatalf("POST %s: got %d, want %d: %.300s", url, w.Code, want, w.Body)
		}
	}
	sid := sqlitetest.SubmissionID()
	post("/api/v1/responses", e.JSONSubmission(t, "D1/Q1", sid), http.StatusCreated)
	post("/api/v1/responses", e.JSONSubmission(t, "D1/Q1", sid), http.StatusOK)
	post("/api/v1/responses", e.JSONSubmission(t, "D2/Q1", sid), http.StatusConflict)
	form := e.FormSubmission(t, "D3/Q1", sqlitetest.SubmissionID())
	post("/s/{D3/Q1}", form.Encode(), http.StatusSeeOther)
	post("/s/{D3/Q1}", form.Encode(), http.StatusSeeOther) // a double tap
	form.Set("TC1", "1")
	post("/s/{D3/Q1}", form.Encode(), http.StatusConflict) // back, changed, sent again

	body := e.Do(t, webtest.Request{URL: "/metrics"}).Body.String()
	for _, want := range []string{
		`sipas_submissions_stored_total{channel="api"} 1`,
		`sipas_submissions_stored_total{channel="web"} 1`,
		`sipas_submissions_replayed_total{channel="api"} 1`,
		`sipas_submissions_replayed_total{channel="web"} 1`,
		`sipas_submissions_conflicts_total{channel="api"} 1`,
		`sipas_submissions_conflicts_total{channel="web"} 1`,
		`sipas_submissions_rejected_total{reason="conflict"} 0`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
	if n := e.Responses(t); n != 2 {
		t.Fatalf("got %d stored responses, want 2", n)
	}
}

func TestMetrics(t *testing.T) {
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 1}))
	api := func(body string, remote string) {
		t.Helper()
		e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: body, Remote: remote})
	}
	sid := sqlitetest.SubmissionID()
	api(e.JSONSubmission(t, "D1/Q1", sid), "198.51.100.1:1")                       // stored, api
	api(e.JSONSubmission(t, "D1/Q1", sid), "198.51.100.2:1")                       // replay
	api(e.JSONSubmission(t, "D1/Q1", sqlitetest.SubmissionID()), "198.51.100.1:1") // stored, flagged rate_limited
	api(`{"token":"AQE.AAAAAAAAAAAAAAAA","submission_id":"x"}`, "192.0.2.9:1")     // bad token
	api(`{"nope":1}`, "192.0.2.9:1")                                               // invalid
	e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: "x", ContentType: "text/plain"})
	e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: strings.Repeat("a", 70<<10)})
	e.Flagged(t, "D2/Q1") // stored, web, flagged honeypot
	form := e.FormSubmission(t, "D3/Q1", sqlitetest.SubmissionID())
	form.Set("kiosk", e.KioskKey(t, "D3/Q1"))
	e.Do(t, webtest.Request{Method: "POST", URL: "/s/{D3/Q1}", Body: form.Encode()}) // stored, kiosk
	e.Server.ObserveCommit(3*time.Millisecond, 7)

	w := e.Do(t, webtest.Request{URL: "/metrics"})
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
	if strings.Contains(body, e.Token(t, "D1/Q1")) {
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

// metricSeries counts the exposition lines of sipas's own metrics (not the
// Go runtime's or the process's, which move by themselves).
func metricSeries(body string) int {
	n := 0
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "sipas_") {
			n++
		}
	}
	return n
}

// TestMetricsBoundedUnderHostileMethods sends requests with a 30 KB method,
// 1 000 distinct methods and 10 000 random methods and paths through the
// router: the number of series, the size of /metrics and the heap stay
// flat, and the log never holds a long method.
func TestMetricsBoundedUnderHostileMethods(t *testing.T) {
	e := webtest.New(t)
	rng := rand.New(rand.NewPCG(8, 9))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('A' + rng.IntN(26))
		}
		return string(b)
	}
	send := func(method, path string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Method = method
		e.Handler.ServeHTTP(httptest.NewRecorder(), req)
	}
	scrape := func() string {
		w := httptest.NewRecorder()
		e.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if w.Code != http.StatusOK {
			t.Fatalf("metrics: got %d", w.Code)
		}
		return w.Body.String()
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	// One request of each kind the flood sends, so that the series it may
	// legitimately create ("other" methods, "unmatched" routes) exist.
	send("BREW", "/healthz")
	send("BREW", "/s/x/y/z")
	send(http.MethodGet, "/no/such/page")
	send(http.MethodGet, "/healthz")
	scrape()
	before := scrape()
	heapBefore := heap()

	long := word(30 << 10)
	send(long, "/healthz")
	send(long, "/api/v1/agencies")
	for range 1000 {
		send(word(8+rng.IntN(64)), "/healthz")
	}
	for range 10000 {
		send(word(1+rng.IntN(2048)), "/"+word(1+rng.IntN(200)))
	}
	after := scrape()
	heapAfter := heap()

	if b, a := metricSeries(before), metricSeries(after); a != b {
		t.Fatalf("series grew from %d to %d under random methods and paths", b, a)
	}
	if d := len(after) - len(before); d > 2048 {
		t.Fatalf("/metrics grew by %d bytes (from %d)", d, len(before))
	}
	if strings.Contains(after, long[:64]) {
		t.Fatalf("/metrics holds a request's method")
	}
	// 11 000 requests of methods up to 2 KB: a label set kept per method
	// would hold megabytes.
	if heapAfter > heapBefore+(4<<20) {
		t.Fatalf("heap grew from %d to %d bytes", heapBefore, heapAfter)
	}
	if strings.Contains(e.Log.String(), long[:64]) {
		t.Fatalf("the log holds the 30 KB method")
	}
}

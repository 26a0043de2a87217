package metrics

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// testRoutes are route patterns as gin's FullPath reports them.
var testRoutes = []string{"/", "/s/:token", "/api/v1/responses", "/healthz", "/metrics"}

// knownMethods are the methods Method keeps.
var knownMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"}

// mustScrape serves one GET of the metrics handler through an httptest
// server and returns the body.
func mustScrape(tb testing.TB, m *Metrics) string {
	tb.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		tb.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read scrape: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("scrape status: got %d, want 200; body %.500s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		tb.Fatalf("scrape content type: got %q, want the text format 0.0.4", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		tb.Fatalf("scrape Cache-Control: got %q, want no-store", cc)
	}
	return string(body)
}

// countSeries returns the number of series on m's registry, not counting
// the Go runtime and process collectors (their series do not depend on
// requests).
func countSeries(tb testing.TB, m *Metrics) int {
	tb.Helper()
	mfs, err := m.reg.Gather()
	if err != nil {
		tb.Fatalf("gather: %v", err)
	}
	n := 0
	for _, mf := range mfs {
		if name := mf.GetName(); strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_") {
			continue
		}
		n += len(mf.GetMetric())
	}
	return n
}

// counterValue returns the value of counter name{label=value} on m's
// registry, or -1 if there is no such series.
func counterValue(tb testing.TB, m *Metrics, name, label, value string) float64 {
	tb.Helper()
	mfs, err := m.reg.Gather()
	if err != nil {
		tb.Fatalf("gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, s := range mf.GetMetric() {
			for _, l := range s.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return s.GetCounter().GetValue()
				}
			}
		}
	}
	return -1
}

func TestHandlerServesTextFormat(t *testing.T) {
	m := New()
	m.Routes(testRoutes...)
	done := m.InFlight() // still in flight during the scrape
	defer done()
	finished := m.InFlight()
	finished()
	finished() // a second call must not bring the gauge down again
	m.Request("GET", "/s/:token", 200, 3*time.Millisecond)
	m.Request("POST", "/nowhere/abc", 404, 20*time.Millisecond)
	m.Stored("web")
	m.Stored("kiosk")
	m.Stored("kiosk")
	m.Replayed("api")
	m.Conflicted("api")
	m.Flagged("honeypot")
	m.Rejected("too_large")
	m.Rejected("conflict")
	m.ObserveCommit(7*time.Millisecond, 3)

	body := mustScrape(t, m)
	for _, want := range []string{
		// Names, help texts and types, unchanged from the hand-written format.
		"# HELP sipas_submissions_stored_total Submissions acknowledged to the citizen after their commit, by channel (web, kiosk, api, dossier).\n# TYPE sipas_submissions_stored_total counter\n",
		"# HELP sipas_submissions_replayed_total Submissions answered as replays of the same response stored before under its submission_id (API 200, form redirect), by channel.\n# TYPE sipas_submissions_replayed_total counter\n",
		"# HELP sipas_submissions_flagged_total Submissions stored but flagged and left out of the indices, by reason (honeypot, rate_limited).\n# TYPE sipas_submissions_flagged_total counter\n",
		"# HELP sipas_submissions_rejected_total Submissions refused, by reason (invalid, bad_token, gone_token, too_large, bad_content_type, rate_limited, unavailable).\n# TYPE sipas_submissions_rejected_total counter\n",
		"# HELP sipas_http_request_duration_seconds HTTP request latency by method and route.\n# TYPE sipas_http_request_duration_seconds histogram\n",
		"# HELP sipas_http_requests_in_flight HTTP requests being served.\n# TYPE sipas_http_requests_in_flight gauge\n",
		"# HELP sipas_db_commit_duration_seconds Duration of each batch commit of responses (including fsync).\n# TYPE sipas_db_commit_duration_seconds histogram\n",
		"# HELP sipas_db_commit_batch_size Responses per batch commit.\n# TYPE sipas_db_commit_batch_size histogram\n",
		"# TYPE sipas_submissions_conflicts_total counter\n",

		"\nsipas_submissions_stored_total{channel=\"web\"} 1\n",
		"\nsipas_submissions_stored_total{channel=\"kiosk\"} 2\n",
		"\nsipas_submissions_stored_total{channel=\"api\"} 0\n",
		"\nsipas_submissions_replayed_total{channel=\"api\"} 1\n",
		"\nsipas_submissions_conflicts_total{channel=\"api\"} 1\n",
		"\nsipas_submissions_flagged_total{reason=\"honeypot\"} 1\n",
		"\nsipas_submissions_rejected_total{reason=\"too_large\"} 1\n",
		"\nsipas_submissions_rejected_total{reason=\"conflict\"} 1\n",
		"\nsipas_submissions_rejected_total{reason=\"invalid\"} 0\n",
		"\nsipas_http_requests_in_flight 1\n",
		"\nsipas_http_request_duration_seconds_bucket{method=\"GET\",route=\"/s/:token\",status_class=\"2xx\",le=\"0.0025\"} 0\n",
		"\nsipas_http_request_duration_seconds_bucket{method=\"GET\",route=\"/s/:token\",status_class=\"2xx\",le=\"0.005\"} 1\n",
		"\nsipas_http_request_duration_seconds_bucket{method=\"GET\",route=\"/s/:token\",status_class=\"2xx\",le=\"+Inf\"} 1\n",
		"\nsipas_http_request_duration_seconds_count{method=\"GET\",route=\"/s/:token\",status_class=\"2xx\"} 1\n",
		"\nsipas_http_request_duration_seconds_count{method=\"POST\",route=\"unmatched\",status_class=\"4xx\"} 1\n",
		"\nsipas_db_commit_duration_seconds_bucket{le=\"0.01\"} 1\n",
		"\nsipas_db_commit_duration_seconds_count 1\n",
		"\nsipas_db_commit_batch_size_bucket{le=\"2\"} 0\n",
		"\nsipas_db_commit_batch_size_bucket{le=\"4\"} 1\n",
		"\nsipas_db_commit_batch_size_bucket{le=\"512\"} 1\n",
		"\nsipas_db_commit_batch_size_sum 3\n",
		"\ngo_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape does not contain %q", want)
		}
	}
	// The buckets, unchanged: alerts compute quantiles from them.
	for _, tc := range []struct{ prefix, want string }{
		{`sipas_http_request_duration_seconds_bucket{method="GET",route="/s/:token",status_class="2xx",le="`,
			"0.001 0.0025 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 +Inf"},
		{`sipas_db_commit_duration_seconds_bucket{le="`, "0.001 0.0025 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 +Inf"},
		{`sipas_db_commit_batch_size_bucket{le="`, "1 2 4 8 16 32 64 128 256 512 +Inf"},
	} {
		if got := bucketBounds(body, tc.prefix); got != tc.want {
			t.Errorf("buckets of %s: got %q, want %q", tc.prefix, got, tc.want)
		}
	}
	if strings.Contains(body, "/nowhere") {
		t.Errorf("scrape contains the unregistered route /nowhere/abc")
	}
}

// bucketBounds returns the le values of the lines of body that start with
// prefix (which ends in `le="`), in order, joined by spaces.
func bucketBounds(body, prefix string) string {
	var les []string
	for line := range strings.Lines(body) {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			le, _, _ := strings.Cut(rest, `"`)
			les = append(les, le)
		}
	}
	return strings.Join(les, " ")
}

// failingCollector fails every collection.
type failingCollector struct{ desc *prometheus.Desc }

func (c failingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }
func (c failingCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.NewInvalidMetric(c.desc, errors.New("broken on purpose"))
}

func TestHandlerAnswersErrors(t *testing.T) {
	m := New()
	m.reg.MustRegister(failingCollector{prometheus.NewDesc("sipas_test_broken", "Broken.", nil, nil)})
	rec := httptest.NewRecorder()
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("handler panicked: %v", p)
			}
		}()
		m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	}()
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status: got %d, want 500", rec.Code)
	}
}

// randomString returns n random bytes, not necessarily valid UTF-8.
func randomString(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return string(b)
}

// randomToken returns n random upper-case letters, a plausible method.
func randomToken(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + r.IntN(26))
	}
	return string(b)
}

func TestSeriesBounded(t *testing.T) {
	m := New()
	m.Routes(testRoutes...)
	statuses := []int{101, 200, 302, 404, 503, 0} // one per class, "other" included

	// Every label value that can exist: the known methods and routes plus
	// one outside each set, for every status class.
	for _, method := range append(knownMethods, "BREW") {
		for _, route := range append(testRoutes, "") {
			for _, st := range statuses {
				m.Request(method, route, st, time.Millisecond)
			}
		}
	}
	for _, ch := range []string{"web", "kiosk", "api", "dossier", "carrier-pigeon"} {
		m.Stored(ch)
		m.Replayed(ch)
		m.Conflicted(ch)
	}
	for _, r := range []string{"honeypot", "rate_limited", "sneaky"} {
		m.Flagged(r)
	}
	for _, r := range append(rejectReasons, "sneaky") {
		m.Rejected(r)
	}
	m.ObserveCommit(time.Millisecond, 1)
	done := m.InFlight()
	done()

	before := countSeries(t, m)
	// latency: 10 methods × 6 routes × 6 classes; counters: 3×5 channels,
	// 3 flag and 9 reject reasons; in-flight, commit, batch; 2 handler error
	// counters.
	if want := 10*(len(testRoutes)+1)*6 + 3*5 + 3 + 9 + 3 + 2; before != want {
		t.Fatalf("series after every label value: got %d, want %d", before, want)
	}

	r := rand.New(rand.NewPCG(1, 2))
	long := strings.Repeat("LONGMETHOD", 3<<10) // 30 KB
	m.Request(long, "/s/:token", 200, time.Millisecond)
	m.Request("GET", long, 200, time.Millisecond)
	m.Stored(long)
	m.Rejected(long)
	for i := range 1000 {
		m.Request(fmt.Sprintf("M%d%s", i, randomToken(r, 8)), testRoutes[i%len(testRoutes)], 200, time.Millisecond)
	}
	for i := range 10000 {
		s := randomString(r, 1+r.IntN(40))
		if i%2 == 0 {
			s = randomToken(r, 1+r.IntN(40)) // valid UTF-8: kept if taken raw
		}
		m.Request("GET", "/s/"+s, r.IntN(1000)-100, time.Millisecond)
		m.Stored(s)
		m.Replayed(s)
		m.Conflicted(s)
		m.Flagged(s)
		m.Rejected(s)
	}

	if after := countSeries(t, m); after != before {
		t.Fatalf("series after hostile input: got %d, want %d", after, before)
	}
	body := mustScrape(t, m)
	if strings.Contains(body, "LONGMETHOD") {
		t.Fatalf("scrape contains the 30 KB method (%d bytes)", len(body))
	}
	if strings.Contains(body, `method="M1`) || strings.Contains(body, "carrier-pigeon") {
		t.Fatalf("scrape contains a raw label value")
	}
}

func TestRoutesConcurrent(t *testing.T) {
	m := New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				m.Routes(fmt.Sprintf("/r%d/:id", (i*200+j)%50))
				m.Request("GET", fmt.Sprintf("/r%d/:id", j%50), 200, time.Millisecond)
			}
		})
	}
	wg.Wait()
	m.Request("GET", "/r7/:id", 200, time.Millisecond)
	if !strings.Contains(mustScrape(t, m), `route="/r7/:id"`) {
		t.Fatalf("a route registered concurrently is not kept")
	}
}

func TestMethod(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"GET", "GET"}, {"HEAD", "HEAD"}, {"POST", "POST"}, {"PUT", "PUT"}, {"PATCH", "PATCH"},
		{"DELETE", "DELETE"}, {"OPTIONS", "OPTIONS"}, {"CONNECT", "CONNECT"}, {"TRACE", "TRACE"},
		{"get", "other"}, {"Post", "other"}, {"", "other"}, {"PROPFIND", "other"},
		{"GET ", "other"}, {"GET\x00", "other"}, {"\xff\xfe", "other"},
		{strings.Repeat("A", 30<<10), "other"},
	} {
		t.Run(fmt.Sprintf("%.20q", tc.in), func(t *testing.T) {
			if got := Method(tc.in); got != tc.want {
				t.Fatalf("Method(%.20q): got %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStatusClass(t *testing.T) {
	for _, tc := range []struct {
		in   int
		want string
	}{
		{100, "1xx"}, {199, "1xx"}, {200, "2xx"}, {204, "2xx"}, {299, "2xx"}, {301, "3xx"},
		{399, "3xx"}, {400, "4xx"}, {404, "4xx"}, {499, "4xx"}, {500, "5xx"}, {599, "5xx"},
		{0, "other"}, {99, "other"}, {600, "other"}, {999, "other"}, {-200, "other"},
	} {
		t.Run(fmt.Sprint(tc.in), func(t *testing.T) {
			if got := statusClass(tc.in); got != tc.want {
				t.Fatalf("statusClass(%d): got %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMetricsDoNotShare(t *testing.T) {
	a, b := New(), New() // a shared registry would panic here on duplicate registration
	a.Routes("/only-a")
	a.Stored("web")
	a.Stored("web")
	b.Stored("web")
	a.Rejected("invalid")
	a.Request("GET", "/only-a", 200, time.Millisecond)
	b.Request("GET", "/only-a", 200, time.Millisecond)
	done := a.InFlight()
	defer done()

	if got := counterValue(t, a, "sipas_submissions_stored_total", "channel", "web"); got != 2 {
		t.Errorf("a stored web: got %v, want 2", got)
	}
	if got := counterValue(t, b, "sipas_submissions_stored_total", "channel", "web"); got != 1 {
		t.Errorf("b stored web: got %v, want 1", got)
	}
	if got := counterValue(t, b, "sipas_submissions_rejected_total", "reason", "invalid"); got != 0 {
		t.Errorf("b rejected invalid: got %v, want 0", got)
	}
	bb := mustScrape(t, b)
	for _, want := range []string{
		"\nsipas_http_requests_in_flight 0\n",
		"\nsipas_http_request_duration_seconds_count{method=\"GET\",route=\"unmatched\",status_class=\"2xx\"} 1\n",
	} {
		if !strings.Contains(bb, want) {
			t.Errorf("b's scrape does not contain %q", want)
		}
	}
	if strings.Contains(bb, "/only-a") {
		t.Errorf("b keeps a route registered only on a")
	}
}

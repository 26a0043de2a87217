package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web"
)

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
	e := newSecEnv(t, web.Config{})
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
		e.h.ServeHTTP(httptest.NewRecorder(), req)
	}
	scrape := func() string {
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
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
	if strings.Contains(e.logs.String(), long[:64]) {
		t.Fatalf("the log holds the 30 KB method")
	}
}

// Package metrics holds the Prometheus metrics of one sipas server, built on
// prometheus/client_golang with a registry of its own.
//
// Every label value comes from a fixed set: request methods, route patterns,
// status classes, channels and reasons outside their set are counted under
// "other" (or "unmatched" for routes), so a client cannot grow the number of
// series, and with it the memory of the server, by sending odd requests.
package metrics

import (
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The buckets of the histograms, unchanged from the hand-written exposition
// they replace: dashboards and alerts are built against them.
var (
	latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
	batchBuckets   = []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}
)

// Metrics are the Prometheus metrics of one server, on a registry of its own
// (no global registry: several servers in one test binary must not share
// series). The zero value is not usable; call New.
type Metrics struct {
	reg     *prometheus.Registry
	handler http.Handler

	stored     *prometheus.CounterVec
	replayed   *prometheus.CounterVec
	conflicted *prometheus.CounterVec
	flagged    *prometheus.CounterVec
	rejected   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	inflight   prometheus.Gauge
	commit     prometheus.Histogram
	batch      prometheus.Histogram

	mu     sync.RWMutex
	routes map[string]bool // the route patterns kept as label values
}

// New returns the metrics of a new server, registered on a new registry
// together with the Go runtime and process collectors.
func New() *Metrics {
	counter := func(name, help, label string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{label})
	}
	m := &Metrics{
		reg:        prometheus.NewRegistry(),
		stored:     counter("sipas_submissions_stored_total", "Submissions acknowledged to the citizen after their commit, by channel (web, kiosk, api, dossier).", "channel"),
		replayed:   counter("sipas_submissions_replayed_total", "Submissions answered as replays of the same response stored before under its submission_id (API 200, form redirect), by channel.", "channel"),
		conflicted: counter("sipas_submissions_conflicts_total", "Submissions refused because their submission_id was already used with other answers or another counter, by channel.", "channel"),
		flagged:    counter("sipas_submissions_flagged_total", "Submissions stored but flagged and left out of the indices, by reason (honeypot, rate_limited).", "reason"),
		rejected:   counter("sipas_submissions_rejected_total", "Submissions refused, by reason (invalid, bad_token, gone_token, too_large, bad_content_type, rate_limited, unavailable).", "reason"),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sipas_http_request_duration_seconds",
			Help:    "HTTP request latency by method and route.",
			Buckets: latencyBuckets,
		}, []string{"method", "route", "status_class"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sipas_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sipas_db_commit_duration_seconds",
			Help:    "Duration of each batch commit of responses (including fsync).",
			Buckets: latencyBuckets,
		}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sipas_db_commit_batch_size",
			Help:    "Responses per batch commit.",
			Buckets: batchBuckets,
		}),
		routes: map[string]bool{},
	}
	// Counters start at zero for every value of their set, so that rate()
	// and increase() see the first event instead of a series appearing.
	for _, v := range []*prometheus.CounterVec{m.stored, m.replayed, m.conflicted} {
		for _, ch := range channels {
			v.WithLabelValues(ch)
		}
	}
	for _, r := range flagReasons {
		m.flagged.WithLabelValues(r)
	}
	for _, r := range rejectReasons {
		m.rejected.WithLabelValues(r)
	}
	m.reg.MustRegister(
		m.stored, m.replayed, m.conflicted, m.flagged, m.rejected,
		m.latency, m.inflight, m.commit, m.batch,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	// Built once: HandlerOpts.Registry registers
	// promhttp_metric_handler_errors_total, which may happen only once.
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorHandling: promhttp.HTTPErrorOnError, // a 500 with the error, never a panic
		Registry:      m.reg,
	})
	m.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
	return m
}

// Handler returns the handler that serves the metrics in the Prometheus
// exposition format. An error while gathering is answered with a 500.
func (m *Metrics) Handler() http.Handler { return m.handler }

// Routes adds route patterns of the route table (gin FullPath values such as
// "/s/:token") to the routes that Request keeps as label values. It is safe
// for concurrent use. Patterns come from the code, never from a request; an
// empty or invalid UTF-8 pattern is ignored.
func (m *Metrics) Routes(patterns ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range patterns {
		if p != "" && utf8.ValidString(p) {
			m.routes[p] = true
		}
	}
}

// route returns r if it is a registered pattern, else "unmatched".
func (m *Metrics) route(r string) string {
	m.mu.RLock()
	ok := m.routes[r]
	m.mu.RUnlock()
	if !ok {
		return "unmatched"
	}
	return r
}

// Request records one HTTP request that took d in the latency histogram. The
// method is reduced by Method, a route that is not a registered pattern
// becomes "unmatched" and the status becomes its class ("2xx", or "other").
func (m *Metrics) Request(method, route string, status int, d time.Duration) {
	m.latency.WithLabelValues(Method(method), m.route(route), statusClass(status)).Observe(d.Seconds())
}

// InFlight counts a request as being served until done is called; calling
// done more than once has no further effect.
func (m *Metrics) InFlight() (done func()) {
	m.inflight.Inc()
	return sync.OnceFunc(m.inflight.Dec)
}

// Stored counts a submission acknowledged after its commit on channel
// (web, kiosk, api, dossier; anything else counts as "other").
func (m *Metrics) Stored(channel string) { m.stored.WithLabelValues(oneOf(channel, channels)).Inc() }

// Replayed counts a submission answered as a replay of an earlier
// submission id, by channel as in Stored.
func (m *Metrics) Replayed(channel string) {
	m.replayed.WithLabelValues(oneOf(channel, channels)).Inc()
}

// Conflicted counts a submission refused because its submission id was
// already used with other answers or another counter, by channel as in
// Stored.
func (m *Metrics) Conflicted(channel string) {
	m.conflicted.WithLabelValues(oneOf(channel, channels)).Inc()
}

// Flagged counts a submission stored but flagged, by reason (honeypot,
// rate_limited; anything else counts as "other").
func (m *Metrics) Flagged(reason string) {
	m.flagged.WithLabelValues(oneOf(reason, flagReasons)).Inc()
}

// Rejected counts a refused submission by reason (invalid, bad_token,
// gone_token, too_large, bad_content_type, rate_limited, unavailable,
// conflict; anything else counts as "other").
func (m *Metrics) Rejected(reason string) {
	m.rejected.WithLabelValues(oneOf(reason, rejectReasons)).Inc()
}

// ObserveCommit records one batch commit of n responses that took d.
func (m *Metrics) ObserveCommit(d time.Duration, n int) {
	m.commit.Observe(d.Seconds())
	m.batch.Observe(float64(n))
}

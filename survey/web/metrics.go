package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// The Prometheus metrics of a Server, written in the text exposition format
// (version 0.0.4). prometheus/client_golang's own dependencies are not in
// this module's build, so the few metric kinds sipas needs (labelled
// counters, a gauge, histograms) are implemented here; each Server owns its
// set, there are no globals.

// metricFamily is one named metric with its help text.
type metricFamily interface {
	write(b *bytes.Buffer)
}

// counterVec is a counter per label value.
type counterVec struct {
	name, help, label string
	mu                sync.Mutex
	vals              map[string]float64
}

func (v *counterVec) add(label string, d float64) {
	v.mu.Lock()
	v.vals[label] += d
	v.mu.Unlock()
}

func (v *counterVec) get(label string) float64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.vals[label]
}

func (v *counterVec) write(b *bytes.Buffer) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s counter\n", v.name, v.help, v.name)
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, k := range sortedMapKeys(v.vals) {
		fmt.Fprintf(b, "%s{%s=%s} %s\n", v.name, v.label, strconv.Quote(k), fmtFloat(v.vals[k]))
	}
}

// gauge is a single value that goes up and down.
type gauge struct {
	name, help string
	v          atomic.Int64
}

func (g *gauge) write(b *bytes.Buffer) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", g.name, g.help, g.name, g.name, g.v.Load())
}

// histogramVec is a histogram per label set (label values joined by \xff).
type histogramVec struct {
	name, help string
	labels     []string
	buckets    []float64
	mu         sync.Mutex
	series     map[string]*histogram
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	count  uint64
	sum    float64
}

func (h *histogramVec) observe(v float64, labels ...string) {
	key := strings.Join(labels, "\xff")
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.series[key]
	if s == nil {
		s = &histogram{counts: make([]uint64, len(h.buckets))}
		h.series[key] = s
	}
	if i := sort.SearchFloat64s(h.buckets, v); i < len(h.buckets) {
		s.counts[i]++
	}
	s.count++
	s.sum += v
}

func (h *histogramVec) write(b *bytes.Buffer) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s histogram\n", h.name, h.help, h.name)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, key := range sortedMapKeys(h.series) {
		s := h.series[key]
		var lbl strings.Builder
		if len(h.labels) > 0 {
			for i, v := range strings.Split(key, "\xff") {
				fmt.Fprintf(&lbl, "%s=%s,", h.labels[i], strconv.Quote(v))
			}
		}
		var cum uint64
		for i, ub := range h.buckets {
			cum += s.counts[i]
			fmt.Fprintf(b, "%s_bucket{%sle=\"%s\"} %d\n", h.name, lbl.String(), fmtFloat(ub), cum)
		}
		fmt.Fprintf(b, "%s_bucket{%sle=\"+Inf\"} %d\n", h.name, lbl.String(), s.count)
		l := strings.TrimSuffix(lbl.String(), ",")
		if l != "" {
			l = "{" + l + "}"
		}
		fmt.Fprintf(b, "%s_sum%s %s\n%s_count%s %d\n", h.name, l, fmtFloat(s.sum), h.name, l, s.count)
	}
}

func sortedMapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func fmtFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// metrics are the metrics a Server keeps.
type metrics struct {
	stored   *counterVec
	replayed *counterVec
	flagged  *counterVec
	rejected *counterVec
	latency  *histogramVec
	inflight *gauge
	commit   *histogramVec
	batch    *histogramVec
	all      []metricFamily
}

var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

func newMetrics() *metrics {
	cv := func(name, help, label string) *counterVec {
		return &counterVec{name: name, help: help, label: label, vals: map[string]float64{}}
	}
	m := &metrics{
		stored:   cv("sipas_submissions_stored_total", "Submissions acknowledged to the citizen after their commit, by channel (web, kiosk, api).", "channel"),
		replayed: cv("sipas_submissions_replayed_total", "API submissions answered as replays of an earlier submission_id, by channel.", "channel"),
		flagged:  cv("sipas_submissions_flagged_total", "Submissions stored but flagged and left out of the indices, by reason (honeypot, rate_limited).", "reason"),
		rejected: cv("sipas_submissions_rejected_total", "Submissions refused, by reason (invalid, bad_token, gone_token, too_large, bad_content_type, rate_limited, unavailable).", "reason"),
		latency: &histogramVec{name: "sipas_http_request_duration_seconds", help: "HTTP request latency by method and route.",
			labels: []string{"method", "route", "status_class"}, buckets: latencyBuckets, series: map[string]*histogram{}},
		inflight: &gauge{name: "sipas_http_requests_in_flight", help: "HTTP requests being served."},
		commit: &histogramVec{name: "sipas_db_commit_duration_seconds", help: "Duration of each batch commit of responses (including fsync).",
			buckets: latencyBuckets, series: map[string]*histogram{}},
		batch: &histogramVec{name: "sipas_db_commit_batch_size", help: "Responses per batch commit.",
			buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}, series: map[string]*histogram{}},
	}
	m.all = []metricFamily{m.stored, m.replayed, m.flagged, m.rejected, m.latency, m.inflight, m.commit, m.batch}
	return m
}

// ObserveCommit records one batch commit of n responses that took d. Set it
// as the database's OnCommit hook.
func (s *Server) ObserveCommit(d time.Duration, n int) {
	s.metrics.commit.observe(d.Seconds())
	s.metrics.batch.observe(float64(n))
}

func (s *Server) handleMetrics(c *gin.Context) {
	var b bytes.Buffer
	for _, f := range s.metrics.all {
		f.write(&b)
	}
	c.Header("Cache-Control", "no-store")
	writeBody(c, http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", b.Bytes())
}

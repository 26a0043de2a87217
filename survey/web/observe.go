package web

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// observe is the outermost middleware: it gives each request an id, counts
// it in the metrics and logs one structured line for it. The line holds the
// route pattern (never the path with its token), the status and the
// duration; no address, header or body of the client is logged.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	s.metrics.inflight.v.Add(1)
	defer s.metrics.inflight.v.Add(-1)
	var b [8]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Header("X-Request-Id", id)
	c.Next()

	d := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	s.metrics.latency.observe(d.Seconds(), c.Request.Method, route, strconv.Itoa(status/100)+"xx")
	if c.Request.Method == http.MethodPost && (route == "/s/:token" || route == "/api/v1/responses") {
		s.countSubmission(c, status)
	}
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case route == "/healthz" || route == "/readyz" || route == "/metrics":
		level = slog.LevelDebug
	}
	s.log.LogAttrs(c.Request.Context(), level, "request",
		slog.String("id", id),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
	)
}

// countSubmission counts the outcome of a submission request.
func (s *Server) countSubmission(c *gin.Context, status int) {
	ch := c.GetString(ctxChannel) // set by admit, just before storing
	switch {
	case ch != "" && (status == http.StatusCreated || status == http.StatusSeeOther):
		s.metrics.stored.add(ch, 1)
		if f := c.GetString(ctxFlag); f != "" {
			s.metrics.flagged.add(f, 1)
		}
	case ch != "" && status == http.StatusOK:
		s.metrics.replayed.add(ch, 1)
	case status >= 400:
		s.metrics.rejected.add(rejectReason(status), 1)
	}
}

func rejectReason(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return "invalid"
	case http.StatusNotFound:
		return "bad_token"
	case http.StatusGone:
		return "gone_token"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnsupportedMediaType:
		return "bad_content_type"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	return "other"
}

package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// observe is the outermost middleware: it gives each request an id, counts
// it in the metrics and logs one structured line for it. The line holds the
// route pattern (never the path with its token), the method (cut short when
// it is not a standard one), the status and the duration; no address,
// header or body of the client is logged.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	done := s.metrics.InFlight()
	defer done()
	var b [8]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Header(httpx.RequestIDHeader, id)
	c.Next()

	d := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	s.metrics.Request(c.Request.Method, route, status, d)
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
	s.deps.Log.LogAttrs(c.Request.Context(), level, "request",
		slog.String("id", id),
		slog.String("method", httpx.Method(c)),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
	)
}

// countSubmission counts the outcome of a submission request: new
// ratings, replays of stored ones and submission ids reused for another
// rating (409) each in their own series.
func (s *Server) countSubmission(c *gin.Context, status int) {
	ch, flag := httpx.Submission(c) // set just before storing
	switch {
	case ch != "" && (status == http.StatusOK || status == http.StatusSeeOther && httpx.Replay(c)):
		s.metrics.Replayed(ch)
	case ch != "" && (status == http.StatusCreated || status == http.StatusSeeOther):
		s.metrics.Stored(ch)
		if flag != "" {
			s.metrics.Flagged(flag)
		}
	case ch != "" && status == http.StatusConflict:
		s.metrics.Conflicted(ch)
	case status >= 400:
		s.metrics.Rejected(rejectReason(status))
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
	case http.StatusConflict:
		return "conflict"
	}
	return "other"
}

// warnUntrustedProxy logs once, at WARN, that requests arrive with
// X-Forwarded-For from a peer that is not in --trusted-proxy: behind a
// reverse proxy that is a missing flag, and every client then has the
// proxy's address, so the sign-in throttle and the rate limit lump them
// together. The address is not logged (no client address is).
func (s *Server) warnUntrustedProxy(c *gin.Context) {
	if !s.proxyWarned.Load() && httpx.ForwardedByUntrusted(c.Request, s.cfg.TrustedProxies) && s.proxyWarned.CompareAndSwap(false, true) {
		s.deps.Log.Warn("requests carry X-Forwarded-For from a peer that is not a trusted proxy, so the header is ignored: " +
			"behind a reverse proxy, start sipas serve with --trusted-proxy set to the proxy's address (e.g. --trusted-proxy 127.0.0.1,::1), " +
			"otherwise every client shares the proxy's address for the sign-in throttle and the rate limit")
	}
	c.Next()
}

// recoverer turns a panic into a logged 500 instead of a dropped
// connection.
func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.deps.Log.Error("panic", "id", httpx.RequestID(c), "route", c.FullPath(), "panic", v)
			if !c.Writer.Written() {
				s.fail(c, httpx.Errorf(http.StatusInternalServerError, "internal error"))
			}
			c.Abort()
		}
	}()
	c.Next()
}

func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if strings.HasPrefix(s.cfg.BaseURL, "https://") {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// limitBody caps every request body; handlers that read more see an error
// and answer 413.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		limit := s.cfg.MaxBody
		if httpx.CSVUpload(c.Request.URL.Path) {
			limit = s.cfg.MaxImportBody
		}
		if c.Request.ContentLength > limit {
			s.fail(c, httpx.Errorf(http.StatusRequestEntityTooLarge, "request body too large"))
			c.Abort()
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}

func (s *Server) handleHealth(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.String(http.StatusOK, "ok\n")
}

func (s *Server) handleReady(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	c.Header("Cache-Control", "no-store")
	if err := s.deps.Store.Ping(ctx); err != nil {
		s.deps.Log.Error("readiness", "id", httpx.RequestID(c), "err", err)
		c.String(http.StatusServiceUnavailable, "database unavailable\n")
		return
	}
	c.String(http.StatusOK, "ready\n")
}

func (s *Server) handleStatic(c *gin.Context) {
	name := path.Base(c.Param("file"))
	b, ok := s.static[name]
	if !ok || strings.HasSuffix(name, ".go") {
		s.notFound(c)
		return
	}
	ct := "application/octet-stream"
	switch path.Ext(name) {
	case ".css":
		ct = "text/css; charset=utf-8"
	case ".svg":
		ct = "image/svg+xml"
	case ".js":
		ct = "text/javascript; charset=utf-8"
	}
	c.Header("Cache-Control", "public, max-age=86400")
	httpx.WriteBody(c, http.StatusOK, ct, b)
}

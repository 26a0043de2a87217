// Package web is the HTTP side of sipas: the citizen's survey form, QR codes
// and posters, and the JSON API. It is the only package that imports Gin;
// it reaches storage only through the interfaces of package survey.
package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// Store is everything the web layer needs from storage.
type Store interface {
	survey.AgencyStore
	survey.ResponseStore
	survey.UserStore
	survey.StatsStore
	survey.ReviewStore
	survey.AuditStore
	survey.SessionStore
	survey.DashboardStore
	Ping(ctx context.Context) error
}

// Config holds the server's settings.
type Config struct {
	// BaseURL is the public URL of the server, used in survey URLs and QR
	// codes (e.g. https://hailong.example.gov.vn).
	BaseURL string
	// MaxBody caps request bodies (default 64 KiB); CSV imports get
	// MaxImportBody (default 8 MiB).
	MaxBody       int64
	MaxImportBody int64
	// KioskDelay is how long the kiosk thank-you page shows (default 8 s).
	KioskDelay time.Duration
	// RateLimit is how many submissions one client may make at one counter
	// in an hour before further ones are flagged (0: no limit); past
	// HardCapFactor times it they get 429. IPHashSecret keys the daily
	// client hashes; TrustedProxies are the peers whose X-Forwarded-For is
	// believed (ratelimit.go).
	RateLimit      int
	IPHashSecret   []byte
	TrustedProxies []netip.Prefix
	// Scoring sets the confidence level and the reporting rules; Adjust the
	// multiplicity adjustment ("holm", the default, or "bh").
	Scoring scoring.Options
	Adjust  string
}

// Server serves sipas over HTTP.
type Server struct {
	cfg         Config
	store       Store
	instruments *survey.Instruments
	signer      *survey.Signer
	log         *slog.Logger
	pages       *pages
	auth        *basicAuth
	csp         string
	now         func() time.Time
	limiter     *rateLimiter
	metrics     *metrics
	reports     *report.Service
	dash        *dashState
}

// New returns a Server. The signer must be built from the database's token
// secret.
func New(cfg Config, store Store, reg *survey.Instruments, signer *survey.Signer, log *slog.Logger) (*Server, error) {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 64 << 10
	}
	if cfg.MaxImportBody <= 0 {
		cfg.MaxImportBody = 8 << 20
	}
	if cfg.KioskDelay <= 0 {
		cfg.KioskDelay = 8 * time.Second
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if log == nil {
		log = slog.Default()
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(p.surveyCSS))
	s := &Server{
		cfg: cfg, store: store, instruments: reg, signer: signer, log: log, pages: p,
		auth: newBasicAuth(store),
		reports: &report.Service{Agencies: store, Stats: store, Instruments: reg,
			Options: cfg.Scoring, Adjust: cfg.Adjust},
		now:     time.Now,
		limiter: newRateLimiter(cfg.RateLimit, cfg.IPHashSecret),
		metrics: newMetrics(),
		dash:    newDashState(),
		csp: "default-src 'none'; style-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
			"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	}
	return s, nil
}

// Handler returns the HTTP handler with every route. Routes are listed here,
// top to bottom.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(s.observe, s.recoverer, s.securityHeaders, s.limitBody)
	r.NoRoute(func(c *gin.Context) { s.notFound(c) })
	r.NoMethod(func(c *gin.Context) { s.fail(c, http.StatusMethodNotAllowed, "method not allowed") })

	r.GET("/healthz", s.handleHealth)
	r.GET("/readyz", s.handleReady)
	r.GET("/metrics", s.handleMetrics)
	r.GET("/static/*file", s.handleStatic)
	r.GET("/favicon.ico", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/static/favicon.svg") })

	// The citizen's side: public, addressed by a signed counter token.
	r.GET("/s/:token", s.handleSurveyShow)
	r.POST("/s/:token", s.handleSurveySubmit)
	r.GET("/s/:token/thanks", s.handleSurveyThanks)
	r.POST("/s/:token/more", s.handleSurveyMore)
	r.GET("/s/:token/qr.png", s.handleQRPNG)
	r.GET("/s/:token/qr.svg", s.handleQRSVG)
	r.GET("/s/:token/poster", s.handlePoster)

	// The JSON API.
	api := r.Group("/api/v1")
	api.POST("/responses", s.handleResponseCreate)
	authed := api.Group("", s.requireBasic)
	authed.GET("/agencies", s.handleAgencyList)
	authed.POST("/agencies", s.requireAdmin, s.handleAgencyCreate)
	authed.POST("/agencies/import", s.requireAdmin, s.handleAgencyImport)
	authed.POST("/counters/import", s.requireAdmin, s.handleCounterImport)
	authed.GET("/agencies/:code", s.handleAgencyGet)
	authed.PATCH("/agencies/:code", s.requireAdmin, s.handleAgencyUpdate)
	authed.GET("/agencies/:code/counters", s.handleCounterList)
	authed.POST("/agencies/:code/counters", s.requireAdmin, s.handleCounterCreate)
	authed.GET("/agencies/:code/counters/:counter", s.handleCounterGet)
	authed.PATCH("/agencies/:code/counters/:counter", s.requireAdmin, s.handleCounterUpdate)
	authed.POST("/agencies/:code/counters/:counter/rotate", s.requireAdmin, s.handleCounterRotate)
	authed.GET("/scores", s.handleScores)
	authed.GET("/scores/children", s.handleScoresChildren)
	authed.GET("/scores/trend", s.handleScoresTrend)
	authed.GET("/flagged", s.requireAdmin, s.handleFlaggedList)
	authed.POST("/flagged/:id/accept", s.requireAdmin, s.handleFlaggedAccept)
	authed.POST("/flagged/:id/reject", s.requireAdmin, s.handleFlaggedReject)
	authed.GET("/audit", s.requireAdmin, s.handleAuditList)

	// The officials' dashboard: session cookie, CSRF token on every form.
	r.GET("/login", s.handleLoginShow)
	r.POST("/login", s.handleLogin)
	dash := r.Group("", s.requireSession, s.requireCSRF)
	dash.POST("/logout", s.handleLogout)
	dash.GET("/account/password", s.handlePasswordShow)
	dash.POST("/account/password", s.handlePassword)
	dash.GET("/dashboard", s.handleDashboardHome)
	dash.GET("/dashboard/overview/:code", s.handleOverview)
	dash.GET("/dashboard/overview/:code/export.csv", s.handleOverviewExport)
	dash.GET("/dashboard/overview/:code/export.xlsx", s.handleOverviewExport)
	dash.GET("/dashboard/agency/:code", s.handleAgencyPage)
	dash.GET("/dashboard/agency/:code/export.csv", s.handleAgencyExport)
	dash.GET("/dashboard/agency/:code/export.xlsx", s.handleAgencyExport)
	dash.GET("/dashboard/agency/:code/responses.csv", s.requireDashAdmin, s.handleResponsesExport)
	dash.GET("/dashboard/agency/:code/posters", s.handleAgencyPosters)
	dash.POST("/dashboard/agency/:code/counters", s.requireDashAdmin, s.handleDashCounterCreate)
	dash.POST("/dashboard/agency/:code/counters/:counter", s.requireDashAdmin, s.handleDashCounterAction)
	dash.GET("/dashboard/users", s.requireDashAdmin, s.handleDashUsers)
	dash.POST("/dashboard/users", s.requireDashAdmin, s.handleDashUserCreate)
	dash.POST("/dashboard/users/:name", s.requireDashAdmin, s.handleDashUserAction)

	// Printable posters of every counter of an agency.
	r.GET("/agencies/:code/posters", s.requireBasic, s.handleAgencyPosters)
	return r
}

func (s *Server) handleHealth(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.String(http.StatusOK, "ok\n")
}

func (s *Server) handleReady(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	c.Header("Cache-Control", "no-store")
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("readiness", "err", err)
		c.String(http.StatusServiceUnavailable, "database unavailable\n")
		return
	}
	c.String(http.StatusOK, "ready\n")
}

// recoverer turns a panic into a logged 500 instead of a dropped connection.
func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "id", c.Writer.Header().Get("X-Request-Id"), "route", c.FullPath(), "panic", v)
			if !c.Writer.Written() {
				s.fail(c, http.StatusInternalServerError, "internal error")
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
		if strings.HasSuffix(c.Request.URL.Path, "/import") {
			limit = s.cfg.MaxImportBody
		}
		if c.Request.ContentLength > limit {
			s.fail(c, http.StatusRequestEntityTooLarge, "request body too large")
			c.Abort()
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}

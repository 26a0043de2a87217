// Package web is the HTTP side of sipas. It builds the four audiences'
// handlers and mounts them in one route table (Handler, below), with the
// middleware every request goes through:
//
//   - citizen: the public survey form, thank-you and follow-up pages, kiosk
//     mode, QR codes and posters, addressed by a signed counter token;
//   - api: the JSON API under /api/v1 with HTTP Basic credentials;
//   - dashboard: the officials' pages with sessions and CSRF tokens;
//   - public: the published agencies' results pages, for anyone.
//
// No audience package imports another; what they share lives in
// survey/web/internal, and every domain rule in package survey.
package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/static"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/api"
	"github.com/sipas/sipas/survey/web/citizen"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/web/internal/metrics"
	"github.com/sipas/sipas/survey/web/internal/poster"
	"github.com/sipas/sipas/survey/web/internal/render"
	"github.com/sipas/sipas/survey/web/public"
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
	survey.DossierStore
	survey.PlanStore
	survey.ReorgStore
	integrity.ConfigStore
	report.IntegritySource
	survey.AlertStore
	survey.WebhookStore
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
	// RateLimit is how many submissions one client may have counted at one
	// counter in a burst, then per hour sustained (a draining bucket, so at
	// most 2×RateLimit−1 in any 60 minutes), before further ones are flagged
	// (0: no limit), and
	// survey.DailyFactor times it a day; past survey.HardCapFactor times it
	// in an hour they get 429 (see survey.RateLimiter). IPHashSecret keys the
	// daily client hashes; TrustedProxies are the peers whose
	// X-Forwarded-For is believed.
	RateLimit      int
	IPHashSecret   []byte
	TrustedProxies []netip.Prefix
	// Scoring sets the confidence level and the reporting rules; Adjust the
	// multiplicity adjustment ("holm", the default, or "bh").
	Scoring scoring.Options
	Adjust  string
	// LowResponseRate is the response rate (respondents ÷ dossiers, a
	// ratio) below which the dashboard highlights an index (0: 5 %).
	LowResponseRate float64
	// WebhookAllowPrivate lets webhooks point to loopback and private
	// addresses (--webhook-allow-private).
	WebhookAllowPrivate bool
}

// Deps are the server's collaborators.
type Deps struct {
	Store       Store
	Instruments *survey.Instruments
	// Signer must be built from the database's token secret.
	Signer *survey.Signer
	Log    *slog.Logger
	// Now is the clock (time.Now when nil); tests set their own.
	Now func() time.Time
}

// Server serves sipas over HTTP.
type Server struct {
	cfg     Config
	deps    Deps
	csp     string
	static  map[string][]byte // name → content
	enc     *render.Encoder
	metrics *metrics.Metrics
	citizen *citizen.Handler
	api     *api.Handler
	dash    *dashboard.Handler
	public  *public.Handler
	// proxyWarned is set once the missing --trusted-proxy was logged.
	proxyWarned atomic.Bool
}

// New returns a Server; it parses and checks every page's templates.
func New(cfg Config, d Deps) (*Server, error) {
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
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	files, err := staticFiles()
	if err != nil {
		return nil, err
	}
	css := strings.TrimSpace(string(files["survey.css"]))
	sum := sha256.Sum256([]byte(css))
	posters, err := poster.New(cfg.BaseURL, d.Signer)
	if err != nil {
		return nil, err
	}
	reports := &report.Service{Agencies: d.Store, Stats: d.Store, Volumes: d.Store, Plans: d.Store, Reorg: d.Store, Instruments: d.Instruments, Options: cfg.Scoring, Adjust: cfg.Adjust}
	auth := survey.NewAuthenticator(d.Store)
	throttle := survey.NewLoginThrottle()
	limiter := survey.NewRateLimiter(cfg.RateLimit, cfg.IPHashSecret)
	// The public results page inlines the citizen's stylesheet and its own
	// rules, under a hash of its own in the CSP.
	pubCSS := css + "\n" + strings.TrimSpace(string(files["public.css"]))
	pubSum := sha256.Sum256([]byte(pubCSS))
	csp := "default-src 'none'; style-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "' 'sha256-" + base64.StdEncoding.EncodeToString(pubSum[:]) + "'; " +
		"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	// Kiosk forms alone run a script (static/kiosk.js), which posts.
	kioskCSP := csp + "; script-src 'self'; connect-src 'self'"
	cz, err := citizen.New(citizen.Deps{Store: d.Store, Instruments: d.Instruments, Signer: d.Signer, Limiter: limiter,
		Posters: posters, Log: d.Log, Now: d.Now, CSS: css, KioskDelay: cfg.KioskDelay, KioskCSP: kioskCSP, TrustedProxies: cfg.TrustedProxies})
	if err != nil {
		return nil, err
	}
	dash, err := dashboard.New(dashboard.Deps{Store: d.Store, Instruments: d.Instruments, Signer: d.Signer, Reports: reports,
		Auth: auth, Throttle: throttle, Posters: posters, Log: d.Log, Now: d.Now, BaseURL: cfg.BaseURL, TrustedProxies: cfg.TrustedProxies,
		LowResponseRate: cfg.LowResponseRate, WebhookAllowPrivate: cfg.WebhookAllowPrivate})
	if err != nil {
		return nil, err
	}
	pub, err := public.New(public.Deps{Reports: reports, Instruments: d.Instruments, Log: d.Log, Now: d.Now, CSS: pubCSS})
	if err != nil {
		return nil, err
	}
	return &Server{
		cfg: cfg, deps: d, static: files, enc: &render.Encoder{}, metrics: metrics.New(),
		citizen: cz, dash: dash, public: pub,
		api: api.New(api.Deps{Store: d.Store, Instruments: d.Instruments, Signer: d.Signer, Reports: reports, Auth: auth,
			Throttle: throttle, Limiter: limiter, Posters: posters, Log: d.Log, Now: d.Now, BaseURL: cfg.BaseURL,
			TrustedProxies: cfg.TrustedProxies, WebhookAllowPrivate: cfg.WebhookAllowPrivate}),
		csp: csp,
	}, nil
}

func staticFiles() (map[string][]byte, error) {
	out := map[string][]byte{}
	names, err := fs.Glob(static.Files, "*")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		b, err := fs.ReadFile(static.Files, n)
		if err != nil {
			return nil, err
		}
		out[n] = b
	}
	return out, nil
}

// ObserveCommit records one batch commit of n responses that took d. Set it
// as the database's OnCommit hook.
func (s *Server) ObserveCommit(d time.Duration, n int) { s.metrics.ObserveCommit(d, n) }

// ParseCIDRs parses a comma-separated list of CIDR prefixes or single
// addresses (for --trusted-proxy).
func ParseCIDRs(v string) ([]netip.Prefix, error) { return httpx.ParseCIDRs(v) }

// Handler returns the HTTP handler with every route. Routes are listed here,
// top to bottom; each names its audience's handler.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	cz, ap, da, pb := s.citizen, s.api, s.dash, s.public
	r.Use(s.observe, s.recoverer, s.warnUntrustedProxy, httpx.UseEncoder(s.enc), s.securityHeaders, s.limitBody)
	r.NoRoute(s.notFound)
	r.NoMethod(s.methodNotAllowed)

	get(r, "/healthz", s.handleHealth)
	get(r, "/readyz", s.handleReady)
	get(r, "/metrics", gin.WrapH(s.metrics.Handler()))
	get(r, "/static/*file", s.handleStatic)
	get(r, "/favicon.ico", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/static/favicon.svg") })

	// The citizen's side (package citizen): public, addressed by a signed
	// counter token.
	get(r, "/s/:token", cz.Wrap(cz.SurveyShow))
	r.POST("/s/:token", cz.Wrap(cz.SurveySubmit))
	get(r, "/s/:token/thanks", cz.Wrap(cz.SurveyThanks))
	r.POST("/s/:token/more", cz.Wrap(cz.SurveyMore))
	get(r, "/s/:token/qr.png", cz.Wrap(cz.QRPNG))
	get(r, "/s/:token/qr.svg", cz.Wrap(cz.QRSVG))
	get(r, "/s/:token/poster", cz.Wrap(cz.Poster))
	// A dossier's print block (SVG), served by package api beside the
	// registration that names it (slip_url).
	get(r, "/s/:token/slip", ap.Wrap(ap.DossierSlip))

	// The public results pages (package public): no sign-in, only the
	// agencies an admin has published.
	get(r, "/p/:code", pb.Wrap(pb.Results))

	// The JSON API (package api). Submissions are public, like the form,
	// and so are the published agencies' results; everything else needs
	// HTTP Basic credentials.
	v1 := r.Group("/api/v1")
	v1.POST("/responses", ap.Wrap(ap.ResponseCreate))
	get(v1, "/public/scores", ap.Wrap(ap.PublicScores))
	basic := v1.Group("", ap.RequireBasic)
	// Integration accounts (the one-stop software) register dossiers and
	// volumes and read nothing: every other route refuses them.
	authed := basic.Group("", ap.RequireSee)
	admin := authed.Group("", ap.RequireAdmin)
	register := basic.Group("", ap.RequireRegister)
	register.POST("/dossiers", ap.Wrap(ap.DossierRegister))
	register.POST("/dossiers/import", ap.Wrap(ap.DossierImport))
	register.POST("/dossiers/slips", ap.Wrap(ap.DossierSlips))
	// The code is the rest of the path (it may hold '/', as is or %2F).
	register.PATCH("/dossiers/*code", ap.Wrap(ap.DossierUpdate))
	register.POST("/volumes/import", ap.Wrap(ap.VolumeImport))
	authed.GET("/agencies", ap.Wrap(ap.AgencyList))
	admin.POST("/agencies", ap.Wrap(ap.AgencyCreate))
	admin.POST("/agencies/import", ap.Wrap(ap.AgencyImport))
	admin.POST("/counters/import", ap.Wrap(ap.CounterImport))
	// Reorganisations: a move is a PATCH of the agency's parent; mergers,
	// splits and whole CSV reorganisations have their own URLs.
	admin.POST("/agencies/merge", ap.Wrap(ap.AgencyMerge))
	admin.POST("/agencies/split", ap.Wrap(ap.AgencySplit))
	admin.POST("/agencies/reorganise", ap.Wrap(ap.AgencyReorganise))
	authed.GET("/agencies/:code", ap.Wrap(ap.AgencyGet))
	admin.PATCH("/agencies/:code", ap.Wrap(ap.AgencyUpdate))
	authed.GET("/agencies/:code/lineage", ap.Wrap(ap.AgencyLineage))
	authed.GET("/agencies/:code/counters", ap.Wrap(ap.CounterList))
	admin.POST("/agencies/:code/counters", ap.Wrap(ap.CounterCreate))
	authed.GET("/agencies/:code/counters/:counter", ap.Wrap(ap.CounterGet))
	admin.PATCH("/agencies/:code/counters/:counter", ap.Wrap(ap.CounterUpdate))
	admin.POST("/agencies/:code/counters/:counter/rotate", ap.Wrap(ap.CounterRotate))
	admin.POST("/agencies/:code/counters/:counter/rotate-kiosk", ap.Wrap(ap.CounterRotateKiosk))
	authed.GET("/agencies/:code/hours", ap.Wrap(ap.AgencyHours))
	admin.PUT("/agencies/:code/hours", ap.Wrap(ap.AgencyHoursSet))
	authed.GET("/holidays", ap.Wrap(ap.Holidays))
	admin.PUT("/holidays", ap.Wrap(ap.HolidaysSet))
	authed.GET("/scores", ap.Wrap(ap.Scores))
	authed.GET("/scores/children", ap.Wrap(ap.ScoresChildren))
	authed.GET("/scores/trend", ap.Wrap(ap.ScoresTrend))
	authed.GET("/integrity", ap.Wrap(ap.Integrity))
	admin.GET("/flagged", ap.Wrap(ap.FlaggedList))
	admin.POST("/flagged/:id/accept", ap.Wrap(ap.FlaggedAccept))
	admin.POST("/flagged/:id/reject", ap.Wrap(ap.FlaggedReject))
	admin.GET("/audit", ap.Wrap(ap.AuditList))
	// Improvement plans, their tasks and periodic reports. Who may do what
	// depends on the plan's agency and the task's responsible unit, so the
	// handlers check it (survey.CanEditPlan, CanReadPlan, CanUpdateTask).
	authed.POST("/plans", ap.Wrap(ap.PlanCreate))
	authed.GET("/plans", ap.Wrap(ap.PlanList))
	authed.GET("/plans/:id", ap.Wrap(ap.PlanGet))
	authed.PATCH("/plans/:id", ap.Wrap(ap.PlanUpdate))
	authed.POST("/plans/:id/tasks", ap.Wrap(ap.TaskCreate))
	authed.GET("/plans/:id/tasks", ap.Wrap(ap.TaskList))
	authed.GET("/plans/:id/tasks/:tid", ap.Wrap(ap.TaskGet))
	authed.PATCH("/plans/:id/tasks/:tid", ap.Wrap(ap.TaskUpdate))
	authed.GET("/plans/:id/tasks/:tid/effect", ap.Wrap(ap.TaskEffect))
	authed.GET("/reports", ap.Wrap(ap.Report))
	authed.GET("/official-results", ap.Wrap(ap.OfficialResultList))
	authed.GET("/alerts", ap.Wrap(ap.AlertList))
	authed.POST("/alerts/:id/ack", ap.Wrap(ap.AlertAck))
	// Webhooks (issue 14).
	admin.POST("/webhooks", ap.Wrap(ap.WebhookCreate))
	admin.GET("/webhooks", ap.Wrap(ap.WebhookList))
	admin.GET("/webhooks/:id", ap.Wrap(ap.WebhookGet))
	admin.DELETE("/webhooks/:id", ap.Wrap(ap.WebhookDelete))
	admin.GET("/webhooks/:id/deliveries", ap.Wrap(ap.WebhookDeliveries))
	admin.POST("/official-results", ap.Wrap(ap.OfficialResultSet))
	// Printable posters of every counter of an agency, for API clients.
	r.GET("/agencies/:code/posters", ap.RequireBasic, ap.RequireSee, ap.Wrap(ap.AgencyPosters))

	// The officials' dashboard (package dashboard): session cookie, CSRF
	// token on every form.
	get(r, "/login", da.Wrap(da.LoginShow))
	r.POST("/login", da.Wrap(da.Login))
	signed := r.Group("", da.RequireSession, da.RequireCSRF)
	dadmin := signed.Group("", da.RequireAdmin)
	signed.POST("/logout", da.Wrap(da.Logout))
	signed.GET("/account/password", da.Wrap(da.PasswordShow))
	signed.POST("/account/password", da.Wrap(da.Password))
	signed.GET("/account/notifications", da.Wrap(da.NotificationsShow))
	signed.POST("/account/notifications", da.Wrap(da.Notifications))
	signed.GET("/dashboard", da.Wrap(da.Home))
	signed.GET("/dashboard/overview/:code", da.Wrap(da.Overview))
	signed.GET("/dashboard/overview/:code/export.csv", da.Wrap(da.OverviewExport))
	signed.GET("/dashboard/overview/:code/export.xlsx", da.Wrap(da.OverviewExport))
	signed.GET("/dashboard/agency/:code", da.Wrap(da.AgencyPage))
	signed.GET("/dashboard/agency/:code/export.csv", da.Wrap(da.AgencyExport))
	signed.GET("/dashboard/agency/:code/export.xlsx", da.Wrap(da.AgencyExport))
	dadmin.GET("/dashboard/agency/:code/responses.csv", da.Wrap(da.ResponsesExport))
	signed.GET("/dashboard/agency/:code/posters", da.Wrap(da.AgencyPosters))
	signed.GET("/dashboard/agency/:code/integrity", da.Wrap(da.IntegrityPage))
	dadmin.POST("/dashboard/agency/:code/counters", da.Wrap(da.CounterCreate))
	dadmin.POST("/dashboard/agency/:code/counters/:counter", da.Wrap(da.CounterAction))
	dadmin.GET("/dashboard/users", da.Wrap(da.Users))
	dadmin.POST("/dashboard/users", da.Wrap(da.UserCreate))
	dadmin.POST("/dashboard/users/:name", da.Wrap(da.UserAction))
	dadmin.GET("/dashboard/flagged", da.Wrap(da.Flagged))
	dadmin.GET("/dashboard/webhooks", da.Wrap(da.Webhooks))
	dadmin.POST("/dashboard/webhooks", da.Wrap(da.WebhookCreate))
	dadmin.POST("/dashboard/webhooks/:id/disable", da.Wrap(da.WebhookDisable))
	dadmin.POST("/dashboard/flagged/:id/accept", da.Wrap(da.FlaggedAccept))
	dadmin.POST("/dashboard/flagged/:id/reject", da.Wrap(da.FlaggedReject))
	signed.GET("/dashboard/alerts", da.Wrap(da.Alerts))
	signed.POST("/dashboard/alerts/:id/ack", da.Wrap(da.AlertAck))
	signed.GET("/dashboard/plans", da.Wrap(da.Plans))
	signed.POST("/dashboard/plans", da.Wrap(da.PlanCreate))
	signed.GET("/dashboard/plans/:id", da.Wrap(da.PlanPage))
	signed.POST("/dashboard/plans/:id", da.Wrap(da.PlanEdit))
	signed.POST("/dashboard/plans/:id/tasks", da.Wrap(da.TaskCreate))
	signed.GET("/dashboard/plans/:id/tasks/:tid", da.Wrap(da.TaskPage))
	signed.POST("/dashboard/plans/:id/tasks/:tid", da.Wrap(da.TaskProgress))
	signed.GET("/dashboard/reports/:code", da.Wrap(da.ReportPage))
	signed.GET("/dashboard/reports/:code/report.xlsx", da.Wrap(da.ReportExport))
	dadmin.POST("/dashboard/agency/:code/official", da.Wrap(da.OfficialResultSet))
	dadmin.POST("/dashboard/agency/:code/public", da.Wrap(da.PublicSet))

	for _, rt := range r.Routes() {
		s.metrics.Routes(rt.Path)
	}
	return r
}

// get mounts a public GET route and answers HEAD on it the same way, without
// the body (net/http drops the body of a HEAD answer).
func get(r gin.IRoutes, path string, h gin.HandlerFunc) {
	r.GET(path, h)
	r.HEAD(path, h)
}

// fail answers an error for a request outside every audience's handlers
// (no route, a middleware refusal): JSON under /api/, else the citizen's
// page, since a URL that matched nothing has no other owner.
func (s *Server) fail(c *gin.Context, err error) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		s.api.Fail(c, err)
		return
	}
	s.citizen.Fail(c, err)
}

func (s *Server) notFound(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		s.api.NotFound(c)
		return
	}
	s.citizen.NotFound(c)
}

func (s *Server) methodNotAllowed(c *gin.Context) {
	s.fail(c, httpx.Errorf(http.StatusMethodNotAllowed, "method not allowed"))
}

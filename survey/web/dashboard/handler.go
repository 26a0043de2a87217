// Package dashboard serves the officials' pages: sign-in and sessions with
// CSRF tokens, the overview league table, each agency's page, counters and
// accounts management, and the CSV/XLSX exports. Errors are answered with
// a page in the dashboard's own layout.
package dashboard

import (
	"embed"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/web/internal/poster"
	"github.com/sipas/sipas/survey/web/internal/render"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Store is what the dashboard needs from storage.
type Store interface {
	survey.AgencyStore
	survey.UserStore
	survey.SessionStore
	survey.DashboardStore
	survey.AuditStore
	// Improvement plans, their tasks and the official yearly results.
	survey.PlanStore
	// The integrity page: the report, and the opening hours and holidays
	// the signals are judged against.
	report.IntegritySource
	integrity.ConfigStore
	// The review of flagged ratings (admins).
	survey.ReviewStore
	// The lineage of a reorganised agency (its predecessors, successors
	// and parents).
	survey.ReorgStore
	// The alerts of the periodic check.
	survey.AlertStore
	// The webhooks page (admins).
	survey.WebhookStore
}

// Deps are the dashboard's collaborators, built by package web.
type Deps struct {
	Store          Store
	Instruments    *survey.Instruments
	Signer         *survey.Signer
	Reports        *report.Service
	Auth           *survey.Authenticator
	Throttle       *survey.LoginThrottle
	Posters        *poster.Maker
	Log            *slog.Logger
	Now            func() time.Time
	BaseURL        string
	TrustedProxies []netip.Prefix
	// LowResponseRate is the response rate (a ratio) below which an index
	// is highlighted; 0 is report.DefaultLowResponseRate.
	LowResponseRate float64
	// WebhookAllowPrivate lets webhooks point to loopback and private
	// addresses.
	WebhookAllowPrivate bool
}

// Handler serves the officials' pages.
type Handler struct {
	Deps
	pages *render.Set
}

// New returns a Handler; it parses and checks the dashboard's templates.
func New(d Deps) (*Handler, error) {
	layout := "templates/layout.html"
	page := func(name, file string, typ any) render.Page {
		return render.Page{Name: name, Files: []string{layout, "templates/" + file}, Type: typ}
	}
	pages, err := render.New(templateFiles,
		page("dash-message", "message.html", (*messagePage)(nil)),
		page("login", "login.html", (*loginPage)(nil)),
		page("password", "password.html", (*passwordPage)(nil)),
		page("notifications", "notifications.html", (*notificationsPage)(nil)),
		page("overview", "overview.html", (*overviewPage)(nil)),
		page("agency", "agency.html", (*agencyPage)(nil)),
		page("integrity", "integrity.html", (*integrityPage)(nil)),
		page("users", "users.html", (*usersPage)(nil)),
		page("flagged", "flagged.html", (*flaggedPage)(nil)),
		page("alerts", "alerts.html", (*alertsPage)(nil)),
		page("plans", "plans.html", (*plansPage)(nil)),
		page("plan", "plan.html", (*planPage)(nil)),
		page("task", "task.html", (*taskPage)(nil)),
		page("report", "report.html", (*reportPage)(nil)),
		page("home", "home.html", (*homePage)(nil)),
		page("webhooks", "webhooks.html", (*webhooksPage)(nil)),
	)
	if err != nil {
		return nil, err
	}
	return &Handler{Deps: d, pages: pages}, nil
}

// Wrap adapts a handler that returns an error: the error is answered with
// a page in the dashboard's layout, and internal errors are logged with the
// request id.
func (h *Handler) Wrap(fn func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			h.Fail(c, err)
		}
	}
}

// Fail answers err with the dashboard's message page.
func (h *Handler) Fail(c *gin.Context, err error) {
	status, msg := httpx.StatusOf(err)
	t := dtr(httpx.Lang(c))
	heading := t.BadRequest
	switch status {
	case http.StatusNotFound:
		heading = t.NotFound
	case http.StatusForbidden:
		heading = t.Forbidden
	case http.StatusConflict:
		heading = t.Conflict
	case http.StatusInternalServerError:
		h.Log.Error("dashboard", "id", httpx.RequestID(c), "method", httpx.Method(c), "route", c.FullPath(), "err", err)
		heading, msg = http.StatusText(status), t.Internal
	}
	c.Header("Cache-Control", "no-store")
	p := &messagePage{dashBase: h.dashBase(c, heading), Heading: heading, Body: msg}
	if rerr := h.render(c, status, "dash-message", p); rerr != nil {
		h.Log.Error("render", "id", httpx.RequestID(c), "route", c.FullPath(), "err", rerr)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
	}
}

func (h *Handler) render(c *gin.Context, status int, name string, data any) error {
	return httpx.Render(c, h.pages, status, name, data)
}

// messagePage is a friendly error or notice page of the dashboard.
type messagePage struct {
	dashBase
	Heading, Body string
}

// fail is the error of a page answered with status and msg.
func fail(status int, msg string) error { return httpx.Errorf(status, "%s", msg) }

// isInternal reports whether err is answered with 500. A form's own
// message (formMessage) never is.
func isInternal(err error) bool {
	var he *httpx.Error
	var fm formMessage
	return !errors.As(err, &he) && !errors.As(err, &fm) && httpx.Status(survey.ErrorCode(err)) == http.StatusInternalServerError
}

// RequireAdmin lets only admins through, with a dashboard 403 page.
func (h *Handler) RequireAdmin(c *gin.Context) {
	if !httpx.IsAdmin(c) {
		h.Fail(c, fail(http.StatusForbidden, dtr(httpx.Lang(c)).ForbiddenBody))
		c.Abort()
		return
	}
	c.Next()
}

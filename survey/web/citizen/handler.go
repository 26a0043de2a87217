// Package citizen serves the citizen's side of sipas: the survey form and
// its thank-you and follow-up pages, kiosk mode, the counter's QR codes and
// poster, and the form of a registered dossier (rated once). It is public:
// a signed counter or dossier token in the URL is the only key, and errors
// are answered with a short page in the citizen's language.
package citizen

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/web/internal/poster"
	"github.com/sipas/sipas/survey/web/internal/render"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Store is what the citizen's side needs from storage.
type Store interface {
	survey.CounterFinder
	StoreResponse(ctx context.Context, s *survey.Submission) (survey.Result, error)
	AddFollowup(ctx context.Context, submissionID string, counterID int64, followup int, comment string, window time.Duration) error
	// Calendar is the agency's opening hours, for the kiosk rule of
	// integrity.AtSubmission.
	Calendar(ctx context.Context, agencyID int64) (*integrity.Calendar, error)
}

// Deps are the citizen side's collaborators, built by package web.
type Deps struct {
	Store       Store
	Instruments *survey.Instruments
	Signer      *survey.Signer
	Limiter     *survey.RateLimiter
	Posters     *poster.Maker
	Log         *slog.Logger
	Now         func() time.Time
	// CSS is the stylesheet inlined into every page, trimmed (a slow first
	// visit needs one request, not two; the CSP names its hash).
	CSS string
	// KioskDelay is how long the kiosk thank-you page shows.
	KioskDelay time.Duration
	// KioskCSP is the Content-Security-Policy of kiosk forms: the
	// server's, with the kiosk's script (from 'self') and its posts.
	KioskCSP string
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
}

// Handler serves the citizen's pages.
type Handler struct {
	Deps
	pages *render.Set
	forms formCache // fresh forms, rendered once per page
}

// New returns a Handler; it parses and checks the citizen's templates.
func New(d Deps) (*Handler, error) {
	pages, err := render.New(templateFiles,
		render.Page{Name: "survey", Files: []string{"templates/layout.html", "templates/survey.html"}, Type: (*surveyPage)(nil)},
		render.Page{Name: "message", Files: []string{"templates/layout.html", "templates/message.html"}, Type: (*messagePage)(nil)},
	)
	if err != nil {
		return nil, err
	}
	return &Handler{Deps: d, pages: pages}, nil
}

// Templates returns the citizen's template files (for tests and checks).
func Templates() fs.FS { return templateFiles }

// pageError is an error answered with a page of its own heading and body.
type pageError struct {
	status        int
	heading, body string
}

func (e *pageError) Error() string { return e.heading }

// Wrap adapts a handler that returns an error: the error is answered with
// a citizen's page, and internal errors are logged with the request id.
func (h *Handler) Wrap(fn func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			h.Fail(c, err)
		}
	}
}

// Fail answers err with a short page in the citizen's language.
func (h *Handler) Fail(c *gin.Context, err error) {
	lang := httpx.Lang(c)
	var pe *pageError
	if errors.As(err, &pe) {
		h.message(c, pe.status, lang, pe.heading, pe.body)
		return
	}
	status, msg := httpx.StatusOf(err)
	if status == http.StatusInternalServerError {
		h.Log.Error("request failed", "id", httpx.RequestID(c), "method", httpx.Method(c), "route", c.FullPath(), "err", err)
	}
	h.message(c, status, lang, http.StatusText(status), msg)
}

// NotFound answers a page that does not exist.
func (h *Handler) NotFound(c *gin.Context) {
	t := tr(httpx.Lang(c))
	h.Fail(c, &pageError{http.StatusNotFound, t.NotFoundTitle, t.NotFoundBody})
}

// message renders the message page; a failure to render is answered in
// plain text.
func (h *Handler) message(c *gin.Context, status int, lang, heading, body string) {
	if err := h.render(c, status, "message", h.messagePage(lang, heading, body)); err != nil {
		h.Log.Error("render", "id", httpx.RequestID(c), "route", c.FullPath(), "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
	}
}

func (h *Handler) render(c *gin.Context, status int, name string, data any) error {
	return httpx.Render(c, h.pages, status, name, data)
}

type basePage struct {
	Lang    string
	Title   string
	CSS     template.CSS
	Refresh string
	T       *texts
}

type messagePage struct {
	basePage
	Heading, Body, Footer string
	AgainURL, AgainLabel  string
	More                  *moreView
}

func (h *Handler) base(lang, title string) basePage {
	return basePage{Lang: lang, Title: title, CSS: template.CSS(h.CSS), T: tr(lang)}
}

func (h *Handler) messagePage(lang, heading, body string) *messagePage {
	return &messagePage{basePage: h.base(lang, heading), Heading: heading, Body: body, Footer: tr(lang).Privacy}
}

// resolve checks the token of the request and finds its counter or
// dossier; an invalid, rotated or closed one is answered with a polite
// page.
func (h *Handler) resolve(c *gin.Context, token string) (*survey.Target, error) {
	tg, err := survey.ResolveToken(c.Request.Context(), h.Signer, h.Store, h.Instruments, token)
	t := tr(httpx.Lang(c))
	switch survey.ErrorCode(err) {
	case "":
		return tg, nil
	case survey.ENOTFOUND:
		return nil, &pageError{http.StatusNotFound, t.InvalidTitle, t.InvalidBody}
	case survey.EGONE:
		if _, derr := h.Signer.VerifyDossier(token); derr == nil {
			return nil, &pageError{http.StatusGone, t.GoneTitle, t.GoneDossier}
		}
		return nil, &pageError{http.StatusGone, t.GoneTitle, t.GoneBody}
	}
	return nil, err
}

// ratedError answers a dossier's URL once the dossier has its rating: 409,
// and the form is not shown again (survey.MsgDossierRated).
func ratedError(lang string) error {
	t := tr(lang)
	return &pageError{http.StatusConflict, t.RatedTitle, t.Rated}
}

// Package public serves an agency's public results page, /p/{code}: the
// indices an admin has chosen to publish, for anyone, without signing in.
// It is the fourth audience of the web layer, beside the citizen's form,
// the API and the dashboard: read-only, cacheable, script-free and as
// light as the citizen's form. Errors are answered with a short page in
// the reader's language; an unknown agency and one that is not published
// get the same 404.
package public

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/web/internal/render"
)

//go:embed templates/*.html
var templateFiles embed.FS

// MaxAge is how long (seconds) browsers and caches may keep a public page
// or the public scores: a few minutes, so that a page read by a whole
// commune is computed once a while, and a change of what is published
// shows soon.
const MaxAge = 300

// Instrument is the instrument public results are reported on.
const Instrument = "sipas-2017"

// Deps are the public page's collaborators, built by package web.
type Deps struct {
	Reports     *report.Service
	Instruments *survey.Instruments
	Log         *slog.Logger
	Now         func() time.Time
	// CSS is the stylesheet inlined into the page (the citizen's one and
	// the public page's rules), trimmed; the CSP names its hash.
	CSS string
}

// Handler serves the public results page.
type Handler struct {
	Deps
	pages *render.Set
}

// New returns a Handler; it parses and checks the page's templates.
func New(d Deps) (*Handler, error) {
	pages, err := render.New(templateFiles,
		render.Page{Name: "results", Files: []string{"templates/layout.html", "templates/results.html"}, Type: (*resultsPage)(nil)},
		render.Page{Name: "message", Files: []string{"templates/layout.html", "templates/message.html"}, Type: (*messagePage)(nil)},
	)
	if err != nil {
		return nil, err
	}
	return &Handler{Deps: d, pages: pages}, nil
}

// Templates returns the page's template files (for tests and checks).
func Templates() fs.FS { return templateFiles }

// Wrap adapts a handler that returns an error: the error is answered with
// a short page, and internal errors are logged with the request id.
func (h *Handler) Wrap(fn func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			h.Fail(c, err)
		}
	}
}

// Fail answers err with a short page in the reader's language. Every
// ENOTFOUND gets the same page, whatever its message.
func (h *Handler) Fail(c *gin.Context, err error) {
	t := tr(httpx.Lang(c))
	status, msg := httpx.StatusOf(err)
	heading := t.BadTitle
	switch {
	case status == http.StatusNotFound:
		heading, msg = t.NotFoundTitle, t.NotFoundBody
	case status == http.StatusInternalServerError:
		h.Log.Error("request failed", "id", httpx.RequestID(c), "method", httpx.Method(c), "route", c.FullPath(), "err", err)
		heading = http.StatusText(status)
	case status != http.StatusBadRequest:
		heading = http.StatusText(status)
	}
	c.Header("Cache-Control", "no-store")
	p := &messagePage{basePage: h.base(c, heading), Heading: heading, Body: msg}
	var buf bytes.Buffer
	if rerr := h.pages.Execute(&buf, "message", p); rerr != nil {
		h.Log.Error("render", "id", httpx.RequestID(c), "route", c.FullPath(), "err", rerr)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
		return
	}
	httpx.WriteBody(c, status, "text/html; charset=utf-8", buf.Bytes())
}

// Results answers /p/{code}: the last complete month, quarter and year,
// and the trend of the twelve months up to the last one.
func (h *Handler) Results(c *gin.Context) error {
	ctx := c.Request.Context()
	a, err := h.Reports.PublicAgency(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	in, err := h.Instruments.Current(Instrument)
	if err != nil {
		return err
	}
	today := h.Now()
	periods := []survey.ReportPeriod{
		survey.LastComplete(survey.KindMonth, today),
		survey.LastComplete(survey.KindQuarter, today),
		survey.LastComplete(survey.KindYear, today),
	}
	pub, err := h.Reports.Public(ctx, a, in, periods)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := h.pages.Execute(&buf, "results", h.resultsPage(c, in, periods, pub)); err != nil {
		return err
	}
	httpx.WriteCacheable(c, "text/html; charset=utf-8", buf.Bytes(), MaxAge)
	return nil
}

// basePage is what the layout needs.
type basePage struct {
	Lang, OtherLang, SwitchURL, Title string
	CSS                               template.CSS
	T                                 *texts
}

func (h *Handler) base(c *gin.Context, title string) basePage {
	lang := httpx.Lang(c)
	other, sw := "en", c.Request.URL.Path+"?lang=en"
	if lang == "en" {
		other, sw = "vi", c.Request.URL.Path
	}
	return basePage{Lang: lang, OtherLang: other, SwitchURL: sw, Title: title, CSS: template.CSS(h.CSS), T: tr(lang)}
}

type messagePage struct {
	basePage
	Heading, Body string
}

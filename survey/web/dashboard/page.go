package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// dashBase is what every officials' page carries: language, texts, the
// signed-in user, the form token and the language switch.
type dashBase struct {
	Lang, Title string
	T           *Texts
	User        *survey.User
	CSRF        string
	SwitchURL   string
	OtherLang   string
	HomeURL     string
}

func (h *Handler) dashBase(c *gin.Context, title string) dashBase {
	lang := httpx.Lang(c)
	other := "en"
	if lang == "en" {
		other = "vi"
	}
	// The switch keeps only the parameters the dashboard reads, never
	// whatever else the URL holds: a page that echoes text of the
	// attacker's choosing beside its secrets helps BREACH-style guessing
	// through compressed sizes.
	all := c.Request.URL.Query()
	q := url.Values{}
	for _, k := range switchKeys {
		if v, ok := all[k]; ok && len(v) > 0 && switchValue.MatchString(v[0]) {
			q.Set(k, v[0])
		}
	}
	if next := localNext(all.Get("next")); all.Get("next") != "" && next == all.Get("next") {
		q.Set("next", next) // a path on this site, checked like the sign-in's
	}
	if other == "en" {
		q.Set("lang", "en")
	}
	sw := c.Request.URL.Path
	if c.Request.Method != http.MethodGet {
		sw = "/dashboard"
	}
	if enc := q.Encode(); enc != "" {
		sw += "?" + enc
	}
	home := "/dashboard"
	if lang == "en" {
		home += "?lang=en"
	}
	return dashBase{Lang: lang, Title: title, T: dtr(lang), User: httpx.CurrentUser(c), CSRF: csrfToken(c),
		SwitchURL: sw, OtherLang: other, HomeURL: home}
}

// switchKeys are the query parameters the dashboard's pages read (lang
// aside), kept by the language switch: the period and questionnaire, the
// weighting, the roll-up mode (as), the sorting, the comment filter and page, and the notice after a change (msg,
// done); the sign-in form's destination (next) is kept when it is a path on
// this site.
var switchKeys = []string{"period", "from", "to", "instrument", "weighting", "as", "sort", "dir", "low", "page", "msg", "done"}

// switchValue is the shape of every value those parameters take (a preset,
// a date, an instrument id, a sort key, a number, a notice code): anything
// else is not echoed, so the switch never carries text of a stranger's
// choosing.
var switchValue = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)

// dashAgency returns the agency of the URL when the user may see it: 404
// for an unknown one, 403 for one outside the user's subtree.
func (h *Handler) dashAgency(c *gin.Context) (*survey.Agency, error) {
	ctx := c.Request.Context()
	code := c.Param("code")
	t := dtr(httpx.Lang(c))
	a, err := h.Store.FindAgency(ctx, code)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil, fail(http.StatusNotFound, fmt.Sprintf(t.NoAgency, code))
	} else if err != nil {
		return nil, err
	}
	ok, err := survey.CanSee(ctx, h.Store, httpx.CurrentUser(c), a.Code)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fail(http.StatusForbidden, t.ForbiddenBody)
	}
	return a, nil
}

// Period presets of the dashboard (survey.PresetPeriod), and the custom
// period of typed dates.
const (
	presetLastMonth   = survey.PresetLastMonth
	presetLastQuarter = survey.PresetLastQuarter
	presetMonth       = survey.PresetMonth
	presetQuarter     = survey.PresetQuarter
	presetHalf        = survey.PresetHalf
	presetYear        = survey.PresetYear
	presetCustom      = "custom"
)

// dashQuery is the state a dashboard URL carries: period, instrument,
// sorting, comment filter and page, language.
type dashQuery struct {
	Preset     string
	From, To   string // as typed, for a custom period
	Period     survey.Period
	Instrument *survey.Instrument
	// Weighting is report.WeightVolume, WeightRespondents or "" (the
	// report chooses).
	Weighting string
	// As is report.AsCurrent or "" (report.AsDated, the default): how a
	// reorganised tree is rolled up.
	As        string
	Sort, Dir string
	Low       bool
	Page      int
	Lang      string
}

// parseDashQuery reads the query string; bad input is a 400.
func (h *Handler) parseDashQuery(c *gin.Context) (*dashQuery, error) {
	t := dtr(httpx.Lang(c))
	q := &dashQuery{Preset: c.DefaultQuery("period", presetQuarter), Lang: httpx.Lang(c),
		Sort: c.Query("sort"), Dir: c.Query("dir"), Low: c.Query("low") == "1", Page: 1}
	if q.Preset == presetCustom || (c.Query("period") == "" && (c.Query("from") != "" || c.Query("to") != "")) {
		q.Preset = presetCustom
		q.From, q.To = c.Query("from"), c.Query("to")
		p, err := survey.ParsePeriod(q.From, q.To)
		if err != nil {
			return nil, fail(http.StatusBadRequest, survey.ErrorMessage(err))
		}
		q.Period = p
	} else {
		p, ok := survey.PresetPeriod(q.Preset, h.Now())
		if !ok {
			return nil, fail(http.StatusBadRequest, fmt.Sprintf(t.BadPreset, q.Preset))
		}
		q.Period = p
	}
	id := c.DefaultQuery("instrument", "sipas-2017")
	in, err := h.Instruments.Current(id)
	if err != nil {
		return nil, fail(http.StatusBadRequest, fmt.Sprintf(t.BadInstrument, id))
	}
	q.Instrument = in
	if q.Weighting = c.Query("weighting"); !report.ValidWeighting(q.Weighting) {
		return nil, fail(http.StatusBadRequest, fmt.Sprintf(t.BadWeighting, q.Weighting))
	}
	if q.As = c.Query("as"); !report.ValidAs(q.As) {
		return nil, fail(http.StatusBadRequest, fmt.Sprintf(t.BadAs, q.As))
	} else if q.As == report.AsDated {
		q.As = "" // the default, left out of links
	}
	if q.Dir != "" && q.Dir != "asc" && q.Dir != "desc" {
		return nil, fail(http.StatusBadRequest, t.BadSort)
	}
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			return nil, fail(http.StatusBadRequest, t.BadPage)
		}
		q.Page = n
	}
	return q, nil
}

// values returns the query string of q with changes applied; defaults
// are left out so URLs stay short.
func (q *dashQuery) values(set ...string) url.Values {
	v := url.Values{}
	if q.Preset != presetQuarter {
		v.Set("period", q.Preset)
	}
	if q.Preset == presetCustom {
		v.Set("from", q.Period.FromString())
		v.Set("to", q.Period.ToString())
	}
	if q.Instrument.ID != "sipas-2017" {
		v.Set("instrument", q.Instrument.ID)
	}
	if q.Weighting != "" {
		v.Set("weighting", q.Weighting)
	}
	if q.As != "" {
		v.Set("as", q.As)
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	if q.Dir != "" {
		v.Set("dir", q.Dir)
	}
	if q.Low {
		v.Set("low", "1")
	}
	if q.Lang == "en" {
		v.Set("lang", "en")
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			v.Del(set[i])
		} else {
			v.Set(set[i], set[i+1])
		}
	}
	return v
}

// link returns path with q's query string, changed by set (key, value
// pairs; an empty value removes the key).
func (q *dashQuery) link(path string, set ...string) string {
	if enc := q.values(set...).Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// periodView is the period form of a page.
type periodView struct {
	Presets    []presetLink
	Custom     bool
	From, To   string
	Shown      string // "01/10/2026 – 27/11/2026"
	Previous   string
	Hidden     []hiddenField
	Instrument []presetLink
}

type presetLink struct {
	Label, URL string
	Current    bool
}

type hiddenField struct{ Name, Value string }

func viDate(t time.Time) string { return t.Format("02/01/2006") }

func (h *Handler) periodView(q *dashQuery, path string) periodView {
	t := dtr(q.Lang)
	pv := periodView{Custom: q.Preset == presetCustom, From: q.Period.FromString(), To: q.Period.ToString(),
		Shown:    viDate(q.Period.From) + " – " + viDate(q.Period.To),
		Previous: viDate(q.Period.Previous().From) + " – " + viDate(q.Period.Previous().To)}
	for _, p := range []struct{ id, label string }{{presetMonth, t.Month}, {presetLastMonth, t.LastMonth}, {presetQuarter, t.Quarter}, {presetLastQuarter, t.LastQuarter}, {presetHalf, t.Half}, {presetYear, t.Year}} {
		pv.Presets = append(pv.Presets, presetLink{Label: p.label, URL: q.link(path, "period", p.id, "from", "", "to", "", "page", ""), Current: q.Preset == p.id})
	}
	for _, in := range []struct{ id, label string }{{"sipas-2017", t.SIPAS}, {"quick", t.Quick}} {
		if _, err := h.Instruments.Current(in.id); err != nil {
			continue
		}
		pv.Instrument = append(pv.Instrument, presetLink{Label: in.label, URL: q.link(path, "instrument", in.id, "page", "", "sort", ""), Current: q.Instrument.ID == in.id})
	}
	for k, vs := range q.values("period", "", "from", "", "to", "", "page", "") {
		pv.Hidden = append(pv.Hidden, hiddenField{Name: k, Value: vs[0]})
	}
	sortHidden(pv.Hidden)
	return pv
}

func sortHidden(h []hiddenField) {
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && h[j].Name < h[j-1].Name; j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

// reportQuery is the report of a for period p under q's instrument,
// weighting and roll-up mode.
func (q *dashQuery) reportQuery(a *survey.Agency, p survey.Period) report.Query {
	return report.Query{Agency: a, Instrument: q.Instrument, Period: p, Weighting: q.Weighting, As: q.As}
}

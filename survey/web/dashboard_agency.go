package web

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// commentsPerPage is the length of a page of comments.
const commentsPerPage = 20

// lowMean is the mean score at or below which a comment counts as coming
// with a low rating (for the quick instrument: an answer of 1 or 2).
const lowMean = 2.5

// estView is one index as a table row shows it.
type estView struct {
	Code, Label, Index, CI, N string
	Reportable                bool
}

func estOf(code, label string, e scoring.Estimate, lang string) estView {
	v := estView{Code: code, Label: label, Index: report.Shown(e, lang), N: report.Number(float64(e.N), 0, lang), Reportable: e.Reportable, CI: "–"}
	if e.Reportable {
		v.CI = report.Interval(e.CILow, e.CIHigh, lang)
	}
	return v
}

// distRow is the answer distribution of one criterion.
type distRow struct {
	Code, Label string
	Counts      []string // levels 1..5, then no opinion
	Bar         template.HTML
}

// followupView is the distribution of the quick instrument's follow-up.
type followupView struct {
	Title    string
	Answered string
	Options  []estView
	Bar      template.HTML
}

// commentView is one comment in the list.
type commentView struct {
	Date, Where, Mean, Text string
	Low                     bool
}

// counterRow is one counter of the agency.
type counterRow struct {
	Code, Name, Instrument, Status, Responses string
	Closed                                    bool
	PosterURL, QRURL, SurveyURL, ActionURL    string
}

// counterForm is the create-counter form with what the admin typed.
type counterForm struct {
	Code, Name, Instrument string
}

// agencyPage is one agency's detailed page.
type agencyPage struct {
	dashBase
	Agency                                  *survey.Agency
	Period                                  periodView
	InstrumentTitle                         string
	Quick                                   bool
	Overall                                 estView
	Change, ChangeMark, ChangeSig, Previous string
	ElementsChart, ItemsChart, TrendChart   template.HTML
	Elements, Weakest                       []estView
	Levels                                  []string
	Dist                                    []distRow
	Trend                                   []estView
	Followup                                *followupView
	Comments                                []commentView
	CommentsInfo                            string
	PrevURL, NextURL, LowURL, AllURL        string
	Low                                     bool
	Counters                                []counterRow
	Admin                                   bool
	Form                                    counterForm
	Instruments                             []string
	Flash, FormError                        string
	CSVURL, XLSXURL, RawURL, OverviewURL    string
	CreateURL                               string
}

// agencyPageData builds the agency page for q.
func (s *Server) agencyPageData(c *gin.Context, a *survey.Agency, q *dashQuery) (*agencyPage, error) {
	ctx := c.Request.Context()
	t := dtr(q.Lang)
	in := q.Instrument
	rq := report.Query{Agency: a, Instrument: in, Period: q.Period}
	sc, err := s.reports.Scores(ctx, rq)
	if err != nil {
		return nil, err
	}
	path := "/dashboard/agency/" + a.Code
	p := &agencyPage{dashBase: s.dashBase(c, a.Name), Agency: a, Period: s.periodView(q, path),
		InstrumentTitle: in.Title.In(q.Lang), Quick: len(in.Elements) == 0,
		Overall:   estOf(a.Code, t.OverallIdx, sc.Overall.Estimate, q.Lang),
		Change:    "–",
		Previous:  viDate(q.Period.Previous().From) + " – " + viDate(q.Period.Previous().To),
		CSVURL:    q.link(path+"/export.csv", "page", "", "low", ""),
		XLSXURL:   q.link(path+"/export.xlsx", "page", "", "low", ""),
		RawURL:    q.link(path+"/responses.csv", "page", "", "low", ""),
		CreateURL: q.link(path+"/counters", "page", "", "low", ""),
		Low:       q.Low, Admin: currentUser(c).Role == survey.RoleAdmin,
		Instruments: s.instruments.IDs(), Form: counterForm{Instrument: "sipas-2017"}}
	if ok, _ := s.canSee(ctx, currentUser(c), a.Code); ok {
		p.OverviewURL = q.link("/dashboard/overview/"+a.Code, "page", "", "low", "")
	}
	if pr := sc.Previous; pr != nil && sc.Overall.Reportable && pr.Overall.Reportable {
		p.Change = report.Signed(pr.Change.Diff, q.Lang)
		switch pr.Change.Significant {
		case "higher":
			p.ChangeSig, p.ChangeMark = "higher", t.Up
		case "lower":
			p.ChangeSig, p.ChangeMark = "lower", t.Down
		}
	}
	var elemRows []barRow
	for i, e := range sc.Elements {
		label := in.Elements[i].In(q.Lang)
		p.Elements = append(p.Elements, estOf(e.Code, label, e.Estimate, q.Lang))
		elemRows = append(elemRows, barRow{Label: label, Est: e.Estimate})
	}
	if len(elemRows) > 0 {
		p.ElementsChart = errorBarChart("chart-elements", t.ChartElems, t.ChartCIDesc, elemRows, q.Lang)
	}
	for _, lv := range survey.Scale {
		p.Levels = append(p.Levels, lv.In(q.Lang))
	}
	labels := append(append([]string{}, p.Levels...), t.NoOpinion)
	order := make([]int, len(sc.Items))
	var itemRows []barRow
	for k, it := range sc.Items {
		order[k] = k
		label := it.Code + " " + in.Items[k].In(q.Lang)
		itemRows = append(itemRows, barRow{Label: label, Est: it.Estimate})
		counts := append(append([]int64{}, it.Counts[:]...), it.NoOpinion)
		d := distRow{Code: it.Code, Label: in.Items[k].In(q.Lang),
			Bar: stackedBar("dist-"+it.Code, label, counts, labels)}
		for _, n := range counts {
			d.Counts = append(d.Counts, report.Number(float64(n), 0, q.Lang))
		}
		p.Dist = append(p.Dist, d)
	}
	p.ItemsChart = errorBarChart("chart-items", t.ChartItems, t.ChartCIDesc, itemRows, q.Lang)
	// Weakest first: reportable criteria by index, then the others in
	// instrument order.
	sort.SliceStable(order, func(i, j int) bool {
		a, b := sc.Items[order[i]].Estimate, sc.Items[order[j]].Estimate
		if a.Reportable != b.Reportable {
			return a.Reportable
		}
		return a.Reportable && *a.Index < *b.Index
	})
	for _, k := range order {
		p.Weakest = append(p.Weakest, estOf(sc.Items[k].Code, in.Items[k].In(q.Lang), sc.Items[k].Estimate, q.Lang))
	}
	if f := sc.Followup; f != nil && in.Followup != nil {
		fv := &followupView{Title: in.Followup.In(q.Lang), Answered: report.Number(float64(f.Answered), 0, q.Lang)}
		var counts []int64
		var names []string
		for i, o := range f.Options {
			label := in.Followup.Options[i].In(q.Lang)
			e := scoring.Estimate{Index: o.Share, CILow: o.CILow, CIHigh: o.CIHigh, N: o.Count, Reportable: o.Share != nil}
			v := estOf(o.Value, label, e, q.Lang)
			v.N = report.Number(float64(o.Count), 0, q.Lang)
			if o.Share != nil {
				v.Index = report.Percent(o.Share, q.Lang)
			}
			fv.Options = append(fv.Options, v)
			counts, names = append(counts, o.Count), append(names, label)
		}
		fv.Bar = stackedBar("followup", fv.Title, counts, names)
		p.Followup = fv
	}
	// The trend covers the twelve months up to the end of the period (or
	// the whole period when it is longer).
	tp := survey.Period{From: time.Date(q.Period.To.Year(), q.Period.To.Month()-11, 1, 0, 0, 0, 0, survey.Vietnam), To: q.Period.To}
	if q.Period.From.Before(tp.From) {
		tp.From = q.Period.From
	}
	tr, err := s.reports.Trend(ctx, report.Query{Agency: a, Instrument: in, Period: tp})
	if err != nil {
		return nil, err
	}
	p.TrendChart = trendChart("chart-trend", t.Trend+" – "+a.Name, t.TrendDesc, tr.Months, q.Lang)
	for _, m := range tr.Months {
		p.Trend = append(p.Trend, estOf(m.Month, m.Month[5:7]+"/"+m.Month[:4], m.Overall, q.Lang))
	}
	if err := s.agencyComments(c, a, q, p); err != nil {
		return nil, err
	}
	if err := s.agencyCounters(c, a, q, p); err != nil {
		return nil, err
	}
	switch c.Query("msg") {
	case "created":
		p.Flash = t.Created
	case "renamed":
		p.Flash = t.Renamed
	case "closed":
		p.Flash = t.ClosedMsg
	case "reopened":
		p.Flash = t.Reopened
	case "rotated":
		p.Flash = t.Rotated
	}
	return p, nil
}

func (s *Server) agencyComments(c *gin.Context, a *survey.Agency, q *dashQuery, p *agencyPage) error {
	t := dtr(q.Lang)
	f := survey.CommentFilter{Agency: a.Code, Period: q.Period, Instrument: q.Instrument.ID,
		Limit: commentsPerPage, Offset: (q.Page - 1) * commentsPerPage}
	if q.Low {
		f.MaxMean = lowMean
	}
	cs, total, err := s.store.ListComments(c.Request.Context(), f)
	if err != nil {
		return err
	}
	for _, cm := range cs {
		// The date only: with the time of day, a comment could be matched to
		// the counter's own record of whom it served then.
		v := commentView{Date: cm.SubmittedAt.In(survey.Vietnam).Format("02/01/2006"), Text: cm.Text, Mean: "–",
			Where: cm.AgencyName + " · " + cm.CounterName}
		if cm.Mean != nil {
			v.Mean = report.Number(*cm.Mean, 1, q.Lang)
			v.Low = *cm.Mean <= lowMean
		}
		p.Comments = append(p.Comments, v)
	}
	pages := max(1, (total+commentsPerPage-1)/commentsPerPage)
	path := "/dashboard/agency/" + a.Code
	p.CommentsInfo = fmt.Sprintf(t.PageOf, q.Page, pages, total)
	if q.Page > 1 {
		p.PrevURL = q.link(path, "page", fmt.Sprint(q.Page-1)) + "#comments"
	}
	if q.Page < pages {
		p.NextURL = q.link(path, "page", fmt.Sprint(q.Page+1)) + "#comments"
	}
	p.LowURL = q.link(path, "low", "1", "page", "") + "#comments"
	p.AllURL = q.link(path, "low", "", "page", "") + "#comments"
	return nil
}

func (s *Server) agencyCounters(c *gin.Context, a *survey.Agency, q *dashQuery, p *agencyPage) error {
	ctx := c.Request.Context()
	t := dtr(q.Lang)
	cs, err := s.store.ListCounters(ctx, a.Code)
	if err != nil {
		return err
	}
	counts, err := s.store.CounterResponseCounts(ctx, a.Code, q.Period)
	if err != nil {
		return err
	}
	for _, cn := range cs {
		r := counterRow{Code: cn.Code, Name: cn.Name, Instrument: cn.Instrument, Status: t.Open, Closed: cn.ClosedAt != nil,
			Responses: report.Number(float64(counts[cn.ID]), 0, q.Lang),
			ActionURL: q.link("/dashboard/agency/"+a.Code+"/counters/"+cn.Code, "page", "", "low", "")}
		if r.Closed {
			r.Status = t.ClosedStatus
		} else {
			base := "/s/" + s.signer.Token(cn.ID, cn.TokenVersion)
			r.SurveyURL, r.QRURL, r.PosterURL = base, base+"/qr.svg", base+"/poster"
		}
		p.Counters = append(p.Counters, r)
	}
	return nil
}

func (s *Server) handleAgencyPage(c *gin.Context) {
	a, q := s.dashRequest(c)
	if a == nil {
		return
	}
	p, err := s.agencyPageData(c, a, q)
	if err != nil {
		s.dashFailErr(c, err)
		return
	}
	s.render(c, http.StatusOK, "agency", p)
}

// counterFormError shows the agency page again with the admin's input and
// the error.
func (s *Server) counterFormError(c *gin.Context, a *survey.Agency, q *dashQuery, form counterForm, err error) {
	status := statusOf(survey.ErrorCode(err))
	if status == http.StatusInternalServerError {
		s.dashFailErr(c, err)
		return
	}
	p, perr := s.agencyPageData(c, a, q)
	if perr != nil {
		s.dashFailErr(c, perr)
		return
	}
	p.Form, p.FormError = form, survey.ErrorMessage(err)
	s.render(c, status, "agency", p)
}

// handleDashCounterCreate adds a counter: post → validate → save →
// redirect, or the page again with the error.
func (s *Server) handleDashCounterCreate(c *gin.Context) {
	a, q := s.dashRequest(c)
	if a == nil {
		return
	}
	f := c.Request.PostForm
	form := counterForm{Code: f.Get("code"), Name: f.Get("name"), Instrument: f.Get("instrument")}
	cn := &survey.Counter{AgencyCode: a.Code, Code: form.Code, Name: form.Name, Instrument: form.Instrument}
	if err := s.store.CreateCounter(c.Request.Context(), cn, actor(c)); err != nil {
		s.counterFormError(c, a, q, form, err)
		return
	}
	c.Redirect(http.StatusSeeOther, q.link("/dashboard/agency/"+a.Code, "msg", "created")+"#counters")
}

// handleDashCounterAction renames, closes, reopens or rotates a counter.
func (s *Server) handleDashCounterAction(c *gin.Context) {
	a, q := s.dashRequest(c)
	if a == nil {
		return
	}
	ctx := c.Request.Context()
	f := c.Request.PostForm
	code := c.Param("counter")
	var err error
	var msg string
	switch f.Get("action") {
	case "rename":
		name := f.Get("name")
		_, err = s.store.UpdateCounter(ctx, a.Code, code, survey.CounterUpdate{Name: &name}, actor(c))
		msg = "renamed"
	case "close", "reopen":
		closed := f.Get("action") == "close"
		_, err = s.store.UpdateCounter(ctx, a.Code, code, survey.CounterUpdate{Closed: &closed}, actor(c))
		msg = map[bool]string{true: "closed", false: "reopened"}[closed]
	case "rotate":
		_, err = s.store.RotateCounterToken(ctx, a.Code, code, actor(c))
		msg = "rotated"
	default:
		err = survey.Errorf(survey.EINVALID, "action must be rename, close, reopen or rotate")
	}
	if err != nil {
		s.counterFormError(c, a, q, counterForm{Instrument: "sipas-2017"}, err)
		return
	}
	c.Redirect(http.StatusSeeOther, q.link("/dashboard/agency/"+a.Code, "msg", msg)+"#counters")
}

package dashboard

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
	"github.com/sipas/sipas/survey/web/chart"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// CommentsPerPage is the length of a page of comments.
const CommentsPerPage = 20

// lowMean is the mean score at or below which a comment counts as coming
// with a low rating (for the quick instrument: an answer of 1 or 2).
const lowMean = 2.5

// estView is one index as a table row shows it; SetAside, the ratings left
// out of it, is shown beside N where it is known (the agency's own rows, not
// its elements' or criteria's).
type estView struct {
	Code, Label, Index, CI, N string
	SetAside                  string
	Reportable                bool
}

func estOf(code, label string, e scoring.Estimate, lang string) estView {
	v := estView{Code: code, Label: label, Index: report.Shown(e, lang), N: report.Number(float64(e.N), 0, lang), Reportable: e.Reportable, CI: "–"}
	if e.Reportable {
		v.CI = report.Interval(e.CILow, e.CIHigh, lang)
	}
	return v
}

// setAsideOf is a count of ratings left out of an index as shown beside
// its n ("9 tách riêng"), "" when there are none.
func setAsideOf(n int64, lang string) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(dtr(lang).SetAside, report.Number(float64(n), 0, lang))
}

// trendRow is one month of the trend table, with its response rate and,
// before the agency's merger, the note that it holds its predecessors'
// ratings.
type trendRow struct {
	estView
	Rate   rateView
	Merged *mergeNote
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
	OverallRate                             rateView
	Weighting, OnTime                       string
	Change, ChangeMark, ChangeSig, Previous string
	ElementsChart, ItemsChart, TrendChart   template.HTML
	Elements, Weakest                       []estView
	Levels                                  []string
	Dist                                    []distRow
	Trend                                   []trendRow
	Followup                                *followupView
	Comments                                []commentView
	CommentsInfo                            string
	PrevURL, NextURL, LowURL, AllURL        string
	Low                                     bool
	Counters                                []counterRow
	Split                                   []splitRow
	SplitNote, SplitInstrument              string
	Admin                                   bool
	Form                                    counterForm
	Instruments                             []string
	Flash, FormError                        string
	CSVURL, XLSXURL, RawURL, OverviewURL    string
	IntegrityURL                            string
	CreateURL                               string
	// Official is the official yearly results block.
	Official officialBlock
	// Public is the public results page's block.
	Public publicBlock
	// As is the roll-up mode's sentence; Lineage the agency's history of
	// reorganisations; OverallMerged and PreviousMerged the notes of an
	// index (of the previous period) that holds predecessors' ratings, and
	// CombinedMonths the trend's months that do.
	As                            asView
	Lineage                       lineageView
	OverallMerged, PreviousMerged *mergeNote
	CombinedMonths                []combinedMonth
}

// agencyPageData builds the agency page for q.
func (h *Handler) agencyPageData(c *gin.Context, a *survey.Agency, q *dashQuery) (*agencyPage, error) {
	ctx := c.Request.Context()
	t := dtr(q.Lang)
	in := q.Instrument
	rq := q.reportQuery(a, q.Period)
	sc, err := h.Reports.Scores(ctx, rq)
	if err != nil {
		return nil, err
	}
	path := "/dashboard/agency/" + a.Code
	p := &agencyPage{dashBase: h.dashBase(c, a.Name), Agency: a, Period: h.periodView(q, path),
		InstrumentTitle: in.Title.In(q.Lang), Quick: len(in.Elements) == 0,
		Overall:     estOf(a.Code, t.OverallIdx, sc.Overall.Estimate, q.Lang),
		OverallRate: h.rateOf(sc.Denominators, q.Lang), Weighting: weightingText(sc.Weights, q.Lang),
		OnTime:    onTimeText(sc.Denominators, q.Lang),
		Change:    "–",
		Previous:  viDate(q.Period.Previous().From) + " – " + viDate(q.Period.Previous().To),
		CSVURL:    q.link(path+"/export.csv", "page", "", "low", ""),
		XLSXURL:   q.link(path+"/export.xlsx", "page", "", "low", ""),
		RawURL:    q.link(path+"/responses.csv", "page", "", "low", ""),
		CreateURL: q.link(path+"/counters", "page", "", "low", ""),
		Low:       q.Low, Admin: httpx.CurrentUser(c).Role == survey.RoleAdmin,
		Instruments: h.Instruments.IDs(), Form: counterForm{Instrument: "sipas-2017"}}
	p.Overall.SetAside = setAsideOf(sc.SetAside, q.Lang)
	names := h.names(ctx, a)
	p.As = asViewOf(q, path)
	p.OverallMerged = mergeNoteOf(sc.Combined, sc.Overall.N, false, names, q.Lang)
	if sc.Previous != nil {
		p.PreviousMerged = mergeNoteOf(sc.Previous.Combined, sc.Previous.Overall.N, true, names, q.Lang)
	}
	if p.Lineage, err = h.agencyLineage(ctx, httpx.CurrentUser(c), a, q, names); err != nil {
		return nil, err
	}
	if ok, _ := survey.CanSee(ctx, h.Store, httpx.CurrentUser(c), a.Code); ok {
		p.OverviewURL = q.link("/dashboard/overview/"+a.Code, "page", "", "low", "")
		p.IntegrityURL = q.link(path+"/integrity", "page", "", "low", "")
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
	var elemRows []chart.Row
	for i, e := range sc.Elements {
		label := in.Elements[i].In(q.Lang)
		p.Elements = append(p.Elements, estOf(e.Code, label, e.Estimate, q.Lang))
		elemRows = append(elemRows, chart.Row{Label: label, Est: e.Estimate})
	}
	if len(elemRows) > 0 {
		p.ElementsChart = chart.ErrorBars("chart-elements", t.ChartElems, t.ChartCIDesc, elemRows, q.Lang)
	}
	for _, lv := range survey.Scale {
		p.Levels = append(p.Levels, lv.In(q.Lang))
	}
	labels := append(append([]string{}, p.Levels...), t.NoOpinion)
	order := make([]int, len(sc.Items))
	var itemRows []chart.Row
	for k, it := range sc.Items {
		order[k] = k
		label := it.Code + " " + in.Items[k].In(q.Lang)
		itemRows = append(itemRows, chart.Row{Label: label, Est: it.Estimate})
		counts := append(append([]int64{}, it.Counts[:]...), it.NoOpinion)
		d := distRow{Code: it.Code, Label: in.Items[k].In(q.Lang),
			Bar: chart.StackedBar("dist-"+it.Code, label, counts, labels)}
		for _, n := range counts {
			d.Counts = append(d.Counts, report.Number(float64(n), 0, q.Lang))
		}
		p.Dist = append(p.Dist, d)
	}
	p.ItemsChart = chart.ErrorBars("chart-items", t.ChartItems, t.ChartCIDesc, itemRows, q.Lang)
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
		fv.Bar = chart.StackedBar("followup", fv.Title, counts, names)
		p.Followup = fv
	}
	// The trend covers the twelve months up to the end of the period (or
	// the whole period when it is longer).
	tp := survey.Period{From: time.Date(q.Period.To.Year(), q.Period.To.Month()-11, 1, 0, 0, 0, 0, survey.Vietnam), To: q.Period.To}
	if q.Period.From.Before(tp.From) {
		tp.From = q.Period.From
	}
	tr, err := h.Reports.Trend(ctx, q.reportQuery(a, tp))
	if err != nil {
		return nil, err
	}
	desc := t.TrendDesc
	for _, m := range tr.Months {
		ev := estOf(m.Month, m.Month[5:7]+"/"+m.Month[:4], m.Overall, q.Lang)
		ev.SetAside = setAsideOf(m.SetAside, q.Lang)
		row := trendRow{estView: ev, Rate: h.rateOf(m.Denominators, q.Lang)}
		// A month without ratings is not listed as combined (the chart
		// still places the merger's rule after the last combined month).
		if row.Merged = mergeNoteOf(m.Combined, m.Overall.N, false, names, q.Lang); row.Merged != nil {
			p.CombinedMonths = append(p.CombinedMonths, combinedMonth{Month: ev.Label, Note: row.Merged})
		}
		p.Trend = append(p.Trend, row)
	}
	if len(p.CombinedMonths) > 0 {
		desc += " " + t.CombinedDesc
	}
	p.TrendChart = chart.Trend("chart-trend", t.Trend+" – "+a.Name, desc, tr.Months, q.Lang)
	if err := h.agencyComments(c, a, q, p); err != nil {
		return nil, err
	}
	if err := h.agencyCounters(c, a, q, p); err != nil {
		return nil, err
	}
	if err := h.agencyOfficial(c, a, q, p); err != nil {
		return nil, err
	}
	h.agencyPublic(c, a, q, p)
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

func (h *Handler) agencyComments(c *gin.Context, a *survey.Agency, q *dashQuery, p *agencyPage) error {
	t := dtr(q.Lang)
	f := survey.CommentFilter{Agency: a.Code, Period: q.Period, Instrument: q.Instrument.ID,
		Limit: CommentsPerPage, Offset: (q.Page - 1) * CommentsPerPage}
	if q.Low {
		f.MaxMean = lowMean
	}
	cs, total, err := h.Store.ListComments(c.Request.Context(), f)
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
	pages := max(1, (total+CommentsPerPage-1)/CommentsPerPage)
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

// AgencyPage shows one agency's indices, criteria, trend, comments and
// counters for a period.
func (h *Handler) AgencyPage(c *gin.Context) error {
	a, q, err := h.dashRequest(c)
	if err != nil {
		return err
	}
	p, err := h.agencyPageData(c, a, q)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "agency", p)
}

// AgencyPosters shows the printable posters of every open counter of the
// agency.
func (h *Handler) AgencyPosters(c *gin.Context) error {
	a, err := h.dashAgency(c)
	if err != nil {
		return err
	}
	page, err := h.Posters.Sheet(c.Request.Context(), h.Store, a)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return fail(http.StatusNotFound, dtr(httpx.Lang(c)).NoOpenCounters)
	} else if err != nil {
		return err
	}
	return httpx.Render(c, h.Posters.Pages(), http.StatusOK, "posters", page)
}

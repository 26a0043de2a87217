package document

import (
	"fmt"
	"html/template"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/chart"
)

// page is what the template prints: every text formatted here, so that the
// template only places it.
type page struct {
	Lang, Title string
	T           *texts
	LevelText   string
	Head        []metaRow

	Scores     []scoreRow
	Summary    []metaRow
	ElemChart  template.HTML
	TrendChart template.HTML
	Trend      []trendRow

	Changes    []changeGroup
	ChangeNote string

	Children     []childRow
	ChildrenNote string
	RanksPending bool
	HasRanks     bool

	Weakest []weakRow

	Plans []planView

	Official     []officialRow
	OfficialNote string
}

type metaRow struct{ Label, Value string }

type scoreRow struct {
	Name string
	estView
}

type trendRow struct {
	Month string
	// Combined says the month holds the predecessors' ratings, before the
	// agency's merger ("trước sáp nhập: gộp từ 3 đơn vị cũ: A, B, C").
	Combined string
	estView
}

type changeGroup struct {
	Title string
	Rows  []changeRow
}

type changeRow struct {
	Name                   string
	Then, Now              estView
	Change, CI, PAdj, Note string
	Verdict, Class         string
}

type childRow struct {
	Name string
	// Notes mark a row combined from predecessors or counting only the
	// days its unit was under the agency.
	Notes []string
	estView
	VsRest, Class, Rank string
}

type weakRow struct {
	Code, Text string
	estView
}

type planView struct {
	Title, Meta string
	Targets     []targetRow
	Counts      countRow
	ByUnit      []countRow
	Overdue     []overdueRow
	Effects     []effectTask
}

type targetRow struct {
	Name, Target string
	Current      estView
	Status       string
	Class        string
}

type countRow struct{ Name, Total, Todo, Doing, Done, Overdue string }

type overdueRow struct{ Title, Unit, Due, Status string }

type officialRow struct {
	Text, Platform, CI, N, To string
}

// build turns a report into its page.
func build(r *report.Periodic, in *survey.Instrument, lang string) *page {
	t := textsFor(lang)
	if lang != "en" {
		lang = "vi"
	}
	p := &page{Lang: lang, T: t, LevelText: levelText(r.ConfidenceLevel, lang)}
	pname := periodName(r.Period, lang)
	p.Title = t.Title + " – " + pname + " – " + r.AgencyName
	p.Head = []metaRow{
		{t.Agency, r.AgencyName + " (" + r.Agency + ")"},
		{t.Period, pname},
		{t.Dates, span(r.From, r.To, lang)},
	}
	if !r.Complete {
		p.Head = append(p.Head, metaRow{t.AsOf, day(r.AsOf, lang)})
	}
	inst := fmt.Sprintf("%s v%d", r.Instrument, r.InstrumentVersion)
	if in != nil {
		inst = in.Title.In(lang) + " (" + inst + ")"
	}
	p.Head = append(p.Head, metaRow{t.Instrument, inst}, metaRow{t.Level, p.LevelText})
	p.scores(r, in, t, lang)
	p.changes(r, in, t, lang)
	p.children(r, t, lang)
	for _, it := range r.Weakest {
		p.Weakest = append(p.Weakest, weakRow{Code: it.Code, Text: itemText(in, it.Code, lang), estView: estOf(it.Estimate, t, lang)})
	}
	for _, ps := range r.Plans {
		p.Plans = append(p.Plans, planOf(ps, in, r.ConfidenceLevel, t, lang))
	}
	for _, o := range r.Official {
		res := o.OfficialResult
		row := officialRow{Text: report.OfficialText(&res, lang)}
		e := estOf(o.Platform, t, lang)
		row.Platform, row.CI, row.N = e.Index, e.CI, e.N
		switch {
		case r.AsOf != "" && o.From > r.AsOf: // the year had not begun on AsOf
			row.Platform, row.N = t.PlatformNone, "–"
		case o.To != "":
			row.To = t.PlatformTo + " " + day(o.To, lang)
		}
		p.Official = append(p.Official, row)
	}
	p.OfficialNote = report.OfficialNote(lang)
	return p
}

// scores fills section 1: the overall and element indices, the
// denominators, and the charts.
func (p *page) scores(r *report.Periodic, in *survey.Instrument, t *texts, lang string) {
	sc := r.Scores
	if sc == nil {
		return
	}
	p.Scores = append(p.Scores, scoreRow{Name: t.Overall, estView: estOf(sc.Overall.Estimate, t, lang)})
	var rows []chart.Row
	for _, e := range sc.Elements {
		name := indicatorName(in, e.Code, t, lang)
		p.Scores = append(p.Scores, scoreRow{Name: name, estView: estOf(e.Estimate, t, lang)})
		rows = append(rows, chart.Row{Label: name, Est: e.Estimate})
	}
	if len(rows) > 0 {
		p.ElemChart = chart.ErrorBars("rpt-elements", t.ChartElements, t.ChartCIDesc, rows, lang)
	}
	w := t.WeightRespondents
	if sc.Weighting == report.WeightVolume {
		w = t.WeightVolume
	}
	p.Summary = []metaRow{
		{t.Respondents, count(sc.Respondents, lang)},
		{t.SetAside, count(sc.SetAside, lang) + " (" + t.SetAsideNote + ")"},
		{t.Weighting, w},
	}
	if d := sc.Dossiers; d != nil {
		p.Summary = append(p.Summary, metaRow{t.Dossiers, count(*d, lang)})
	}
	if rr := sc.ResponseRate; rr != nil {
		v := 100 * *rr
		p.Summary = append(p.Summary, metaRow{t.ResponseRate, report.Percent(&v, lang)})
	}
	if o := sc.OnTime; o != nil {
		p.Summary = append(p.Summary, metaRow{t.OnTime, report.Percent(&o.Rate, lang) + " " +
			report.Interval(&o.CILow, &o.CIHigh, lang) + ", n = " + count(o.N, lang)})
	}
	if r.Trend != nil && len(r.Trend.Months) > 0 {
		p.TrendChart = chart.Trend("rpt-trend", t.ChartTrend+" – "+r.AgencyName, t.ChartTrendDesc, r.Trend.Months, lang)
		for _, m := range r.Trend.Months {
			label := m.Month
			if len(m.Month) == 7 {
				label = m.Month[5:7] + "/" + m.Month[:4]
			}
			p.Trend = append(p.Trend, trendRow{Month: label, Combined: report.CombinedNote(m.Combined, lang), estView: estOf(m.Overall, t, lang)})
		}
	}
}

// changes fills section 2: each indicator against the prior period and the
// year before, with the verdict after adjustment.
func (p *page) changes(r *report.Periodic, in *survey.Instrument, t *texts, lang string) {
	family := 0
	for _, kind := range []string{report.AgainstPrior, report.AgainstYearBefore} {
		var g *changeGroup
		for _, c := range r.Changes {
			if c.Against != kind {
				continue
			}
			if g == nil {
				title := t.Prior
				if kind == report.AgainstYearBefore {
					title = t.YearBefore
				}
				p.Changes = append(p.Changes, changeGroup{Title: title + ": " + periodName(c.Period, lang) + " (" + span(c.From, c.To, lang) + ")"})
				g = &p.Changes[len(p.Changes)-1]
			}
			if c.Change.P != nil {
				family++
			}
			ok := c.Note == "" && enough(c.Current, c.Then)
			row := changeRow{Name: indicatorName(in, c.Indicator, t, lang), Then: estOf(c.Then, t, lang), Now: estOf(c.Current, t, lang),
				Change: "–", CI: "–", PAdj: "–"}
			row.Verdict, row.Class = compareWords(c.Change, ok, t, lang)
			if ok && c.Change.Diff != nil {
				row.Change = report.Signed(c.Change.Diff, lang)
				row.CI = report.Interval(c.Change.CILow, c.Change.CIHigh, lang)
				row.PAdj = pText(c.Change.PAdj, lang)
			}
			if c.Note != "" {
				row.Note = t.NotComparable
			}
			g.Rows = append(g.Rows, row)
		}
	}
	if len(p.Changes) > 0 {
		p.ChangeNote = fmt.Sprintf(t.ChangeNote, adjustName(r.Adjust, t), family) + " " + t.CINote
	}
}

// children fills section 3, the league table.
func (p *page) children(r *report.Periodic, t *texts, lang string) {
	ch := r.Children
	if ch == nil || len(ch.Children) == 0 {
		return
	}
	p.RanksPending = ch.Ranks.Status == "pending"
	p.ChildrenNote = fmt.Sprintf(t.ChildrenNote, ch.AgencyName, adjustName(ch.Adjust, t))
	for _, c := range ch.Children {
		name := c.Name + " (" + c.Code + ")"
		if c.Closed {
			name += " " + t.ClosedMark
		}
		row := childRow{Name: name, estView: estOf(c.Overall, t, lang), Rank: "–"}
		for _, n := range []string{report.CombinedNote(c.Combined, lang), report.UnderNote(&c, lang)} {
			if n != "" {
				row.Notes = append(row.Notes, n)
			}
		}
		row.VsRest, row.Class = compareWords(c.VsRest, c.Overall.Reportable, t, lang)
		if k := c.Rank; k != nil {
			p.HasRanks = true
			row.Rank = fmt.Sprintf("%d–%d %s %d", k.Low, k.High, t.RankOf, k.Of)
			if k.Low == k.High {
				row.Rank = fmt.Sprintf("%d %s %d", k.Low, t.RankOf, k.Of)
			}
		}
		p.Children = append(p.Children, row)
	}
}

// planOf is one plan of section 5.
func planOf(ps report.PlanSummary, in *survey.Instrument, level float64, t *texts, lang string) planView {
	var v planView
	if pl := ps.Plan; pl != nil {
		v.Title = pl.Title
		v.Meta = fmt.Sprintf("%s %s (%s), %d", t.PlanOf, pl.AgencyName, pl.AgencyCode, pl.Year)
	}
	for _, tg := range ps.Targets {
		inst := in
		if in != nil && tg.Instrument != "" && tg.Instrument != in.ID {
			inst = nil
		}
		name := indicatorName(inst, tg.Indicator, t, lang)
		if inst == nil && tg.Instrument != "" {
			name += " (" + tg.Instrument + ")"
		}
		status := shownTarget(tg)
		v.Targets = append(v.Targets, targetRow{Name: name, Target: report.Number(tg.Target, 2, lang) + "%",
			Current: estOf(tg.Current, t, lang), Status: report.TargetLabel(status, lang), Class: targetClass(status)})
	}
	counts := func(name string, c survey.TaskCounts) countRow {
		return countRow{Name: name, Total: count(int64(c.Total), lang), Todo: count(int64(c.Todo), lang),
			Doing: count(int64(c.Doing), lang), Done: count(int64(c.Done), lang), Overdue: count(int64(c.Overdue), lang)}
	}
	v.Counts = counts(t.Total, ps.Tasks)
	for _, u := range ps.ByUnit {
		v.ByUnit = append(v.ByUnit, counts(u.Name+" ("+u.Agency+")", u.TaskCounts))
	}
	for _, tk := range ps.Overdue {
		v.Overdue = append(v.Overdue, overdueRow{Title: tk.Title, Unit: tk.ResponsibleName + " (" + tk.Responsible + ")",
			Due: day(tk.Due, lang), Status: report.StatusLabel(tk.Status, lang)})
	}
	for _, te := range ps.Effects {
		v.Effects = append(v.Effects, effectOf(te, in, level, t, lang))
	}
	return v
}

// shownTarget is the status the document may print for a target: the
// report's, but "chưa đủ dữ liệu" when the index it is decided from may
// not be reported or has no interval.
func shownTarget(tg report.TargetStatus) string {
	if e := tg.Current; !e.Reportable || e.CILow == nil || e.CIHigh == nil {
		return report.NotEnoughData
	}
	return tg.Status
}

func targetClass(status string) string {
	switch status {
	case report.TargetMet:
		return classUp
	case report.TargetNotMet:
		return classDown
	case report.TargetUndetermined:
		return classNone
	}
	return classNoData
}

// enough reports whether both sides of a comparison may be reported.
func enough(a, b scoring.Estimate) bool { return a.Reportable && b.Reportable }

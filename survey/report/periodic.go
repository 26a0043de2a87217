package report

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// Kinds of comparison of a periodic report.
const (
	AgainstPrior      = "prior"       // the period of the same kind just before
	AgainstYearBefore = "year_before" // the same period a year before
)

// WeakestCount is how many of the lowest criteria a periodic report lists.
const WeakestCount = 5

// Periodic is a periodic report (báo cáo định kỳ) of an agency's subtree
// for a month, quarter, half-year or year: the JSON of GET /api/v1/reports.
// A lead department's report (the root of an official's scope) compiles
// everything beneath it.
type Periodic struct {
	Agency     string `json:"agency"`
	AgencyName string `json:"agency_name"`
	Period     string `json:"period"`
	Kind       string `json:"kind"`
	From       string `json:"from"`
	// To is the period's last day, or today when it is not over (Complete
	// false): an unfinished period is reported up to today.
	To                string  `json:"to"`
	Complete          bool    `json:"complete"`
	AsOf              string  `json:"as_of"`
	Instrument        string  `json:"instrument"`
	InstrumentVersion int     `json:"instrument_version"`
	ConfidenceLevel   float64 `json:"confidence_level"`
	Adjust            string  `json:"adjust"`
	// Scores holds the overall, element and criterion indices with their
	// intervals, n, set-aside ratings and the response rate.
	Scores *Scores `json:"scores"`
	// Changes compares the overall and element indices with the period of
	// the same kind before and the same period a year before, adjusted
	// together for multiplicity.
	Changes []PeriodChange `json:"changes"`
	// Children is the league table of the agency's direct children.
	Children *Children `json:"children"`
	// Trend is the overall index month by month over the twelve months
	// ending with the period.
	Trend *Trend `json:"trend"`
	// Weakest are the reportable criteria with the lowest indices, lowest
	// first (their intervals say whether they are told apart).
	Weakest []scoring.ItemResult `json:"weakest"`
	// Plans are the improvement plans of the agency and its subtree for the
	// period's year.
	Plans []PlanSummary `json:"plans"`
	// Official are the official yearly results recorded for the agency,
	// each beside the platform's own index for that year.
	Official []OfficialRow `json:"official"`
}

// PeriodChange is one indicator compared with another period.
type PeriodChange struct {
	Against   string             `json:"against"`
	Period    string             `json:"period"`
	From      string             `json:"from"`
	To        string             `json:"to"`
	Indicator string             `json:"indicator"`
	Current   scoring.Estimate   `json:"current"`
	Then      scoring.Estimate   `json:"then"`
	Change    scoring.Comparison `json:"change"`
	// Note says why there is no change when the other period could not be
	// weighted as this one is.
	Note string `json:"note,omitempty"`
}

// PlanSummary is one plan in a periodic report.
type PlanSummary struct {
	Plan    *survey.Plan      `json:"plan"`
	Targets []TargetStatus    `json:"targets"`
	Tasks   survey.TaskCounts `json:"tasks"`
	ByUnit  []UnitTasks       `json:"by_unit"`
	// Tasks, ByUnit and Overdue are the tasks as they stood on AsOf (their
	// status from their progress entries up to then); tasks created after
	// AsOf are left out. Overdue lists those past due and not done.
	Overdue []*survey.Task `json:"overdue"`
	Effects []TaskEffect   `json:"effects"`
}

// UnitTasks is the tasks of one responsible unit.
type UnitTasks struct {
	Agency string `json:"agency"`
	Name   string `json:"name"`
	survey.TaskCounts
}

// TaskEffect is a task with the effect on its criteria.
type TaskEffect struct {
	Task   *survey.Task `json:"task"`
	Effect *Effect      `json:"effect"`
}

// OfficialRow is an official yearly result beside the platform's own
// overall index of the same agency and year (up to AsOf).
type OfficialRow struct {
	survey.OfficialResult
	Text     string           `json:"text"`
	Platform scoring.Estimate `json:"platform"`
	From     string           `json:"platform_from"`
	To       string           `json:"platform_to"`
}

// PeriodicQuery names a periodic report.
type PeriodicQuery struct {
	Agency     *survey.Agency
	Instrument *survey.Instrument
	Period     survey.ReportPeriod
	// Today is the day the report is made on; an unfinished period is
	// reported up to it, and tasks are overdue or not as of it.
	Today time.Time
	// Lang is the language of the official results' text.
	Lang string
}

// Periodic computes a periodic report. It needs s.Plans.
func (s *Service) Periodic(ctx context.Context, q PeriodicQuery) (*Periodic, error) {
	p, begun := q.Period.Clip(q.Today)
	if !begun {
		return nil, survey.Errorf(survey.EINVALID, "period %s has not begun", q.Period.Name)
	}
	asOf := p.To
	base := Query{Agency: q.Agency, Instrument: q.Instrument, Period: p}
	out := &Periodic{Agency: q.Agency.Code, AgencyName: q.Agency.Name, Period: q.Period.Name, Kind: q.Period.Kind,
		From: p.FromString(), To: p.ToString(), Complete: q.Period.Complete(q.Today), AsOf: asOf.Format("2006-01-02"),
		Instrument: q.Instrument.ID, InstrumentVersion: q.Instrument.Version, ConfidenceLevel: s.Level(), Adjust: s.adjust(),
		Changes: []PeriodChange{}, Weakest: []scoring.ItemResult{}, Plans: []PlanSummary{}, Official: []OfficialRow{}}
	var err error
	if out.Scores, err = s.Scores(ctx, base); err != nil {
		return nil, err
	}
	if out.Changes, err = s.periodChanges(ctx, base, out.Scores, q.Period); err != nil {
		return nil, err
	}
	if out.Children, err = s.Children(ctx, base, ChildrenOptions{RankWait: 5 * time.Second}); err != nil {
		return nil, err
	}
	tq := base
	tq.Period = survey.Period{From: time.Date(p.To.Year(), p.To.Month()-11, 1, 0, 0, 0, 0, survey.Vietnam), To: p.To}
	if out.Trend, err = s.Trend(ctx, tq); err != nil {
		return nil, err
	}
	out.Weakest = weakest(out.Scores.Items, WeakestCount)
	if s.Plans != nil {
		if out.Plans, err = s.planSummaries(ctx, q, p, asOf); err != nil {
			return nil, err
		}
		if out.Official, err = s.officialRows(ctx, q, asOf); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// periodChanges compares the overall and element indices of cur with the
// prior period and the year before, Holm- (or BH-) adjusted together.
func (s *Service) periodChanges(ctx context.Context, q Query, cur *Scores, rp survey.ReportPeriod) ([]PeriodChange, error) {
	h, err := s.loadHistory(ctx)
	if err != nil {
		return nil, err
	}
	var out []PeriodChange
	curResult := scoring.Result{Overall: cur.Overall, Elements: cur.Elements, Items: cur.Items, Respondents: cur.Respondents}
	for _, o := range []struct {
		against string
		rp      survey.ReportPeriod
	}{{AgainstPrior, rp.Prior()}, {AgainstYearBefore, rp.YearBefore()}} {
		// A period not over yet is compared with the whole of the other
		// (the report says it is not complete): a part of a month cannot
		// be weighted by a monthly volume.
		op := o.rp.Period
		oq := q
		oq.Period = op
		t, err := s.load(ctx, oq, op, h)
		if err != nil {
			return nil, err
		}
		r := s.compute(q.Instrument, t.total[q.Agency.ID])
		note := s.reweigh(q, t, q.Agency, cur.Weighting, &r)
		mk := func(code string, now, then scoring.Estimate) PeriodChange {
			c := PeriodChange{Against: o.against, Period: o.rp.Name, From: op.FromString(), To: op.ToString(),
				Indicator: code, Current: now, Then: then, Note: note}
			// Only reportable pairs are compared (and adjusted): a change
			// between indices that are not shown is not shown either.
			if note == "" && now.Reportable && then.Reportable {
				if code == survey.IndicatorOverall {
					c.Change = s.compare(q.Instrument, cur.Weighting, curResult, r)
				} else {
					c.Change = scoring.CompareEstimates(now, then, s.Level())
				}
			}
			return c
		}
		out = append(out, mk(survey.IndicatorOverall, cur.Overall.Estimate, r.Overall.Estimate))
		for i, e := range cur.Elements {
			if i < len(r.Elements) {
				out = append(out, mk(e.Code, e.Estimate, r.Elements[i].Estimate))
			}
		}
	}
	cs := make([]scoring.Comparison, len(out))
	for i := range out {
		cs[i] = out[i].Change
	}
	scoring.AdjustComparisons(cs, s.adjust(), s.Level())
	for i := range out {
		out[i].Change = cs[i]
	}
	return out, nil
}

// weakest returns the n reportable criteria with the lowest indices.
func weakest(items []scoring.ItemResult, n int) []scoring.ItemResult {
	var ok []scoring.ItemResult
	for _, it := range items {
		if it.Reportable && it.Index != nil {
			ok = append(ok, it)
		}
	}
	sort.SliceStable(ok, func(i, j int) bool { return *ok[i].Index < *ok[j].Index })
	if len(ok) > n {
		ok = ok[:n]
	}
	if ok == nil {
		ok = []scoring.ItemResult{}
	}
	return ok
}

// planSummaries summarises the plans of the agency's subtree for the
// period's year.
func (s *Service) planSummaries(ctx context.Context, q PeriodicQuery, p survey.Period, asOf time.Time) ([]PlanSummary, error) {
	plans, err := s.Plans.ListPlans(ctx, survey.PlanFilter{Agency: q.Agency.Code, Year: q.Period.Year()})
	if err != nil {
		return nil, err
	}
	h, err := s.loadHistory(ctx)
	if err != nil {
		return nil, err
	}
	var mine map[int64]bool // the report's subtree today, when the tree changed
	if h != nil {
		mine = h.subtreeToday(q.Agency.ID)
	}
	out := []PlanSummary{}
	for _, pl := range plans {
		ps := PlanSummary{Plan: pl, ByUnit: []UnitTasks{}, Overdue: []*survey.Task{}, Effects: []TaskEffect{}}
		if ps.Targets, err = s.Targets(ctx, pl, p); err != nil {
			return nil, err
		}
		tasks, err := s.Plans.ListTasks(ctx, survey.TaskFilter{PlanID: pl.ID})
		if err != nil {
			return nil, err
		}
		units := map[string]int{}
		for _, lt := range tasks {
			// As the task stood at the end of the period: a report of a
			// past quarter says which tasks were late then, whatever was
			// done since, and leaves out tasks planned later.
			full, err := s.Plans.FindTask(ctx, pl.ID, lt.ID)
			if err != nil {
				return nil, err
			}
			t, existed := full.On(asOf)
			if !existed {
				continue
			}
			ps.Tasks.Add(t, asOf)
			i, ok := units[t.Responsible]
			if !ok {
				i = len(ps.ByUnit)
				units[t.Responsible] = i
				ps.ByUnit = append(ps.ByUnit, UnitTasks{Agency: t.Responsible, Name: t.ResponsibleName})
			}
			ps.ByUnit[i].Add(t, asOf)
			if t.Overdue(asOf) {
				ps.Overdue = append(ps.Overdue, t)
			}
			eff, err := s.Effect(ctx, pl, t, asOf)
			if err != nil {
				return nil, fmt.Errorf("effect of task %d: %w", t.ID, err)
			}
			// The report's readers may see its agency's subtree: an effect
			// measured at a unit now outside it (a successor elsewhere)
			// carries its verdicts only.
			if mine != nil && !mine[h.idOf(eff.Responsible)] {
				eff = eff.VerdictsOnly()
			}
			ps.Effects = append(ps.Effects, TaskEffect{Task: t, Effect: eff})
		}
		sort.SliceStable(ps.ByUnit, func(i, j int) bool { return ps.ByUnit[i].Agency < ps.ByUnit[j].Agency })
		out = append(out, ps)
	}
	return out, nil
}

// officialRows puts each official result of the agency beside the
// platform's overall index of its year (up to asOf).
func (s *Service) officialRows(ctx context.Context, q PeriodicQuery, asOf time.Time) ([]OfficialRow, error) {
	rs, err := s.Plans.OfficialResults(ctx, q.Agency.Code)
	if err != nil {
		return nil, err
	}
	return s.OfficialRows(ctx, q.Agency, q.Instrument, rs, asOf, q.Lang)
}

// OfficialRows puts each official result beside the platform's overall
// index of agency a for the result's year, up to asOf (the agency page
// and reports show them so).
func (s *Service) OfficialRows(ctx context.Context, a *survey.Agency, in *survey.Instrument, rs []*survey.OfficialResult, asOf time.Time, lang string) ([]OfficialRow, error) {
	out := []OfficialRow{}
	years := map[int]scoring.Estimate{}
	for _, r := range rs {
		yp, err := survey.ParseReportPeriod(fmt.Sprintf("%04d", r.Year))
		if err != nil {
			return nil, err
		}
		row := OfficialRow{OfficialResult: *r, Text: OfficialText(r, lang), From: yp.FromString(), To: yp.ToString()}
		if p, ok := yp.Clip(asOf); ok {
			row.To = p.ToString()
			est, seen := years[r.Year]
			if !seen {
				res, err := s.weighted(ctx, Query{Agency: a, Instrument: in, Period: p})
				if err != nil {
					return nil, err
				}
				est = res.Overall.Estimate
				years[r.Year] = est
			}
			row.Platform = est
		}
		out = append(out, row)
	}
	return out, nil
}

// weighted is the result of q's agency, weighted as its scores are.
func (s *Service) weighted(ctx context.Context, q Query) (scoring.Result, error) {
	h, err := s.loadHistory(ctx)
	if err != nil {
		return scoring.Result{}, err
	}
	t, err := s.load(ctx, q, q.Period, h)
	if err != nil {
		return scoring.Result{}, err
	}
	r := s.compute(q.Instrument, t.total[q.Agency.ID])
	s.weights(q, t, &r)
	return r, nil
}

package report

import (
	"context"
	"fmt"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// Statuses of a plan's target, decided by the interval of the index.
const (
	TargetMet          = "met"          // the interval lies above the target: "đạt"
	TargetNotMet       = "not_met"      // the interval lies below it: "chưa đạt"
	TargetUndetermined = "undetermined" // the target is inside the interval: "chưa xác định"
	// NotEnoughData: the index is below the reporting rules ("chưa đủ
	// dữ liệu"); also a verdict of effects.
	NotEnoughData = "not_enough_data"
)

// Verdicts of a task's effect on a criterion, decided by the interval of
// the difference of differences.
const (
	EffectImproved = "improved"  // "cải thiện có ý nghĩa"
	EffectNone     = "no_change" // "chưa thấy thay đổi có ý nghĩa"
	EffectDeclined = "declined"  // "giảm có ý nghĩa"
)

// MaxBeforeMonths caps the period before a task's start that its effect is
// measured against.
const MaxBeforeMonths = 6

// TargetStatus is one target of a plan with the index of the plan's agency
// (its subtree, weighted as its scores are) over a period, and its status.
type TargetStatus struct {
	survey.PlanTarget
	From    string           `json:"from"`
	To      string           `json:"to"`
	Current scoring.Estimate `json:"current"`
	Status  string           `json:"status"`
	// Redacted is set when Current is left out: the reader may read the
	// plan but not see its agency's indices.
	Redacted bool `json:"redacted,omitempty"`
}

// Targets returns the status of each of plan's targets over p at the
// plan's agency.
func (s *Service) Targets(ctx context.Context, plan *survey.Plan, p survey.Period) ([]TargetStatus, error) {
	a, err := s.Agencies.FindAgency(ctx, plan.AgencyCode)
	if err != nil {
		return nil, err
	}
	results := map[string]*scoring.Result{}
	out := make([]TargetStatus, 0, len(plan.Targets))
	for _, tg := range plan.Targets {
		in, err := s.Instruments.Current(tg.Instrument)
		if err != nil {
			return nil, err
		}
		r := results[in.ID]
		if r == nil {
			res, err := s.weighted(ctx, Query{Agency: a, Instrument: in, Period: p})
			if err != nil {
				return nil, err
			}
			r = &res
			results[in.ID] = r
		}
		est, _ := indicator(in, *r, tg.Indicator)
		out = append(out, TargetStatus{PlanTarget: tg, From: p.FromString(), To: p.ToString(), Current: est,
			Status: targetStatus(est, tg.Target)})
	}
	return out, nil
}

// PlanTargets returns the status of plan's targets over its year up to
// today, and the period measured; begun is false (and every target
// NotEnoughData) when the year has not begun.
func (s *Service) PlanTargets(ctx context.Context, plan *survey.Plan, today time.Time) (ts []TargetStatus, p survey.Period, begun bool, err error) {
	if p, begun = PlanPeriod(plan, today); begun {
		ts, err = s.Targets(ctx, plan, p)
		return ts, p, true, err
	}
	ts = make([]TargetStatus, 0, len(plan.Targets))
	for _, tg := range plan.Targets {
		ts = append(ts, TargetStatus{PlanTarget: tg, Status: NotEnoughData})
	}
	return ts, p, false, nil
}

// PlanPeriod is the part of a plan's year up to today (in Vietnam), and
// false when the year has not begun.
func PlanPeriod(plan *survey.Plan, today time.Time) (survey.Period, bool) {
	rp, err := survey.ParseReportPeriod(fmt.Sprintf("%04d", plan.Year))
	if err != nil {
		return survey.Period{}, false
	}
	return rp.Clip(today)
}

// targetStatus decides a target's status from the estimate's interval.
func targetStatus(e scoring.Estimate, target float64) string {
	switch {
	case !e.Reportable || e.CILow == nil || e.CIHigh == nil:
		return NotEnoughData
	case *e.CILow > target:
		return TargetMet
	case *e.CIHigh < target:
		return TargetNotMet
	}
	return TargetUndetermined
}

// indicator picks an indicator's estimate out of a result, with the item
// result when it is a criterion.
func indicator(in *survey.Instrument, r scoring.Result, code string) (scoring.Estimate, *scoring.ItemResult) {
	if code == survey.IndicatorOverall {
		// The overall index of a one-item instrument is that item's, a
		// proportion: compared with Newcombe's interval, as the item is.
		if len(in.Elements) == 0 && len(r.Items) == 1 {
			return r.Overall.Estimate, &r.Items[0]
		}
		return r.Overall.Estimate, nil
	}
	if k, ok := in.ItemIndex(code); ok && k < len(r.Items) {
		return r.Items[k].Estimate, &r.Items[k]
	}
	for _, e := range r.Elements {
		if e.Code == code {
			return e.Estimate, nil
		}
	}
	return scoring.Estimate{}, nil
}

// Span is a range of dates.
type Span struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func spanOf(p survey.Period) Span { return Span{From: p.FromString(), To: p.ToString()} }

// Why an effect has no comparison group (Effect.NoComparison).
const (
	NoRestSelf        = "plan_agency"
	NoRestOutside     = "predecessors_outside"
	NoRestUnitOutside = "unit_outside"
)

// Effect is whether the criteria a task targets moved at its responsible
// unit: the JSON of GET /api/v1/plans/{id}/tasks/{tid}/effect.
type Effect struct {
	Plan            int64  `json:"plan"`
	Task            int64  `json:"task"`
	Instrument      string `json:"instrument"`
	Responsible     string `json:"responsible"`
	ResponsibleName string `json:"responsible_name"`
	// MergedFrom is the task's own unit when it has since merged into
	// Responsible (on MergedOn): the task follows the successor.
	MergedFrom string `json:"merged_from,omitempty"`
	MergedOn   string `json:"merged_on,omitempty"`
	// SplitInto are the successors of the responsible unit when it has
	// since split (on SplitOn). The task stays with the unit: no one
	// successor carries on its work, and its indices are its own ratings
	// (its counters rate its successors from the split on).
	SplitInto []string `json:"split_into,omitempty"`
	SplitOn   string   `json:"split_on,omitempty"`
	// Comparison is the plan's agency, whose rest (its subtree without the
	// responsible unit's) is the comparison group. It is empty when there
	// is none, and NoComparison says why: NoRestSelf, the responsible unit
	// is the plan's agency itself; NoRestOutside, some of the unit's
	// predecessors lay outside the plan's agency, so its rest would lack
	// or hold the wrong ratings; NoRestUnitOutside, the unit (or the
	// successor it merged into) is outside the plan's agency today, and
	// its effect is measured in its own tree.
	Comparison     string `json:"comparison"`
	ComparisonName string `json:"comparison_name"`
	NoComparison   string `json:"no_comparison,omitempty"`
	Before         Span   `json:"before"`
	After          Span   `json:"after"`
	// Started is false when the task starts after the day the effect is
	// measured on: nothing is measured then.
	Started bool `json:"started"`
	// ConfidenceLevel is that of the indices; DifferenceLevel that of the
	// differences, simultaneous across the task's criteria (Bonferroni),
	// so that the verdicts hold together.
	ConfidenceLevel float64           `json:"confidence_level"`
	DifferenceLevel float64           `json:"difference_level"`
	Criteria        []CriterionEffect `json:"criteria"`
	Rules           scoring.Rules     `json:"rules"`
	// Redacted is set when the criteria carry their verdicts only: the
	// reader may read the plan but not see the responsible unit's indices.
	Redacted bool `json:"redacted,omitempty"`
}

// CriterionEffect is one targeted criterion: at the responsible unit and
// at the rest of the plan's agency, the index before and after the start
// and the change; the difference of the two changes; the verdict.
type CriterionEffect struct {
	Indicator string  `json:"indicator"`
	Unit      Change  `json:"unit"`
	Rest      *Change `json:"rest"`
	// DiffOfDiffs is the unit's change minus the rest's (the unit's change
	// itself when there is no rest).
	DiffOfDiffs scoring.Comparison `json:"diff_of_diffs"`
	Verdict     string             `json:"verdict"`
}

// Change is an index before and after a date and its difference (after −
// before), with Newcombe's interval for a criterion.
type Change struct {
	Before     scoring.Estimate   `json:"before"`
	After      scoring.Estimate   `json:"after"`
	Difference scoring.Comparison `json:"difference"`
}

// EffectPeriods are the periods a task's effect compares: after is from
// its start to the day of today or its due date, whichever is first; before
// is as long, just before the start, at most MaxBeforeMonths. started is
// false when the task has not begun on the day of today.
func EffectPeriods(t *survey.Task, today time.Time) (before, after survey.Period, started bool) {
	start, _ := time.ParseInLocation("2006-01-02", t.Start, survey.Vietnam)
	due, _ := time.ParseInLocation("2006-01-02", t.Due, survey.Vietnam)
	y, m, d := today.In(survey.Vietnam).Date()
	end := time.Date(y, m, d, 0, 0, 0, 0, survey.Vietnam)
	if due.Before(end) {
		end = due
	}
	after = survey.Period{From: start, To: end}
	if end.Before(start) {
		return survey.Period{From: start.AddDate(0, 0, -1), To: start.AddDate(0, 0, -1)}, survey.Period{From: start, To: start}, false
	}
	bt := start.AddDate(0, 0, -1)
	bf := bt.AddDate(0, 0, -(after.Days() - 1))
	if earliest := start.AddDate(0, -MaxBeforeMonths, 0); bf.Before(earliest) {
		bf = earliest
	}
	return survey.Period{From: bf, To: bt}, after, true
}

// Effect measures whether task t of plan moved its criteria, as of today.
// Indices pool respondents (no volume weighting): the question is whether
// the unit's citizens rate it better, not how the province's index moved.
func (s *Service) Effect(ctx context.Context, plan *survey.Plan, t *survey.Task, today time.Time) (*Effect, error) {
	in, err := s.Instruments.Current(plan.Instrument)
	if err != nil {
		return nil, err
	}
	pa, err := s.Agencies.FindAgency(ctx, plan.AgencyCode)
	if err != nil {
		return nil, err
	}
	ra, err := s.Agencies.FindAgency(ctx, t.Responsible)
	if err != nil {
		return nil, err
	}
	// A unit merged since the task was given: the task follows its
	// successor, whose history holds the unit's ratings.
	h, err := s.loadHistory(ctx)
	if err != nil {
		return nil, err
	}
	orig := ra
	ra, mergedOn := h.follow(ra)
	before, after, started := EffectPeriods(t, today)
	dl := scoring.SimultaneousLevel(s.Level(), len(t.Criteria))
	out := &Effect{Plan: plan.ID, Task: t.ID, Instrument: in.ID, Responsible: ra.Code, ResponsibleName: ra.Name,
		MergedFrom: mergedFrom(orig, ra), MergedOn: mergedOn,
		Before: spanOf(before), After: spanOf(after), Started: started,
		ConfidenceLevel: s.Level(), DifferenceLevel: dl, Criteria: []CriterionEffect{}, Rules: s.rules()}
	out.SplitInto, out.SplitOn = h.splitOf(ra)
	hasRest := ra.ID != pa.ID
	// The unit's indices are read in the plan's agency's tree, or in its
	// own when it (or the successor it merged into) is outside it today.
	root := pa
	switch {
	case !hasRest:
		out.NoComparison = NoRestSelf
	case h != nil && !h.subtreeToday(pa.ID)[ra.ID]:
		root, hasRest, out.NoComparison = ra, false, NoRestUnitOutside
	default:
		outside, err := s.predecessorsOutside(ctx, h, ra, pa)
		if err != nil {
			return nil, err
		}
		if outside {
			hasRest, out.NoComparison = false, NoRestOutside
		}
	}
	if hasRest {
		out.Comparison, out.ComparisonName = pa.Code, pa.Name
	}
	if !started {
		for _, c := range t.Criteria {
			out.Criteria = append(out.Criteria, CriterionEffect{Indicator: c, Verdict: NotEnoughData})
		}
		return out, nil
	}
	side := func(p survey.Period) (unit, rest scoring.Result, err error) {
		q := Query{Agency: root, Instrument: in, Period: p, Weighting: WeightRespondents}
		tr, err := s.load(ctx, q, p, h)
		if err != nil {
			return unit, rest, err
		}
		// Absent: the unit had no ratings of its own or of its
		// predecessors' in the period.
		ub := bundleOr(in, tr.total[ra.ID])
		if !hasRest {
			return s.compute(in, ub), rest, nil
		}
		// The rest of the plan's agency: without the unit, and without
		// its predecessors' ratings before its merger, which the plan's
		// total holds when they were in its subtree (outside is checked
		// above: there is then no comparison group).
		rb := tr.total[pa.ID].Clone()
		if err := rb.Sub(ub); err != nil {
			return unit, rest, fmt.Errorf("rest of %s: %w", pa.Code, err)
		}
		return s.compute(in, ub), s.compute(in, rb), nil
	}
	u0, r0, err := side(before)
	if err != nil {
		return nil, err
	}
	u1, r1, err := side(after)
	if err != nil {
		return nil, err
	}
	for _, c := range t.Criteria {
		ce := CriterionEffect{Indicator: c, Unit: s.change(in, c, u0, u1, dl)}
		enough := ce.Unit.Before.Reportable && ce.Unit.After.Reportable
		if hasRest {
			rc := s.change(in, c, r0, r1, dl)
			ce.Rest = &rc
			enough = enough && rc.Before.Reportable && rc.After.Reportable
			ce.DiffOfDiffs = scoring.DiffOfDiffs(ce.Unit.Difference, rc.Difference, dl)
		} else {
			ce.DiffOfDiffs = ce.Unit.Difference
		}
		ce.Verdict = verdict(enough, ce.DiffOfDiffs)
		bonferroni(&ce.DiffOfDiffs, len(t.Criteria))
		out.Criteria = append(out.Criteria, ce)
	}
	return out, nil
}

// predecessorsOutside reports whether any predecessor of a (through
// mergers) lies outside root's subtree.
func (s *Service) predecessorsOutside(ctx context.Context, h *history, a, root *survey.Agency) (bool, error) {
	if h == nil {
		return false, nil
	}
	queue, seen := []int64{a.ID}, map[int64]bool{a.ID: true}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, pr := range h.preds[id] {
			if seen[pr.id] {
				continue
			}
			seen[pr.id] = true
			in, err := s.Agencies.InSubtree(ctx, root.Code, h.code(pr.id))
			if err != nil {
				return false, err
			}
			if !in {
				return true, nil
			}
			queue = append(queue, pr.id)
		}
	}
	return false, nil
}

func mergedFrom(orig, now *survey.Agency) string {
	if orig.ID == now.ID {
		return ""
	}
	return orig.Code
}

// change is an indicator's change between two results at level.
func (s *Service) change(in *survey.Instrument, code string, before, after scoring.Result, level float64) Change {
	b, bi := indicator(in, before, code)
	a, ai := indicator(in, after, code)
	ch := Change{Before: b, After: a}
	if bi != nil && ai != nil {
		ch.Difference = scoring.CompareItems(*ai, *bi, level)
	} else {
		ch.Difference = scoring.CompareEstimates(a, b, level)
	}
	return ch
}

// bonferroni sets c's adjusted p-value for a family of m, as its
// simultaneous interval is: min(1, m·p).
func bonferroni(c *scoring.Comparison, m int) {
	if c.P == nil {
		return
	}
	padj := min(1, float64(max(m, 1))**c.P)
	c.PAdj = &padj
}

// VerdictsOnly returns the effect without its numbers: the periods and each
// criterion's verdict only, for a reader who may read the plan but not see
// the responsible unit's indices (survey.CanSee).
func (e *Effect) VerdictsOnly() *Effect {
	out := *e
	out.Criteria = make([]CriterionEffect, len(e.Criteria))
	for i, c := range e.Criteria {
		out.Criteria[i] = CriterionEffect{Indicator: c.Indicator, Verdict: c.Verdict}
	}
	out.Redacted = true
	return &out
}

// RedactTargets returns the targets' statuses without the indices they
// were decided from, for a reader who may read the plan but not see its
// agency's indices.
func RedactTargets(ts []TargetStatus) []TargetStatus {
	out := make([]TargetStatus, len(ts))
	for i, t := range ts {
		out[i] = TargetStatus{PlanTarget: t.PlanTarget, From: t.From, To: t.To, Current: scoring.Estimate{Flags: []string{}}, Status: t.Status, Redacted: true}
	}
	return out
}

// verdict decides an effect from the interval of its difference.
func verdict(enough bool, d scoring.Comparison) string {
	switch {
	case !enough || d.CILow == nil || d.CIHigh == nil:
		return NotEnoughData
	case *d.CILow > 0:
		return EffectImproved
	case *d.CIHigh < 0:
		return EffectDeclined
	}
	return EffectNone
}

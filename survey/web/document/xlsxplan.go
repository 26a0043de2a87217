package document

import (
	"strings"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// planCols are the columns naming a plan.
func planCols(pl *survey.Plan) []any {
	if pl == nil {
		return []any{nil, nil, nil, nil}
	}
	return []any{pl.ID, pl.Title, pl.AgencyCode, pl.Year}
}

func sheetTargets(b *book, r *report.Periodic, in *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.Targets); err != nil {
		return err
	}
	if err := b.header(t.XPlanID, t.XPlanTitle, t.XAgencyCode, t.XYear, t.XIndicatorCode, t.Indicator, t.Instrument, t.XTarget,
		t.Current, t.XLow, t.XHigh, t.N, t.Status, t.XFrom, t.XTo, t.Note); err != nil {
		return err
	}
	for _, ps := range r.Plans {
		for _, tg := range ps.Targets {
			inst := in
			if in != nil && tg.Instrument != "" && tg.Instrument != in.ID {
				inst = nil
			}
			vals := row(planCols(ps.Plan), tg.Indicator, indicatorName(inst, tg.Indicator, t, lang), tg.Instrument, tg.Target,
				est(tg.Current), report.TargetLabel(shownTarget(tg), lang), tg.From, tg.To, noteOf(tg.Current, t, lang))
			if err := b.put(vals...); err != nil {
				return err
			}
		}
	}
	return nil
}

// taskHeader is the header of the tasks sheet: the task, its effect's
// periods and comparison group, then for each criterion the four indices
// (each with its interval and n), the difference of differences with its
// interval and the level of that interval, and the verdict.
func taskHeader(t *texts) []string {
	cols := []string{t.XPlanID, t.XTaskID, t.Task, t.XUnitCode, t.XUnitName, t.Start, t.Due, t.Status, t.Overdue, t.XTaskCriteria,
		t.XBeforeFrom, t.XBeforeTo, t.XAfterFrom, t.XAfterTo, t.XComparison, t.XCriterionCode, t.Criterion}
	for _, side := range []string{t.XUnitBefore, t.XUnitAfter, t.XRestBefore, t.XRestAfter} {
		cols = append(cols, side+": "+t.Index, side+": "+t.XLow, side+": "+t.XHigh, side+": "+t.N)
	}
	return append(cols, t.DiffOfDiffs, t.XDiff+": "+t.XLow, t.XDiff+": "+t.XHigh, t.XDiffLevel, t.Verdict, t.Note)
}

func sheetTasks(b *book, r *report.Periodic, in *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.Tasks); err != nil {
		return err
	}
	if err := b.header(taskHeader(t)...); err != nil {
		return err
	}
	for _, ps := range r.Plans {
		var id any
		if ps.Plan != nil {
			id = ps.Plan.ID
		}
		overdue := map[int64]bool{}
		for _, tk := range ps.Overdue {
			if tk != nil {
				overdue[tk.ID] = true
			}
		}
		for _, te := range ps.Effects {
			tk := te.Task
			if tk == nil {
				continue
			}
			od := t.No
			if overdue[tk.ID] {
				od = t.Yes
			}
			lead := row(id, tk.ID, tk.Title, tk.Responsible, tk.ResponsibleName, tk.Start, tk.Due, report.StatusLabel(tk.Status, lang), od,
				strings.Join(tk.Criteria, ", "))
			e := te.Effect
			if e == nil {
				if err := b.put(lead...); err != nil {
					return err
				}
				continue
			}
			var comparison any = t.XNoComparison
			if e.Comparison != "" {
				comparison = t.Rest + " " + e.ComparisonName + " (" + e.Comparison + ")"
			}
			if e.Started {
				lead = append(lead, e.Before.From, e.Before.To, e.After.From, e.After.To, comparison)
			} else {
				lead = append(lead, nil, nil, nil, nil, comparison)
			}
			if len(e.Criteria) == 0 {
				if err := b.put(lead...); err != nil {
					return err
				}
				continue
			}
			for _, c := range e.Criteria {
				if err := b.put(taskRow(lead, e, c, in, t, lang)...); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// taskRow is one criterion of a task's effect after the task's columns
// (lead): no index, interval or difference the reporting rules do not
// allow, and the verdict the document prints.
func taskRow(lead []any, e *report.Effect, c report.CriterionEffect, in *survey.Instrument, t *texts, lang string) []any {
	vals := append(append([]any{}, lead...), c.Indicator, indicatorName(in, c.Indicator, t, lang))
	none := []any{nil, nil, nil, nil}
	switch {
	case !e.Started:
		vals = row(vals, none, none, none, none)
	case c.Rest == nil:
		vals = row(vals, est(c.Unit.Before), est(c.Unit.After), none, none)
	default:
		vals = row(vals, est(c.Unit.Before), est(c.Unit.After), est(c.Rest.Before), est(c.Rest.After))
	}
	verdict := report.NotEnoughData
	if e.Started {
		verdict = shownVerdict(e, c)
	}
	if verdict != report.NotEnoughData {
		d := c.DiffOfDiffs
		vals = append(vals, f64(d.Diff), f64(d.CILow), f64(d.CIHigh), confLevel(e.DifferenceLevel))
	} else {
		vals = append(vals, nil, nil, nil, nil)
	}
	var notes []string
	if !e.Started {
		notes = append(notes, t.NotStarted)
	}
	notes = append(notes, effectNotes(e, t, lang)...)
	return append(vals, report.VerdictLabel(verdict, lang), strings.Join(notes, " "))
}

func sheetByUnit(b *book, r *report.Periodic, _ *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.ByUnit); err != nil {
		return err
	}
	if err := b.header(t.XPlanID, t.XUnitCode, t.XUnitName, t.Total, report.StatusLabel(survey.TaskTodo, lang),
		report.StatusLabel(survey.TaskDoing, lang), report.StatusLabel(survey.TaskDone, lang), t.Overdue); err != nil {
		return err
	}
	for _, ps := range r.Plans {
		var id any
		if ps.Plan != nil {
			id = ps.Plan.ID
		}
		for _, u := range ps.ByUnit {
			if err := b.put(id, u.Agency, u.Name, u.Total, u.Todo, u.Doing, u.Done, u.Overdue); err != nil {
				return err
			}
		}
		if err := b.put(id, nil, t.Total, ps.Tasks.Total, ps.Tasks.Todo, ps.Tasks.Doing, ps.Tasks.Done, ps.Tasks.Overdue); err != nil {
			return err
		}
	}
	return nil
}

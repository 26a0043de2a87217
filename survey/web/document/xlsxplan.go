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
	if err := b.header(t.XPlan, t.Title, t.Agency, t.XYear, t.Code, t.Indicator, t.Instrument, t.Target,
		t.Current, t.XLow, t.XHigh, t.N, t.Status); err != nil {
		return err
	}
	for _, ps := range r.Plans {
		for _, tg := range ps.Targets {
			inst := in
			if in != nil && tg.Instrument != "" && tg.Instrument != in.ID {
				inst = nil
			}
			vals := row(planCols(ps.Plan), tg.Indicator, indicatorName(inst, tg.Indicator, t, lang), tg.Instrument, tg.Target,
				est(tg.Current), report.TargetLabel(tg.Status, lang))
			if err := b.put(vals...); err != nil {
				return err
			}
		}
	}
	return nil
}

func sheetTasks(b *book, r *report.Periodic, in *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.Tasks); err != nil {
		return err
	}
	if err := b.header(t.XPlan, t.Task, t.Code, t.Unit, t.Start, t.Due, t.Status, t.Overdue, t.XCriteria,
		t.Code, t.Criterion, t.XUnitBefore, t.N, t.XUnitAfter, t.N, t.XRestBefore, t.N, t.XRestAfter, t.N,
		t.DiffOfDiffs, t.XLow, t.XHigh, t.Verdict); err != nil {
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
			lead := row(id, tk.Title, tk.Responsible, tk.ResponsibleName, tk.Start, tk.Due, report.StatusLabel(tk.Status, lang), od,
				strings.Join(tk.Criteria, ", "))
			if te.Effect == nil || len(te.Effect.Criteria) == 0 {
				if err := b.put(lead...); err != nil {
					return err
				}
				continue
			}
			for _, c := range te.Effect.Criteria {
				vals := append(append([]any{}, lead...), c.Indicator, indicatorName(in, c.Indicator, t, lang))
				if te.Effect.Started {
					ub, ua := est(c.Unit.Before), est(c.Unit.After)
					vals = append(vals, ub[0], ub[3], ua[0], ua[3])
					if c.Rest != nil {
						rb, ra := est(c.Rest.Before), est(c.Rest.After)
						vals = append(vals, rb[0], rb[3], ra[0], ra[3])
					} else {
						vals = append(vals, nil, nil, nil, nil)
					}
				} else {
					vals = append(vals, nil, nil, nil, nil, nil, nil, nil, nil)
				}
				if c.Verdict != report.NotEnoughData && c.DiffOfDiffs.Diff != nil {
					vals = append(vals, f64(c.DiffOfDiffs.Diff), f64(c.DiffOfDiffs.CILow), f64(c.DiffOfDiffs.CIHigh))
				} else {
					vals = append(vals, nil, nil, nil)
				}
				if err := b.put(append(vals, report.VerdictLabel(c.Verdict, lang))...); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func sheetByUnit(b *book, r *report.Periodic, _ *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.ByUnit); err != nil {
		return err
	}
	if err := b.header(t.XPlan, t.Code, t.Unit, t.Total, report.StatusLabel(survey.TaskTodo, lang),
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

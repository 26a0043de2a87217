package document

import (
	"fmt"
	"math"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// effectTask is one task of a plan's effect table: a heading (the task,
// its unit, its dates and periods, and notes on how to read its rows) and
// a row for each criterion it targets.
type effectTask struct {
	Title, Unit, Dates string
	// Notes are the task's periods, the level of its differences when it
	// is not the report's, and why there is no comparison group.
	Notes []string
	Rows  []effectRow
}

// effectRow is one criterion of a task. A nil side is not measured: the
// task has not started, or there is no comparison group.
type effectRow struct {
	Criterion                                    string
	UnitBefore, UnitAfter, RestBefore, RestAfter *estView
	Diff, CI, Verdict, Class                     string
}

// effectOf is one task with the verdict on each of its criteria; level is
// the report's confidence level, that of every interval the document
// prints unless it says otherwise.
func effectOf(te report.TaskEffect, in *survey.Instrument, level float64, t *texts, lang string) effectTask {
	var v effectTask
	if tk := te.Task; tk != nil {
		v.Title = tk.Title
		v.Unit = tk.ResponsibleName + " (" + tk.Responsible + ")"
		v.Dates = t.Start + " " + day(tk.Start, lang) + ", " + t.Due + " " + day(tk.Due, lang)
	}
	e := te.Effect
	if e == nil {
		v.Rows = []effectRow{noEffectRow("–", lang)}
		return v
	}
	if e.Started {
		v.Notes = append(v.Notes, fmt.Sprintf(t.EffectPeriods, span(e.Before.From, e.Before.To, lang), span(e.After.From, e.After.To, lang)))
	} else {
		v.Dates += " (" + t.NotStarted + ")"
	}
	v.Notes = append(v.Notes, effectNotes(e, t, lang)...)
	if e.Started && len(e.Criteria) > 0 && e.DifferenceLevel > 0 && math.Abs(e.DifferenceLevel-level) > 1e-9 {
		v.Notes = append(v.Notes, fmt.Sprintf(t.SimLevel, levelText(e.DifferenceLevel, lang), len(e.Criteria)))
	}
	for _, c := range e.Criteria {
		name := indicatorName(in, c.Indicator, t, lang)
		if !e.Started {
			v.Rows = append(v.Rows, noEffectRow(name, lang))
			continue
		}
		verdict := shownVerdict(e, c)
		row := effectRow{Criterion: name, Diff: "–", CI: "–",
			Verdict: report.VerdictLabel(verdict, lang), Class: verdictClass(verdict)}
		row.UnitBefore, row.UnitAfter = side(c.Unit.Before, t, lang), side(c.Unit.After, t, lang)
		if c.Rest != nil {
			row.RestBefore, row.RestAfter = side(c.Rest.Before, t, lang), side(c.Rest.After, t, lang)
		}
		if verdict != report.NotEnoughData {
			row.Diff = report.Signed(c.DiffOfDiffs.Diff, lang)
			row.CI = report.Interval(c.DiffOfDiffs.CILow, c.DiffOfDiffs.CIHigh, lang)
		}
		v.Rows = append(v.Rows, row)
	}
	if len(v.Rows) == 0 {
		v.Rows = []effectRow{noEffectRow("–", lang)}
	}
	return v
}

func side(e scoring.Estimate, t *texts, lang string) *estView {
	v := estOf(e, t, lang)
	return &v
}

func noEffectRow(criterion, lang string) effectRow {
	return effectRow{Criterion: criterion, Diff: "–", CI: "–",
		Verdict: report.VerdictLabel(report.NotEnoughData, lang), Class: classNoData}
}

// shownVerdict is the verdict the document may print for c: the
// report's, but "chưa đủ dữ liệu" unless every index it rests on (the
// unit's, and the rest's when there is a comparison group) is reportable
// and the difference has an interval.
func shownVerdict(e *report.Effect, c report.CriterionEffect) string {
	ok := e.Started && c.Unit.Before.Reportable && c.Unit.After.Reportable
	if e.Comparison != "" {
		ok = ok && c.Rest != nil && c.Rest.Before.Reportable && c.Rest.After.Reportable
	}
	if d := c.DiffOfDiffs; !ok || d.Diff == nil || d.CILow == nil || d.CIHigh == nil {
		return report.NotEnoughData
	}
	return c.Verdict
}

func verdictClass(v string) string {
	switch v {
	case report.EffectImproved:
		return classUp
	case report.EffectDeclined:
		return classDown
	case report.EffectNone:
		return classNone
	}
	return classNoData
}

// effectNotes say why an effect has no comparison group and what became
// of its responsible unit.
func effectNotes(e *report.Effect, t *texts, lang string) []string {
	var out []string
	switch {
	case e.NoComparison == report.NoRestOutside:
		out = append(out, t.NoRestOutside)
	case e.NoComparison == report.NoRestUnitOutside:
		out = append(out, t.NoRestUnit)
	case e.Comparison == "":
		out = append(out, t.NoRest)
	}
	if n := report.TaskReorgNote(e, lang); n != "" {
		out = append(out, n)
	}
	return out
}

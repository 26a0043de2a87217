package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// A report of a past quarter says what was true at its end: the task late
// then stays late in it after it is done, and a task planned after the
// quarter is not in it.
func TestPeriodicAsOfPeriodEnd(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	by := survey.Actor{Name: "test"}
	at := func(s string) { p.DB.Now = func() time.Time { return day(s) } }
	at("2026-01-05")
	plan, err := survey.ParsePlan(survey.PlanInput{Agency: "P", Year: 2026, Title: "Kế hoạch 2026",
		Targets: []survey.PlanTarget{{Indicator: "overall", Target: 80}}}, p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreatePlan(ctx, plan, by); err != nil {
		t.Fatal(err)
	}
	task := func(created, title, start, due string) *survey.Task {
		at(created)
		tk, err := survey.ParseTask(plan, survey.TaskInput{Title: title, Responsible: "D2", Criteria: []string{"TT1"}, Start: start, Due: due}, p.Instruments)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.DB.CreateTask(ctx, tk, by); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	late := task("2026-03-01", "Trễ hạn trong quý II", "2026-04-01", "2026-05-15")
	task("2026-07-05", "Giao sau quý II", "2026-07-10", "2026-09-30")
	progress := func(when, status string) {
		at(when)
		if _, err := p.DB.UpdateTask(ctx, plan.ID, late.ID, survey.TaskUpdate{Status: &status}, by); err != nil {
			t.Fatal(err)
		}
	}
	progress("2026-04-10", survey.TaskDoing)
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Plans: p.DB, Instruments: p.Instruments}
	q2, err := survey.ParseReportPeriod("2026-Q2")
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		r, err := svc.Periodic(ctx, report.PeriodicQuery{Agency: p.Agency(t, "P"), Instrument: p.Instrument(t, "sipas-2017"), Period: q2, Today: day(when)})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Plans) != 1 {
			t.Fatalf("%d plans", len(r.Plans))
		}
		ps := r.Plans[0]
		want := survey.TaskCounts{Total: 1, Doing: 1, Overdue: 1}
		if ps.Tasks != want || len(ps.Overdue) != 1 || ps.Overdue[0].ID != late.ID || ps.Overdue[0].Status != survey.TaskDoing || len(ps.Effects) != 1 {
			t.Errorf("Q2 reported on %s: tasks %+v, overdue %d, effects %d; want %+v, the late task doing", when, ps.Tasks, len(ps.Overdue), len(ps.Effects), want)
		}
	}
	check("2026-07-20")
	progress("2026-08-10", survey.TaskDone)
	check("2026-08-20")
}

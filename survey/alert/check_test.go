package alert_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/alert"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

var tester = survey.Actor{Name: "tester"}

// checkNow is the day the tests check on: the last complete month is
// 2026-03, its baseline 2025-12 to 2026-02.
var checkNow = time.Date(2026, 4, 5, 9, 0, 0, 0, survey.Vietnam)

// monthly seeds, at counter, sat satisfied (every item 5) and unsat
// unsatisfied (every item 2) ratings on the 10th of each month given.
func monthly(tb testing.TB, p *sqlitetest.Province, counter string, sat, unsat int, months ...string) {
	tb.Helper()
	for _, m := range months {
		p.Seed(tb, sqlitetest.Spec{Counter: counter, Day: m + "-10", N: sat, Value: 5},
			sqlitetest.Spec{Counter: counter, Day: m + "-11", N: unsat, Value: 2})
	}
}

// setAside stores n ratings at counter on day set aside by the rate limit.
func setAside(tb testing.TB, p *sqlitetest.Province, counter, day string, n int) {
	tb.Helper()
	at, err := time.ParseInLocation("2006-01-02", day, survey.Vietnam)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		s := p.Submission(tb, counter, 5, at.Add(9*time.Hour+time.Duration(i)*time.Minute))
		s.Flag = survey.FlagRateLimited
		if _, err := p.DB.StoreResponse(context.Background(), s); err != nil {
			tb.Fatal(err)
		}
	}
}

// plan stores a plan of agency for year with targets.
func plan(tb testing.TB, p *sqlitetest.Province, agency string, year int, targets ...survey.PlanTarget) *survey.Plan {
	tb.Helper()
	pl, err := survey.ParsePlan(survey.PlanInput{Agency: agency, Year: year, Title: "Kế hoạch " + agency, Targets: targets}, p.Instruments)
	if err != nil {
		tb.Fatal(err)
	}
	if err := p.DB.CreatePlan(context.Background(), pl, tester); err != nil {
		tb.Fatal(err)
	}
	return pl
}

// task stores a task of pl, due on due, for responsible.
func task(tb testing.TB, p *sqlitetest.Province, pl *survey.Plan, title, responsible, due string) *survey.Task {
	tb.Helper()
	t, err := survey.ParseTask(pl, survey.TaskInput{Title: title, Responsible: responsible, Start: "2026-01-05", Due: due, Criteria: []string{"TC1"}}, p.Instruments)
	if err != nil {
		tb.Fatal(err)
	}
	if err := p.DB.CreateTask(context.Background(), t, tester); err != nil {
		tb.Fatal(err)
	}
	return t
}

func checker(p *sqlitetest.Province) *alert.Checker {
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Volumes: p.DB, Plans: p.DB, Reorg: p.DB, Instruments: p.Instruments}
	return &alert.Checker{Report: svc, Alerts: p.DB, Plans: p.DB, Integrity: p.DB}
}

// key names an alert for comparisons.
func key(l *survey.Alert) string {
	return l.Kind + " " + l.Agency + " " + l.Key + " " + l.Period
}

// TestCheckerRun: on a province where D1's index falls from 80 % to 40 %
// in March while D2 stays at 80 % and D3 rises, only D1 is alerted for a
// drop (the province as a whole, D1's fall offset by D3's rise, is not);
// D2's counter, with a sixth of its ratings set aside, is alerted, D1's
// with two is not; D2's target of 95 % is missed with confidence and
// alerted, its target of 70 % and D3's of 95 % are not; the overdue task
// is alerted, the done one and the one not yet due are not. Running again
// alerts nothing new.
func TestCheckerRun(t *testing.T) {
	ctx := context.Background()
	p := sqlitetest.New(t, sqlite.Options{})
	base := []string{"2025-12", "2026-01", "2026-02"}
	monthly(t, p, "D1/Q1", 80, 20, base...)
	monthly(t, p, "D1/Q1", 40, 60, "2026-03")
	monthly(t, p, "D2/Q1", 80, 20, append(base, "2026-03")...)
	monthly(t, p, "D3/Q1", 70, 30, base...)
	monthly(t, p, "D3/Q1", 100, 0, "2026-03")
	setAside(t, p, "D2/Q1", "2026-03-12", 20)
	setAside(t, p, "D1/Q1", "2026-03-12", 2)

	d2 := plan(t, p, "D2", 2026, survey.PlanTarget{Indicator: "overall", Target: 95}, survey.PlanTarget{Indicator: "TC1", Target: 70})
	plan(t, p, "D3", 2026, survey.PlanTarget{Indicator: "overall", Target: 95})
	plan(t, p, "D4", 2025, survey.PlanTarget{Indicator: "overall", Target: 99})
	d1 := plan(t, p, "D1", 2026)
	late := task(t, p, d1, "Niêm yết thủ tục", "C1", "2026-03-31")
	task(t, p, d1, "Tập huấn", "D1", "2026-04-10")
	done := task(t, p, d1, "Sắp xếp quầy", "D1", "2026-03-01")
	if _, err := p.DB.UpdateTask(ctx, d1.ID, done.ID, survey.TaskUpdate{Status: ptr(survey.TaskDone)}, tester); err != nil {
		t.Fatal(err)
	}

	ch := checker(p)
	got, err := ch.Run(ctx, checkNow)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]*survey.Alert{}
	var keys []string
	for _, l := range got {
		byKey[key(l)] = l
		t.Log(key(l), ": ", l.Message)
		keys = append(keys, key(l))
		if l.ID == 0 || l.Message == "" || !strings.HasPrefix(l.Link, "/dashboard/") {
			t.Errorf("incomplete alert %+v", l)
		}
	}
	want := []string{
		"index.drop D1 sipas-2017/overall 2026-03",
		"target.below D2 sipas-2017/overall 2026-03",
		fmt.Sprintf("task.overdue C1 %d 2026-03-31", late.ID),
		"counter.setaside D2 Q1 2026-03",
	}
	if len(got) != len(want) {
		t.Fatalf("alerts %q, want %q", keys, want)
	}
	for _, k := range want {
		if byKey[k] == nil {
			t.Fatalf("alerts %q, want %q", keys, want)
		}
	}

	drop := byKey[want[0]]
	if math.Abs(*drop.Value-40) > 1e-9 || *drop.Change > -30 || *drop.ChangeHigh >= 0 || *drop.ChangeLow >= *drop.Change {
		t.Errorf("drop figures: value %v change %v [%v, %v]", *drop.Value, *drop.Change, *drop.ChangeLow, *drop.ChangeHigh)
	}
	for _, s := range []string{"Sở Tư pháp", "03/2026", "40,00%", "n = 100", "80,00%", "n = 300", "-40,00", "Holm"} {
		if !strings.Contains(drop.Message, s) {
			t.Errorf("drop message %q lacks %q", drop.Message, s)
		}
	}
	if drop.Link != "/dashboard/agency/D1?from=2026-03-01&to=2026-03-31&instrument=sipas-2017" {
		t.Errorf("drop link %q", drop.Link)
	}

	tg := byKey[want[1]]
	if tg.PlanID != d2.ID || tg.Link != fmt.Sprintf("/dashboard/plans/%d", d2.ID) || *tg.High >= 95 || *tg.ChangeHigh >= 0 {
		t.Errorf("target alert %+v", tg)
	}
	tk := byKey[want[2]]
	if tk.TaskID != late.ID || tk.PlanID != d1.ID || tk.Link != fmt.Sprintf("/dashboard/plans/%d/tasks/%d", d1.ID, late.ID) ||
		!strings.Contains(tk.Message, "31/03/2026") || tk.Value != nil {
		t.Errorf("task alert %+v", tk)
	}
	sa := byKey[want[3]]
	if sa.Link != "/dashboard/agency/D2/integrity?from=2026-03-01&to=2026-03-31" || *sa.Value < 16 || *sa.Value > 17 ||
		!strings.Contains(sa.Message, "20 trong 120") {
		t.Errorf("set-aside alert %+v: %s", sa, sa.Message)
	}

	again, err := ch.Run(ctx, checkNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Fatalf("second run alerted again: %v", again)
	}
	if n := p.Count(t, `SELECT count(*) FROM alerts`); n != len(want) {
		t.Fatalf("%d alerts stored after two runs, want %d", n, len(want))
	}
	found, err := ch.Find(ctx, checkNow)
	if err != nil || len(found) != len(want) {
		t.Fatalf("find after the runs: %d alerts (%v), want %d", len(found), err, len(want))
	}
}

// TestCheckerNotEnoughData: an agency whose month has too few ratings to be
// reportable is not alerted, however far its index falls.
func TestCheckerNotEnoughData(t *testing.T) {
	ctx := context.Background()
	p := sqlitetest.New(t, sqlite.Options{})
	monthly(t, p, "D1/Q1", 90, 10, "2025-12", "2026-01", "2026-02")
	monthly(t, p, "D1/Q1", 0, 20, "2026-03")
	got, err := checker(p).Run(ctx, checkNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("alerted %v on 20 ratings", got)
	}
}

func ptr[T any](v T) *T { return &v }

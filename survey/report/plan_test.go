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

// spread seeds n ratings of value at a counter, a few a day from the first
// day on (one day in three).
func spread(counter, from string, n int, value uint8) []sqlitetest.Spec {
	d, _ := time.ParseInLocation("2006-01-02", from, survey.Vietnam)
	var out []sqlitetest.Spec
	for i := 0; i < n; i += 5 {
		out = append(out, sqlitetest.Spec{Counter: counter, Day: d.AddDate(0, 0, 3*(i/5)).Format("2006-01-02"), N: min(5, n-i), Value: value})
	}
	return out
}

// steady seeds the rest of the province: D3 and D4 half satisfied before
// and after, n ratings a side each.
func steady(n int) []sqlitetest.Spec {
	var out []sqlitetest.Spec
	for _, c := range []string{"D3/Q1", "D4/Q1"} {
		for _, from := range []string{"2027-01-05", "2027-04-05"} {
			out = append(out, spread(c, from, n/2, 4)...)
			out = append(out, spread(c, from, n/2, 2)...)
		}
	}
	return out
}

// rise seeds the same rise from 30 % to 60 % satisfied at D2 (60 ratings
// a side) and at D3 (200 a side): the unit's own change is significant,
// its difference from the rest is not.
func rise() []sqlitetest.Spec {
	var out []sqlitetest.Spec
	for _, u := range []struct {
		counter string
		n       int
	}{{"D2/Q1", 60}, {"D3/Q1", 200}} {
		out = append(out, spread(u.counter, "2027-01-05", u.n*3/10, 5)...)
		out = append(out, spread(u.counter, "2027-01-06", u.n*7/10, 2)...)
		out = append(out, spread(u.counter, "2027-04-05", u.n*6/10, 5)...)
		out = append(out, spread(u.counter, "2027-04-06", u.n*4/10, 2)...)
	}
	return out
}

func day(s string) time.Time {
	d, _ := time.ParseInLocation("2006-01-02", s, survey.Vietnam)
	return d.Add(10 * time.Hour)
}

func TestEffect(t *testing.T) {
	plan := &survey.Plan{ID: 1, AgencyCode: "P", Year: 2027, Instrument: "sipas-2017"}
	task := &survey.Task{ID: 7, PlanID: 1, Responsible: "D2", Criteria: []string{"TT1", "CC", "overall"}, Start: "2027-04-01", Due: "2027-06-30"}
	tests := []struct {
		name   string
		specs  []sqlitetest.Spec
		today  string
		task   func(survey.Task) survey.Task
		want   string
		noRest bool
	}{
		{"improved at the unit only", append(append(spread("D2/Q1", "2027-01-05", 60, 2), spread("D2/Q1", "2027-04-05", 60, 5)...), steady(120)...),
			"2027-07-15", nil, report.EffectImproved, false},
		{"declined", append(append(spread("D2/Q1", "2027-01-05", 60, 5), spread("D2/Q1", "2027-04-05", 60, 2)...), steady(120)...),
			"2027-07-15", nil, report.EffectDeclined, false},
		{"a rise everywhere is not the task's", rise(), "2027-07-15", nil, report.EffectNone, false},
		{"too few ratings", append(append(spread("D2/Q1", "2027-01-05", 10, 2), spread("D2/Q1", "2027-04-05", 10, 5)...), steady(120)...),
			"2027-07-15", nil, report.NotEnoughData, false},
		{"not started", steady(120), "2027-03-01", nil, report.NotEnoughData, false},
		{"the plan's own agency has no rest", append(spread("D2/Q1", "2027-01-05", 60, 2), spread("D2/Q1", "2027-04-05", 60, 5)...),
			"2027-07-15", func(t survey.Task) survey.Task { t.Responsible = "P"; return t }, report.EffectImproved, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sqlitetest.New(t, sqlite.Options{})
			p.Seed(t, tt.specs...)
			svc := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments}
			tk := *task
			if tt.task != nil {
				tk = tt.task(tk)
			}
			eff, err := svc.Effect(context.Background(), plan, &tk, day(tt.today))
			if err != nil {
				t.Fatal(err)
			}
			if len(eff.Criteria) != 3 {
				t.Fatalf("%d criteria, want 3", len(eff.Criteria))
			}
			if tt.noRest != (eff.Comparison == "") {
				t.Fatalf("comparison %q, want none: %v", eff.Comparison, tt.noRest)
			}
			for _, c := range eff.Criteria {
				if c.Verdict != tt.want {
					t.Errorf("%s: verdict %s, want %s (unit %+v, diff of diffs %+v)", c.Indicator, c.Verdict, tt.want, c.Unit.Difference, c.DiffOfDiffs)
				}
				if tt.want == report.EffectNone && !(*c.Unit.Difference.CILow > 0) {
					t.Errorf("%s: the unit's own rise is not significant, so the test shows nothing", c.Indicator)
				}
				if tt.noRest && c.Rest != nil {
					t.Errorf("%s: a rest without a comparison group", c.Indicator)
				}
			}
			if tt.name == "not started" {
				if eff.Started {
					t.Error("started before its start")
				}
				return
			}
			if eff.After != (report.Span{From: "2027-04-01", To: "2027-06-30"}) || eff.Before != (report.Span{From: "2026-12-31", To: "2027-03-31"}) {
				t.Errorf("periods %+v %+v", eff.Before, eff.After)
			}
			if eff.DifferenceLevel <= 0.983 || eff.DifferenceLevel >= 0.984 {
				t.Errorf("difference level %v, want 1 − 0.05/3", eff.DifferenceLevel)
			}
		})
	}
}

func TestEffectPeriods(t *testing.T) {
	for _, tt := range []struct{ start, due, today, bf, bt, af, at string }{
		// After is capped by today, before is as long.
		{"2027-02-01", "2027-06-30", "2027-03-02", "2027-01-02", "2027-01-31", "2027-02-01", "2027-03-02"},
		// A year-long task: before is at most six months.
		{"2027-01-01", "2027-12-31", "2028-03-01", "2026-07-01", "2026-12-31", "2027-01-01", "2027-12-31"},
		// The day it starts: one day each side.
		{"2027-02-01", "2027-06-30", "2027-02-01", "2027-01-31", "2027-01-31", "2027-02-01", "2027-02-01"},
	} {
		b, a, ok := report.EffectPeriods(&survey.Task{Start: tt.start, Due: tt.due}, day(tt.today))
		if !ok || b.FromString() != tt.bf || b.ToString() != tt.bt || a.FromString() != tt.af || a.ToString() != tt.at {
			t.Errorf("%s–%s on %s: before %s..%s after %s..%s", tt.start, tt.due, tt.today, b.FromString(), b.ToString(), a.FromString(), a.ToString())
		}
	}
	if _, _, ok := report.EffectPeriods(&survey.Task{Start: "2027-02-01", Due: "2027-06-30"}, day("2027-01-31")); ok {
		t.Error("a task not started has periods")
	}
}

func TestTargets(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	// P's subtree in 2027: 200 ratings, 80% satisfied on every criterion.
	p.Seed(t, append(spread("D3/Q1", "2027-01-05", 160, 5), spread("D4/Q1", "2027-01-05", 40, 1)...)...)
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments}
	plan := &survey.Plan{AgencyCode: "P", Year: 2027, Instrument: "sipas-2017", Targets: []survey.PlanTarget{
		{Indicator: "overall", Instrument: "sipas-2017", Target: 70},
		{Indicator: "TT", Instrument: "sipas-2017", Target: 90},
		{Indicator: "CC3", Instrument: "sipas-2017", Target: 80},
		{Indicator: "OV", Instrument: "quick", Target: 80},
	}}
	pp, ok := report.PlanPeriod(plan, day("2027-06-30"))
	if !ok || pp.FromString() != "2027-01-01" || pp.ToString() != "2027-06-30" {
		t.Fatalf("plan period %s..%s %v", pp.FromString(), pp.ToString(), ok)
	}
	got, err := svc.Targets(context.Background(), plan, pp)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{report.TargetMet, report.TargetNotMet, report.TargetUndetermined, report.NotEnoughData}
	for i, tg := range got {
		if tg.Status != want[i] {
			t.Errorf("%s %v: %s (index %v [%v, %v] n %d), want %s", tg.Indicator, tg.Target, tg.Status,
				deref(tg.Current.Index), deref(tg.Current.CILow), deref(tg.Current.CIHigh), tg.Current.N, want[i])
		}
	}
	if _, ok := report.PlanPeriod(plan, day("2026-12-31")); ok {
		t.Error("a plan's year not begun has a period")
	}
}

func deref(v *float64) float64 {
	if v == nil {
		return -1
	}
	return *v
}

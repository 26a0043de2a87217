package report_test

import (
	"context"
	"testing"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// TestAllAgainst: every agency with ratings in the month or the baseline
// gets its month's index against the baseline's; for the one-item quick
// instrument the change is Newcombe's difference of the two proportions,
// exactly; an agency whose month is not reportable has no change.
func TestAllAgainst(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	seed := func(counter, day string, sat, unsat int) {
		p.Seed(t, sqlitetest.Spec{Counter: counter, Day: day, N: sat, Value: 5}, sqlitetest.Spec{Counter: counter, Day: day, N: unsat, Value: 2})
	}
	seed("D1/K1", "2026-01-10", 90, 30) // baseline D1: 90 of 120
	seed("D1/K1", "2026-03-10", 30, 30) // month D1: 30 of 60
	seed("C1/Q1", "2026-02-10", 50, 0)  // baseline C1 (under D1): 50 of 50
	seed("C1/Q1", "2026-03-10", 10, 0)  // month C1: 10, not reportable
	month, err := survey.ParsePeriod("2026-03-01", "2026-03-31")
	if err != nil {
		t.Fatal(err)
	}
	base := survey.Period{From: month.From.AddDate(0, -3, 0), To: month.From.AddDate(0, 0, -1)}
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments}
	got, err := svc.AllAgainst(context.Background(), report.Query{Agency: p.Agency(t, "P"), Instrument: p.Instrument(t, "quick"), Period: month}, base)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]report.AgencyChange{}
	var codes []string
	for _, c := range got {
		by[c.Code] = c
		codes = append(codes, c.Code)
	}
	if len(got) != 3 || by["P"].Code == "" || by["D1"].Code == "" || by["C1"].Code == "" {
		t.Fatalf("agencies %v, want P, D1 and C1 (the others have no quick ratings)", codes)
	}
	d1 := by["D1"]
	// D1's subtree: 40 of 70 in March (with C1's 10), 140 of 170 before.
	want := scoring.CompareProportions(40, 70, 140, 170, 0.95)
	if d1.Change.Diff == nil || *d1.Change.Diff != *want.Diff || *d1.Change.CILow != *want.CILow || *d1.Change.P != *want.P {
		t.Fatalf("D1's change %+v, want Newcombe's %+v", d1.Change, want)
	}
	if d1.Current.N != 70 || d1.Baseline.N != 170 || d1.Change.Significant != "lower" {
		t.Fatalf("D1: %+v", d1)
	}
	if c1 := by["C1"]; c1.Current.Reportable || c1.Change.Diff != nil || c1.Change.P != nil {
		t.Fatalf("C1's month of 10 ratings was compared: %+v", c1)
	}
}

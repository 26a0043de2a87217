package report_test

import (
	"context"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// newProvince returns the standard province with SeedMonths' responses and
// the sipas-2017 query for P in the last seeded month. P's children are, in
// order of their indices, D1 (its counters Q1 and R1: 240 respondents), D3,
// D2 and D4 (120 each).
func newProvince(t *testing.T) (*sqlitetest.Province, report.Query) {
	t.Helper()
	p := sqlitetest.New(t, sqlite.Options{})
	p.SeedMonths(t)
	period, err := survey.ParsePeriod(sqlitetest.SeedLastMonth+"-01", sqlitetest.SeedLastMonth+"-31")
	if err != nil {
		t.Fatal(err)
	}
	return p, report.Query{Agency: p.Agency(t, "P"), Instrument: p.Instrument(t, "sipas-2017"), Period: period}
}

// Above BootstrapMaxN a child enters the rank bootstrap through the normal
// limit of its index; the ranks agree with resampling it.
func TestChildrenRanksNormalLimit(t *testing.T) {
	p, q := newProvince(t)
	ranks := map[int]map[string]report.Rank{}
	for _, maxN := range []int{5000, 100} {
		svc := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments, BootstrapMaxN: maxN}
		ch, err := svc.Children(context.Background(), q, report.ChildrenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if ch.Ranks.Status != "ok" || ch.Ranks.NormalAbove != maxN || len(ch.Children) != 4 {
			t.Fatalf("maxN %d: got %+v with %d children, want 4", maxN, ch.Ranks, len(ch.Children))
		}
		ranks[maxN] = map[string]report.Rank{}
		for _, c := range ch.Children {
			if c.Rank == nil {
				t.Fatalf("maxN %d: %s unranked", maxN, c.Code)
			}
			// Every child is above 100: with maxN 100 none is resampled.
			if c.Respondents <= 100 {
				t.Fatalf("%s: %d respondents, want more than 100", c.Code, c.Respondents)
			}
			ranks[maxN][c.Code] = *c.Rank
		}
	}
	want := map[string]report.Rank{
		"D1": {Point: 1, Low: 1, High: 1, Of: 4}, "D3": {Point: 2, Low: 2, High: 2, Of: 4},
		"D2": {Point: 3, Low: 3, High: 3, Of: 4}, "D4": {Point: 4, Low: 4, High: 4, Of: 4},
	}
	for maxN, got := range ranks {
		for code, r := range want {
			if got[code] != r {
				t.Fatalf("maxN %d %s: got %+v, want %+v", maxN, code, got[code], r)
			}
		}
	}
}

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

// Without dossier volumes the trend comes from one read of the monthly
// statistics and one of the set-aside counts: each month carries its own,
// clipped to the period, summed over the subtree as All sums each agency's.
func TestSetAsideWithoutVolumes(t *testing.T) {
	ctx := context.Background()
	p := sqlitetest.New(t, sqlite.Options{})
	flag := func(counter string, at time.Time, n int) {
		t.Helper()
		for range n {
			s := p.Submission(t, counter, 3, at)
			s.Flag = survey.FlagHoneypot
			if _, err := p.DB.StoreResponse(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
	}
	flag("D1/Q1", time.Date(2026, 1, 5, 9, 0, 0, 0, survey.Vietnam), 2)
	flag("D1/Q1", time.Date(2026, 2, 20, 9, 0, 0, 0, survey.Vietnam), 1)
	flag("D2/Q1", time.Date(2026, 2, 3, 9, 0, 0, 0, survey.Vietnam), 4)
	flag("D1/K1", time.Date(2026, 2, 3, 9, 0, 0, 0, survey.Vietnam), 7) // quick: not counted for sipas-2017
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments}
	period, err := survey.ParsePeriod("2026-01-10", "2026-02-28")
	if err != nil {
		t.Fatal(err)
	}
	q := report.Query{Agency: p.Agency(t, "P"), Instrument: p.Instrument(t, "sipas-2017"), Period: period}

	tr, err := svc.Trend(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Months) != 2 || tr.Months[0].SetAside != 0 || tr.Months[1].SetAside != 5 {
		t.Errorf("trend of P from 10 January: got %+v, want January 0 (the 5th is outside), February 5", tr.Months)
	}
	q.Agency = p.Agency(t, "D1")
	q.Period.From = time.Date(2026, 1, 1, 0, 0, 0, 0, survey.Vietnam)
	if tr, err = svc.Trend(ctx, q); err != nil {
		t.Fatal(err)
	}
	if len(tr.Months) != 2 || tr.Months[0].SetAside != 2 || tr.Months[1].SetAside != 1 {
		t.Errorf("trend of D1: got %+v, want January 2, February 1", tr.Months)
	}

	q.Agency = p.Agency(t, "P")
	all, err := svc.All(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"P": 7, "D1": 3, "C1": 0, "D2": 4, "D3": 0, "D4": 0}
	for _, a := range all {
		if a.SetAside != want[a.Code] {
			t.Errorf("All: %s set aside %d, want %d", a.Code, a.SetAside, want[a.Code])
		}
	}
}

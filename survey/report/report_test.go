package report_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
)

// newProvince stores n responses for each of the children A (better) and
// B (worse) of P, and returns the service and the query for P.
func newProvince(t *testing.T, n int) (*sqlite.DB, report.Query) {
	t.Helper()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sipas.db"), reg, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	by := survey.Actor{Name: "test"}
	for _, a := range []*survey.Agency{{Code: "P", Name: "P"}, {Code: "A", Name: "A", ParentCode: "P"}, {Code: "B", Name: "B", ParentCode: "P"}} {
		if err := db.CreateAgency(ctx, a, by); err != nil {
			t.Fatal(err)
		}
	}
	in, _ := reg.Current("sipas-2017")
	rng := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, survey.Vietnam)
	for ai, code := range []string{"A", "B"} {
		c := &survey.Counter{AgencyCode: code, Code: "Q", Name: "Q", Instrument: "sipas-2017"}
		if err := db.CreateCounter(ctx, c, by); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			ans := make([]uint8, len(in.Items))
			for k := range ans {
				ans[k] = uint8(math.Max(1, math.Min(5, math.Round(4.2-0.6*float64(ai)+rng.NormFloat64()))))
			}
			sub := &survey.Submission{SubmissionID: fmt.Sprintf("report-test-%s-%06d", code, i), CounterID: c.ID, AgencyID: c.AgencyID,
				Instrument: in, Answers: ans, Channel: "api", ReceivedAt: at.Add(time.Duration(i) * time.Minute)}
			if _, err := db.StoreResponse(ctx, sub); err != nil {
				t.Fatal(err)
			}
		}
	}
	p, _ := db.FindAgency(ctx, "P")
	period, _ := survey.ParsePeriod("2026-05-01", "2026-05-31")
	return db, report.Query{Agency: p, Instrument: in, Period: period}
}

// Above BootstrapMaxN a child enters the rank bootstrap through the normal
// limit of its index; the ranks agree with resampling it.
func TestChildrenRanksNormalLimit(t *testing.T) {
	db, q := newProvince(t, 300)
	ranks := map[int]map[string]report.Rank{}
	for _, maxN := range []int{5000, 100} {
		svc := &report.Service{Agencies: db, Stats: db, Instruments: db.Instruments(), BootstrapMaxN: maxN}
		ch, err := svc.Children(context.Background(), q, report.ChildrenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if ch.Ranks.Status != "ok" || ch.Ranks.NormalAbove != maxN || len(ch.Children) != 2 {
			t.Fatalf("maxN %d: got %+v", maxN, ch.Ranks)
		}
		ranks[maxN] = map[string]report.Rank{}
		for _, c := range ch.Children {
			if c.Rank == nil {
				t.Fatalf("maxN %d: %s unranked", maxN, c.Code)
			}
			ranks[maxN][c.Code] = *c.Rank
		}
	}
	want := map[string]report.Rank{"A": {Point: 1, Low: 1, High: 1, Of: 2}, "B": {Point: 2, Low: 2, High: 2, Of: 2}}
	for maxN, got := range ranks {
		for code, r := range want {
			if got[code] != r {
				t.Fatalf("maxN %d %s: got %+v, want %+v", maxN, code, got[code], r)
			}
		}
	}
}

package report_test

import (
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// A public report is kept for PublicTTL: asked again it is the same, a
// rating added to its period shows only once the TTL is over, and
// publishing a child shows at once.
func TestPublicCache(t *testing.T) {
	p, q := newProvince(t)
	ctx := t.Context()
	actor := survey.Actor{Name: "tester"}
	yes := true
	for _, code := range []string{"P", "D1"} {
		if _, err := p.DB.UpdateAgency(ctx, code, survey.AgencyUpdate{Public: &yes}, actor); err != nil {
			t.Fatal(err)
		}
	}
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments, PublicTTL: time.Hour}
	a := p.Agency(t, "P")
	month, err := survey.ParseReportPeriod(sqlitetest.SeedLastMonth)
	if err != nil {
		t.Fatal(err)
	}
	periods := []survey.ReportPeriod{month}
	first, err := svc.Public(ctx, a, q.Instrument, periods)
	if err != nil {
		t.Fatal(err)
	}
	if n := first.Periods[0].Overall.N; n != 600 || len(first.Periods[0].Children) != 1 || len(first.Trend) != report.PublicMonths {
		t.Fatalf("first report: n %d, children %+v, %d months", n, first.Periods[0].Children, len(first.Trend))
	}
	p.Seed(t, sqlitetest.Spec{Counter: "D3/Q1", Day: sqlitetest.SeedLastMonth + "-20", N: 5, Value: 5})
	again, err := svc.Public(ctx, a, q.Instrument, periods)
	if err != nil || again != first {
		t.Fatalf("asked again within the TTL: got a new report (%v)", err)
	}
	// Publishing D3 changes what the report holds: computed afresh, with
	// the new ratings.
	if _, err := p.DB.UpdateAgency(ctx, "D3", survey.AgencyUpdate{Public: &yes}, actor); err != nil {
		t.Fatal(err)
	}
	fresh, err := svc.Public(ctx, a, q.Instrument, periods)
	if err != nil {
		t.Fatal(err)
	}
	if n, kids := fresh.Periods[0].Overall.N, fresh.Periods[0].Children; n != 605 || len(kids) != 2 || kids[1].Code != "D3" || kids[1].N != 125 {
		t.Fatalf("after publishing D3: n %d, children %+v", n, kids)
	}
	// With a TTL that has run out, a rating shows.
	short := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments, PublicTTL: time.Nanosecond}
	before, err := short.Public(ctx, a, q.Instrument, periods)
	if err != nil {
		t.Fatal(err)
	}
	p.Seed(t, sqlitetest.Spec{Counter: "D1/Q1", Day: sqlitetest.SeedLastMonth + "-21", N: 3, Value: 1})
	after, err := short.Public(ctx, a, q.Instrument, periods)
	if err != nil {
		t.Fatal(err)
	}
	if after.Periods[0].Overall.N != before.Periods[0].Overall.N+3 {
		t.Fatalf("after the TTL: n %d, want %d", after.Periods[0].Overall.N, before.Periods[0].Overall.N+3)
	}
	// An agency that is not public has no report.
	if _, err := svc.Public(ctx, p.Agency(t, "D2"), q.Instrument, periods); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unpublished D2: got %v, want ENOTFOUND", err)
	}
	if _, err := svc.PublicAgency(ctx, "D2"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("PublicAgency(D2): got %v", err)
	}
	if _, err := svc.PublicAgency(ctx, "NOPE"); survey.ErrorMessage(err) != "no public results for this agency" {
		t.Fatalf("PublicAgency(NOPE): got %v", err)
	}
}

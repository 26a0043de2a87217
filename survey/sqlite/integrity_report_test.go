package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// rowOf returns the row of a counter (0: no counter) and instrument.
func rowOf(t *testing.T, rows []*integrity.CounterCounts, counter int64, instrument string) *integrity.CounterCounts {
	t.Helper()
	for _, r := range rows {
		if r.CounterID == counter && r.Instrument.ID == instrument {
			return r
		}
	}
	t.Fatalf("no row of counter %d, %s in %d rows", counter, instrument, len(rows))
	return nil
}

// TestIntegrityCounts checks what the integrity report reads: counted,
// set aside (integrity and rate_limited, pending or rejected, not
// accepted), bots apart, the reasons, the windows with their live count
// and bounds rounded out to ten minutes, and the two bundles.
func TestIntegrityCounts(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	d1, q1, k1 := p.Agency(t, "D1"), p.Counter(t, "D1/Q1"), p.Counter(t, "D1/K1")
	day := time.Date(2026, 4, 14, 0, 0, 0, 0, survey.Vietnam)
	p.Seed(t, sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-04-13", N: 30, Value: 4},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-03-31", N: 7, Value: 1}) // outside the period

	// A burst of ten all-5 ratings at Q1, 14:03 to 14:07, and three more
	// the rate limit flagged as they came; a bot.
	var burst []int64
	for i := range 10 {
		burst = append(burst, mustStore(t, p.DB, p.Submission(t, "D1/Q1", 5, day.Add(14*time.Hour+3*time.Minute+time.Duration(i)*20*time.Second))).ResponseID)
	}
	for i := range 3 {
		s := p.Submission(t, "D1/Q1", 5, day.Add(14*time.Hour+6*time.Minute+time.Duration(i)*time.Second))
		s.Flag = survey.FlagRateLimited
		burst = append(burst, mustStore(t, p.DB, s).ResponseID)
	}
	bot := p.Submission(t, "D1/Q1", 5, day.Add(9*time.Hour))
	bot.Flag = survey.FlagHoneypot
	mustStore(t, p.DB, bot)
	// The kiosk rule at submission: K1's tablet at 21:00.
	for i := range 2 {
		s := p.Submission(t, "D1/K1", 5, day.Add(21*time.Hour+time.Duration(i)*time.Minute))
		s.Channel = survey.ChannelKiosk
		if !integrity.AtSubmission(s, integrity.NewCalendar(integrity.DefaultHours(), nil), integrity.Options{}) {
			t.Fatal("a kiosk rating at 21:00 was not set aside at submission")
		}
		mustStore(t, p.DB, s)
	}
	mustStore(t, p.DB, p.Submission(t, "D1/K1", 2, day.Add(10*time.Hour)))
	// A dossier rating without a counter.
	saved, err := p.DB.RegisterDossier(ctx, p.Signer.DossierHash("IR-1"), &survey.DossierRegistration{Code: "IR-1", AgencyCode: "D1", ReceivedAt: day.Add(8 * time.Hour)}, testActor)
	if err != nil {
		t.Fatal(err)
	}
	ds := p.Submission(t, "D1/Q1", 3, day.Add(15*time.Hour))
	ds.CounterID, ds.DossierID, ds.Channel = 0, saved.Dossier.ID, survey.ChannelDossier
	mustStore(t, p.DB, ds)

	w := integrity.Window{Unit: q1.ID, Agency: d1.ID, Date: "2026-04-14", From: day.Add(14*time.Hour + 3*time.Minute),
		To: day.Add(14*time.Hour + 7*time.Minute), Reasons: []string{integrity.SignalBurst, integrity.SignalRepetition},
		Ratings: burst, Observed: 13, Expected: 0.4, P: 1e-12}
	if n, err := p.DB.SetAside(ctx, []integrity.Window{w}, day.Add(22*time.Hour), survey.Actor{}); err != nil || n != 10 {
		t.Fatalf("set aside: %d, %v; want 10", n, err)
	}
	// An admin accepts one back and rejects another.
	if _, err := p.DB.ReviewFlagged(ctx, burst[0], true, "", testActor); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DB.ReviewFlagged(ctx, burst[1], false, "", testActor); err != nil {
		t.Fatal(err)
	}

	period, err := survey.ParsePeriod("2026-04-01", "2026-04-30")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := p.DB.IntegrityCounts(ctx, "D1", period, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want Q1, K1 and the dossier without a counter", len(rows))
	}
	if rows[0].CounterID != 0 {
		t.Fatalf("rows are not in counter id order: first %d", rows[0].CounterID)
	}
	q := rowOf(t, rows, q1.ID, "sipas-2017")
	// 30 seeded + 1 accepted back; 9 integrity (one rejected among them) +
	// 3 rate_limited; the bot apart.
	if q.Counted != 31 || q.SetAside != 12 || q.Accepted != 1 || q.Bots != 1 {
		t.Fatalf("Q1: counted %d, set aside %d, accepted %d, bots %d; want 31, 12, 1, 1", q.Counted, q.SetAside, q.Accepted, q.Bots)
	}
	if q.ByReason["burst"] != 9 || q.ByReason["repetition"] != 9 || q.ByReason["rate_limited"] != 3 || q.ByReason["device"] != 0 {
		t.Fatalf("Q1 by reason: %v", q.ByReason)
	}
	if n := q.Kept.Stats.N(); n != 31 {
		t.Fatalf("Q1 kept bundle: n %d, want 31", n)
	}
	if n := q.All.Stats.N(); n != 43 {
		t.Fatalf("Q1 bundle with the set-aside ratings: n %d, want 43", n)
	}
	if len(q.Windows) != 1 {
		t.Fatalf("Q1 windows: %+v", q.Windows)
	}
	got := q.Windows[0]
	want := integrity.WindowView{Date: "2026-04-14", From: "14:00", To: "14:10", Reasons: []string{"burst", "repetition"}, Ratings: 12, Observed: 13, Expected: 0.4}
	if got.Date != want.Date || got.From != want.From || got.To != want.To || len(got.Reasons) != 2 || got.Reasons[0] != "burst" ||
		got.Ratings != want.Ratings || got.Observed != want.Observed || got.Expected != want.Expected {
		t.Fatalf("Q1 window: got %+v, want %+v (bounds rounded out, the accepted rating no longer counted)", got, want)
	}

	k := rowOf(t, rows, k1.ID, "quick")
	if k.Counted != 1 || k.SetAside != 2 || k.ByReason["off_hours"] != 2 || len(k.Windows) != 0 {
		t.Fatalf("K1: %+v", k)
	}
	none := rowOf(t, rows, 0, "sipas-2017")
	if none.Counted != 1 || none.SetAside != 0 || none.Kept.Stats.N() != 1 {
		t.Fatalf("dossier ratings without a counter: %+v", none)
	}

	// One instrument only; an unknown one and an unknown agency.
	quick, err := p.DB.IntegrityCounts(ctx, "D1", period, "quick")
	if err != nil || len(quick) != 1 || quick[0].CounterID != k1.ID {
		t.Fatalf("quick only: %v, %v", quick, err)
	}
	if _, err := p.DB.IntegrityCounts(ctx, "D1", period, "nope"); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("unknown instrument: got %v, want EINVALID", err)
	}
	if _, err := p.DB.IntegrityCounts(ctx, "ZZ", period, ""); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown agency: got %v, want ENOTFOUND", err)
	}
	// Another agency's ratings are not D1's.
	if c1, err := p.DB.IntegrityCounts(ctx, "C1", period, ""); err != nil || len(c1) != 0 {
		t.Fatalf("C1: %v, %v; want no rows", c1, err)
	}
}

package sqlite_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// TestExcludedCounts: the set-aside counts are each agency's own flagged
// ratings of the instrument dated within the period, whatever stored them
// (a submission, a bulk load); accepting a flagged rating takes it out of
// the count, rejecting it leaves it in.
func TestExcludedCounts(t *testing.T) {
	ctx := context.Background()
	p := sqlitetest.New(t, sqlite.Options{})
	sipas, quick := p.Instrument(t, "sipas-2017"), p.Instrument(t, "quick")
	d1, d2, c1 := p.Agency(t, "D1").ID, p.Agency(t, "D2").ID, p.Agency(t, "C1").ID
	mar := time.Date(2026, 3, 10, 9, 0, 0, 0, survey.Vietnam)
	apr := time.Date(2026, 4, 2, 9, 0, 0, 0, survey.Vietnam)
	store := func(counter, flag string, at time.Time) int64 {
		t.Helper()
		s := p.Submission(t, counter, 4, at)
		s.Flag = flag
		return mustStore(t, p.DB, s).ResponseID
	}
	store("D1/Q1", "", mar) // counted: not set aside
	honeypot := []int64{store("D1/Q1", survey.FlagHoneypot, mar), store("D1/Q1", survey.FlagHoneypot, mar), store("D1/Q1", survey.FlagHoneypot, mar)}
	store("D1/Q1", survey.FlagRateLimited, apr)
	d2mar := store("D2/Q1", survey.FlagRateLimited, mar)
	store("D1/K1", survey.FlagHoneypot, mar) // quick: another instrument
	store("C1/Q1", survey.FlagHoneypot, apr) // quick, beneath D1: its own agency
	// A bulk load counts its flagged ratings too.
	bulk := p.Submission(t, "D2/Q1", 2, apr)
	bulk.Flag = survey.FlagRateLimited
	done := false
	if _, err := p.DB.BulkLoad(ctx, func() (*survey.Submission, error) {
		if done {
			return nil, nil
		}
		done = true
		return bulk, nil
	}); err != nil {
		t.Fatalf("bulk load: %v", err)
	}

	period := func(from, to string) survey.Period {
		t.Helper()
		pp, err := survey.ParsePeriod(from, to)
		if err != nil {
			t.Fatal(err)
		}
		return pp
	}
	check := func(name string, in *survey.Instrument, pp survey.Period, want map[int64]int64) {
		t.Helper()
		got, err := p.DB.ExcludedCounts(ctx, in, pp)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: got %v, want %v (D1 %d, D2 %d, C1 %d)", name, got, want, d1, d2, c1)
		}
	}
	spring := period("2026-03-01", "2026-04-30")
	check("spring", sipas, spring, map[int64]int64{d1: 4, d2: 2})
	check("March only", sipas, period("2026-03-01", "2026-03-31"), map[int64]int64{d1: 3, d2: 1})
	check("one day", sipas, period("2026-04-02", "2026-04-02"), map[int64]int64{d1: 1, d2: 1})
	check("before", sipas, period("2026-01-01", "2026-02-28"), map[int64]int64{})
	check("quick", quick, spring, map[int64]int64{d1: 1, c1: 1})

	months, err := p.DB.ExcludedMonthly(ctx, sipas, []int64{d1}, spring)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"2026-03": 3, "2026-04": 1}; !maps.Equal(months, want) {
		t.Errorf("monthly of D1: got %v, want %v", months, want)
	}
	months, err = p.DB.ExcludedMonthly(ctx, sipas, []int64{d1, d2}, period("2026-03-15", "2026-04-30"))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"2026-04": 2}; !maps.Equal(months, want) {
		t.Errorf("monthly of D1 and D2 from 15 March: got %v, want %v", months, want)
	}

	// Accepted: counted in the index, no longer set aside. Rejected: still
	// set aside.
	if _, err := p.DB.ReviewFlagged(ctx, honeypot[0], true, "", testActor); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if _, err := p.DB.ReviewFlagged(ctx, honeypot[1], false, "", testActor); err != nil {
		t.Fatalf("reject: %v", err)
	}
	check("after review", sipas, spring, map[int64]int64{d1: 3, d2: 2})
	// Accepting the last pending one of D1's March leaves the rejected one.
	if _, err := p.DB.ReviewFlagged(ctx, honeypot[2], true, "", testActor); err != nil {
		t.Fatalf("accept: %v", err)
	}
	check("March after review", sipas, period("2026-03-01", "2026-03-31"), map[int64]int64{d1: 1, d2: 1})
	check("spring after review", sipas, spring, map[int64]int64{d1: 2, d2: 2})
	// With its only one accepted, D2 has none in March: absent, not 0.
	if _, err := p.DB.ReviewFlagged(ctx, d2mar, true, "", testActor); err != nil {
		t.Fatalf("accept: %v", err)
	}
	check("March, D2's accepted", sipas, period("2026-03-01", "2026-03-31"), map[int64]int64{d1: 1})
}

package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// seedEveryWriter fills the standard province through every path that
// counts a rating or stops counting it: BulkLoad (SeedMonths), the batch
// writer, an accepted review, a follow-up added on the thank-you page and
// the integrity scan setting ratings aside, on days 29 to 31 too.
func seedEveryWriter(t *testing.T, p *sqlitetest.Province) {
	t.Helper()
	ctx := context.Background()
	p.SeedMonths(t)
	p.Seed(t, sqlitetest.Spec{Counter: "D4/Q1", Day: "2026-02-14", N: 40, Value: 3}) // into rows stored already
	at := time.Date(2026, 3, 29, 9, 0, 0, 0, survey.Vietnam)
	var late []int64
	for i := range 30 {
		s := p.Submission(t, "D2/Q1", uint8(1+i%5), at.Add(time.Duration(i)*7*time.Hour))
		late = append(late, mustStore(t, p.DB, s).ResponseID)
	}
	flagged := p.Submission(t, "D3/Q1", 2, at.Add(time.Hour))
	flagged.Flag = survey.FlagHoneypot
	id := mustStore(t, p.DB, flagged).ResponseID
	if _, err := p.DB.ReviewFlagged(ctx, id, true, "", testActor); err != nil {
		t.Fatal(err)
	}
	quick := p.Submission(t, "D1/K1", 4, at.Add(2*time.Hour))
	p.DB.Now = func() time.Time { return at.Add(2*time.Hour + time.Minute) }
	mustStore(t, p.DB, quick)
	if err := p.DB.AddFollowup(ctx, quick.SubmissionID, quick.CounterID, 1, "", time.Hour); err != nil {
		t.Fatal(err)
	}
	c := p.Counter(t, "D2/Q1")
	w := integrity.Window{Unit: c.ID, Agency: c.AgencyID, Date: "2026-03-29", From: at, To: at.Add(3 * time.Hour),
		Reasons: []string{integrity.SignalBurst}, Ratings: late[:1], Observed: 1, Expected: 0.1, P: 1e-9}
	if n, err := p.DB.SetAside(ctx, []integrity.Window{w}, at.Add(20*time.Hour), testActor); err != nil || n != 1 {
		t.Fatalf("set aside: %d, %v", n, err)
	}
}

// Every period — mid-month ends, single days, whole months, a year — reads
// from the stored monthly and daily rows what a full scan of the answers
// gives, to 1e-9 in every published figure and exactly in every count.
func TestPeriodsMatchAFullScan(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	seedEveryWriter(t, p)
	checkPeriods(t, p, randomPeriods(120))
	checkRespondents(t, p)
}

// A bulk load that holds only a few day rows in memory writes each back
// many times, in any order, and adds to it again: the rows still read
// what a full scan gives.
func TestPeriodsMatchAFullScanFewDaysHeld(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.DB.SetBulkDays(3)
	seedEveryWriter(t, p)
	checkPeriods(t, p, randomPeriods(60))
	checkRespondents(t, p)
}

// A second bulk load whose days lie weeks apart, with ratings already
// stored on the days between them (an independent review found that the
// rebuild of the days at the end of a load counted those days twice).
func TestBulkLoadAcrossStoredDays(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.SeedMonths(t)
	p.Seed(t, sqlitetest.Spec{Counter: "D4/Q1", Day: "2026-02-02", N: 5, Value: 4},
		sqlitetest.Spec{Counter: "D4/Q1", Day: "2026-02-20", N: 5, Value: 2})
	checkPeriods(t, p, [][2]string{{"2026-02-10", "2026-02-10"}, {"2026-02-03", "2026-02-12"},
		{"2026-02-01", "2026-02-15"}, {"2026-02-01", "2026-02-28"}, {"2026-01-20", "2026-03-10"}})
	checkRespondents(t, p)
}

// checkRespondents fails unless every row's respondents are its counted
// responses, in both statistics tables.
func checkRespondents(t *testing.T, p *sqlitetest.Province) {
	t.Helper()
	for _, c := range []struct{ table, period, length string }{{"stats_daily", "day", "10"}, {"stats_monthly", "month", "7"}} {
		recount := `SELECT agency_id, instrument, substr(local_date, 1, ` + c.length + `), count(*) FROM responses WHERE flag = '' GROUP BY 1, 2, 3`
		stored := `SELECT agency_id, instrument, ` + c.period + `, sum(respondents) FROM ` + c.table + ` GROUP BY 1, 2, 3 HAVING sum(respondents) > 0`
		for _, q := range []string{recount + ` EXCEPT ` + stored, stored + ` EXCEPT ` + recount} {
			var n int
			if err := p.RO.QueryRow(`SELECT count(*) FROM (` + q + `)`).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d rows whose respondents are not a recount (%v): %s", c.table, n, err, q)
			}
		}
	}
}

// randomPeriods returns n periods between 2025-11-20 and 2026-06-10, a
// quarter of them single days, after a few chosen ones: a single day, a
// whole month, six whole months, a month but its first day.
func randomPeriods(n int) [][2]string {
	first := time.Date(2025, 11, 20, 0, 0, 0, 0, survey.Vietnam)
	days := int(time.Date(2026, 6, 10, 0, 0, 0, 0, survey.Vietnam).Sub(first).Hours() / 24)
	rng := rand.New(rand.NewPCG(13, 2026))
	periods := [][2]string{{"2026-03-29", "2026-03-29"}, {"2026-03-01", "2026-03-31"}, {"2025-12-01", "2026-05-31"}, {"2026-03-02", "2026-03-31"}}
	for range n {
		a, b := rng.IntN(days), rng.IntN(days)
		if rng.IntN(4) == 0 {
			b = a
		}
		from, to := first.AddDate(0, 0, min(a, b)), first.AddDate(0, 0, max(a, b))
		periods = append(periods, [2]string{from.Format("2006-01-02"), to.Format("2006-01-02")})
	}
	return periods
}

// checkPeriods compares, for both instruments and every period, each
// agency's statistics read by OwnStats with a full scan (ScanStats).
func checkPeriods(t *testing.T, p *sqlitetest.Province, periods [][2]string) {
	t.Helper()
	ctx := context.Background()
	for _, id := range []string{"sipas-2017", "quick"} {
		in := p.Instrument(t, id)
		for _, pr := range periods {
			period, err := survey.ParsePeriod(pr[0], pr[1])
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.DB.OwnStats(ctx, in, period)
			if err != nil {
				t.Fatalf("%s %v: %v", id, pr, err)
			}
			want, err := p.DB.ScanStats(ctx, in, period)
			if err != nil {
				t.Fatal(err)
			}
			for agency, w := range want {
				g := got[agency]
				if g == nil {
					t.Errorf("%s %v agency %d: no statistics read, %d in the answers", id, pr, agency, w.Stats.N())
					continue
				}
				checkSameBundle(t, fmt.Sprintf("%s %v agency %d", id, pr, agency), in, g, w)
			}
			for agency, g := range got {
				if want[agency] == nil { // absent, as StatsStore says, even when empty
					t.Errorf("%s %v agency %d: %d respondents read, none in the answers", id, pr, agency, g.Stats.N())
				}
			}
		}
	}
}

// A database from before migration 0018 gets its daily rows built from
// the responses at the first start: the same rows, reading the same
// figures as the writers' own.
func TestMigration0018BuildsDailyRows(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	seedEveryWriter(t, p)
	const rows = `SELECT count(*), sum(respondents) FROM stats_daily`
	var n, respondents int64
	if err := p.RO.QueryRow(rows).Scan(&n, &respondents); err != nil || n == 0 {
		t.Fatalf("daily rows: %d, %v", n, err)
	}
	p.Close(t)
	raw := sqlitetest.ReadOnly(t, p.Path) // for the count after the migration
	old, err := sql.Open("sqlite3", p.Path)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, old, `DROP TABLE stats_daily`)
	mustExec(t, old, `DELETE FROM schema_migrations WHERE name = '0018_stats_daily.sql'`)
	old.Close()

	reopen(t, p)
	var n2, respondents2 int64
	if err := raw.QueryRow(rows).Scan(&n2, &respondents2); err != nil || n2 != n || respondents2 != respondents {
		t.Fatalf("after the migration: %d rows of %d respondents (%v); want %d of %d", n2, respondents2, err, n, respondents)
	}
	checkPeriods(t, p, randomPeriods(40))
}

// checkSameBundle fails unless got and want publish the same indices (to
// 1e-9), counts and follow-up counts.
func checkSameBundle(t *testing.T, what string, in *survey.Instrument, got, want *survey.Bundle) {
	t.Helper()
	if got.Stats.N() != want.Stats.N() {
		t.Errorf("%s: %d respondents, want %d", what, got.Stats.N(), want.Stats.N())
		return
	}
	if len(want.Followups) > 0 && fmt.Sprint(got.Followups) != fmt.Sprint(want.Followups) {
		t.Errorf("%s: follow-ups %v, want %v", what, got.Followups, want.Followups)
	}
	for k := range in.Items {
		gc, gn := got.Stats.ItemCounts(k)
		wc, wn := want.Stats.ItemCounts(k)
		if gc != wc || gn != wn {
			t.Errorf("%s item %d: counts %v/%d, want %v/%d", what, k, gc, gn, wc, wn)
		}
	}
	opt := scoring.Options{}
	if diff := numbersDiffer(jsonOf(t, scoring.Compute(in.Design(), got.Stats, opt)), jsonOf(t, scoring.Compute(in.Design(), want.Stats, opt)), ""); diff != "" {
		t.Errorf("%s: %s", what, diff)
	}
}

func jsonOf(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// numbersDiffer returns where a and b (decoded JSON) first differ, numbers
// compared to 1e-9, or "".
func numbersDiffer(a, b any, at string) string {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(bm) != len(a) {
			return at + ": different fields"
		}
		for k, v := range a {
			if d := numbersDiffer(v, bm[k], at+"."+k); d != "" {
				return d
			}
		}
	case []any:
		bs, ok := b.([]any)
		if !ok || len(bs) != len(a) {
			return at + ": different lengths"
		}
		for i := range a {
			if d := numbersDiffer(a[i], bs[i], fmt.Sprintf("%s[%d]", at, i)); d != "" {
				return d
			}
		}
	case float64:
		bf, ok := b.(float64)
		if !ok || math.Abs(a-bf) > 1e-9 {
			return fmt.Sprintf("%s: %v, want %v", at, a, b)
		}
	default:
		if a != b {
			return fmt.Sprintf("%s: %v, want %v", at, a, b)
		}
	}
	return ""
}

// Migration 0019 puts stats_monthly in the order scoring reads it in and
// keeps every row as it was.
func TestMigration0019KeepsMonthlyRows(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	seedEveryWriter(t, p)
	const monthRows = `SELECT agency_id, instrument, instrument_version, month, respondents, followups, hex(data) FROM stats_monthly
		ORDER BY agency_id, instrument, instrument_version, month`
	before := dump(t, p.RO, monthRows)
	p.Close(t)
	old, err := sql.Open("sqlite3", p.Path)
	if err != nil {
		t.Fatal(err)
	}
	// The table as migration 0001 made it.
	mustExec(t, old, `CREATE TABLE stats_monthly_old (agency_id INTEGER NOT NULL REFERENCES agencies(id), instrument TEXT NOT NULL,
		instrument_version INTEGER NOT NULL, month TEXT NOT NULL, respondents INTEGER NOT NULL, followups TEXT NOT NULL DEFAULT '[]',
		data BLOB NOT NULL, PRIMARY KEY (agency_id, instrument, instrument_version, month)) WITHOUT ROWID`)
	mustExec(t, old, `INSERT INTO stats_monthly_old SELECT agency_id, instrument, instrument_version, month, respondents, followups, data FROM stats_monthly`)
	mustExec(t, old, `DROP TABLE stats_monthly`)
	mustExec(t, old, `ALTER TABLE stats_monthly_old RENAME TO stats_monthly`)
	mustExec(t, old, `CREATE INDEX stats_monthly_version ON stats_monthly(instrument, instrument_version)`)
	mustExec(t, old, `DELETE FROM schema_migrations WHERE name = '0019_stats_monthly_order.sql'`)
	old.Close()

	reopen(t, p)
	ro := sqlitetest.ReadOnly(t, p.Path)
	if after := dump(t, ro, monthRows); after != before || before == "" {
		t.Errorf("stats_monthly changed in migration 0019:\n%.400s\nwant\n%.400s", after, before)
	}
	var key string
	err = ro.QueryRow(`SELECT group_concat(c.name) FROM pragma_index_list('stats_monthly') l, pragma_index_info(l.name) c
		WHERE l."unique" AND l.origin = 'u' ORDER BY c.seqno`).Scan(&key)
	if err != nil || key != "instrument,month,agency_id,instrument_version" {
		t.Errorf("stats_monthly key: %q, %v", key, err)
	}
	checkPeriods(t, p, randomPeriods(20))
}

// reopen opens p's file again, as the next start would (migrating it), after
// p.Close, and closes it when the test ends.
func reopen(t *testing.T, p *sqlitetest.Province) {
	t.Helper()
	db, err := sqlite.Open(p.Path, p.Instruments, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p.DB = db
}

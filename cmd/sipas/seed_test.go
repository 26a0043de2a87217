package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

func TestCLISeed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	out := mustCLI(t, "", "seed", "--db", db, "--agencies", "30", "--responses", "2000", "--seed", "7", "--demo-users")
	if !strings.Contains(out, "30 agencies") || !strings.Contains(out, "2000 responses") {
		t.Fatalf("got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM agencies`); n != 30 {
		t.Fatalf("got %d agencies, want 30", n)
	}
	// With the demo accounts comes the integrity demo: a burst of 20 from
	// one phone, set aside by a scan.
	if n := count(t, db, `SELECT count(*) FROM responses`); n != 2020 {
		t.Fatalf("got %d responses, want 2000 and the demo's burst of 20", n)
	}
	if n := count(t, db, `SELECT count(*) FROM responses WHERE flag = 'integrity'`); n != 20 || !strings.Contains(out, "20 set aside") {
		t.Fatalf("the demo's burst: %d set aside, output %q", n, out)
	}
	if n := count(t, db, `SELECT count(*) FROM counters`); n < 30 {
		t.Fatalf("got %d counters, want at least one an agency", n)
	}
	counted := count(t, db, `SELECT count(*) FROM responses WHERE flag = ''`)
	if n := count(t, db, `SELECT COALESCE(sum(respondents), 0) FROM stats_monthly`); n != counted {
		t.Fatalf("stats_monthly has %d respondents, want %d (unflagged responses)", n, counted)
	}
	if n := count(t, db, `SELECT count(*) FROM responses r JOIN counters c ON c.id = r.counter_id WHERE c.agency_id != r.agency_id`); n != 0 {
		t.Fatalf("%d responses attributed to another agency than their counter's", n)
	}
	if n := count(t, db, `SELECT count(*) FROM users`); n != 2 {
		t.Fatalf("got %d demo users, want 2", n)
	}
	// Without --demo-users no account with the public password is made.
	plain := filepath.Join(t.TempDir(), "plain.db")
	mustCLI(t, "", "seed", "--db", plain, "--agencies", "3", "--responses", "10")
	if n := count(t, plain, `SELECT count(*) FROM users`); n != 0 {
		t.Fatalf("seed without --demo-users made %d users", n)
	}
	out = mustCLI(t, "", "seed", "--db", db, "--if-empty", "--agencies", "30", "--responses", "2000")
	if !strings.Contains(out, "not seeding") {
		t.Fatalf("second seed with --if-empty: got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM responses`); n != 2020 {
		t.Fatalf("got %d responses after --if-empty, want the 2020 seeded first", n)
	}
	if _, err := runCLI(t, "", "seed", "--db", db); err == nil {
		t.Fatalf("seeding a non-empty database without --if-empty: got no error")
	}
	if _, err := runCLI(t, "", "seed", "--db", filepath.Join(t.TempDir(), "x.db"), "--agencies", "0"); err == nil {
		t.Fatalf("--agencies 0: got no error")
	}
}

// TestCLISeedDossiers checks the dossiers, volumes and dossier ratings of
// the seed: some agencies register dossiers, the others import monthly
// volumes, every agency with counters has a known volume in every whole
// seeded month, and the same seed gives the same data.
func TestCLISeedDossiers(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sipas.db")
	mustCLI(t, "", "seed", "--db", db, "--agencies", "30", "--responses", "2000", "--seed", "7", "--days", "120")
	for _, c := range []struct {
		what, q string
		min     int
	}{
		{"dossiers", `SELECT count(*) FROM dossiers`, 1000},
		{"registering agencies", `SELECT count(DISTINCT agency_id) FROM dossiers`, 2},
		{"importing agencies", `SELECT count(DISTINCT agency_id) FROM volumes`, 2},
		{"dossier ratings", `SELECT count(*) FROM responses WHERE channel = 'dossier'`, 20},
		{"late dossiers", `SELECT count(*) FROM dossiers WHERE returned_at > due_at`, 10},
		{"pending dossiers", `SELECT count(*) FROM dossiers WHERE returned_at IS NULL`, 1},
	} {
		if n := count(t, db, c.q); n < c.min {
			t.Errorf("%s: got %d, want at least %d", c.what, n, c.min)
		}
	}
	for _, c := range []struct{ what, q string }{
		{"agencies both registering and importing", `SELECT count(*) FROM (SELECT DISTINCT agency_id FROM dossiers INTERSECT SELECT agency_id FROM volumes)`},
		{"dossier ratings without dossier or timeliness", `SELECT count(*) FROM responses WHERE channel = 'dossier' AND (dossier_id IS NULL OR timeliness = '')`},
		{"dossier ratings at another counter than the dossier's", `SELECT count(*) FROM responses r JOIN dossiers d ON d.id = r.dossier_id WHERE r.counter_id IS NOT d.counter_id OR r.agency_id != d.agency_id`},
		{"open ratings with a dossier", `SELECT count(*) FROM responses WHERE channel != 'dossier' AND dossier_id IS NOT NULL`},
		{"dossiers rated before they were received", `SELECT count(*) FROM responses r JOIN dossiers d ON d.id = r.dossier_id WHERE r.submitted_at < d.received_at`},
		{"code hashes that are not 32 bytes (a code stored in clear?)", `SELECT count(*) FROM dossiers WHERE length(code_hash) != 32`},
		{"registered dossiers missing from dossier_daily", `SELECT (SELECT count(*) FROM dossiers) - (SELECT sum(received) FROM dossier_daily)`},
	} {
		if n := count(t, db, c.q); n != 0 {
			t.Errorf("%s: %d", c.what, n)
		}
	}
	// The share of late dossiers among the returned is about 10-15 %.
	late, returned := count(t, db, `SELECT count(*) FROM dossiers WHERE returned_at > due_at`), count(t, db, `SELECT count(*) FROM dossiers WHERE returned_at IS NOT NULL`)
	if share := float64(late) / float64(returned); share < 0.07 || share > 0.2 {
		t.Errorf("%d late of %d returned: %.0f %%, want about 12 %%", late, returned, share*100)
	}

	// Every agency with counters has a known volume in each whole seeded
	// month (the first month is cut by the start of the seed).
	store, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	today := time.Now().In(survey.Vietnam)
	first := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, survey.Vietnam).AddDate(0, 0, -119)
	from := time.Date(first.Year(), first.Month()+1, 1, 0, 0, 0, 0, survey.Vietnam)
	to := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, survey.Vietnam).AddDate(0, 0, -1)
	period, err := survey.ParsePeriod(from.Format("2006-01-02"), to.Format("2006-01-02"))
	if err != nil {
		t.Fatal(err)
	}
	vols, err := store.Volumes(ctx, period)
	if err != nil {
		t.Fatal(err)
	}
	agencies, err := store.ListAgencies(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range agencies {
		if a.ParentCode == "" {
			continue // the province has no counter of its own
		}
		if v := vols[a.ID]; v == nil || !v.Known || v.Dossiers == 0 {
			t.Errorf("agency %s: volume %+v in %s..%s, want a known one", a.Code, v, period.FromString(), period.ToString())
		}
	}

	// The same seed, the same data (but for today's, which depend on the
	// time of day, and the code hashes, which depend on each database's
	// secret).
	other := filepath.Join(dir, "other.db")
	mustCLI(t, "", "seed", "--db", other, "--agencies", "30", "--responses", "2000", "--seed", "7", "--days", "120")
	day := today.Format("2006-01-02")
	for _, q := range []string{
		`SELECT count(*), total(agency_id * 7 + received_at % 1000003 + COALESCE(returned_at, 1) % 1000033) FROM dossiers WHERE received_date < '` + day + `'`,
		`SELECT count(*), total(dossiers * 31 + agency_id) FROM volumes`,
		`SELECT count(*), total(length(answers) + unicode(answers) + submitted_at % 1000003) FROM responses WHERE local_date < '` + day + `'`,
	} {
		if a, b := dumpRow(t, db, q), dumpRow(t, other, q); a != b {
			t.Errorf("%s: %s, then %s", q, a, b)
		}
	}
}

// dumpRow returns a query's one row as text.
func dumpRow(t *testing.T, path, q string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var a, b float64
	if err := db.QueryRow(q).Scan(&a, &b); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return fmt.Sprint(a, b)
}

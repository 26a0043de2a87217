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
	"github.com/sipas/sipas/survey/report"
)

func TestCLISeed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	out := mustCLI(t, "", "seed", "--db", db, "--agencies", "30", "--responses", "2000", "--seed", "7", "--demo-users")
	if !strings.Contains(out, "30 agencies today") || !strings.Contains(out, "2000 responses") {
		t.Fatalf("got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM agencies WHERE closed_at IS NULL`); n != 30 {
		t.Fatalf("got %d agencies open today, want 30", n)
	}
	if n := count(t, db, `SELECT count(*) FROM agencies WHERE closed_at IS NOT NULL`); n < 30 {
		t.Fatalf("got %d agencies closed by the reorganisation, want the districts and the old communes", n)
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
	// A response is its counter's agency's, or, before the merger, a
	// predecessor's.
	if n := count(t, db, `SELECT count(*) FROM responses r JOIN counters c ON c.id = r.counter_id WHERE c.agency_id != r.agency_id
		AND NOT EXISTS (SELECT 1 FROM agency_lineage l WHERE l.predecessor_id = r.agency_id AND l.successor_id = c.agency_id AND r.local_date < l.day)`); n != 0 {
		t.Fatalf("%d responses attributed to another agency than their counter's of the day", n)
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
		{"dossier ratings at another counter than the dossier's, or at another agency than the dossier's or its successor's", `SELECT count(*) FROM responses r JOIN dossiers d ON d.id = r.dossier_id
			WHERE r.counter_id IS NOT d.counter_id OR r.agency_id != d.agency_id AND NOT EXISTS (SELECT 1 FROM agency_lineage l WHERE l.predecessor_id = d.agency_id AND l.successor_id = r.agency_id)`},
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

	// Every agency of today with counters has a known volume in each whole
	// seeded month (the first month is cut by the start of the seed).
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
		if a.ParentCode == "" || a.ClosedAt != nil {
			continue // the province has no counter of its own; closed ones merged before the seed
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

// makeRun are the seed flags of make run.
var makeRun = []string{"--if-empty", "--agencies", "60", "--responses", "60000", "--from", "2025-03-01", "--seed", "1", "--demo-users"}

// TestSeedDemo seeds the demo of make run once and checks its
// reorganisation and its plan (checkDemoPlan).
func TestSeedDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the full demo province")
	}
	path := filepath.Join(t.TempDir(), "sipas.db")
	mustCLI(t, "", append([]string{"seed", "--db", path}, makeRun...)...)
	t.Run("reorganisation", func(t *testing.T) { checkDemoReorg(t, path) })
	t.Run("plan", func(t *testing.T) { checkDemoPlan(t, path) })
	t.Run("public", func(t *testing.T) {
		// The province and every open unit under it are published; closed
		// ones are not.
		for _, c := range []struct{ what, q string }{
			{"open agencies not published", `SELECT count(*) FROM agencies WHERE closed_at IS NULL AND NOT public`},
			{"closed agencies published", `SELECT count(*) FROM agencies WHERE closed_at IS NOT NULL AND public`},
		} {
			if n := count(t, path, c.q); n != 0 {
				t.Errorf("%s: %d", c.what, n)
			}
		}
	})
}

// checkDemoReorg checks the demo's 2026 province and its history: the
// lineage of the merger of 2025-07-01, no district open, every response at
// an agency open on its day, the monthly statistics a recount of the
// responses, and a new ward's trend combined from its predecessors before
// the merger.
func checkDemoReorg(t *testing.T, path string) {
	// The day an agency closed, in Vietnam.
	const closedDay = `date(a.closed_at / 1000, 'unixepoch', '+7 hours')`
	for _, c := range []struct{ what, q string }{
		{"old communes not merged exactly once", `SELECT count(*) FROM agencies a JOIN agencies d ON d.id = a.parent_id
			WHERE d.code GLOB 'H[0-9][0-9]' AND (SELECT count(*) FROM agency_lineage l WHERE l.predecessor_id = a.id) != 1`},
		{"lineage links not a merge of 2025-07-01 into a unit open under the province", `SELECT count(*) FROM agency_lineage l
			JOIN agencies a ON a.id = l.predecessor_id JOIN agencies s ON s.id = l.successor_id JOIN agencies p ON p.id = s.parent_id
			WHERE l.kind != 'merge' OR l.day != '2025-07-01' OR ` + closedDay + ` != l.day OR s.closed_at IS NOT NULL OR p.code != 'DEMO'`},
		{"districts open, or not closed on 2025-07-01", `SELECT count(*) FROM agencies a WHERE a.code GLOB 'H[0-9][0-9]' AND (a.closed_at IS NULL OR ` + closedDay + ` != '2025-07-01')`},
		{"open agencies not directly under the province", `SELECT count(*) FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id
			WHERE a.closed_at IS NULL AND a.parent_id IS NOT NULL AND p.code != 'DEMO'`},
		{"responses at an agency closed on their day", `SELECT count(*) FROM responses r JOIN agencies a ON a.id = r.agency_id
			WHERE a.closed_at IS NOT NULL AND r.local_date >= ` + closedDay},
		{"responses at an agency before it existed", `SELECT count(*) FROM responses r
			WHERE r.local_date < (SELECT min(from_day) FROM agency_parents s WHERE s.agency_id = r.agency_id)`},
		{"open counters at a closed agency", `SELECT count(*) FROM counters c JOIN agencies a ON a.id = c.agency_id WHERE a.closed_at IS NOT NULL AND c.closed_at IS NULL`},
		{"responses at a district from 2025-07-01", `SELECT count(*) FROM responses r JOIN agencies a ON a.id = r.agency_id
			WHERE a.code GLOB 'H[0-9][0-9]' AND r.local_date >= '2025-07-01'`},
		{"dossiers at an agency closed on their day", `SELECT count(*) FROM dossiers d JOIN agencies a ON a.id = d.agency_id
			WHERE a.closed_at IS NOT NULL AND d.received_date >= ` + closedDay},
		{"monthly statistics not in a recount", `SELECT count(*) FROM (
			SELECT agency_id, instrument, month, sum(respondents) FROM stats_monthly GROUP BY 1, 2, 3 HAVING sum(respondents) > 0
			EXCEPT SELECT agency_id, instrument, substr(local_date, 1, 7), count(*) FROM responses WHERE flag = '' GROUP BY 1, 2, 3)`},
		{"a recount not in the monthly statistics", `SELECT count(*) FROM (
			SELECT agency_id, instrument, substr(local_date, 1, 7), count(*) FROM responses WHERE flag = '' GROUP BY 1, 2, 3
			EXCEPT SELECT agency_id, instrument, month, sum(respondents) FROM stats_monthly GROUP BY 1, 2, 3)`},
		// (A month whose only ratings were set aside keeps a row of 0.)
	} {
		if n := count(t, path, c.q); n != 0 {
			t.Errorf("%s: %d", c.what, n)
		}
	}
	for _, c := range []struct {
		what, q string
		min     int
	}{
		{"open agencies", `SELECT count(*) FROM agencies WHERE closed_at IS NULL`, 60},
		{"merges", `SELECT count(DISTINCT successor_id) FROM agency_lineage`, 40},
		{"responses at the districts before 2025-07-01", `SELECT count(*) FROM responses r JOIN agencies a ON a.id = r.agency_id WHERE a.code GLOB 'H[0-9][0-9]'`, 100},
		{"responses at the old communes (before 2025-07-01)", `SELECT count(*) FROM responses r JOIN agency_lineage l ON l.predecessor_id = r.agency_id`, 5000},
		{"responses from March 2025", `SELECT count(*) FROM responses WHERE local_date < '2025-04-01'`, 1000},
	} {
		if n := count(t, path, c.q); n < c.min {
			t.Errorf("%s: %d, want at least %d", c.what, n, c.min)
		}
	}
	if n := count(t, path, `SELECT count(*) FROM agencies WHERE closed_at IS NULL`); n != 60 {
		t.Errorf("%d agencies open today, want 60", n)
	}

	db, err := openDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	ward, err := db.FindAgency(ctx, "P001")
	if err != nil {
		t.Fatal(err)
	}
	lin, err := db.Lineage(ctx, ward.Code)
	if err != nil || len(lin.Predecessors) < 2 {
		t.Fatalf("lineage of %s: %+v, %v; want its predecessors", ward.Code, lin, err)
	}
	in, err := db.Instruments().Current("sipas-2017")
	if err != nil {
		t.Fatal(err)
	}
	period, err := survey.ParsePeriod("2025-04-01", "2025-09-30")
	if err != nil {
		t.Fatal(err)
	}
	svc := &report.Service{Agencies: db, Stats: db, Reorg: db, Instruments: db.Instruments()}
	tr, err := svc.Trend(ctx, report.Query{Agency: ward, Instrument: in, Period: period})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Months) != 6 {
		t.Fatalf("trend of %s: %d months, want 6", ward.Code, len(tr.Months))
	}
	for _, m := range tr.Months {
		before := m.Month < "2025-07"
		if before != (len(m.Combined) == len(lin.Predecessors)) || !before && len(m.Combined) > 0 || m.Respondents < 30 {
			t.Errorf("%s %s: combined from %v, %d respondents; want combined from its %d predecessors before July, and reportable",
				ward.Code, m.Month, m.Combined, m.Respondents, len(lin.Predecessors))
		}
	}
}

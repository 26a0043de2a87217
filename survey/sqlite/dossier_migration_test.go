package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// buildSchema0012 creates a database file with the migrations up to 0012
// applied (as a sipas of before issue 10 left it) and returns it open.
func buildSchema0012(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	return buildSchemaBefore(tb, path, "0013")
}

// buildSchemaBefore creates a database file with the migrations before
// the one named first applied, as an older sipas left it, and returns it
// open.
func buildSchemaBefore(tb testing.TB, path, first string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_busy_timeout=10000")
	if err != nil {
		tb.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	tb.Cleanup(func() { raw.Close() })
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(files)
	mustExec(tb, raw, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`)
	for _, f := range files {
		base := filepath.Base(f)
		if base >= first {
			break
		}
		body, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if strings.HasPrefix(string(body), "-- sipas:foreign-keys-off") {
			mustExec(tb, raw, `PRAGMA foreign_keys = OFF`)
		}
		mustExec(tb, raw, string(body))
		mustExec(tb, raw, `INSERT INTO schema_migrations(name, applied_at) VALUES (?, 0)`, base)
	}
	return raw
}

func mustExec(tb testing.TB, db *sql.DB, q string, args ...any) {
	tb.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		tb.Fatalf("%.60s: %v", q, err)
	}
}

// dump returns every row of a query as text, to compare before and after.
func dump(tb testing.TB, db *sql.DB, q string) string {
	tb.Helper()
	rows, err := db.Query(q)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(&b, "%v\n", vals)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// TestMigration0013KeepsRows upgrades a database at schema 0012 with
// responses (flagged and reviewed ones too), accounts and sessions, and
// checks that every row survives unchanged and the new columns are empty.
func TestMigration0013KeepsRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sipas.db")
	raw := buildSchema0012(t, path)
	reg := sqlitetest.Instruments(t)
	quick, err := reg.Current("quick")
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, raw, `INSERT INTO agencies(id, code, name, parent_id, created_at) VALUES (1, 'P', 'Tỉnh', NULL, 1), (2, 'A', 'Sở', 1, 1)`)
	mustExec(t, raw, `INSERT INTO counters(id, agency_id, code, name, instrument, created_at) VALUES (1, 2, 'Q1', 'Quầy 1', 'quick', 1)`)
	mustExec(t, raw, `INSERT INTO users(id, name, role, agency_id, password_hash, created_at, disabled_at) VALUES
		(1, 'admin', 'admin', NULL, 'h1', 1, NULL), (2, 'off', 'official', 2, 'h2', 2, 5)`)
	mustExec(t, raw, `INSERT INTO sessions(token_hash, user_id, created_at, seen_at, expires_at) VALUES (x'01', 1, 1, 1, 9999999999999)`)
	answers := make([]byte, len(quick.Items))
	for i := range answers {
		answers[i] = 4
	}
	const n = 500
	for i := 0; i < n; i++ {
		flag, review := "", ""
		if i%50 == 0 {
			flag, review = "burst", "rejected"
		}
		mustExec(t, raw, `INSERT INTO responses(submission_id, counter_id, agency_id, instrument, instrument_version, submitted_at, local_date,
			answers, followup, comment, channel, lang, flag, flagged_as, review) VALUES (?, 1, 2, 'quick', ?, ?, '2025-06-01', ?, ?, ?, 'web', 'vi', ?, ?, ?)`,
			fmt.Sprintf("old-%06d", i), quick.Version, 1748736000000+int64(i), answers, i%3, fmt.Sprintf("góp ý %d", i), flag, flag, review)
	}
	const respCols = `SELECT id, submission_id, counter_id, agency_id, instrument, instrument_version, submitted_at, local_date, answers,
		followup, comment, channel, lang, flag, flagged_as, review, reviewed_at, reviewed_by FROM responses ORDER BY id`
	const userCols = `SELECT id, name, role, agency_id, password_hash, created_at, disabled_at FROM users ORDER BY id`
	beforeResp, beforeUsers := dump(t, raw, respCols), dump(t, raw, userCols)
	beforeSessions := dump(t, raw, `SELECT * FROM sessions`)
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	ro := sqlitetest.ReadOnly(t, path)
	if got := dump(t, ro, respCols); got != beforeResp {
		t.Fatalf("responses changed by the migration")
	}
	if got := dump(t, ro, userCols); got != beforeUsers {
		t.Fatalf("users changed by the migration:\n%s\nwant\n%s", got, beforeUsers)
	}
	if got := dump(t, ro, `SELECT * FROM sessions`); got != beforeSessions {
		t.Fatalf("sessions changed by the migration")
	}
	if got := queryInt(t, ro, `SELECT count(*) FROM responses WHERE dossier_id IS NULL AND timeliness = ''`); got != n {
		t.Fatalf("got %d responses without dossier, want %d", got, n)
	}
	if got := queryInt(t, ro, `SELECT count(*) FROM pragma_foreign_key_check`); got != 0 {
		t.Fatalf("%d broken references after the migration", got)
	}
	if got := queryInt(t, ro, `SELECT count(*) FROM schema_migrations WHERE name = '0013_dossiers.sql'`); got != 1 {
		t.Fatalf("0013 not recorded")
	}
	// The upgraded database works: the old sessions' user is found, the
	// new role can be given, a dossier registered and rated.
	ctx := context.Background()
	if u, err := db.FindUser(ctx, "off"); err != nil || u.Role != survey.RoleOfficial || u.AgencyCode != "A" {
		t.Fatalf("user after the migration: %+v %v", u, err)
	}
	if err := db.CreateUser(ctx, &survey.User{Name: "integ", Role: survey.RoleIntegration, AgencyCode: "A", PasswordHash: "h"}, testActor); err != nil {
		t.Fatalf("integration account after the migration: %v", err)
	}
	saved, err := db.RegisterDossier(ctx, []byte("hash"), dossierReg("X", "A", "Q1", vn(3, 2, 8), nil, nil), testActor)
	if err != nil {
		t.Fatal(err)
	}
	s := &survey.Submission{SubmissionID: sqlitetest.SubmissionID(), CounterID: 1, AgencyID: 2, Instrument: quick, Answers: answers,
		Channel: survey.ChannelDossier, Lang: "vi", DossierID: saved.Dossier.ID, Timeliness: survey.Pending}
	if _, err := db.StoreResponse(ctx, s); err != nil {
		t.Fatalf("rating after the migration: %v", err)
	}
}

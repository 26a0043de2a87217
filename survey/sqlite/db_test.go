package sqlite_test

import (
	"context"
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

// These tests are of Open itself, so they open their own files.

func TestMigrationsOnFreshFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "folder", "sipas.db")
	reg := sqlitetest.Instruments(t)
	db, err := sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	// Reopening applies nothing twice.
	db, err = sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if err := db.Ping(context.Background()); err != nil {
		t.Fatalf("ping: %v", err)
	}
	db.Close()

	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v %v", files, err)
	}
	raw := sqlitetest.ReadOnly(t, path)
	rows, err := raw.Query(`SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var applied []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		applied = append(applied, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		want = append(want, filepath.Base(f))
	}
	sort.Strings(want)
	if strings.Join(applied, ",") != strings.Join(want, ",") {
		t.Fatalf("got migrations %v, want %v", applied, want)
	}
	for _, table := range []string{"settings", "agencies", "counters", "history", "responses", "stats_monthly", "users", "audit_log"} {
		if n := queryInt(t, raw, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table); n != 1 {
			t.Fatalf("table %s: got %d, want 1", table, n)
		}
	}
	var mode string
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode: got %q %v, want wal", mode, err)
	}
}

func TestOpenRefusesANonDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	if db, err := sqlite.Open(path, sqlitetest.Instruments(t), sqlite.Options{}); err == nil {
		db.Close()
		t.Fatalf("got no error opening a file that is not a database")
	}
}

func TestTokenSecretIsStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	reg := sqlitetest.Instruments(t)
	ctx := context.Background()
	var secrets [2][]byte
	for i := range secrets {
		db, err := sqlite.Open(path, reg, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if secrets[i], err = db.TokenSecret(ctx); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	if len(secrets[0]) < 32 || string(secrets[0]) != string(secrets[1]) {
		t.Fatalf("got secrets %x and %x, want one stable secret of 32+ bytes", secrets[0], secrets[1])
	}
}

func extraInstrument(version int) string {
	return fmt.Sprintf(`{"id": "extra", "version": %d, "title": {"vi": "Thử"}, "elements": [],
		"items": [{"code": "X1", "vi": "Câu %d"}], "allow_no_opinion": false, "require_all": true, "comment": false}`, version, version)
}

func TestOpenRefusesUnknownInstrumentVersion(t *testing.T) {
	tests := []struct {
		name string
		flag string
	}{{"counted response", ""}, {"flagged response only", "honeypot"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sipas.db")
			both := registryWith(t, map[string]string{"extra.v1.json": extraInstrument(1), "extra.v2.json": extraInstrument(2)})
			db, err := sqlite.Open(path, both, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := db.CreateAgency(ctx, &survey.Agency{Code: "A", Name: "A"}, testActor); err != nil {
				t.Fatal(err)
			}
			c := &survey.Counter{AgencyCode: "A", Code: "Q", Name: "Q", Instrument: "extra"}
			if err := db.CreateCounter(ctx, c, testActor); err != nil {
				t.Fatal(err)
			}
			v2, _ := both.Current("extra")
			if v2.Version != 2 {
				t.Fatalf("got version %d, want 2", v2.Version)
			}
			s := &survey.Submission{SubmissionID: "refuse-unknown-version-1", CounterID: c.ID, AgencyID: c.AgencyID,
				Instrument: v2, Answers: []uint8{5}, Channel: "api", Lang: "vi", Flag: tt.flag}
			mustStore(t, db, s)
			db.Close()

			// A build that knows the version opens it; one that only knows v1 refuses.
			if db, err := sqlite.Open(path, both, sqlite.Options{}); err != nil {
				t.Fatalf("reopen with v2 known: %v", err)
			} else {
				db.Close()
			}
			older := registryWith(t, map[string]string{"extra.v1.json": extraInstrument(1)})
			db, err = sqlite.Open(path, older, sqlite.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("opened a database holding extra v2 with a build that has only v1")
			}
			if !strings.Contains(err.Error(), "extra v2") {
				t.Fatalf("got %q, want it to name extra v2", err)
			}
		})
	}
}

// TestOpenRefusesUnknownFlaggedVersionAfterKnownOnes stores counted and
// flagged responses of extra v1 and v2 and flagged ones only of v3: the
// check at start-up steps from one stored version to the next in an index,
// and must reach v3 behind the known ones and refuse a build without it.
func TestOpenRefusesUnknownFlaggedVersionAfterKnownOnes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sipas.db")
	all := registryWith(t, map[string]string{"extra.v1.json": extraInstrument(1), "extra.v2.json": extraInstrument(2), "extra.v3.json": extraInstrument(3)})
	db, err := sqlite.Open(path, all, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.CreateAgency(ctx, &survey.Agency{Code: "A", Name: "A"}, testActor); err != nil {
		t.Fatal(err)
	}
	c := &survey.Counter{AgencyCode: "A", Code: "Q", Name: "Q", Instrument: "extra"}
	if err := db.CreateCounter(ctx, c, testActor); err != nil {
		t.Fatal(err)
	}
	n := 0
	store := func(version int, flag string) {
		t.Helper()
		in, err := all.Version("extra", version)
		if err != nil {
			t.Fatal(err)
		}
		n++
		mustStore(t, db, &survey.Submission{SubmissionID: fmt.Sprintf("refuse-flagged-after-%04d", n), CounterID: c.ID, AgencyID: c.AgencyID,
			Instrument: in, Answers: []uint8{4}, Channel: "api", Lang: "vi", Flag: flag})
	}
	for _, v := range []int{1, 2} {
		store(v, "")
		store(v, "honeypot")
		store(v, "rate")
	}
	store(3, "honeypot")
	db.Close()

	if db, err := sqlite.Open(path, all, sqlite.Options{}); err != nil {
		t.Fatalf("reopen with v3 known: %v", err)
	} else {
		db.Close()
	}
	older := registryWith(t, map[string]string{"extra.v1.json": extraInstrument(1), "extra.v2.json": extraInstrument(2)})
	db, err = sqlite.Open(path, older, sqlite.Options{})
	if err == nil {
		db.Close()
		t.Fatalf("opened a database holding flagged responses of extra v3 with a build that has only v1 and v2")
	}
	if !strings.Contains(err.Error(), "extra v3") {
		t.Fatalf("got %q, want it to name extra v3", err)
	}
}

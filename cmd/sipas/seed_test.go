package main

import (
	"path/filepath"
	"strings"
	"testing"
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
	if n := count(t, db, `SELECT count(*) FROM responses`); n != 2000 {
		t.Fatalf("got %d responses, want 2000", n)
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
	if n := count(t, db, `SELECT count(*) FROM responses`); n != 2000 {
		t.Fatalf("got %d responses after --if-empty, want 2000", n)
	}
	if _, err := runCLI(t, "", "seed", "--db", db); err == nil {
		t.Fatalf("seeding a non-empty database without --if-empty: got no error")
	}
	if _, err := runCLI(t, "", "seed", "--db", filepath.Join(t.TempDir(), "x.db"), "--agencies", "0"); err == nil {
		t.Fatalf("--agencies 0: got no error")
	}
}

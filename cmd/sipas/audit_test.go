package main

import (
	"path/filepath"
	"testing"
)

// Every change made from the command line is audited, and written to
// history, as "cli": none as an anonymous "system".
func TestCLIChangesAuditedAsCLI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	agencies := writeFile(t, "agencies.csv", "code,name,parent\nD2,Sở Xây dựng,D1\n")
	counters := writeFile(t, "counters.csv", "agency,code,name,instrument\nD2,Q1,Quầy 1,sipas-2017\n")
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"agency", "add", "--code", "D1", "--name", "Sở Tư pháp"}},
		{"", []string{"agency", "import", agencies}},
		{"", []string{"counter", "add", "--agency", "D1", "--code", "Q1", "--name", "Quầy hộ tịch"}},
		{"", []string{"counter", "import", counters}},
		{"", []string{"counter", "rotate", "--agency", "D1", "--code", "Q1"}},
		{"", []string{"counter", "rotate-kiosk", "--agency", "D1", "--code", "Q1"}},
		{"mat-khau-rat-dai\n", []string{"user", "add", "--name", "root", "--role", "admin"}},
		{"mat-khau-rat-dai\n", []string{"user", "add", "--name", "lan", "--role", "official", "--agency", "D1"}},
		{"mat-khau-khac-nua\n", []string{"user", "passwd", "--name", "lan"}},
		{"", []string{"user", "disable", "--name", "lan"}},
		{"", []string{"user", "enable", "--name", "lan"}},
		{"", []string{"user", "set", "--name", "lan", "--agency", "D2"}},
	} {
		mustCLI(t, c.stdin, append(append(c.args[:2:2], "--db", db), c.args[2:]...)...)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'user.create' AND user_name = 'cli'`); n != 2 {
		t.Fatalf("got %d user.create rows by cli, want 2", n)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log`); n < 12 {
		t.Fatalf("got %d audit rows, want at least one a command (12)", n)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE user_name != 'cli'`); n != 0 {
		t.Fatalf("got %d audit rows not by cli, want 0", n)
	}
	if n := count(t, db, `SELECT count(*) FROM history WHERE user_name != 'cli'`); n != 0 {
		t.Fatalf("got %d history rows not by cli, want 0", n)
	}

	// The demo accounts of seed too.
	seeded := filepath.Join(t.TempDir(), "seed.db")
	mustCLI(t, "", "seed", "--db", seeded, "--agencies", "3", "--responses", "10", "--demo-users")
	if n := count(t, seeded, `SELECT count(*) FROM audit_log WHERE action = 'user.create' AND user_name = 'cli'`); n != 2 {
		t.Fatalf("seed: got %d user.create rows by cli, want 2", n)
	}
	if n := count(t, seeded, `SELECT count(*) FROM audit_log WHERE user_name != 'cli'`); n != 0 {
		t.Fatalf("seed: got %d audit rows not by cli, want 0", n)
	}
}

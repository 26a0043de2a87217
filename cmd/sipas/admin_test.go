package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// The tests of commands that create agencies, counters and accounts
// (add, import) start from an empty database the CLI creates; the others
// start from sqlitetest's standard province, closed first so that the
// command line has the file to itself.

func TestCLIUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	mustCLI(t, "", "agency", "add", "--db", db, "--code", "D1", "--name", "Sở Tư pháp")
	out := mustCLI(t, "mat-khau-rat-dai\n", "user", "add", "--db", db, "--name", "lan", "--role", "official", "--agency", "D1")
	if !strings.Contains(out, "user lan (official) created") {
		t.Fatalf("got %q", out)
	}
	d, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	u, err := d.FindUser(context.Background(), "lan")
	d.Close()
	if err != nil || u.AgencyCode != "D1" || u.Role != survey.RoleOfficial {
		t.Fatalf("got %+v, %v", u, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte("mat-khau-rat-dai")) != nil {
		t.Fatalf("stored hash does not match the password read from stdin")
	}
	if strings.Contains(u.PasswordHash, "mat-khau") {
		t.Fatalf("password stored in clear")
	}
	tests := []struct {
		name, stdin, want string
		args              []string
	}{
		{"no password", "", "no password", []string{"--name", "x", "--role", "admin"}},
		{"short password", "short\n", "at least 8", []string{"--name", "x", "--role", "admin"}},
		{"no name", "mat-khau-rat-dai\n", "--name is required", []string{"--role", "admin"}},
		{"bad role", "mat-khau-rat-dai\n", "role", []string{"--name", "x", "--role", "root"}},
		{"unknown agency", "mat-khau-rat-dai\n", "not found", []string{"--name", "x", "--agency", "NOPE"}},
		{"duplicate", "mat-khau-rat-dai\n", "already exists", []string{"--name", "lan", "--agency", "D1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCLI(t, tt.stdin, append([]string{"user", "add", "--db", db}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v (%s), want an error containing %q", err, out, tt.want)
			}
		})
	}
	mustCLI(t, "another-password\r\n", "user", "passwd", "--db", db, "--name", "lan")
	if out := mustCLI(t, "", "user", "list", "--db", db); !strings.Contains(out, "lan") || !strings.Contains(out, "D1") {
		t.Fatalf("user list: got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM users`); n != 1 {
		t.Fatalf("got %d users, want 1", n)
	}
}

// The standard province's off (official of D1) is disabled, enabled,
// moved to D2 and made an admin; admin is the admin.
func TestCLIUserDisableEnableSet(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Close(t)
	db := p.Path
	if out := mustCLI(t, "", "user", "disable", "--db", db, "--name", "off"); !strings.Contains(out, "user off disabled") {
		t.Fatalf("disable: got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM users WHERE name = 'off' AND disabled_at IS NOT NULL`); n != 1 {
		t.Fatalf("off is not disabled")
	}
	out := mustCLI(t, "", "user", "list", "--db", db)
	if !strings.Contains(out, "STATUS") || !regexp.MustCompile(`(?m)^off\s+official\s+D1\s+disabled$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^admin\s+admin\s+active$`).MatchString(out) {
		t.Fatalf("user list: got %q", out)
	}
	if out := mustCLI(t, "", "user", "enable", "--db", db, "--name", "off"); !strings.Contains(out, "user off enabled") {
		t.Fatalf("enable: got %q", out)
	}
	if out := mustCLI(t, "", "user", "set", "--db", db, "--name", "off", "--agency", "D2"); !strings.Contains(out, `user off is now official of agency "D2"`) {
		t.Fatalf("set: got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.name = 'off' AND a.code = 'D2' AND u.disabled_at IS NULL`); n != 1 {
		t.Fatalf("off was not moved to D2 or is still disabled")
	}
	mustCLI(t, "", "user", "set", "--db", db, "--name", "off", "--role", "admin")
	if n := count(t, db, `SELECT count(*) FROM users WHERE name = 'off' AND role = 'admin'`); n != 1 {
		t.Fatalf("off is not an admin")
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'user.update' AND user_name = 'cli'`); n != 4 {
		t.Fatalf("got %d user.update audit rows by cli, want 4", n)
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown user", []string{"disable", "--name", "nobody"}, "user not found"},
		{"no name", []string{"enable"}, "--name is required"},
		{"nothing to set", []string{"set", "--name", "off"}, "needs --role, --agency, --email"},
		{"unknown agency", []string{"set", "--name", "off", "--agency", "NOPE"}, "not found"},
		{"bad role", []string{"set", "--name", "off", "--role", "boss"}, "role must be"},
		{"official without agency", []string{"set", "--name", "admin", "--role", "official"}, "an official needs"},
		{"unknown subcommand", []string{"delete", "--name", "off"}, "unknown user subcommand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"user", tt.args[0], "--db", db}, tt.args[1:]...)
			out, err := runCLI(t, "", args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v (%s), want an error containing %q", err, out, tt.want)
			}
		})
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'user.update'`); n != 4 {
		t.Fatalf("refused commands wrote audit rows: got %d, want 4", n)
	}
}

// Resetting a password from the command line signs the account out
// everywhere.
func TestCLIPasswdEndsSessions(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	u, err := p.DB.FindUser(t.Context(), "off")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := p.DB.CreateSession(t.Context(), []byte("0123456789abcdef0123456789abcdef"), u.ID, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := p.Count(t, `SELECT count(*) FROM sessions`); n != 1 {
		t.Fatalf("got %d sessions before the reset, want 1", n)
	}
	p.Close(t)
	if out := mustCLI(t, "mot-mat-khau-moi\n", "user", "passwd", "--db", p.Path, "--name", "off"); !strings.Contains(out, "signed out") {
		t.Fatalf("got %q", out)
	}
	if n := count(t, p.Path, `SELECT count(*) FROM sessions`); n != 0 {
		t.Fatalf("got %d sessions after the reset, want 0", n)
	}
}

func TestCLIImports(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	agencies := writeFile(t, "agencies.csv", "code,name,parent\nP,UBND tỉnh,\nD1,Sở Tư pháp,P\nC1,UBND xã Nhơn Ái,D1\n")
	if out := mustCLI(t, "", "agency", "import", "--db", db, agencies); !strings.Contains(out, "3 agencies imported") {
		t.Fatalf("got %q", out)
	}
	counters := writeFile(t, "counters.csv", "agency,code,name,instrument\nD1,Q1,Quầy 1,sipas-2017\nC1,K1,Ki-ốt,quick\n")
	if out := mustCLI(t, "", "counter", "import", "--db", db, counters); !strings.Contains(out, "2 counters imported") {
		t.Fatalf("got %q", out)
	}
	// From standard input too.
	if out := mustCLI(t, "code,name,parent\nD2,Huyện,P\n", "agency", "import", "--db", db, "-"); !strings.Contains(out, "1 agencies imported") {
		t.Fatalf("got %q", out)
	}
	tests := []struct {
		name, kind, csv, want string
	}{
		{"malformed agency line", "agency", "code,name,parent\nN1,Mới 1,P\nN2,Mới 2,N1\nN3,\"Mới\" 3,N1\nN4,Mới 4,N1\n", "line 4"},
		{"bad agency code", "agency", "code,name,parent\nN1,Mới 1,P\n\nN 2,Mới 2,N1\n", "line 4"},
		{"agency code taken", "agency", "code,name,parent\nN1,Mới 1,P\nN2,Mới 2,N1\nD1,Trùng,P\n", "line 4"},
		{"unknown parent", "agency", "code,name,parent\nN1,Mới 1,P\nN2,Mới 2,NOPE\n", "line 3"},
		{"wrong field count", "agency", "code,name,parent\nN1,Mới 1\n", "line 2"},
		{"counter unknown agency", "counter", "agency,code,name\nD1,Q2,Quầy 2\nNOPE,Q1,Quầy 1\n", "line 3"},
		{"counter unknown instrument", "counter", "agency,code,name,instrument\nD1,Q2,Quầy 2,\nD1,Q3,Quầy 3,nps\n", "line 3"},
		{"counter taken", "counter", "agency,code,name\nD1,Q2,Quầy 2\nD1,Q3,Quầy 3\nD1,Q1,Quầy 1\n", "line 4"},
		{"counter malformed", "counter", "agency,code,name\nD1,Q2,\"Quầy 2\n", "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			beforeA, beforeC := count(t, db, `SELECT count(*) FROM agencies`), count(t, db, `SELECT count(*) FROM counters`)
			f := writeFile(t, "in.csv", tt.csv)
			out, err := runCLI(t, "", tt.kind, "import", "--db", db, f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v (%s), want an error naming %s", err, out, tt.want)
			}
			if a, c := count(t, db, `SELECT count(*) FROM agencies`), count(t, db, `SELECT count(*) FROM counters`); a != beforeA || c != beforeC {
				t.Fatalf("a failed import changed the database: %d→%d agencies, %d→%d counters", beforeA, a, beforeC, c)
			}
		})
	}
	out := mustCLI(t, "", "agency", "list", "--db", db, "--root", "D1")
	if !strings.Contains(out, "C1") || strings.Contains(out, "D2") {
		t.Fatalf("agency list --root D1: got %q", out)
	}
	if out := mustCLI(t, "", "counter", "list", "--db", db, "--agency", "C1"); !strings.Contains(out, "K1") || !strings.Contains(out, "quick") {
		t.Fatalf("counter list: got %q", out)
	}
}

// The standard province's D1 has Q1 (sipas-2017), K1 (quick), R1 (token
// rotated once) and Z1 (closed); the command line adds Q2 and rotates K1.
func TestCLIBackupAndURLs(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Close(t)
	db := p.Path
	if out := mustCLI(t, "", "counter", "add", "--db", db, "--agency", "D1", "--code", "Q2", "--name", "Quầy 2"); !strings.Contains(out, "counter D1/Q2 created") {
		t.Fatalf("add: got %q", out)
	}
	if out := mustCLI(t, "", "counter", "rotate", "--db", db, "--agency", "D1", "--code", "K1"); !strings.Contains(out, "token version 2") {
		t.Fatalf("rotate: got %q", out)
	}
	out := mustCLI(t, "", "counter", "urls", "--db", db, "--agency", "D1", "--base-url", "https://hailong.example.gov.vn/")
	urls := regexp.MustCompile(`survey: https://hailong\.example\.gov\.vn/s/(\S+)`).FindAllStringSubmatch(out, -1)
	if len(urls) != 4 || !strings.Contains(out, "?kiosk=") || !strings.Contains(out, "/poster") {
		t.Fatalf("counter urls: got %q, want the 4 open counters Q1, K1, R1 and Q2", out)
	}
	if strings.Contains(out, "D1/Z1") || !strings.Contains(out, "D1/Q2 (Quầy 2, sipas-2017)") {
		t.Fatalf("counter urls: got %q, want no closed Z1 and Q2 with the default instrument", out)
	}
	d, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	k1, err1 := d.FindCounter(t.Context(), "D1", "K1")
	r1, err2 := d.FindCounter(t.Context(), "D1", "R1")
	d.Close()
	if err1 != nil || err2 != nil {
		t.Fatalf("find K1, R1: %v, %v", err1, err2)
	}
	if !strings.Contains(out, "?kiosk="+p.Signer.KioskKey(k1)+"\n") {
		t.Fatalf("counter urls: no kiosk URL with K1's kiosk key in %q", out)
	}
	for _, m := range urls {
		id, v, err := p.Signer.Verify(m[1])
		if err != nil {
			t.Fatalf("token %s does not verify: %v", m[1], err)
		}
		if (id == k1.ID || id == r1.ID) && v != 2 {
			t.Fatalf("counter %d's URL carries token version %d, want 2 (K1 and R1 were rotated once)", id, v)
		}
	}

	target := filepath.Join(t.TempDir(), "backup.db")
	if out := mustCLI(t, "", "backup", "--db", db, target); !strings.Contains(out, "integrity_check: ok") {
		t.Fatalf("backup: got %q", out)
	}
	if n := count(t, target, `SELECT count(*) FROM counters`); n != 9 {
		t.Fatalf("backup has %d counters, want 9 (the standard 8 and Q2)", n)
	}
	if _, err := runCLI(t, "", "backup", "--db", db, target); err == nil {
		t.Fatalf("backup over an existing file: got no error")
	}
	if _, err := runCLI(t, "", "backup", "--db", db); err == nil {
		t.Fatalf("backup without a target: got no error")
	}
}

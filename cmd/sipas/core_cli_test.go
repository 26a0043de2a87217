package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sipas/sipas/survey"
)

// runCLI runs the command line in-process and returns its output.
func runCLI(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

// mustCLI runs the command line and fails the test on error.
func mustCLI(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, err := runCLI(t, stdin, args...)
	if err != nil {
		t.Fatalf("sipas %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// count runs a counting query on the database file.
func count(t *testing.T, path, q string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// writeFile writes a file in a temporary folder and returns its path.
func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

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

func TestCLIBackupAndURLs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	mustCLI(t, "", "agency", "add", "--db", db, "--code", "D1", "--name", "Sở Tư pháp")
	mustCLI(t, "", "counter", "add", "--db", db, "--agency", "D1", "--code", "Q1", "--name", "Quầy 1")
	mustCLI(t, "", "counter", "add", "--db", db, "--agency", "D1", "--code", "K1", "--name", "Ki-ốt", "--instrument", "quick")
	if out := mustCLI(t, "", "counter", "rotate", "--db", db, "--agency", "D1", "--code", "K1"); !strings.Contains(out, "token version 2") {
		t.Fatalf("rotate: got %q", out)
	}
	out := mustCLI(t, "", "counter", "urls", "--db", db, "--agency", "D1", "--base-url", "https://hailong.example.gov.vn/")
	urls := regexp.MustCompile(`survey: https://hailong\.example\.gov\.vn/s/(\S+)`).FindAllStringSubmatch(out, -1)
	if len(urls) != 2 || !strings.Contains(out, "?kiosk=") || !strings.Contains(out, "/poster") {
		t.Fatalf("counter urls: got %q", out)
	}
	d, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := d.TokenSecret(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	k1, _ := d.FindCounter(context.Background(), "D1", "K1")
	d.Close()
	signer := survey.NewSigner(secret)
	if !strings.Contains(out, "?kiosk="+signer.KioskKey(k1.ID, 2)+"\n") {
		t.Fatalf("counter urls: no kiosk URL with K1's kiosk key in %q", out)
	}
	for _, m := range urls {
		id, v, err := signer.Verify(m[1])
		if err != nil {
			t.Fatalf("token %s does not verify: %v", m[1], err)
		}
		if id == k1.ID && v != 2 {
			t.Fatalf("K1's URL carries token version %d, want 2", v)
		}
	}

	target := filepath.Join(t.TempDir(), "backup.db")
	if out := mustCLI(t, "", "backup", "--db", db, target); !strings.Contains(out, "integrity_check: ok") {
		t.Fatalf("backup: got %q", out)
	}
	if n := count(t, target, `SELECT count(*) FROM counters`); n != 2 {
		t.Fatalf("backup has %d counters, want 2", n)
	}
	if _, err := runCLI(t, "", "backup", "--db", db, target); err == nil {
		t.Fatalf("backup over an existing file: got no error")
	}
	if _, err := runCLI(t, "", "backup", "--db", db); err == nil {
		t.Fatalf("backup without a target: got no error")
	}
}

func TestCLIUsage(t *testing.T) {
	if _, err := runCLI(t, ""); err == nil {
		t.Fatalf("no command: got no error")
	}
	if out, err := runCLI(t, "", "frobnicate"); err == nil || !strings.Contains(out, "Usage") {
		t.Fatalf("unknown command: got %v %q", err, out)
	}
	if out := mustCLI(t, "", "help"); !strings.Contains(out, "serve") || !strings.Contains(out, "--db") {
		t.Fatalf("help: got %q", out)
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestCLIServeGraceful(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--addr", addr}, strings.NewReader(""), io.Discard, &stderr)
	}()

	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped before it was ready: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no 200 from /healthz within 15 s (last error %v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := client.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancel, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not return within 15 s of cancel")
	}
	if _, err := client.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatalf("server still answers after shutdown")
	}
	log := stderr.String()
	for _, want := range []string{`"listening"`, fmt.Sprintf(`"base_url":"http://%s"`, addr), `"stopped"`} {
		if !strings.Contains(log, want) {
			t.Fatalf("log lacks %s:\n%s", want, log)
		}
	}
	// The database was closed cleanly: it opens again at once.
	d, err := openDB(db)
	if err != nil {
		t.Fatalf("reopen after serve: %v", err)
	}
	d.Close()
	if _, err := runCLI(t, "", "serve", "--db", db, "--addr", "256.0.0.1:99999"); err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("serve on a bad address: got %v, want an error", err)
	}
}

func TestCLIUserDisableEnableSet(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	mustCLI(t, "", "agency", "add", "--db", db, "--code", "D1", "--name", "Sở Tư pháp")
	mustCLI(t, "", "agency", "add", "--db", db, "--code", "D2", "--name", "Sở Y tế")
	mustCLI(t, "mat-khau-rat-dai\n", "user", "add", "--db", db, "--name", "root", "--role", "admin")
	mustCLI(t, "mat-khau-rat-dai\n", "user", "add", "--db", db, "--name", "lan", "--role", "official", "--agency", "D1")

	if out := mustCLI(t, "", "user", "disable", "--db", db, "--name", "lan"); !strings.Contains(out, "user lan disabled") {
		t.Fatalf("disable: got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM users WHERE name = 'lan' AND disabled_at IS NOT NULL`); n != 1 {
		t.Fatalf("lan is not disabled")
	}
	out := mustCLI(t, "", "user", "list", "--db", db)
	if !strings.Contains(out, "STATUS") || !regexp.MustCompile(`(?m)^lan\s+official\s+D1\s+disabled$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^root\s+admin\s+active$`).MatchString(out) {
		t.Fatalf("user list: got %q", out)
	}
	if out := mustCLI(t, "", "user", "enable", "--db", db, "--name", "lan"); !strings.Contains(out, "user lan enabled") {
		t.Fatalf("enable: got %q", out)
	}
	if out := mustCLI(t, "", "user", "set", "--db", db, "--name", "lan", "--agency", "D2"); !strings.Contains(out, `user lan is now official of agency "D2"`) {
		t.Fatalf("set: got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.name = 'lan' AND a.code = 'D2' AND u.disabled_at IS NULL`); n != 1 {
		t.Fatalf("lan was not moved to D2 or is still disabled")
	}
	mustCLI(t, "", "user", "set", "--db", db, "--name", "lan", "--role", "admin")
	if n := count(t, db, `SELECT count(*) FROM users WHERE name = 'lan' AND role = 'admin'`); n != 1 {
		t.Fatalf("lan is not an admin")
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
		{"nothing to set", []string{"set", "--name", "lan"}, "needs --role or --agency"},
		{"unknown agency", []string{"set", "--name", "lan", "--agency", "NOPE"}, "not found"},
		{"bad role", []string{"set", "--name", "lan", "--role", "boss"}, "role must be"},
		{"official without agency", []string{"set", "--name", "root", "--role", "official"}, "an official needs"},
		{"unknown subcommand", []string{"delete", "--name", "lan"}, "unknown user subcommand"},
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

package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

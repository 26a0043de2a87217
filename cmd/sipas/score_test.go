package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCLIScore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	mustCLI(t, "", "seed", "--db", db, "--agencies", "12", "--responses", "3000", "--seed", "4", "--days", "60")
	today := time.Now().Format("2006-01-02")
	from := time.Now().AddDate(0, 0, -70).Format("2006-01-02")
	args := []string{"score", "--db", db, "--agency", "DEMO", "--from", from, "--to", today}

	table := mustCLI(t, "", args...)
	for _, want := range []string{"UBND tỉnh Demo (DEMO)", "Chỉ số chung", "TC1", "GY4", "KHOẢNG TIN CẬY", "So với kỳ trước"} {
		if !strings.Contains(table, want) {
			t.Fatalf("table lacks %q:\n%s", want, table)
		}
	}
	// Vietnamese number format: 85,54% and [82,10 – 88,40].
	if !regexp.MustCompile(`\d{1,3},\d\d% +\[\d{1,3},\d\d – \d{1,3},\d\d\]`).MatchString(table) {
		t.Fatalf("table has no index in the Vietnamese format:\n%s", table)
	}

	var js struct {
		Agency      string
		Respondents int64
		Overall     struct {
			Index *float64
			N     int64
		}
		Items []struct{ Code string }
	}
	if err := json.Unmarshal([]byte(mustCLI(t, "", append(args, "--format", "json")...)), &js); err != nil {
		t.Fatal(err)
	}
	if js.Agency != "DEMO" || js.Respondents == 0 || js.Overall.Index == nil || len(js.Items) != 22 {
		t.Fatalf("json: got %+v", js)
	}

	recs, err := csv.NewReader(strings.NewReader(mustCLI(t, "", append(args, "--format", "csv")...))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+1+5+22 || recs[0][7] != "index" || recs[1][5] != "overall" {
		t.Fatalf("csv: got %d rows, header %v", len(recs), recs[0])
	}

	for _, bad := range [][]string{
		{"--agency", "NOPE", "--from", from, "--to", today},
		{"--agency", "DEMO", "--from", today, "--to", from},
		{"--agency", "DEMO", "--from", "2026-02-30", "--to", today},
		{"--agency", "DEMO", "--from", from, "--to", today, "--format", "xml"},
		{"--agency", "DEMO", "--from", from, "--to", today, "--instrument", "nope"},
	} {
		if _, err := runCLI(t, "", append([]string{"score", "--db", db}, bad...)...); err == nil {
			t.Fatalf("score %v: got no error", bad)
		}
	}
}

// Resetting a password from the command line signs the account out
// everywhere.
func TestCLIPasswdEndsSessions(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	mustCLI(t, "", "agency", "add", "--db", db, "--code", "D1", "--name", "Sở Tư pháp")
	mustCLI(t, "mat-khau-rat-dai\n", "user", "add", "--db", db, "--name", "lan", "--role", "official", "--agency", "D1")
	d, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	u, err := d.FindUser(t.Context(), "lan")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := d.CreateSession(t.Context(), []byte("0123456789abcdef0123456789abcdef"), u.ID, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if out := mustCLI(t, "mot-mat-khau-moi\n", "user", "passwd", "--db", db, "--name", "lan"); !strings.Contains(out, "signed out") {
		t.Fatalf("got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM sessions`); n != 0 {
		t.Fatalf("got %d sessions after the reset, want 0", n)
	}
}

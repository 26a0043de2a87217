package main

import (
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// TestCLIScore scores the province P of sqlitetest's standard spread of
// responses (SeedMonths) over its last three months, whose previous
// period is its first three.
func TestCLIScore(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.SeedMonths(t)
	last, err := time.ParseInLocation("2006-01", sqlitetest.SeedLastMonth, survey.Vietnam)
	if err != nil {
		t.Fatal(err)
	}
	// One rating flagged (a bot's) in the period: counted as set aside.
	bot := p.Submission(t, "D1/Q1", 5, last.Add(9*time.Hour))
	bot.Flag = survey.FlagHoneypot
	if _, err := p.DB.StoreResponse(t.Context(), bot); err != nil {
		t.Fatal(err)
	}
	p.Close(t)
	db := p.Path
	from, to := last.AddDate(0, -2, 0).Format("2006-01-02"), last.AddDate(0, 1, -1).Format("2006-01-02")
	args := []string{"score", "--db", db, "--agency", "P", "--from", from, "--to", to}

	table := mustCLI(t, "", args...)
	for _, want := range []string{"UBND tỉnh Demo (P)", "Chỉ số chung", "TC1", "GY4", "KHOẢNG TIN CẬY", "So với kỳ trước", "(1 phiếu tách riêng, không tính vào chỉ số)"} {
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
	// Three months of the five open sipas-2017 counters (D1/Q1, D1/R1, D2/Q1,
	// D3/Q1, D4/Q1).
	if js.Agency != "P" || js.Respondents != 3*5*sqlitetest.SeedPerMonth || js.Overall.Index == nil || len(js.Items) != 22 {
		t.Fatalf("json: got %+v, want P with %d respondents", js, 3*5*sqlitetest.SeedPerMonth)
	}

	recs, err := csv.NewReader(strings.NewReader(mustCLI(t, "", append(args, "--format", "csv")...))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+1+5+22 || recs[0][7] != "index" || recs[1][5] != "overall" {
		t.Fatalf("csv: got %d rows, header %v", len(recs), recs[0])
	}

	for _, bad := range [][]string{
		{"--agency", "NOPE", "--from", from, "--to", to},
		{"--agency", "P", "--from", to, "--to", from},
		{"--agency", "P", "--from", "2026-02-30", "--to", to},
		{"--agency", "P", "--from", from, "--to", to, "--format", "xml"},
		{"--agency", "P", "--from", from, "--to", to, "--instrument", "nope"},
	} {
		if _, err := runCLI(t, "", append([]string{"score", "--db", db}, bad...)...); err == nil {
			t.Fatalf("score %v: got no error", bad)
		}
	}
}

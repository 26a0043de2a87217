package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// The reorganisation commands on the standard province (P > D1 > C1, D2,
// D3, D4), with the real clock: dates are relative to today.

func TestCLIAgencyReorg(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Close(t)
	db := p.Path
	today := time.Now().In(survey.Vietnam)
	day := func(d int) string { return today.AddDate(0, 0, d).Format("2006-01-02") }
	parentOf := func(code string) string {
		t.Helper()
		d, err := openDB(db)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		a, err := d.FindAgency(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		return a.ParentCode
	}

	if out := mustCLI(t, "", "agency", "move", "--db", db, "--agency", "C1", "--parent", "D2", "--date", day(-30)); !strings.Contains(out, "agency C1 is under D2 from "+day(-30)) {
		t.Fatalf("move: got %q", out)
	}
	if got := parentOf("C1"); got != "D2" {
		t.Fatalf("C1's parent: got %s, want D2", got)
	}
	out := mustCLI(t, "", "agency", "merge", "--db", db, "--into", "X", "--from", "D3,D4", "--date", day(-10), "--name", "Phường Mới")
	if want := "D3, D4 merged into X on " + day(-10) + " (counters: move)\n  D3/Q1 → X/Q1 (moved)\n  D4/Q1 → X/D4-Q1 (moved)\n"; out != want {
		t.Fatalf("merge: got %q, want %q", out, want)
	}
	if n := count(t, db, `SELECT count(*) FROM agencies WHERE code IN ('D3','D4') AND closed_at IS NOT NULL`); n != 2 {
		t.Fatalf("%d of D3, D4 closed, want 2", n)
	}

	// A whole reorganisation from a file, and from standard input.
	csv := "kind,date,agency,parent,into,from,name,counters\n" +
		"move," + day(-5) + ",C1,D1,,,,\n" +
		"split," + day(-5) + ",X,,X1;X2,,Phường 1;Phường 2,X1=Q1\n"
	if out := mustCLI(t, "", "agency", "reorganise", "--db", db, writeFile(t, "reorg.csv", csv)); !strings.Contains(out, "2 reorganisation events applied (counters: 1 moved, 1 closed)") {
		t.Fatalf("reorganise: got %q", out)
	}
	if got := parentOf("C1"); got != "D1" {
		t.Fatalf("C1's parent after the import: got %s, want D1", got)
	}
	if out := mustCLI(t, "kind,date,agency,parent,into,from,name,counters\nmove,"+day(0)+",X1,D1,,,,\n", "agency", "reorganise", "--db", db, "-"); !strings.Contains(out, "1 reorganisation events applied (counters: 0 moved, 0 closed)") {
		t.Fatalf("reorganise from stdin: got %q", out)
	}
	if got := parentOf("X1"); got != "D1" {
		t.Fatalf("X1's parent after the import: got %s, want D1", got)
	}
	// Without --date, today.
	if out := mustCLI(t, "", "agency", "move", "--db", db, "--agency", "C1", "--parent", "D2"); !strings.Contains(out, "from "+day(0)) {
		t.Fatalf("move without a date: got %q", out)
	}

	agencies := count(t, db, `SELECT count(*) FROM agencies`)
	spans := count(t, db, `SELECT count(*) FROM agency_parents`)
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"cycle", "", []string{"move", "--agency", "D2", "--parent", "C1"}, "cycle"},
		{"no parent", "", []string{"move", "--agency", "D1"}, "--parent: parent is required"},
		{"too far ahead", "", []string{"move", "--agency", "C1", "--parent", "D2", "--date", day(survey.MaxFutureDays + 1)}, "--date: " + day(survey.MaxFutureDays+1) + " is "},
		{"empty from", "", []string{"merge", "--into", "Y", "--date", day(0), "--name", "Y"}, "--from: from is empty"},
		{"merge closed", "", []string{"merge", "--into", "D2", "--from", "D3", "--date", day(0)}, "D3 is already closed"},
		{"bad counters", "", []string{"merge", "--into", "D2", "--from", "D1", "--date", day(0), "--counters", "keep"}, "counters must be"},
		{"csv third event", "kind,date,agency,parent,into,from,name,counters\n" +
			"move," + day(0) + ",X2,D2,,,,\nmove," + day(0) + ",D2,D1,,,,\nmove," + day(0) + ",D1,X2,,,,\n",
			[]string{"reorganise", "-"}, "line 4: moving D1 under X2 would make a cycle"},
		{"csv no file", "", []string{"reorganise"}, "give one CSV file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"agency", tt.args[0], "--db", db}, tt.args[1:]...)
			out, err := runCLI(t, tt.stdin, args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v (%s), want an error containing %q", err, out, tt.want)
			}
		})
	}
	if n := count(t, db, `SELECT count(*) FROM agencies`); n != agencies {
		t.Fatalf("refused commands created %d agencies", n-agencies)
	}
	if n := count(t, db, `SELECT count(*) FROM agency_parents`); n != spans {
		t.Fatalf("refused commands wrote %d parent spans", n-spans)
	}
}

// A district-like unit closes in the import that empties it, its counters
// with it; closing one that still has open sub-agencies is refused, with
// the line, and changes nothing.
func TestCLIAgencyReorgClose(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Close(t)
	db := p.Path
	day := time.Now().In(survey.Vietnam).AddDate(0, 0, -1).Format("2006-01-02")
	const header = "kind,date,agency,parent,into,from,name,counters\n"

	_, err := runCLI(t, header+"close,"+day+",D1,,,,,\n", "agency", "reorganise", "--db", db, "-")
	if err == nil || !strings.Contains(err.Error(), "line 2: D1 has open sub-agencies (C1): move, merge or close them first") {
		t.Fatalf("close above C1: got %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM agencies WHERE closed_at IS NOT NULL`); n != 0 {
		t.Fatalf("a refused import closed %d agencies", n)
	}
	out := mustCLI(t, header+"merge,"+day+",,,D2,C1,,move\nclose,"+day+",D1,,,,,\n", "agency", "reorganise", "--db", db, "-")
	if !strings.Contains(out, "2 reorganisation events applied (counters: 1 moved, 3 closed)") {
		t.Fatalf("reorganise: got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM counters c JOIN agencies a ON a.id = c.agency_id WHERE a.code = 'D1' AND c.closed_at IS NULL`); n != 0 {
		t.Fatalf("%d of D1's counters open after its closure", n)
	}
}

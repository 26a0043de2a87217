package main

import (
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// TestCLIIntegrity: the opening hours and holidays an admin sets from the
// command line, refused when bad with nothing changed, and a scan that
// sets a burst aside.
func TestCLIIntegrity(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	at := time.Date(2026, 10, 6, 9, 0, 0, 0, survey.Vietnam)
	for i := 0; i < 15; i++ {
		s := p.Submission(t, "D1/Q1", 5, at.Add(time.Duration(i)*30*time.Second))
		s.Client = 99
		if _, err := p.DB.StoreResponse(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	p.Close(t)
	db := p.Path

	out := mustCLI(t, "", "integrity", "hours", "--db", db, "D1")
	if !strings.Contains(out, `"mon":["07:00-11:30","13:30-17:00"]`) || !strings.Contains(out, `"set_on":""`) {
		t.Errorf("default hours: %s", out)
	}
	mustCLI(t, `{"mon": ["07:30-11:30"], "sat": ["07:30-11:00"]}`, "integrity", "hours", "--db", db, "D1", "-")
	if out := mustCLI(t, "", "integrity", "hours", "--db", db, "D1"); !strings.Contains(out, `"sat":["07:30-11:00"]`) || !strings.Contains(out, `"set_on":"D1"`) {
		t.Errorf("hours after set: %s", out)
	}
	for _, bad := range []string{`{"mon": ["07:00-11:30", "11:00-12:00"]}`, `{"mon": []}`, `{"monday": ["07:00-11:30"]}`, `not json`} {
		if out, err := runCLI(t, bad, "integrity", "hours", "--db", db, "D1", "-"); err == nil {
			t.Errorf("hours %s: accepted: %s", bad, out)
		}
	}
	if out := mustCLI(t, "", "integrity", "hours", "--db", db, "D1"); !strings.Contains(out, `"sat":["07:30-11:00"]`) {
		t.Errorf("a refused change changed the hours: %s", out)
	}
	mustCLI(t, "", "integrity", "hours", "--db", db, "D1", "--inherit")
	if out := mustCLI(t, "", "integrity", "hours", "--db", db, "D1"); !strings.Contains(out, `"set_on":""`) {
		t.Errorf("after --inherit: %s", out)
	}

	mustCLI(t, `[{"date": "2026-09-02", "name": "Quốc khánh"}]`, "integrity", "holidays", "--db", db, "-")
	if out, err := runCLI(t, `[{"date": "2026-02-30"}]`, "integrity", "holidays", "--db", db, "-"); err == nil || !strings.Contains(err.Error(), "2026-02-30") {
		t.Errorf("bad holiday: %v %s", err, out)
	}
	if out := mustCLI(t, "", "integrity", "holidays", "--db", db); !strings.Contains(out, "Quốc khánh") {
		t.Errorf("holidays after a refused change: %s", out)
	}

	if out := mustCLI(t, "", "integrity", "scan", "--db", db, "--date", "2026-10-06"); !strings.Contains(out, "15 set aside in 1 windows") {
		t.Errorf("scan: %s", out)
	}
	if n := count(t, db, `SELECT count(*) FROM responses WHERE flag = 'integrity'`); n != 15 {
		t.Errorf("%d set aside, want 15", n)
	}
	if _, err := runCLI(t, "", "integrity", "scan", "--db", db, "--date", "06/10/2026"); err == nil {
		t.Error("a bad --date was taken")
	}
	if _, err := runCLI(t, "", "integrity", "nope", "--db", db); err == nil {
		t.Error("an unknown subcommand was taken")
	}
	if _, err := runCLI(t, "", "integrity", "scan", "--db", db, "2026-10-06"); err == nil {
		t.Error("a date without --date was taken (and ignored)")
	}
	for _, bad := range []string{`[{"date": "2026-09-02", "workin": true}]`, `[{"date": "2026-09-02", "working": "yes"}]`, ``, `[] []`} {
		out, err := runCLI(t, bad, "integrity", "holidays", "--db", db, "-")
		if err == nil || strings.Contains(err.Error(), "internal error") {
			t.Errorf("holidays %q: %v %s, want a clear error", bad, err, out)
		}
	}
	if out := mustCLI(t, "", "integrity", "holidays", "--db", db); !strings.Contains(out, "Quốc khánh") {
		t.Errorf("holidays after refused changes: %s", out)
	}
}

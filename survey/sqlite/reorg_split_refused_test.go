package sqlite_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// A split: the old agency closes, its counters go to the successors that
// name them and the others close; each successor has it as predecessor.
func TestReorgSplit(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	q1 := p.Counter(t, "D1/Q1")
	auditFrom := maxID(t, p, "audit_log")
	evs := mustReorganise(t, p,
		mergeEv(survey.Merge{Into: "D2", From: []string{"C1"}, Date: "2025-06-01"}), // D1 has no open sub-agency now
		splitEv(survey.Split{From: "D1", Date: "2025-07-01", Into: []survey.SplitPart{
			{Code: "D1A", Name: "Sở Tư pháp A", Counters: []string{"Q1", "K1"}},
			{Code: "D1B", Name: "Sở Tư pháp B", Parent: "D2"},
			{Code: "D4", Counters: []string{"R1"}},
		}}))
	if got, want := outcome(evs[1]), "created D1A D1B; D1/Q1→D1A/Q1 moved, D1/K1→D1A/K1 moved, D1/R1→D4/R1 moved"; got != want {
		t.Fatalf("outcome: got %q, want %q", got, want)
	}
	for _, tt := range []struct{ agency, parent, counters string }{
		{"D1A", "P", fmt.Sprintf("K1(%d) open, Q1(%d) open", p.Counter(t, "D1A/K1").ID, q1.ID)},
		{"D1B", "D2", ""},
		{"D4", "P", fmt.Sprintf("Q1(%d) open, R1(%d) open", p.Counter(t, "D4/Q1").ID, p.Counter(t, "D4/R1").ID)},
		{"D1", "P", fmt.Sprintf("Z1(%d) closed", p.Counter(t, "D1/Z1").ID)},
	} {
		if a := p.Agency(t, tt.agency); a.ParentCode != tt.parent {
			t.Fatalf("%s: parent %s, want %s", tt.agency, a.ParentCode, tt.parent)
		}
		if got := counterList(t, p, tt.agency); got != tt.counters {
			t.Fatalf("counters of %s: got %q, want %q", tt.agency, got, tt.counters)
		}
	}
	if got, want := parents(t, p, "D1B"), "D2 2025-07-01.."; got != want {
		t.Fatalf("D1B's parents: got %q, want %q", got, want)
	}
	if a := p.Agency(t, "D1"); a.ClosedAt == nil || !a.ClosedAt.Equal(vnMidnight(t, "2025-07-01")) {
		t.Fatalf("D1 closed at %v", a.ClosedAt)
	}
	if r1 := p.Counter(t, "D4/R1"); r1.TokenVersion != 2 {
		t.Fatalf("R1 keeps its token version: got %d, want 2", r1.TokenVersion)
	}
	l, err := p.DB.Lineage(ctx, "D1")
	if err != nil {
		t.Fatal(err)
	}
	want := "split 2025-07-01 D1 Sở Tư pháp → D1A Sở Tư pháp A by tester; split 2025-07-01 D1 Sở Tư pháp → D1B Sở Tư pháp B by tester; split 2025-07-01 D1 Sở Tư pháp → D4 Sở Tài chính by tester"
	if got := entries(l.Successors); got != want {
		t.Fatalf("D1's successors:\ngot  %s\nwant %s", got, want)
	}
	if l, err = p.DB.Lineage(ctx, "D1B"); err != nil || entries(l.Predecessors) != "split 2025-07-01 D1 Sở Tư pháp → D1B Sở Tư pháp B by tester" {
		t.Fatalf("D1B's predecessors: got %+v, %v", l, err)
	}
	wantAudit := []string{
		"agency.merge merge 2025-06-01: C1 → D2 (counters moved; C1/Q1 is now D2/C1-Q1)",
		"agency.split split 2025-07-01: D1 → D1A (new), D1B (new), D4 (counters: D1/Q1 → D1A/Q1; D1/K1 → D1A/K1; D1/R1 → D4/R1)",
	}
	if got := auditLines(t, p, auditFrom); strings.Join(got, "\n") != strings.Join(wantAudit, "\n") {
		t.Fatalf("audit:\ngot  %q\nwant %q", got, wantAudit)
	}

	// D1's history is the successors' (and, as it did not merge, its
	// parent's): an official of one sees D1. C1 merged into D2: its old
	// parent D1 does not hold its history.
	for _, code := range []string{"D1", "C1"} {
		succ, err := p.DB.HoldersOf(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"D1": "[D1A D1B D2 D4 P]", "C1": "[D2 P]"}[code]
		if fmt.Sprint(succ) != want {
			t.Errorf("holders of %s: got %v, want %v", code, succ, want)
		}
	}

	// Counters named by no successor close with the old agency.
	evs = mustReorganise(t, p, splitEv(survey.Split{From: "D3", Date: "2025-08-01", Into: []survey.SplitPart{{Code: "D3A", Name: "Sở A"}}}))
	if got, want := outcome(evs[0]), "created D3A; D3/Q1 closed"; got != want {
		t.Fatalf("outcome: got %q, want %q", got, want)
	}
	if got, want := counterList(t, p, "D3"), fmt.Sprintf("Q1(%d) closed", p.Counter(t, "D3/Q1").ID); got != want {
		t.Fatalf("D3's counters: got %q, want %q", got, want)
	}
	if got := auditLines(t, p, auditFrom); got[len(got)-1] != "agency.split split 2025-08-01: D3 → D3A (new) (counters: closed D3/Q1)" {
		t.Fatalf("audit: got %q", got[len(got)-1])
	}
}

// Every refusal names the code, the field and the line, and changes
// nothing, however many events came before it.
func TestReorgRefused(t *testing.T) {
	at := func(line int, ev survey.Event) survey.Event { ev.Line = line; return ev }
	tests := []struct {
		name      string
		setup     []survey.Event
		then      func(*testing.T, *sqlitetest.Province)
		events    []survey.Event
		wantCode  string
		wantLine  int
		wantField string
		wantMsg   string
	}{
		{name: "cycle", events: []survey.Event{moveEv("D1", "C1", "2025-07-01")},
			wantCode: survey.EINVALID, wantField: "parent", wantMsg: "moving D1 under C1 would make a cycle"},
		{name: "own parent", events: []survey.Event{moveEv("D1", "D1", "2025-07-01")},
			wantCode: survey.EINVALID, wantField: "parent", wantMsg: "D1 cannot be its own parent"},
		{name: "same parent", events: []survey.Event{moveEv("D1", "P", "2025-07-01")},
			wantCode: survey.EINVALID, wantField: "parent", wantMsg: "D1 is already under P"},
		{name: "unknown agency", events: []survey.Event{moveEv("NOPE", "P", "2025-07-01")},
			wantCode: survey.ENOTFOUND, wantField: "agency", wantMsg: `agency "NOPE" not found`},
		{name: "unknown parent", events: []survey.Event{moveEv("D1", "NOPE", "2025-07-01")},
			wantCode: survey.ENOTFOUND, wantField: "parent", wantMsg: `agency "NOPE" not found`},
		{name: "move before the current parent", setup: []survey.Event{moveEv("D3", "D2", "2025-07-01")},
			events:   []survey.Event{moveEv("D3", "D1", "2025-06-30")},
			wantCode: survey.EINVALID, wantField: "date", wantMsg: "D3's current parent dates from 2025-07-01; a move must come after it"},
		{name: "move a closed agency", setup: []survey.Event{mergeEv(survey.Merge{Into: "D4", From: []string{"D3"}, Date: "2025-07-01"})},
			events:   []survey.Event{moveEv("D3", "D1", "2025-08-01")},
			wantCode: survey.EINVALID, wantField: "agency", wantMsg: "D3 is closed"},
		{name: "move under a parent created later", setup: []survey.Event{mergeEv(survey.Merge{Into: "X", From: []string{"D3"}, Date: "2025-07-01", Name: "X"})},
			events:   []survey.Event{moveEv("D4", "X", "2025-06-01")},
			wantCode: survey.EINVALID, wantField: "date", wantMsg: "X did not exist on 2025-06-01"},
		{name: "date too far ahead", events: []survey.Event{moveEv("D3", "D2", time.Now().AddDate(2, 0, 0).Format("2006-01-02"))},
			wantCode: survey.EINVALID, wantField: "date", wantMsg: "is in the future"},
		{name: "empty from", events: []survey.Event{mergeEv(survey.Merge{Into: "X", Date: "2025-07-01", Name: "X"})},
			wantCode: survey.EINVALID, wantField: "from", wantMsg: "from is empty"},
		{name: "merge an already closed agency", setup: []survey.Event{mergeEv(survey.Merge{Into: "D4", From: []string{"D3"}, Date: "2025-07-01"})},
			events:   []survey.Event{mergeEv(survey.Merge{Into: "D2", From: []string{"D3"}, Date: "2025-08-01"})},
			wantCode: survey.EINVALID, wantField: "from", wantMsg: "D3 is already closed"},
		{name: "merge into a closed agency", setup: []survey.Event{mergeEv(survey.Merge{Into: "D4", From: []string{"D3"}, Date: "2025-07-01"})},
			events:   []survey.Event{mergeEv(survey.Merge{Into: "D3", From: []string{"D2"}, Date: "2025-08-01"})},
			wantCode: survey.EINVALID, wantField: "into", wantMsg: "D3 is closed"},
		{name: "merge an agency with an open sub-agency", events: []survey.Event{mergeEv(survey.Merge{Into: "D2", From: []string{"D1"}, Date: "2025-07-01"})},
			wantCode: survey.EINVALID, wantField: "from", wantMsg: "D1 has open sub-agencies (C1): move, merge or close them first"},
		{name: "merge into its own sub-agency", events: []survey.Event{mergeEv(survey.Merge{Into: "C1", From: []string{"D1"}, Date: "2025-07-01"})},
			wantCode: survey.EINVALID, wantField: "into", wantMsg: "C1 lies beneath D1"},
		{name: "merge dated before the agency's span", setup: []survey.Event{moveEv("D3", "D2", "2025-07-01")},
			events:   []survey.Event{mergeEv(survey.Merge{Into: "X", From: []string{"D3"}, Date: "2025-06-01", Name: "X"})},
			wantCode: survey.EINVALID, wantField: "date", wantMsg: "2025-06-01 is a date before D3 existed"},
		{name: "new agency without a name", events: []survey.Event{mergeEv(survey.Merge{Into: "X", From: []string{"D3"}, Date: "2025-07-01"})},
			wantCode: survey.EINVALID, wantField: "name", wantMsg: "X does not exist: give a name to create it"},
		{name: "new agency with a bad code", events: []survey.Event{mergeEv(survey.Merge{Into: "X Y", From: []string{"D3"}, Date: "2025-07-01", Name: "X"})},
			wantCode: survey.EINVALID, wantField: "into", wantMsg: "invalid code"},
		{name: "new agency under a predecessor", events: []survey.Event{mergeEv(survey.Merge{Into: "X", From: []string{"D3"}, Date: "2025-07-01", Name: "X", Parent: "D3"})},
			wantCode: survey.EINVALID, wantField: "parent", wantMsg: "D3 closes in this merge"},
		{name: "parent of an existing agency", events: []survey.Event{mergeEv(survey.Merge{Into: "D2", From: []string{"D3"}, Date: "2025-07-01", Parent: "D1"})},
			wantCode: survey.EINVALID, wantField: "parent", wantMsg: "D2 exists, under P"},
		{name: "unknown predecessor", events: []survey.Event{mergeEv(survey.Merge{Into: "D2", From: []string{"D3", "NOPE"}, Date: "2025-07-01"})},
			wantCode: survey.ENOTFOUND, wantField: "from", wantMsg: `agency "NOPE" not found`},
		{name: "split a counter of another agency", events: []survey.Event{splitEv(survey.Split{From: "D2", Date: "2025-07-01", Into: []survey.SplitPart{{Code: "X", Name: "X", Counters: []string{"Q9"}}}})},
			wantCode: survey.EINVALID, wantField: "into", wantMsg: "counter Q9 is not a counter of D2"},
		{name: "split a closed counter", events: []survey.Event{
			mergeEv(survey.Merge{Into: "D2", From: []string{"C1"}, Date: "2025-06-01"}),
			splitEv(survey.Split{From: "D1", Date: "2025-07-01", Into: []survey.SplitPart{{Code: "X", Name: "X", Counters: []string{"Z1"}}}}),
		}, wantCode: survey.EINVALID, wantField: "into", wantMsg: "counter Z1 of D1 is closed"},
		{name: "split an agency with an open sub-agency", events: []survey.Event{splitEv(survey.Split{From: "D1", Date: "2025-07-01", Into: []survey.SplitPart{{Code: "X", Name: "X"}}})},
			wantCode: survey.EINVALID, wantField: "from", wantMsg: "D1 has open sub-agencies (C1)"},
		{name: "split into nothing", events: []survey.Event{splitEv(survey.Split{From: "D2", Date: "2025-07-01"})},
			wantCode: survey.EINVALID, wantField: "into", wantMsg: "into is empty"},
		{name: "close an unknown agency", events: []survey.Event{closeEv("NOPE", "2025-07-01")},
			wantCode: survey.ENOTFOUND, wantField: "agency", wantMsg: `agency "NOPE" not found`},
		{name: "close twice", events: []survey.Event{at(2, closeEv("D2", "2025-07-01")), at(3, closeEv("D2", "2025-08-01"))},
			wantCode: survey.EINVALID, wantLine: 3, wantField: "agency", wantMsg: "D2 is already closed"},
		{name: "close a merged agency", setup: []survey.Event{mergeEv(survey.Merge{Into: "D4", From: []string{"D3"}, Date: "2025-07-01"})},
			events:   []survey.Event{closeEv("D3", "2025-08-01")},
			wantCode: survey.EINVALID, wantField: "agency", wantMsg: "D3 is already closed"},
		{name: "close an agency with an open sub-agency", events: []survey.Event{closeEv("D1", "2025-07-01")},
			wantCode: survey.EINVALID, wantField: "agency", wantMsg: "D1 has open sub-agencies (C1): move, merge or close them first"},
		{name: "close before a sub-agency is merged away", events: []survey.Event{
			at(2, closeEv("D1", "2025-07-01")),
			at(3, mergeEv(survey.Merge{Into: "D2", From: []string{"C1"}, Date: "2025-07-01"})),
		}, wantCode: survey.EINVALID, wantLine: 2, wantField: "agency", wantMsg: "D1 has open sub-agencies (C1)"},
		{name: "close before a sub-agency moves out", events: []survey.Event{
			at(2, moveEv("C1", "D2", "2026-05-01")),
			at(3, closeEv("D1", "2026-04-01")),
		}, wantCode: survey.EINVALID, wantLine: 3, wantField: "date", wantMsg: "C1 is under D1 until 2026-05-01: move, merge or close it first (by 2026-04-01)"},
		{name: "close before a sub-agency merges away", events: []survey.Event{
			at(2, mergeEv(survey.Merge{Into: "D2", From: []string{"C1"}, Date: "2026-05-01"})),
			at(3, closeEv("D1", "2026-04-01")),
		}, wantCode: survey.EINVALID, wantLine: 3, wantField: "date", wantMsg: "C1 is under D1 until 2026-05-01: move, merge or close it first (by 2026-04-01)"},
		{name: "merge before a sub-agency moves out", setup: []survey.Event{moveEv("C1", "D2", "2026-05-01")},
			events:   []survey.Event{at(4, mergeEv(survey.Merge{Into: "D2", From: []string{"D1"}, Date: "2026-04-01"}))},
			wantCode: survey.EINVALID, wantLine: 4, wantField: "date", wantMsg: "C1 is under D1 until 2026-05-01: move, merge or close it first (by 2026-04-01)"},
		{name: "split before a sub-agency moves out", events: []survey.Event{
			at(2, moveEv("C1", "D2", "2026-05-01")),
			at(3, splitEv(survey.Split{From: "D1", Date: "2026-04-01", Into: []survey.SplitPart{{Code: "X", Name: "X"}}})),
		}, wantCode: survey.EINVALID, wantLine: 3, wantField: "date", wantMsg: "C1 is under D1 until 2026-05-01"},
		{name: "close before the current parent", setup: []survey.Event{moveEv("D3", "D2", "2025-07-01")},
			events:   []survey.Event{closeEv("D3", "2025-06-30")},
			wantCode: survey.EINVALID, wantField: "date", wantMsg: "2025-06-30 is a date before D3 existed under its current parent (from 2025-07-01)"},
		{name: "close in the future", events: []survey.Event{closeEv("D2", time.Now().AddDate(0, 1, 0).Format("2006-01-02"))},
			wantCode: survey.EINVALID, wantField: "date", wantMsg: "is in the future"},
		{name: "close without an agency", events: []survey.Event{closeEv(" ", "2025-07-01")},
			wantCode: survey.EINVALID, wantField: "agency", wantMsg: "agency is required"},
		{name: "unknown kind", events: []survey.Event{{Kind: "rename"}},
			wantCode: survey.EINVALID, wantField: "kind", wantMsg: `event kind "rename"`},
		{name: "third of three", events: []survey.Event{
			at(1, moveEv("D3", "D2", "2025-07-01")),
			at(2, mergeEv(survey.Merge{Into: "X", From: []string{"D4"}, Date: "2025-07-01", Name: "X"})),
			at(3, mergeEv(survey.Merge{Into: "D2", From: []string{"D1"}, Date: "2025-07-01"})),
		}, wantCode: survey.EINVALID, wantLine: 3, wantField: "from", wantMsg: "D1 has open sub-agencies"},
		{name: "a later event sees an earlier one", events: []survey.Event{
			at(7, mergeEv(survey.Merge{Into: "X", From: []string{"D4"}, Date: "2025-07-01", Name: "X"})),
			at(8, moveEv("D4", "D2", "2025-08-01")),
		}, wantCode: survey.EINVALID, wantLine: 8, wantField: "agency", wantMsg: "D4 is closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sqlitetest.New(t, sqlite.Options{})
			if len(tt.setup) > 0 {
				mustReorganise(t, p, tt.setup...)
			}
			if tt.then != nil {
				tt.then(t, p)
			}
			before := reorgDump(t, p)
			out, err := p.DB.Reorganise(t.Context(), tt.events, testActor)
			var se *survey.Error
			if !errors.As(err, &se) || se.Code != tt.wantCode {
				t.Fatalf("got %v (%s), want %s", err, survey.ErrorCode(err), tt.wantCode)
			}
			if se.Line != tt.wantLine || !strings.Contains(se.Message, tt.wantMsg) || se.Fields[tt.wantField] == "" {
				t.Fatalf("got line %d, %q, fields %v; want line %d, %q, field %s", se.Line, se.Message, se.Fields, tt.wantLine, tt.wantMsg, tt.wantField)
			}
			if after := reorgDump(t, p); after != before {
				t.Fatalf("a refused reorganisation changed the database:\nbefore %s\nafter  %s", before, after)
			}
			if out != nil {
				t.Fatalf("a refused reorganisation has outcomes: %+v", out)
			}
		})
	}
	t.Run("no events", func(t *testing.T) {
		p := sqlitetest.New(t, sqlite.Options{})
		if _, err := p.DB.Reorganise(t.Context(), nil, testActor); survey.ErrorCode(err) != survey.EINVALID {
			t.Fatalf("got %v, want EINVALID", err)
		}
	})
	t.Run("lineage of an unknown agency", func(t *testing.T) {
		p := sqlitetest.New(t, sqlite.Options{})
		if _, err := p.DB.Lineage(t.Context(), "NOPE"); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Fatalf("got %v, want ENOTFOUND", err)
		}
	})
}

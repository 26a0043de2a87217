package sqlite_test

import (
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// A closure, as a district closes in 2025 once its communes have merged
// away: in one import, C1 (D1's only sub-agency) merges into D2, then D1
// closes on the same day with its open counters; it keeps its parent span
// and gets no lineage. A plain closure may be undone.
func TestReorgClose(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	historyFrom, auditFrom := maxID(t, p, "history"), maxID(t, p, "audit_log")
	spansBefore := parents(t, p, "D1")

	evs := mustReorganise(t, p,
		mergeEv(survey.Merge{Into: "D2", From: []string{"C1"}, Date: "2025-07-01"}),
		closeEv(" D1 ", "2025-07-01"))

	if got, want := outcome(evs[0]), "created ; C1/Q1→D2/C1-Q1 moved"; got != want {
		t.Fatalf("merge outcome: got %q, want %q", got, want)
	}
	// Z1 was closed already: it is not closed again.
	if got, want := outcome(evs[1]), "created ; D1/K1 closed, D1/Q1 closed, D1/R1 closed"; got != want {
		t.Fatalf("close outcome: got %q, want %q", got, want)
	}
	if got := survey.CountCounters(evs, survey.CounterClosed); got != 3 {
		t.Fatalf("CountCounters(closed): got %d, want 3", got)
	}
	if got := survey.CountCounters(evs, survey.CounterMoved); got != 1 {
		t.Fatalf("CountCounters(moved): got %d, want 1", got)
	}
	midnight := vnMidnight(t, "2025-07-01")
	if a := p.Agency(t, "D1"); a.ClosedAt == nil || !a.ClosedAt.Equal(midnight) {
		t.Fatalf("D1 closed at %v, want 2025-07-01 00:00 in Vietnam", a.ClosedAt)
	}
	for _, key := range []string{"D1/Q1", "D1/K1", "D1/R1"} {
		c, err := p.DB.FindCounterByID(ctx, p.Counter(t, key).ID)
		if err != nil || c.ClosedAt == nil || !c.ClosedAt.Equal(midnight) || c.AgencyCode != "D1" {
			t.Fatalf("%s: got %+v, %v; want closed at D1 at 2025-07-01 00:00", key, c, err)
		}
	}
	if got := parents(t, p, "D1"); got != spansBefore {
		t.Fatalf("D1's parents: got %q, want %q (left as they were)", got, spansBefore)
	}
	if l, err := p.DB.Lineage(ctx, "D1"); err != nil || len(l.Successors) != 0 || len(l.Predecessors) != 0 {
		t.Fatalf("D1's lineage: got %+v, %v; want none", l, err)
	}
	wantHistory := []string{
		"counter C1-Q1.agency:C1→D2", "counter C1-Q1.code:Q1→C1-Q1", "agency C1.status:open→closed",
		"counter K1.status:open→closed", "counter Q1.status:open→closed", "counter R1.status:open→closed", "agency D1.status:open→closed",
	}
	if got := reorgHistory(t, p, historyFrom); strings.Join(got, "\n") != strings.Join(wantHistory, "\n") {
		t.Fatalf("history:\ngot  %q\nwant %q", got, wantHistory)
	}
	wantAudit := []string{
		"agency.merge merge 2025-07-01: C1 → D2 (counters moved; C1/Q1 is now D2/C1-Q1)",
		"agency.close close 2025-07-01: D1 (counters closed: D1/K1, D1/Q1, D1/R1)",
	}
	if got := auditLines(t, p, auditFrom); strings.Join(got, "\n") != strings.Join(wantAudit, "\n") {
		t.Fatalf("audit:\ngot  %q\nwant %q", got, wantAudit)
	}

	// An agency without open counters closes too.
	if err := p.DB.CreateAgency(ctx, &survey.Agency{Code: "N", Name: "Phòng mới", ParentCode: "P"}, testActor); err != nil {
		t.Fatal(err)
	}
	evs = mustReorganise(t, p, closeEv("N", "2025-08-01"))
	if got, want := outcome(evs[0]), "created ; "; got != want {
		t.Fatalf("outcome: got %q, want %q", got, want)
	}
	if got := auditLines(t, p, auditFrom); got[len(got)-1] != "agency.close close 2025-08-01: N (no open counters)" {
		t.Fatalf("audit: got %q", got[len(got)-1])
	}

	// A closure leaves no successor to carry the agency on: it may be
	// reopened, as after a plain closure; its counters stay closed.
	open := false
	a, err := p.DB.UpdateAgency(ctx, "D1", survey.AgencyUpdate{Closed: &open}, testActor)
	if err != nil || a.ClosedAt != nil {
		t.Fatalf("reopen D1: got %+v, %v", a, err)
	}
	if c := p.Counter(t, "D1/Q1"); c.ClosedAt == nil {
		t.Fatalf("D1/Q1 reopened with its agency")
	}
}

// A sub-agency moved out of an agency on or before the day the agency
// closes (by a close, a merge or a split) leaves nothing under it: the
// import is accepted. (Moved out after that day, it is refused:
// TestReorgRefused.)
func TestReorgCloseAfterMovingOut(t *testing.T) {
	closing := map[string]survey.Event{
		"close": closeEv("D1", "2026-04-01"),
		"merge": mergeEv(survey.Merge{Into: "D3", From: []string{"D1"}, Date: "2026-04-01"}),
		"split": splitEv(survey.Split{From: "D1", Date: "2026-04-01", Into: []survey.SplitPart{{Code: "X", Name: "X"}}}),
	}
	for _, kind := range []string{"close", "merge", "split"} {
		for _, moved := range []string{"2026-04-01", "2026-03-15"} {
			t.Run(kind+" after a move on "+moved, func(t *testing.T) {
				p := sqlitetest.New(t, sqlite.Options{})
				mustReorganise(t, p, moveEv("C1", "D2", moved), closing[kind])
				if a := p.Agency(t, "D1"); a.ClosedAt == nil || !a.ClosedAt.Equal(vnMidnight(t, "2026-04-01")) {
					t.Fatalf("D1 closed at %v, want 2026-04-01", a.ClosedAt)
				}
				if got, want := parents(t, p, "C1"), "D1 0001-01-01.."+moved+", D2 "+moved+".."; got != want {
					t.Fatalf("C1's parents: got %q, want %q", got, want)
				}
			})
		}
	}
}

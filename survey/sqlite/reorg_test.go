package sqlite_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// Events for the tests: each builds one survey.Event.

func moveEv(agency, parent, date string) survey.Event {
	return survey.Event{Kind: survey.EventMove, Move: &survey.Move{Agency: agency, Parent: parent, Date: date}}
}

func mergeEv(m survey.Merge) survey.Event {
	return survey.Event{Kind: survey.EventMerge, Merge: &m}
}

func splitEv(s survey.Split) survey.Event {
	return survey.Event{Kind: survey.EventSplit, Split: &s}
}

func closeEv(agency, date string) survey.Event {
	return survey.Event{Kind: survey.EventClose, Close: &survey.Close{Agency: agency, Date: date}}
}

// mustReorganise applies events and fails the test on error. It returns
// the events, with their outcomes.
func mustReorganise(tb testing.TB, p *sqlitetest.Province, events ...survey.Event) []survey.Outcome {
	tb.Helper()
	out, err := p.DB.Reorganise(tb.Context(), events, testActor)
	if err != nil {
		tb.Fatalf("reorganise: %v", err)
	}
	return out
}

// outcome is an event's outcome as "created X; D3/Q1→X/Q1 moved, D4/K1
// closed".
func outcome(o survey.Outcome) string {
	var cs []string
	for _, c := range o.Counters {
		if c.To != "" {
			cs = append(cs, c.From+"→"+c.To+" "+c.Action)
		} else {
			cs = append(cs, c.From+" "+c.Action)
		}
	}
	return "created " + strings.Join(o.Created, " ") + "; " + strings.Join(cs, ", ")
}

// reorgDump is every row a reorganisation may change or add, as text.
func reorgDump(tb testing.TB, p *sqlitetest.Province) string {
	tb.Helper()
	return strings.Join([]string{
		dump(tb, p.RO, `SELECT id, code, name, parent_id, closed_at, created_at FROM agencies ORDER BY id`),
		dump(tb, p.RO, `SELECT id, agency_id, code, name, token_version, kiosk_version, closed_at FROM counters ORDER BY id`),
		dump(tb, p.RO, `SELECT agency_id, parent_id, from_day, to_day FROM agency_parents ORDER BY agency_id, from_day`),
		dump(tb, p.RO, `SELECT * FROM agency_lineage ORDER BY id`),
		dump(tb, p.RO, `SELECT count(*) FROM history`),
		dump(tb, p.RO, `SELECT count(*) FROM audit_log`),
	}, "\n--\n")
}

// parents is an agency's parent history as "P 0001-01-01..2025-07-01, D2
// 2025-07-01..".
func parents(tb testing.TB, p *sqlitetest.Province, code string) string {
	tb.Helper()
	l, err := p.DB.Lineage(tb.Context(), code)
	if err != nil {
		tb.Fatalf("lineage %s: %v", code, err)
	}
	var out []string
	for _, c := range l.Parents {
		out = append(out, fmt.Sprintf("%s %s..%s", orDash(c.Parent), c.From, c.To))
	}
	return strings.Join(out, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// reorgHistory returns the history rows written after id as
// "entity.field:old→new", with the agency or counter code.
func reorgHistory(tb testing.TB, p *sqlitetest.Province, id int) []string {
	tb.Helper()
	rows, err := p.RO.Query(`SELECT h.entity, COALESCE(a.code, c.code, ''), h.field, h.old_value, h.new_value FROM history h
		LEFT JOIN agencies a ON h.entity = 'agency' AND a.id = h.entity_id
		LEFT JOIN counters c ON h.entity = 'counter' AND c.id = h.entity_id
		WHERE h.id > ? ORDER BY h.id`, id)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e, code, f, o, n string
		if err := rows.Scan(&e, &code, &f, &o, &n); err != nil {
			tb.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %s.%s:%s→%s", e, code, f, o, n))
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// Every agency has its first parent span from the start: the standard
// province's, built by CreateAgency, and those of an import.
func TestAgencyFirstSpan(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	q := `SELECT count(*) FROM agencies a JOIN agency_parents s ON s.agency_id = a.id
		WHERE s.parent_id IS a.parent_id AND s.from_day = '0001-01-01' AND s.to_day IS NULL`
	if n, all := p.Count(t, q), p.Count(t, `SELECT count(*) FROM agency_parents`); n != 6 || all != 6 {
		t.Fatalf("got %d first spans of %d, want 6 of 6", n, all)
	}
	err := p.DB.ImportAgencies(t.Context(), []*survey.Agency{{Code: "N1", Name: "Mới", ParentCode: "P"}, {Code: "N2", Name: "Mới 2", ParentCode: "N1"}}, testActor)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := parents(t, p, "N2"), "N1 0001-01-01.."; got != want {
		t.Fatalf("N2: got %q, want %q", got, want)
	}
	if n := p.Count(t, q); n != 8 {
		t.Fatalf("after import: got %d first spans, want 8", n)
	}
	// A refused import records no span.
	if err := p.DB.CreateAgency(t.Context(), &survey.Agency{Code: "D1", Name: "Lại"}, testActor); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("got %v, want ECONFLICT", err)
	}
	if n := p.Count(t, `SELECT count(*) FROM agency_parents`); n != 8 {
		t.Fatalf("got %d spans after a refused create, want 8", n)
	}
}

// Migration 0016 gives every existing agency its current parent from the
// start.
func TestMigration0016Backfill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sipas.db")
	raw := buildSchemaBefore(t, path, "0016")
	mustExec(t, raw, `INSERT INTO agencies(id, code, name, parent_id, created_at) VALUES (1, 'P', 'Tỉnh', NULL, 1), (2, 'A', 'Sở', 1, 1), (3, 'B', 'Xã', 2, 1)`)
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(path, sqlitetest.Instruments(t), sqlite.Options{})
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	spans, links, err := db.TreeHistory(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(spans)
	if want := "[{1 0 0001-01-01 } {2 1 0001-01-01 } {3 2 0001-01-01 }]"; got != want || len(links) != 0 {
		t.Fatalf("got spans %s and %d links, want %s and none", got, len(links), want)
	}
}

func TestReorgMove(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	historyFrom, auditFrom := maxID(t, p, "history"), maxID(t, p, "audit_log")
	steps := []struct {
		name        string
		ev          survey.Event
		wantParent  string
		wantParents string
	}{
		{"move", moveEv("D3", "D2", "2025-07-01"), "D2", "P 0001-01-01..2025-07-01, D2 2025-07-01.."},
		{"second move", moveEv("D3", "D1", "2025-08-01"), "D1", "P 0001-01-01..2025-07-01, D2 2025-07-01..2025-08-01, D1 2025-08-01.."},
		{"same day replaces", moveEv("D3", "D4", "2025-08-01"), "D4", "P 0001-01-01..2025-07-01, D2 2025-07-01..2025-08-01, D4 2025-08-01.."},
		{"same day back to the span before rejoins it", moveEv("D3", "D2", "2025-08-01"), "D2", "P 0001-01-01..2025-07-01, D2 2025-07-01.."},
		{"under a commune", moveEv("D4", "C1", "2025-07-01"), "C1", "P 0001-01-01..2025-07-01, C1 2025-07-01.."},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			mustReorganise(t, p, s.ev)
			if a := p.Agency(t, s.ev.Move.Agency); a.ParentCode != s.wantParent || a.ParentID != p.Agency(t, s.wantParent).ID {
				t.Fatalf("parent: got %s (%d), want %s", a.ParentCode, a.ParentID, s.wantParent)
			}
			if got := parents(t, p, s.ev.Move.Agency); got != s.wantParents {
				t.Fatalf("parents:\ngot  %s\nwant %s", got, s.wantParents)
			}
		})
	}
	// The tree follows: D4 is in D1's subtree now, through C1.
	sub, err := p.DB.ListAgencies(t.Context(), "D1")
	if err != nil || codes(sub) != "D1,C1,D4" {
		t.Fatalf("subtree of D1: got %s, %v; want D1,C1,D4", codes(sub), err)
	}
	if in, err := p.DB.InSubtree(t.Context(), "D1", "D4"); err != nil || !in {
		t.Fatalf("InSubtree(D1, D4): got %v, %v", in, err)
	}
	wantHistory := []string{
		"agency D3.parent:P→D2", "agency D3.parent:D2→D1", "agency D3.parent:D1→D4", "agency D3.parent:D4→D2", "agency D4.parent:P→C1",
	}
	if got := reorgHistory(t, p, historyFrom); strings.Join(got, "\n") != strings.Join(wantHistory, "\n") {
		t.Fatalf("history:\ngot  %q\nwant %q", got, wantHistory)
	}
	wantAudit := []string{
		"agency.move move 2025-07-01: D3 from P to D2", "agency.move move 2025-08-01: D3 from D2 to D1",
		"agency.move move 2025-08-01: D3 from D1 to D4", "agency.move move 2025-08-01: D3 from D4 to D2",
		"agency.move move 2025-07-01: D4 from P to C1",
	}
	if got := auditLines(t, p, auditFrom); strings.Join(got, "\n") != strings.Join(wantAudit, "\n") {
		t.Fatalf("audit:\ngot  %q\nwant %q", got, wantAudit)
	}
}

// auditLines returns the audit entries written after id as "action detail".
func auditLines(tb testing.TB, p *sqlitetest.Province, id int) []string {
	tb.Helper()
	rows, err := p.RO.Query(`SELECT action, detail, user_name FROM audit_log WHERE id > ? ORDER BY id`, id)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, d, u string
		if err := rows.Scan(&a, &d, &u); err != nil {
			tb.Fatal(err)
		}
		if u != testActor.Name {
			tb.Fatalf("audit %s by %s, want %s", a, u, testActor.Name)
		}
		out = append(out, a+" "+d)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// vnMidnight is the start of a day in Vietnam.
func vnMidnight(tb testing.TB, day string) time.Time {
	tb.Helper()
	d, err := time.ParseInLocation("2006-01-02", day, survey.Vietnam)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// A merge into a new agency: the predecessors close on the date, their
// counters move with their ids and token versions (the QR codes keep
// working, the cache follows), ratings before stay with the predecessor
// and ratings after count for the successor.
func TestReorgMergeIntoNew(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	historyFrom, auditFrom := maxID(t, p, "history"), maxID(t, p, "audit_log")
	d3q1, d4q1 := p.Counter(t, "D3/Q1"), p.Counter(t, "D4/Q1")
	tok3, tok4 := p.Token(t, "D3/Q1"), p.Token(t, "D4/Q1")
	before := mustStore(t, p.DB, p.Submission(t, "D3/Q1", 4, time.Time{}))
	for _, c := range []*survey.Counter{d3q1, d4q1} { // cached before the merge
		if _, err := p.DB.FindCounterByID(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}

	evs := mustReorganise(t, p, mergeEv(survey.Merge{Into: "X", From: []string{"D3", "D4"}, Date: "2025-07-01", Name: " Sở Xây dựng và Tài chính "}))
	if got, want := outcome(evs[0]), "created X; D3/Q1→X/Q1 moved, D4/Q1→X/D4-Q1 moved"; got != want {
		t.Fatalf("outcome: got %q, want %q", got, want)
	}

	x := p.Agency(t, "X")
	if x.Name != "Sở Xây dựng và Tài chính" || x.ParentCode != "P" || x.ClosedAt != nil {
		t.Fatalf("X: got %+v", x)
	}
	if got, want := parents(t, p, "X"), "P 2025-07-01.."; got != want {
		t.Fatalf("X's parents: got %q, want %q", got, want)
	}
	for _, code := range []string{"D3", "D4"} {
		if a := p.Agency(t, code); a.ClosedAt == nil || !a.ClosedAt.Equal(vnMidnight(t, "2025-07-01")) {
			t.Fatalf("%s closed at %v, want 2025-07-01 00:00 in Vietnam", code, a.ClosedAt)
		}
	}
	for _, tt := range []struct {
		c        *survey.Counter
		token    string
		wantCode string
	}{{d3q1, tok3, "Q1"}, {d4q1, tok4, "D4-Q1"}} {
		c, err := p.DB.FindCounterByID(ctx, tt.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.AgencyCode != "X" || c.AgencyID != x.ID || c.Code != tt.wantCode || c.TokenVersion != tt.c.TokenVersion || c.AgencyClosed || c.ClosedAt != nil {
			t.Fatalf("counter %d after the merge: got %+v, want X/%s v%d open", tt.c.ID, c, tt.wantCode, tt.c.TokenVersion)
		}
		target, err := survey.ResolveToken(ctx, p.Signer, p.DB, p.Instruments, tt.token)
		if err != nil || target.AgencyID() != x.ID {
			t.Fatalf("old QR code of %s/%s: got %+v, %v; want it to rate X", tt.c.AgencyCode, tt.c.Code, target, err)
		}
	}
	after := mustStore(t, p.DB, p.Submission(t, "X/Q1", 5, time.Time{}))
	if r, err := p.DB.FindResponse(ctx, before.ResponseID); err != nil || r.AgencyCode != "D3" {
		t.Fatalf("rating before the merge: got %+v, %v; want D3's", r, err)
	}
	if r, err := p.DB.FindResponse(ctx, after.ResponseID); err != nil || r.AgencyCode != "X" || r.CounterID != d3q1.ID {
		t.Fatalf("rating after the merge: got %+v, %v; want X's at counter %d", r, err, d3q1.ID)
	}

	wantHistory := []string{
		"counter Q1.agency:D3→X", "agency D3.status:open→closed",
		"counter D4-Q1.agency:D4→X", "counter D4-Q1.code:Q1→D4-Q1", "agency D4.status:open→closed",
	}
	if got := reorgHistory(t, p, historyFrom); strings.Join(got, "\n") != strings.Join(wantHistory, "\n") {
		t.Fatalf("history:\ngot  %q\nwant %q", got, wantHistory)
	}
	wantAudit := []string{"agency.merge merge 2025-07-01: D3, D4 → X (new; counters moved; D4/Q1 is now X/D4-Q1)"}
	if got := auditLines(t, p, auditFrom); strings.Join(got, "\n") != strings.Join(wantAudit, "\n") {
		t.Fatalf("audit:\ngot  %q\nwant %q", got, wantAudit)
	}

	l, err := p.DB.Lineage(ctx, "X")
	if err != nil {
		t.Fatal(err)
	}
	if got := entries(l.Predecessors); got != "merge 2025-07-01 D3 Sở Xây dựng → X Sở Xây dựng và Tài chính by tester; merge 2025-07-01 D4 Sở Tài chính → X Sở Xây dựng và Tài chính by tester" || len(l.Successors) != 0 {
		t.Fatalf("X's lineage: got predecessors %s, %d successors", got, len(l.Successors))
	}
	if at := l.Predecessors[0].RecordedAt; at.IsZero() || time.Since(at) > time.Minute {
		t.Fatalf("recorded at %v, want now", at)
	}
	if l, err = p.DB.Lineage(ctx, "D4"); err != nil || entries(l.Successors) != "merge 2025-07-01 D4 Sở Tài chính → X Sở Xây dựng và Tài chính by tester" || len(l.Predecessors) != 0 {
		t.Fatalf("D4's lineage: got %+v, %v", l, err)
	}
	if got, want := parents(t, p, "D4"), "P 0001-01-01.."; got != want {
		t.Fatalf("a closed predecessor keeps its last parent: got %q, want %q", got, want)
	}
}

func entries(es []survey.LineageEntry) string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s %s %s %s → %s %s by %s", e.Kind, e.Date, e.Predecessor, e.PredecessorName, e.Successor, e.SuccessorName, e.RecordedBy))
	}
	return strings.Join(out, "; ")
}

// counterList is an agency's counters as "CODE(id) open|closed".
func counterList(tb testing.TB, p *sqlitetest.Province, agency string) string {
	tb.Helper()
	cs, err := p.DB.ListCounters(tb.Context(), agency)
	if err != nil {
		tb.Fatalf("counters of %s: %v", agency, err)
	}
	var out []string
	for _, c := range cs {
		state := "open"
		if c.ClosedAt != nil {
			state = "closed"
		}
		out = append(out, fmt.Sprintf("%s(%d) %s", c.Code, c.ID, state))
	}
	return strings.Join(out, ", ")
}

// Merges into an existing agency, with counters moved or closed.
func TestReorgMergeIntoExisting(t *testing.T) {
	tests := []struct {
		name     string
		merge    survey.Merge
		want     map[string]string // agency → counters, with ids named by key below
		wantName string
		audit    string
		outcome  string
	}{
		{
			name:  "counters move",
			merge: survey.Merge{Into: "D2", From: []string{"D3"}, Date: "2025-07-01"},
			want:  map[string]string{"D2": "D3-Q1(D3/Q1) open, Q1(D2/Q1) open", "D3": ""}, wantName: "UBND huyện Phong Điền",
			audit:   "merge 2025-07-01: D3 → D2 (counters moved; D3/Q1 is now D2/D3-Q1)",
			outcome: "created ; D3/Q1→D2/D3-Q1 moved",
		},
		{
			name:  "counters close, renamed",
			merge: survey.Merge{Into: "D2", From: []string{"D3", "D4"}, Date: "2025-07-01", Name: "Phường Mới", Counters: survey.CountersClose},
			want:  map[string]string{"D2": "Q1(D2/Q1) open", "D3": "Q1(D3/Q1) closed", "D4": "Q1(D4/Q1) closed"}, wantName: "Phường Mới",
			audit:   "merge 2025-07-01: D3, D4 → D2 (renamed; counters closed)",
			outcome: "created ; D3/Q1 closed, D4/Q1 closed",
		},
		{
			name:  "a sub-agency of another into its parent",
			merge: survey.Merge{Into: "D1", From: []string{"C1"}, Date: "2025-07-01", Parent: "P"},
			want:  map[string]string{"D1": "C1-Q1(C1/Q1) open, K1(D1/K1) open, Q1(D1/Q1) open, R1(D1/R1) open, Z1(D1/Z1) closed"}, wantName: "Sở Tư pháp",
			audit:   "merge 2025-07-01: C1 → D1 (counters moved; C1/Q1 is now D1/C1-Q1)",
			outcome: "created ; C1/Q1→D1/C1-Q1 moved",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sqlitetest.New(t, sqlite.Options{})
			ids := map[string]int64{}
			for _, key := range []string{"D1/Q1", "D1/K1", "D1/R1", "D1/Z1", "C1/Q1", "D2/Q1", "D3/Q1", "D4/Q1"} {
				ids[key] = p.Counter(t, key).ID
			}
			auditFrom := maxID(t, p, "audit_log")
			evs := mustReorganise(t, p, mergeEv(tt.merge))
			if got := outcome(evs[0]); got != tt.outcome {
				t.Fatalf("outcome: got %q, want %q", got, tt.outcome)
			}
			for agency, want := range tt.want {
				for key, id := range ids {
					want = strings.ReplaceAll(want, "("+key+")", fmt.Sprintf("(%d)", id))
				}
				if got := counterList(t, p, agency); got != want {
					t.Fatalf("counters of %s: got %q, want %q", agency, got, want)
				}
			}
			if a := p.Agency(t, tt.merge.Into); a.Name != tt.wantName || a.ClosedAt != nil {
				t.Fatalf("%s: got %+v, want open, named %s", a.Code, a, tt.wantName)
			}
			for _, f := range tt.merge.From {
				if a := p.Agency(t, f); a.ClosedAt == nil || !a.ClosedAt.Equal(vnMidnight(t, tt.merge.Date)) {
					t.Fatalf("%s closed at %v", f, a.ClosedAt)
				}
			}
			if tt.merge.Counters == survey.CountersClose {
				c, err := p.DB.FindCounterByID(t.Context(), ids["D3/Q1"])
				if err != nil || c.ClosedAt == nil || !c.ClosedAt.Equal(vnMidnight(t, tt.merge.Date)) {
					t.Fatalf("closed counter: got %+v, %v", c, err)
				}
			}
			if got := auditLines(t, p, auditFrom); len(got) != 1 || got[0] != "agency.merge "+tt.audit {
				t.Fatalf("audit: got %q, want %q", got, tt.audit)
			}
		})
	}
}

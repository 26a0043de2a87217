package sqlite_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func codes(as []*survey.Agency) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Code)
	}
	return strings.Join(out, ",")
}

func TestAgencyTree(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	db, ctx := p.DB, context.Background()

	all, err := db.ListAgencies(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(all); got != "P,D1,C1,D2,D3,D4" {
		t.Fatalf("list all: got %s, want P,D1,C1,D2,D3,D4", got)
	}
	pos := map[string]int{}
	for i, a := range all {
		pos[a.Code] = i
		if a.ParentCode != "" && pos[a.ParentCode] >= i {
			t.Fatalf("agency %s listed before its parent %s", a.Code, a.ParentCode)
		}
	}
	tests := []struct{ root, want string }{{"P", "P,D1,C1,D2,D3,D4"}, {"D1", "D1,C1"}, {"C1", "C1"}, {"D2", "D2"}, {"D3", "D3"}, {"D4", "D4"}}
	for _, tt := range tests {
		sub, err := db.ListAgencies(ctx, tt.root)
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(sub); got != tt.want {
			t.Fatalf("subtree %s: got %s, want %s", tt.root, got, tt.want)
		}
	}
	if _, err := db.ListAgencies(ctx, "NOPE"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("subtree of unknown: got %v, want ENOTFOUND", err)
	}
	c1, err := db.FindAgency(ctx, "C1")
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := db.FindAgency(ctx, "D1")
	if c1.ParentCode != "D1" || c1.ParentID != d1.ID || c1.Name != "UBND xã Nhơn Ái" || c1.ClosedAt != nil || c1.CreatedAt.IsZero() {
		t.Fatalf("got %+v", c1)
	}
	if _, err := db.FindAgency(ctx, "NOPE"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find unknown: got %v, want ENOTFOUND", err)
	}
}

// A subtree is listed as one block, parents first, even when codes contain
// characters that sort before a path separator.
func TestListAgenciesSubtreeContiguous(t *testing.T) {
	db := sqlitetest.Empty(t, sqlite.Options{}).DB
	ctx := context.Background()
	for _, a := range []*survey.Agency{{Code: "A", Name: "A"}, {Code: "A-X", Name: "A-X"}, {Code: "B", Name: "B", ParentCode: "A"},
		{Code: "C", Name: "C", ParentCode: "A"}, {Code: "B.1", Name: "B.1", ParentCode: "B"}} {
		if err := db.CreateAgency(ctx, a, testActor); err != nil {
			t.Fatal(err)
		}
	}
	as, err := db.ListAgencies(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := codes(as), "A,B,B.1,C,A-X"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestCreateAgencyErrors(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	tests := []struct {
		name     string
		a        survey.Agency
		wantCode string
	}{
		{"duplicate code", survey.Agency{Code: "D1", Name: "Lại"}, survey.ECONFLICT},
		{"unknown parent", survey.Agency{Code: "X", Name: "X", ParentCode: "NOPE"}, survey.ENOTFOUND},
		{"bad code", survey.Agency{Code: "a b", Name: "X"}, survey.EINVALID},
		{"no name", survey.Agency{Code: "X", Name: " "}, survey.EINVALID},
		{"own parent", survey.Agency{Code: "X", Name: "X", ParentCode: "X"}, survey.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			if err := p.DB.CreateAgency(ctx, &a, testActor); survey.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %s", err, tt.wantCode)
			}
		})
	}
	all, _ := p.DB.ListAgencies(ctx, "")
	if len(all) != 6 {
		t.Fatalf("got %d agencies after failed creates, want 6", len(all))
	}
}

func TestRenameAndCloseKeepHistory(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	db, ctx := p.DB, context.Background()
	name, yes, no := "  Sở Tư pháp tỉnh ", true, false
	// What the standard province's own building wrote comes before.
	historyFrom := p.Count(t, `SELECT COALESCE(max(id), 0) FROM history`)
	auditFrom := p.Count(t, `SELECT COALESCE(max(id), 0) FROM audit_log`)

	a, err := db.UpdateAgency(ctx, "D1", survey.AgencyUpdate{Name: &name}, testActor)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Sở Tư pháp tỉnh" {
		t.Fatalf("got name %q", a.Name)
	}
	if a, err = db.UpdateAgency(ctx, "D1", survey.AgencyUpdate{Closed: &yes}, testActor); err != nil || a.ClosedAt == nil {
		t.Fatalf("close: got %+v, %v", a, err)
	}
	if a, err = db.UpdateAgency(ctx, "D1", survey.AgencyUpdate{Closed: &no}, testActor); err != nil || a.ClosedAt != nil {
		t.Fatalf("reopen: got %+v, %v", a, err)
	}
	bad := "a\nb"
	if _, err := db.UpdateAgency(ctx, "D1", survey.AgencyUpdate{Name: &bad}, testActor); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("bad rename: got %v, want EINVALID", err)
	}
	if _, err := db.UpdateAgency(ctx, "NOPE", survey.AgencyUpdate{Name: &name}, testActor); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("rename unknown: got %v, want ENOTFOUND", err)
	}

	cname := "Quầy một cửa số 1"
	c, err := db.UpdateCounter(ctx, "D1", "Q1", survey.CounterUpdate{Name: &cname}, testActor)
	if err != nil || c.Name != cname {
		t.Fatalf("rename counter: got %+v, %v", c, err)
	}
	if c, err = db.UpdateCounter(ctx, "D1", "Q1", survey.CounterUpdate{Closed: &yes}, testActor); err != nil || c.ClosedAt == nil {
		t.Fatalf("close counter: got %+v, %v", c, err)
	}
	// Closing twice changes nothing and records nothing.
	if _, err = db.UpdateCounter(ctx, "D1", "Q1", survey.CounterUpdate{Closed: &yes}, testActor); err != nil {
		t.Fatal(err)
	}
	if c, err = db.RotateCounterToken(ctx, "D1", "Q1", testActor); err != nil || c.TokenVersion != 2 {
		t.Fatalf("rotate: got %+v, %v", c, err)
	}
	if c, err = db.RotateCounterToken(ctx, "D1", "Q1", testActor); err != nil || c.TokenVersion != 3 {
		t.Fatalf("rotate again: got %+v, %v", c, err)
	}
	if _, err := db.RotateCounterToken(ctx, "D1", "NOPE", testActor); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("rotate unknown: got %v, want ENOTFOUND", err)
	}

	rows, err := p.RO.Query(`SELECT entity, field, old_value, new_value, user_name FROM history WHERE id > ? ORDER BY id`, historyFrom)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var e, fld, o, n, u string
		if err := rows.Scan(&e, &fld, &o, &n, &u); err != nil {
			t.Fatal(err)
		}
		got = append(got, e+"."+fld+":"+o+"→"+n+"@"+u)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"agency.name:Sở Tư pháp→Sở Tư pháp tỉnh@tester",
		"agency.status:open→closed@tester",
		"agency.status:closed→open@tester",
		"counter.name:Quầy hộ tịch→Quầy một cửa số 1@tester",
		"counter.status:open→closed@tester",
		"counter.token_version:1→2@tester",
		"counter.token_version:2→3@tester",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("history:\ngot  %q\nwant %q", got, want)
	}
	// Nothing is deleted: the closed counters (Q1 now, Z1 from the start)
	// are still listed.
	cs, err := db.ListCounters(ctx, "D1")
	if err != nil || len(cs) != 4 {
		t.Fatalf("list counters: got %d, %v; want 4 (closed included)", len(cs), err)
	}
	if n := p.Count(t, `SELECT count(*) FROM audit_log WHERE id > ? AND action IN ('agency.update', 'counter.update', 'counter.rotate')`, auditFrom); n < 7 {
		t.Fatalf("got %d audit rows, want at least 7", n)
	}
}

func TestImportsAllOrNothing(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	db, ctx := p.DB, context.Background()
	agencies := func() int { return p.Count(t, `SELECT count(*) FROM agencies`) }
	counters := func() int { return p.Count(t, `SELECT count(*) FROM counters`) }

	tests := []struct {
		name     string
		as       []*survey.Agency
		wantCode string
		wantLine int
	}{
		{"existing code third", []*survey.Agency{{Code: "N1", Name: "Mới 1", ParentCode: "P"}, {Code: "N2", Name: "Mới 2", ParentCode: "N1"}, {Code: "D2", Name: "Trùng"}}, survey.ECONFLICT, 3},
		{"duplicate within", []*survey.Agency{{Code: "N1", Name: "Mới 1"}, {Code: "N1", Name: "Mới 1"}}, survey.ECONFLICT, 2},
		{"unknown parent second", []*survey.Agency{{Code: "N1", Name: "Mới 1"}, {Code: "N2", Name: "Mới 2", ParentCode: "N9"}}, survey.ENOTFOUND, 2},
		{"parent after child", []*survey.Agency{{Code: "N2", Name: "Mới 2", ParentCode: "N1"}, {Code: "N1", Name: "Mới 1"}}, survey.ENOTFOUND, 1},
		{"invalid first", []*survey.Agency{{Code: "", Name: "Mới"}}, survey.EINVALID, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.ImportAgencies(ctx, tt.as, testActor)
			var e *survey.Error
			if !errors.As(err, &e) || e.Code != tt.wantCode || e.Line != tt.wantLine {
				t.Fatalf("got %v (%#v), want %s at position %d", err, e, tt.wantCode, tt.wantLine)
			}
			if n := agencies(); n != 6 {
				t.Fatalf("got %d agencies after a failed import, want 6", n)
			}
		})
	}
	as := []*survey.Agency{{Code: "N1", Name: "Mới 1", ParentCode: "P"}, {Code: "N2", Name: "Mới 2", ParentCode: "N1"}}
	if err := db.ImportAgencies(ctx, as, testActor); err != nil {
		t.Fatalf("import: %v", err)
	}
	if n := agencies(); n != 8 || as[1].ID == 0 || as[1].ParentID != as[0].ID {
		t.Fatalf("got %d agencies and %+v, want 8 with ids set", n, as[1])
	}

	bad := []*survey.Counter{
		{AgencyCode: "N1", Code: "Q1", Name: "Quầy 1"},
		{AgencyCode: "N2", Code: "Q1", Name: "Quầy 1", Instrument: "quick"},
		{AgencyCode: "N9", Code: "Q1", Name: "Quầy 1"},
	}
	err := db.ImportCounters(ctx, bad, testActor)
	var e *survey.Error
	if !errors.As(err, &e) || e.Code != survey.ENOTFOUND || e.Line != 3 {
		t.Fatalf("got %v, want ENOTFOUND at position 3", err)
	}
	if n := counters(); n != 8 {
		t.Fatalf("got %d counters after a failed import, want 8", n)
	}
	dup := []*survey.Counter{{AgencyCode: "N1", Code: "Q1", Name: "Quầy 1"}, {AgencyCode: "N1", Code: "Q1", Name: "Quầy 1"}}
	if err := db.ImportCounters(ctx, dup, testActor); !errors.As(err, &e) || e.Code != survey.ECONFLICT || e.Line != 2 {
		t.Fatalf("got %v, want ECONFLICT at position 2", err)
	}
	if err := db.ImportCounters(ctx, bad[:2], testActor); err != nil {
		t.Fatalf("import counters: %v", err)
	}
	if n := counters(); n != 10 {
		t.Fatalf("got %d counters, want 10", n)
	}
	// Single creates report no position.
	if err := db.CreateAgency(ctx, &survey.Agency{Code: "N1", Name: "x"}, testActor); !errors.As(err, &e) || e.Line != 0 {
		t.Fatalf("got %v, want a conflict without a line", err)
	}
}

// InSubtree walks up from the agency: the root itself and everything
// beneath it are in, siblings, ancestors and unknown codes are not.
func TestInSubtree(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	for _, tt := range []struct {
		root, code string
		want       bool
	}{
		{"D1", "D1", true}, {"D1", "C1", true}, {"P", "C1", true}, {"P", "D4", true},
		{"D1", "D2", false}, {"D1", "P", false}, {"C1", "D1", false}, {"D1", "NOPE", false}, {"NOPE", "D1", false},
	} {
		got, err := p.DB.InSubtree(ctx, tt.root, tt.code)
		if err != nil || got != tt.want {
			t.Errorf("InSubtree(%s, %s) = %v, %v; want %v", tt.root, tt.code, got, err, tt.want)
		}
	}
}

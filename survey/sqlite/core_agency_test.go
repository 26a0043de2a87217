package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
)

func TestMigrationsOnFreshFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "folder", "sipas.db")
	reg := coreRegistry(t)
	db, err := sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	// Reopening applies nothing twice.
	db, err = sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if err := db.Ping(context.Background()); err != nil {
		t.Fatalf("ping: %v", err)
	}
	db.Close()

	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v %v", files, err)
	}
	raw := rawDB(t, path)
	rows, err := raw.Query(`SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var applied []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		applied = append(applied, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		want = append(want, filepath.Base(f))
	}
	sort.Strings(want)
	if strings.Join(applied, ",") != strings.Join(want, ",") {
		t.Fatalf("got migrations %v, want %v", applied, want)
	}
	for _, table := range []string{"settings", "agencies", "counters", "history", "responses", "stats_monthly", "users", "audit_log"} {
		if n := queryInt(t, raw, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table); n != 1 {
			t.Fatalf("table %s: got %d, want 1", table, n)
		}
	}
	var mode string
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode: got %q %v, want wal", mode, err)
	}
}

func TestOpenRefusesANonDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	if db, err := sqlite.Open(path, coreRegistry(t), sqlite.Options{}); err == nil {
		db.Close()
		t.Fatalf("got no error opening a file that is not a database")
	}
}

func TestTokenSecretIsStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	reg := coreRegistry(t)
	ctx := context.Background()
	var secrets [2][]byte
	for i := range secrets {
		db, err := sqlite.Open(path, reg, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if secrets[i], err = db.TokenSecret(ctx); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	if len(secrets[0]) < 32 || string(secrets[0]) != string(secrets[1]) {
		t.Fatalf("got secrets %x and %x, want one stable secret of 32+ bytes", secrets[0], secrets[1])
	}
}

func codes(as []*survey.Agency) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Code)
	}
	return strings.Join(out, ",")
}

func TestAgencyTree(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	db, ctx := f.db, context.Background()

	all, err := db.ListAgencies(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(all); got != "P,D1,C1,D2" {
		t.Fatalf("list all: got %s, want P,D1,C1,D2", got)
	}
	pos := map[string]int{}
	for i, a := range all {
		pos[a.Code] = i
		if a.ParentCode != "" && pos[a.ParentCode] >= i {
			t.Fatalf("agency %s listed before its parent %s", a.Code, a.ParentCode)
		}
	}
	tests := []struct{ root, want string }{{"P", "P,D1,C1,D2"}, {"D1", "D1,C1"}, {"C1", "C1"}, {"D2", "D2"}}
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
	if c1.ParentCode != "D1" || c1.ParentID != d1.ID || c1.Name != "Xã Nhơn Ái" || c1.ClosedAt != nil || c1.CreatedAt.IsZero() {
		t.Fatalf("got %+v", c1)
	}
	if _, err := db.FindAgency(ctx, "NOPE"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find unknown: got %v, want ENOTFOUND", err)
	}
}

func TestCreateAgencyErrors(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
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
			if err := f.db.CreateAgency(ctx, &a, testActor); survey.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %s", err, tt.wantCode)
			}
		})
	}
	all, _ := f.db.ListAgencies(ctx, "")
	if len(all) != 4 {
		t.Fatalf("got %d agencies after failed creates, want 4", len(all))
	}
}

func TestRenameAndCloseKeepHistory(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	db, ctx := f.db, context.Background()
	name, yes, no := "  Sở Tư pháp tỉnh ", true, false

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

	raw := rawDB(t, db.Path)
	rows, err := raw.Query(`SELECT entity, field, old_value, new_value, user_name FROM history ORDER BY id`)
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
		"counter.name:Quầy Q1→Quầy một cửa số 1@tester",
		"counter.status:open→closed@tester",
		"counter.token_version:1→2@tester",
		"counter.token_version:2→3@tester",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("history:\ngot  %q\nwant %q", got, want)
	}
	// Nothing is deleted: the closed counter is still listed.
	cs, err := db.ListCounters(ctx, "D1")
	if err != nil || len(cs) != 2 {
		t.Fatalf("list counters: got %d, %v; want 2 (closed included)", len(cs), err)
	}
	if n := queryInt(t, raw, `SELECT count(*) FROM audit_log WHERE action IN ('agency.update', 'counter.update', 'counter.rotate')`); n < 7 {
		t.Fatalf("got %d audit rows, want at least 7", n)
	}
}

func TestCounters(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	db, ctx := f.db, context.Background()
	if f.d2q1.Instrument != "sipas-2017" || f.d1k1.Instrument != "quick" || f.d1q1.TokenVersion != 1 || f.d1q1.AgencyName != "Sở Tư pháp" {
		t.Fatalf("got %+v / %+v", f.d2q1, f.d1k1)
	}
	byID, err := db.FindCounterByID(ctx, f.d1k1.ID)
	if err != nil || byID.Code != "K1" || byID.AgencyCode != "D1" || byID.AgencyID != f.d1k1.AgencyID {
		t.Fatalf("find by id: got %+v, %v", byID, err)
	}
	if _, err := db.FindCounterByID(ctx, 9999); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find unknown id: got %v, want ENOTFOUND", err)
	}
	if _, err := db.FindCounter(ctx, "D2", "K1"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find K1 in D2: got %v, want ENOTFOUND", err)
	}
	cs, err := db.ListCounters(ctx, "D1")
	if err != nil || len(cs) != 2 || cs[0].Code != "K1" || cs[1].Code != "Q1" {
		t.Fatalf("list D1: got %v, %v", cs, err)
	}
	if _, err := db.ListCounters(ctx, "NOPE"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("list unknown agency: got %v, want ENOTFOUND", err)
	}
	yes := true
	if _, err := db.UpdateAgency(ctx, "C1", survey.AgencyUpdate{Closed: &yes}, testActor); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		c        survey.Counter
		wantCode string
	}{
		{"same code in another agency", survey.Counter{AgencyCode: "P", Code: "Q1", Name: "Quầy 1"}, ""},
		{"duplicate", survey.Counter{AgencyCode: "D1", Code: "Q1", Name: "Quầy 1"}, survey.ECONFLICT},
		{"unknown agency", survey.Counter{AgencyCode: "NOPE", Code: "Q9", Name: "Quầy 9"}, survey.ENOTFOUND},
		{"closed agency", survey.Counter{AgencyCode: "C1", Code: "Q9", Name: "Quầy 9"}, survey.EINVALID},
		{"unknown instrument", survey.Counter{AgencyCode: "D1", Code: "Q9", Name: "Quầy 9", Instrument: "nps"}, survey.EINVALID},
		{"bad code", survey.Counter{AgencyCode: "D1", Code: "Q 9", Name: "Quầy 9"}, survey.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			if err := db.CreateCounter(ctx, &c, testActor); survey.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %q", err, tt.wantCode)
			}
		})
	}
}

func TestImportsAllOrNothing(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	db, ctx := f.db, context.Background()
	raw := rawDB(t, db.Path)
	agencies := func() int64 { return queryInt(t, raw, `SELECT count(*) FROM agencies`) }
	counters := func() int64 { return queryInt(t, raw, `SELECT count(*) FROM counters`) }

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
			if n := agencies(); n != 4 {
				t.Fatalf("got %d agencies after a failed import, want 4", n)
			}
		})
	}
	as := []*survey.Agency{{Code: "N1", Name: "Mới 1", ParentCode: "P"}, {Code: "N2", Name: "Mới 2", ParentCode: "N1"}}
	if err := db.ImportAgencies(ctx, as, testActor); err != nil {
		t.Fatalf("import: %v", err)
	}
	if n := agencies(); n != 6 || as[1].ID == 0 || as[1].ParentID != as[0].ID {
		t.Fatalf("got %d agencies and %+v, want 6 with ids set", n, as[1])
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
	if n := counters(); n != 3 {
		t.Fatalf("got %d counters after a failed import, want 3", n)
	}
	dup := []*survey.Counter{{AgencyCode: "N1", Code: "Q1", Name: "Quầy 1"}, {AgencyCode: "N1", Code: "Q1", Name: "Quầy 1"}}
	if err := db.ImportCounters(ctx, dup, testActor); !errors.As(err, &e) || e.Code != survey.ECONFLICT || e.Line != 2 {
		t.Fatalf("got %v, want ECONFLICT at position 2", err)
	}
	if err := db.ImportCounters(ctx, bad[:2], testActor); err != nil {
		t.Fatalf("import counters: %v", err)
	}
	if n := counters(); n != 5 {
		t.Fatalf("got %d counters, want 5", n)
	}
	// Single creates report no position.
	if err := db.CreateAgency(ctx, &survey.Agency{Code: "N1", Name: "x"}, testActor); !errors.As(err, &e) || e.Line != 0 {
		t.Fatalf("got %v, want a conflict without a line", err)
	}
}

func TestUsers(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	db, ctx := f.db, context.Background()
	tests := []struct {
		name     string
		u        survey.User
		wantCode string
	}{
		{"admin", survey.User{Name: "admin", Role: survey.RoleAdmin, PasswordHash: "h1"}, ""},
		{"official", survey.User{Name: "lan.nguyen", Role: survey.RoleOfficial, AgencyCode: "D1", PasswordHash: "h2"}, ""},
		{"duplicate", survey.User{Name: "admin", Role: survey.RoleAdmin, PasswordHash: "h"}, survey.ECONFLICT},
		{"official without agency", survey.User{Name: "x", Role: survey.RoleOfficial, PasswordHash: "h"}, survey.EINVALID},
		{"unknown agency", survey.User{Name: "x", Role: survey.RoleOfficial, AgencyCode: "NOPE", PasswordHash: "h"}, survey.ENOTFOUND},
		{"bad role", survey.User{Name: "x", Role: "root", PasswordHash: "h"}, survey.EINVALID},
		{"bad name", survey.User{Name: "a b", Role: survey.RoleAdmin, PasswordHash: "h"}, survey.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.u
			if err := db.CreateUser(ctx, &u); survey.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %q", err, tt.wantCode)
			}
		})
	}
	u, err := db.FindUser(ctx, "lan.nguyen")
	if err != nil || u.Role != survey.RoleOfficial || u.AgencyCode != "D1" || u.PasswordHash != "h2" {
		t.Fatalf("find: got %+v, %v", u, err)
	}
	if err := db.SetPassword(ctx, "lan.nguyen", "h3", testActor); err != nil {
		t.Fatal(err)
	}
	if u, _ = db.FindUser(ctx, "lan.nguyen"); u.PasswordHash != "h3" {
		t.Fatalf("got hash %q after SetPassword, want h3", u.PasswordHash)
	}
	if err := db.SetPassword(ctx, "nobody", "h", testActor); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("set password of unknown: got %v, want ENOTFOUND", err)
	}
	if _, err := db.FindUser(ctx, "nobody"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find unknown: got %v, want ENOTFOUND", err)
	}
	us, err := db.ListUsers(ctx)
	if err != nil || len(us) != 2 || us[0].Name != "admin" || us[1].Name != "lan.nguyen" {
		t.Fatalf("list: got %v, %v", us, err)
	}
}

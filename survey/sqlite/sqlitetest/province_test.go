package sqlitetest_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestStandardTree(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	as, err := p.DB.ListAgencies(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range as {
		got = append(got, fmt.Sprintf("%s<%s %s", a.Code, a.ParentCode, a.Name))
	}
	want := []string{
		"P< UBND tỉnh Demo",
		"D1<P Sở Tư pháp",
		"C1<D1 UBND xã Nhơn Ái",
		"D2<P UBND huyện Phong Điền",
		"D3<P Sở Xây dựng",
		"D4<P Sở Tài chính",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("agencies:\ngot  %q\nwant %q", got, want)
	}

	got = nil
	for _, a := range as {
		cs, err := p.DB.ListCounters(ctx, a.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			got = append(got, fmt.Sprintf("%s/%s %s %s v%d closed=%v", c.AgencyCode, c.Code, c.Name, c.Instrument, c.TokenVersion, c.ClosedAt != nil))
		}
	}
	want = []string{
		"D1/K1 Máy tính bảng quick v1 closed=false",
		"D1/Q1 Quầy hộ tịch sipas-2017 v1 closed=false",
		"D1/R1 Quầy chứng thực sipas-2017 v2 closed=false",
		"D1/Z1 Quầy đã đóng sipas-2017 v1 closed=true",
		"C1/Q1 Quầy xã quick v1 closed=false",
		"D2/Q1 Quầy đất đai sipas-2017 v1 closed=false",
		"D3/Q1 Quầy 1 sipas-2017 v1 closed=false",
		"D4/Q1 Quầy 1 sipas-2017 v1 closed=false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("counters:\ngot  %q\nwant %q", got, want)
	}

	us, err := p.DB.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, u := range us {
		got = append(got, u.Name+" "+u.Role+" "+u.AgencyCode)
		if err := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(sqlitetest.Password)); err != nil {
			t.Fatalf("%s: password does not match: %v", u.Name, err)
		}
		if cost, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil || cost != bcrypt.MinCost {
			t.Fatalf("%s: bcrypt cost %d (%v), want %d", u.Name, cost, err, bcrypt.MinCost)
		}
		if u.Disabled {
			t.Fatalf("%s is disabled", u.Name)
		}
	}
	if want := "admin admin ,integ integration D1,off official D1,off2 official D2"; strings.Join(got, ",") != want {
		t.Fatalf("users: got %q, want %q", strings.Join(got, ","), want)
	}
	if err := survey.CheckPasswordPolicy(sqlitetest.Password); err != nil {
		t.Fatalf("Password: %v", err)
	}

	// The rotation and the closing are in the history, and nothing else.
	if n := p.Count(t, `SELECT count(*) FROM history`); n != 2 {
		t.Fatalf("got %d history rows, want 2", n)
	}
	if n := p.Count(t, `SELECT count(*) FROM history WHERE entity = 'counter' AND field = 'token_version' AND old_value = '1' AND new_value = '2'`); n != 1 {
		t.Fatalf("got %d rotations in the history, want 1", n)
	}
	if n := p.Responses(t) + p.Count(t, `SELECT count(*) FROM stats_monthly`) + p.Count(t, `SELECT count(*) FROM sessions`); n != 0 {
		t.Fatalf("got %d responses, statistics rows and sessions, want none", n)
	}
}

func TestLookups(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	if a := p.Agency(t, "C1"); a.Name != "UBND xã Nhơn Ái" || a.ParentCode != "D1" {
		t.Fatalf("agency C1: got %+v", a)
	}
	c := p.Counter(t, "C1/Q1")
	if c.AgencyCode != "C1" || c.Code != "Q1" || c.Instrument != "quick" || c.AgencyID != p.Agency(t, "C1").ID {
		t.Fatalf("counter C1/Q1: got %+v", c)
	}
	if in := p.Instrument(t, "sipas-2017"); in.ID != "sipas-2017" || len(in.Items) != 22 {
		t.Fatalf("instrument: got %s with %d items, want sipas-2017 with 22", in.ID, len(in.Items))
	}
}

func TestTokens(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	secret, err := p.DB.TokenSecret(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	fromDB := survey.NewSigner(secret)
	seen := map[string]string{}
	for _, key := range []string{"D1/Q1", "D1/K1", "D1/R1", "D1/Z1", "C1/Q1", "D2/Q1", "D3/Q1", "D4/Q1"} {
		c := p.Counter(t, key)
		tok := p.Token(t, key)
		id, v, err := fromDB.Verify(tok)
		if err != nil || id != c.ID || v != c.TokenVersion {
			t.Fatalf("%s: token %q verifies as %d v%d (%v), want %d v%d", key, tok, id, v, err, c.ID, c.TokenVersion)
		}
		if !fromDB.VerifyKiosk(c, p.KioskKey(t, key)) {
			t.Fatalf("%s: kiosk key does not verify", key)
		}
		if other, dup := seen[tok]; dup {
			t.Fatalf("%s and %s have the same token", key, other)
		}
		seen[tok] = key
	}
	// R1 was rotated once: its current token is of version 2, not 1.
	r1 := p.Counter(t, "D1/R1")
	if p.Token(t, "D1/R1") != p.Signer.Token(r1.ID, 2) || p.Token(t, "D1/R1") == p.Signer.Token(r1.ID, 1) {
		t.Fatalf("D1/R1: current token is not the version-2 one")
	}
	// Token follows the database: after a rotation it is the new one.
	before := p.Token(t, "D1/Q1")
	if _, err := p.DB.RotateCounterToken(t.Context(), "D1", "Q1", survey.Actor{Name: "tester"}); err != nil {
		t.Fatal(err)
	}
	if after := p.Token(t, "D1/Q1"); after == before {
		t.Fatalf("token unchanged after a rotation")
	}
	// Every copy has the same secret, so tokens are the same in each.
	if q := sqlitetest.New(t, sqlite.Options{}); q.Token(t, "D2/Q1") != p.Token(t, "D2/Q1") {
		t.Fatalf("two copies sign differently")
	}
}

func TestCopiesAreIndependent(t *testing.T) {
	a := sqlitetest.New(t, sqlite.Options{})
	b := sqlitetest.New(t, sqlite.Options{})
	if a.Path == b.Path {
		t.Fatalf("two provinces share %s", a.Path)
	}
	for _, p := range []*sqlitetest.Province{a, b} {
		fi, err := os.Stat(p.Path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: mode %v, want 0600", p.Path, fi.Mode().Perm())
		}
	}
	if err := a.DB.CreateAgency(t.Context(), &survey.Agency{Code: "D5", Name: "Sở Y tế", ParentCode: "P"}, survey.Actor{Name: "tester"}); err != nil {
		t.Fatal(err)
	}
	a.Seed(t, sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-03-02", N: 3, Value: 4})
	if n := a.Count(t, `SELECT count(*) FROM agencies`); n != 7 {
		t.Fatalf("changed copy: got %d agencies, want 7", n)
	}
	if n := b.Count(t, `SELECT count(*) FROM agencies`) + b.Responses(t); n != 6 {
		t.Fatalf("other copy: got %d agencies and responses, want 6 and 0", n)
	}
}

func TestEmpty(t *testing.T) {
	p := sqlitetest.Empty(t, sqlite.Options{})
	if n := p.Count(t, `SELECT count(*) FROM agencies`) + p.Count(t, `SELECT count(*) FROM users`) + p.Responses(t); n != 0 {
		t.Fatalf("got %d agencies, users and responses, want none", n)
	}
	if n := p.Count(t, `SELECT count(*) FROM schema_migrations`); n == 0 {
		t.Fatalf("no migration applied")
	}
	if p.Signer == nil || p.RO == nil || p.Instruments == nil {
		t.Fatalf("got %+v, want every field set", p)
	}
}

// Close hands the file over: another process (here, another Open) may use
// it, and the cleanup closing it again is harmless.
func TestCloseEarly(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	tok := p.Token(t, "D1/Q1")
	p.Close(t)
	p.Close(t)
	if err := p.RO.Ping(); err == nil {
		t.Fatalf("RO still open after Close")
	}
	db, err := sqlite.Open(p.Path, sqlitetest.Instruments(t), sqlite.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	c, err := db.FindCounter(t.Context(), "D1", "Q1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Signer.Token(c.ID, c.TokenVersion) != tok {
		t.Fatalf("token changed across reopening")
	}
}

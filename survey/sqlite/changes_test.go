package sqlite_test

import (
	"context"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
)

// The counter cache must never serve a counter as it was before a change
// made through the same database: a rotated QR code stops working at once.
func TestCounterCacheSeesChanges(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	ctx := context.Background()
	for i := 0; i < 2; i++ { // fill the cache
		if c, err := f.db.FindCounterByID(ctx, f.d1q1.ID); err != nil || c.TokenVersion != 1 {
			t.Fatalf("got %+v, %v", c, err)
		}
	}
	if _, err := f.db.RotateCounterToken(ctx, "D1", "Q1", testActor); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.db.FindCounterByID(ctx, f.d1q1.ID); c.TokenVersion != 2 {
		t.Fatalf("after rotate: got token version %d, want 2", c.TokenVersion)
	}
	name := "Quầy mới"
	if _, err := f.db.UpdateCounter(ctx, "D1", "Q1", survey.CounterUpdate{Name: &name}, testActor); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.db.FindCounterByID(ctx, f.d1q1.ID); c.Name != name {
		t.Fatalf("after rename: got %q", c.Name)
	}
	closed := true
	if _, err := f.db.UpdateAgency(ctx, "D1", survey.AgencyUpdate{Closed: &closed}, testActor); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.db.FindCounterByID(ctx, f.d1q1.ID); !c.AgencyClosed {
		t.Fatalf("after closing the agency: counter not marked")
	}
}

func TestUserChangesAreAudited(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	ctx := context.Background()
	if err := f.db.CreateUser(ctx, &survey.User{Name: "lan", Role: survey.RoleOfficial, AgencyCode: "D1", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetPassword(ctx, "lan", "y", survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, f.db.Path)
	if n := queryInt(t, raw, `SELECT count(*) FROM audit_log WHERE action = 'user.create' AND detail = 'lan (official, D1)'`); n != 1 {
		t.Fatalf("user.create rows: got %d, want 1", n)
	}
	if n := queryInt(t, raw, `SELECT count(*) FROM audit_log WHERE action = 'user.password' AND user_name = 'admin' AND detail = 'lan'`); n != 1 {
		t.Fatalf("user.password rows: got %d, want 1", n)
	}
}

// A subtree is listed as one block, parents first, even when codes contain
// characters that sort before a path separator.
func TestListAgenciesSubtreeContiguous(t *testing.T) {
	db := openCoreDB(t, sqlite.Options{})
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

package sqlite_test

import (
	"context"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// An agency is private until published; publishing and withdrawing are
// kept in the history and the audit log, a repeated publish records
// nothing, and a rename leaves the flag alone.
func TestAgencyPublicFlag(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	db, ctx := p.DB, context.Background()
	yes, no := true, false
	historyFrom := p.Count(t, `SELECT COALESCE(max(id), 0) FROM history`)
	auditFrom := p.Count(t, `SELECT COALESCE(max(id), 0) FROM audit_log`)

	all, err := db.ListAgencies(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.Public {
			t.Fatalf("agency %s is public before anyone published it", a.Code)
		}
	}
	a, err := db.UpdateAgency(ctx, "C1", survey.AgencyUpdate{Public: &yes}, testActor)
	if err != nil || !a.Public {
		t.Fatalf("publish: got %+v, %v", a, err)
	}
	if a, err = db.FindAgency(ctx, "C1"); err != nil || !a.Public {
		t.Fatalf("find after publish: got %+v, %v", a, err)
	}
	if _, err = db.UpdateAgency(ctx, "C1", survey.AgencyUpdate{Public: &yes}, testActor); err != nil {
		t.Fatal(err)
	}
	name := "Xã Một"
	if a, err = db.UpdateAgency(ctx, "C1", survey.AgencyUpdate{Name: &name}, testActor); err != nil || !a.Public {
		t.Fatalf("rename: got %+v, %v; the flag must stay", a, err)
	}
	list, err := db.ListAgencies(ctx, "D1")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.Public != (a.Code == "C1") {
			t.Fatalf("list: %s public=%v", a.Code, a.Public)
		}
	}
	if a, err = db.UpdateAgency(ctx, "C1", survey.AgencyUpdate{Public: &no}, testActor); err != nil || a.Public {
		t.Fatalf("withdraw: got %+v, %v", a, err)
	}
	if _, err := db.UpdateAgency(ctx, "NOPE", survey.AgencyUpdate{Public: &yes}, testActor); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("publish unknown: got %v, want ENOTFOUND", err)
	}
	if n := p.Count(t, `SELECT count(*) FROM history WHERE id > ? AND field = 'public'`, historyFrom); n != 2 {
		t.Fatalf("got %d history rows for the flag, want 2 (publish, withdraw)", n)
	}
	if n := p.Count(t, `SELECT count(*) FROM history WHERE id > ? AND field = 'public' AND old_value = 'private' AND new_value = 'public' AND user_name = 'tester'`, historyFrom); n != 1 {
		t.Fatalf("got %d publish rows, want 1", n)
	}
	if n := p.Count(t, `SELECT count(*) FROM audit_log WHERE id > ? AND action = 'agency.update' AND detail = 'C1'`, auditFrom); n != 4 {
		t.Fatalf("got %d audit rows, want 4", n)
	}
}

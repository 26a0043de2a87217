package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
)

func ptr[T any](v T) *T { return &v }

func TestUpdateUser(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	ctx := context.Background()
	for _, u := range []*survey.User{
		{Name: "root", Role: survey.RoleAdmin},
		{Name: "lan", Role: survey.RoleOfficial, AgencyCode: "D1"},
	} {
		u.PasswordHash = "secret-hash-value"
		if err := f.db.CreateUser(ctx, u); err != nil {
			t.Fatalf("create %s: %v", u.Name, err)
		}
	}
	raw := rawDB(t, f.db.Path)
	lan, err := f.db.FindUser(ctx, "lan")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tok := range []string{"a", "b"} {
		if _, err := f.db.CreateSession(ctx, []byte(tok), lan.ID, now, now.Add(time.Hour)); err != nil {
			t.Fatalf("session: %v", err)
		}
	}

	tests := []struct {
		name       string
		user       string
		up         survey.UserUpdate
		wantCode   string
		wantRole   string
		wantAgency string
		wantOff    bool
		wantDetail string // of the newest audit row; "" when nothing is written
	}{
		{name: "unknown user", user: "nobody", up: survey.UserUpdate{Disabled: ptr(true)}, wantCode: survey.ENOTFOUND},
		{name: "unknown agency", user: "lan", up: survey.UserUpdate{AgencyCode: ptr("NOPE")}, wantCode: survey.ENOTFOUND},
		{name: "bad role", user: "lan", up: survey.UserUpdate{Role: ptr("boss")}, wantCode: survey.EINVALID},
		{name: "official without agency", user: "lan", up: survey.UserUpdate{AgencyCode: ptr("")}, wantCode: survey.EINVALID},
		{name: "admin to official without agency", user: "root", up: survey.UserUpdate{Role: ptr(survey.RoleOfficial)}, wantCode: survey.EINVALID},
		{name: "last admin disabled", user: "root", up: survey.UserUpdate{Disabled: ptr(true)}, wantCode: survey.EINVALID},
		{name: "move agency", user: "lan", up: survey.UserUpdate{AgencyCode: ptr("D2")},
			wantRole: survey.RoleOfficial, wantAgency: "D2", wantDetail: "lan: agency D1 → D2"},
		{name: "disable", user: "lan", up: survey.UserUpdate{Disabled: ptr(true)},
			wantRole: survey.RoleOfficial, wantAgency: "D2", wantOff: true, wantDetail: "lan: disabled"},
		{name: "promote, no agency", user: "lan", up: survey.UserUpdate{Role: ptr(survey.RoleAdmin), AgencyCode: ptr("")},
			wantRole: survey.RoleAdmin, wantOff: true, wantDetail: "lan: role official → admin, agency D2 → none"},
		{name: "enable", user: "lan", up: survey.UserUpdate{Disabled: ptr(false)},
			wantRole: survey.RoleAdmin, wantDetail: "lan: enabled"},
		{name: "no change writes nothing", user: "lan", up: survey.UserUpdate{Disabled: ptr(false)}, wantRole: survey.RoleAdmin},
		{name: "demote one of two admins", user: "root", up: survey.UserUpdate{Role: ptr(survey.RoleOfficial), AgencyCode: ptr("P")},
			wantRole: survey.RoleOfficial, wantAgency: "P", wantDetail: "root: role admin → official, agency none → P"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := queryInt(t, raw, `SELECT count(*) FROM audit_log`)
			u, err := f.db.UpdateUser(ctx, tt.user, tt.up, testActor)
			after := queryInt(t, raw, `SELECT count(*) FROM audit_log`)
			if tt.wantCode != "" {
				if survey.ErrorCode(err) != tt.wantCode {
					t.Fatalf("got %v, want %s", err, tt.wantCode)
				}
				if after != before {
					t.Fatalf("got %d audit rows, want %d: a refused change must write nothing", after, before)
				}
				return
			}
			if err != nil {
				t.Fatalf("update: %v", err)
			}
			found, err := f.db.FindUser(ctx, tt.user)
			if err != nil {
				t.Fatal(err)
			}
			for _, got := range []*survey.User{u, found} {
				if got.Role != tt.wantRole || got.AgencyCode != tt.wantAgency || got.Disabled != tt.wantOff {
					t.Fatalf("got %s/%q/disabled=%v, want %s/%q/disabled=%v", got.Role, got.AgencyCode, got.Disabled, tt.wantRole, tt.wantAgency, tt.wantOff)
				}
			}
			if tt.wantDetail == "" {
				if after != before {
					t.Fatalf("got %d audit rows, want %d", after, before)
				}
				return
			}
			es, err := f.db.ListAudit(ctx, 0, 1)
			if err != nil || len(es) != 1 {
				t.Fatalf("audit: %v, %v", es, err)
			}
			if e := es[0]; e.Action != "user.update" || e.Detail != tt.wantDetail || e.User != testActor.Name {
				t.Fatalf("got audit %+v, want user.update %q by %s", e, tt.wantDetail, testActor.Name)
			}
			if strings.Contains(es[0].Detail, "secret-hash-value") {
				t.Fatalf("audit detail %q holds the password hash", es[0].Detail)
			}
		})
	}
	if n := queryInt(t, raw, `SELECT count(*) FROM sessions WHERE user_id = ?`, lan.ID); n != 0 {
		t.Fatalf("got %d sessions of a disabled user, want 0", n)
	}
	if _, _, err := f.db.FindSession(ctx, []byte("a"), now); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("session after disable: got %v, want ENOTFOUND", err)
	}
}

// TestDisabledUserSession: FindSession reports the account as disabled, so
// the web layer can refuse a session created in a race with disabling.
func TestDisabledUserSession(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	ctx := context.Background()
	u := &survey.User{Name: "lan", Role: survey.RoleOfficial, AgencyCode: "D1", PasswordHash: "x"}
	if err := f.db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.UpdateUser(ctx, "lan", survey.UserUpdate{Disabled: ptr(true)}, testActor); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := f.db.CreateSession(ctx, []byte("late"), u.ID, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, got, err := f.db.FindSession(ctx, []byte("late"), now)
	if err != nil || !got.Disabled {
		t.Fatalf("got %+v, %v, want a disabled user", got, err)
	}
	us, err := f.db.ListUsers(ctx)
	if err != nil || len(us) != 1 || !us[0].Disabled {
		t.Fatalf("list: got %+v, %v", us, err)
	}
}

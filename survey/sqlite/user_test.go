package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestUsers(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	db, ctx := p.DB, context.Background()
	tests := []struct {
		name     string
		u        survey.User
		wantCode string
	}{
		{"admin", survey.User{Name: "root", Role: survey.RoleAdmin, PasswordHash: "h1"}, ""},
		{"official", survey.User{Name: "lan.nguyen", Role: survey.RoleOfficial, AgencyCode: "D1", PasswordHash: "h2"}, ""},
		{"duplicate", survey.User{Name: "root", Role: survey.RoleAdmin, PasswordHash: "h"}, survey.ECONFLICT},
		{"official without agency", survey.User{Name: "x", Role: survey.RoleOfficial, PasswordHash: "h"}, survey.EINVALID},
		{"unknown agency", survey.User{Name: "x", Role: survey.RoleOfficial, AgencyCode: "NOPE", PasswordHash: "h"}, survey.ENOTFOUND},
		{"bad role", survey.User{Name: "x", Role: "root", PasswordHash: "h"}, survey.EINVALID},
		{"bad name", survey.User{Name: "a b", Role: survey.RoleAdmin, PasswordHash: "h"}, survey.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.u
			if err := db.CreateUser(ctx, &u, testActor); survey.ErrorCode(err) != tt.wantCode {
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
	var names []string
	for _, u := range us {
		names = append(names, u.Name)
	}
	// The standard province's admin, integ, off and off2, and the two created here.
	if err != nil || strings.Join(names, ",") != "admin,integ,lan.nguyen,off,off2,root" {
		t.Fatalf("list: got %v, %v", us, err)
	}
}

func TestUserChangesAreAudited(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	if err := p.DB.CreateUser(ctx, &survey.User{Name: "lan", Role: survey.RoleOfficial, AgencyCode: "D1", PasswordHash: "x"}, testActor); err != nil {
		t.Fatal(err)
	}
	if err := p.DB.SetPassword(ctx, "lan", "y", survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	// The creation is audited under whoever created the account, never as
	// an anonymous "system".
	if n := p.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.create' AND user_name = ? AND detail = 'lan (official, D1)'`, testActor.Name); n != 1 {
		t.Fatalf("user.create rows by %s: got %d, want 1", testActor.Name, n)
	}
	if n := p.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.password' AND user_name = 'admin' AND detail = 'lan'`); n != 1 {
		t.Fatalf("user.password rows: got %d, want 1", n)
	}
}

// TestUpdateUser changes the standard province's accounts: admin, its only
// admin, and off, an official of D1.
func TestUpdateUser(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	off, err := p.DB.FindUser(ctx, "off")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tok := range []string{"a", "b"} {
		if _, err := p.DB.CreateSession(ctx, []byte(tok), off.ID, now, now.Add(time.Hour)); err != nil {
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
		{name: "unknown agency", user: "off", up: survey.UserUpdate{AgencyCode: ptr("NOPE")}, wantCode: survey.ENOTFOUND},
		{name: "bad role", user: "off", up: survey.UserUpdate{Role: ptr("boss")}, wantCode: survey.EINVALID},
		{name: "official without agency", user: "off", up: survey.UserUpdate{AgencyCode: ptr("")}, wantCode: survey.EINVALID},
		{name: "admin to official without agency", user: "admin", up: survey.UserUpdate{Role: ptr(survey.RoleOfficial)}, wantCode: survey.EINVALID},
		{name: "last admin disabled", user: "admin", up: survey.UserUpdate{Disabled: ptr(true)}, wantCode: survey.EINVALID},
		{name: "move agency", user: "off", up: survey.UserUpdate{AgencyCode: ptr("D2")},
			wantRole: survey.RoleOfficial, wantAgency: "D2", wantDetail: "off: agency D1 → D2"},
		{name: "disable", user: "off", up: survey.UserUpdate{Disabled: ptr(true)},
			wantRole: survey.RoleOfficial, wantAgency: "D2", wantOff: true, wantDetail: "off: disabled"},
		{name: "promote, no agency", user: "off", up: survey.UserUpdate{Role: ptr(survey.RoleAdmin), AgencyCode: ptr("")},
			wantRole: survey.RoleAdmin, wantOff: true, wantDetail: "off: role official → admin, agency D2 → none"},
		{name: "enable", user: "off", up: survey.UserUpdate{Disabled: ptr(false)},
			wantRole: survey.RoleAdmin, wantDetail: "off: enabled"},
		{name: "no change writes nothing", user: "off", up: survey.UserUpdate{Disabled: ptr(false)}, wantRole: survey.RoleAdmin},
		{name: "demote one of two admins", user: "admin", up: survey.UserUpdate{Role: ptr(survey.RoleOfficial), AgencyCode: ptr("P")},
			wantRole: survey.RoleOfficial, wantAgency: "P", wantDetail: "admin: role admin → official, agency none → P"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := p.Count(t, `SELECT count(*) FROM audit_log`)
			u, err := p.DB.UpdateUser(ctx, tt.user, tt.up, testActor)
			after := p.Count(t, `SELECT count(*) FROM audit_log`)
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
			found, err := p.DB.FindUser(ctx, tt.user)
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
			es, err := p.DB.ListAudit(ctx, 0, 1)
			if err != nil || len(es) != 1 {
				t.Fatalf("audit: %v, %v", es, err)
			}
			if e := es[0]; e.Action != "user.update" || e.Detail != tt.wantDetail || e.User != testActor.Name {
				t.Fatalf("got audit %+v, want user.update %q by %s", e, tt.wantDetail, testActor.Name)
			}
			if strings.Contains(es[0].Detail, off.PasswordHash) {
				t.Fatalf("audit detail %q holds the password hash", es[0].Detail)
			}
		})
	}
	if n := p.Count(t, `SELECT count(*) FROM sessions WHERE user_id = ?`, off.ID); n != 0 {
		t.Fatalf("got %d sessions of a disabled user, want 0", n)
	}
	if _, _, err := p.DB.FindSession(ctx, []byte("a"), now); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("session after disable: got %v, want ENOTFOUND", err)
	}
}

// TestDisabledUserSession: FindSession reports the account as disabled, so
// the web layer can refuse a session created in a race with disabling.
func TestDisabledUserSession(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	u := &survey.User{Name: "lan", Role: survey.RoleOfficial, AgencyCode: "D1", PasswordHash: "x"}
	if err := p.DB.CreateUser(ctx, u, testActor); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DB.UpdateUser(ctx, "lan", survey.UserUpdate{Disabled: ptr(true)}, testActor); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := p.DB.CreateSession(ctx, []byte("late"), u.ID, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, got, err := p.DB.FindSession(ctx, []byte("late"), now)
	if err != nil || !got.Disabled {
		t.Fatalf("got %+v, %v, want a disabled user", got, err)
	}
	us, err := p.DB.ListUsers(ctx)
	if err != nil || len(us) != 5 || us[2].Name != "lan" || !us[2].Disabled || us[0].Disabled || us[1].Disabled || us[3].Disabled || us[4].Disabled {
		t.Fatalf("list: got %+v, %v; want admin, integ, lan (disabled), off, off2", us, err)
	}
}

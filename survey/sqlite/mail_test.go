package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestMailClaims(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	u, err := p.DB.FindUser(ctx, "off")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	claim := func(kind, key string, want bool) {
		t.Helper()
		if got, err := p.DB.ClaimMail(ctx, u.ID, kind, key, at); err != nil || got != want {
			t.Fatalf("ClaimMail(%s, %s) = %v, %v; want %v", kind, key, got, err, want)
		}
	}
	claim(survey.MailDigest, "2026-W23", true)
	claim(survey.MailDigest, "2026-W23", false)
	claim(survey.MailAlert, "2026-W23", true) // another kind
	claim(survey.MailDigest, "2026-W24", true)
	if err := p.DB.ReleaseMail(ctx, u.ID, survey.MailDigest, "2026-W23"); err != nil {
		t.Fatal(err)
	}
	claim(survey.MailDigest, "2026-W23", true)
	if n := p.Count(t, `SELECT count(*) FROM mail_sent`); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}

	if v, ok, err := p.DB.MailCursor(ctx, "alerts"); err != nil || ok || v != 0 {
		t.Fatalf("unset cursor = %d, %v, %v", v, ok, err)
	}
	for _, v := range []int64{7, 12} {
		if err := p.DB.SetMailCursor(ctx, "alerts", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := p.DB.MailCursor(ctx, "alerts"); err != nil || !ok || got != v {
			t.Fatalf("cursor = %d, %v, %v; want %d", got, ok, err, v)
		}
	}
}

func TestUserMailSettings(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	by := survey.Actor{Name: "admin"}
	str := func(s string) *string { return &s }
	yes := true
	for _, up := range []survey.UserUpdate{
		{Email: str("not-an-address")},
		{Email: str("Lan <lan@tuphap.tinh.gov.vn>")},
		{DigestWeekly: &yes},
		{Email: str(""), AlertMail: &yes},
	} {
		if _, err := p.DB.UpdateUser(ctx, "off", up, by); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("UpdateUser(%+v) = %v, want EINVALID", up, err)
		}
	}
	u, err := p.DB.UpdateUser(ctx, "off", survey.UserUpdate{Email: str(" lan@tuphap.tinh.gov.vn "), AlertMail: &yes}, by)
	if err != nil || u.Email != "lan@tuphap.tinh.gov.vn" || !u.AlertMail || u.DigestWeekly {
		t.Fatalf("UpdateUser = %+v, %v", u, err)
	}
	// The address cannot be removed while mail is asked for.
	if _, err := p.DB.UpdateUser(ctx, "off", survey.UserUpdate{Email: str("")}, by); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("removing the address of an opted-in user: %v", err)
	}
	for _, get := range []func() (*survey.User, error){
		func() (*survey.User, error) { return p.DB.FindUser(ctx, "off") },
		func() (*survey.User, error) {
			us, err := p.DB.ListUsers(ctx)
			for _, u := range us {
				if u.Name == "off" {
					return u, err
				}
			}
			return nil, err
		},
	} {
		if u, err := get(); err != nil || u.Email != "lan@tuphap.tinh.gov.vn" || !u.AlertMail || u.DigestWeekly {
			t.Errorf("read back %+v, %v", u, err)
		}
	}
	if n := p.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.update' AND detail = 'off: email none → lan@tuphap.tinh.gov.vn, alert mail on'`); n != 1 {
		t.Errorf("audit rows %d", n)
	}
}

package survey_test

import (
	"context"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// Remembered knows only credentials Check accepted, and forgets them when
// the password changes or the account is disabled.
func TestAuthenticatorRemembered(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	a := survey.NewAuthenticator(p.DB)
	if _, ok, release := a.Remembered(ctx, "integ", sqlitetest.Password); ok {
		t.Fatal("remembered before any check")
	} else {
		release()
	}
	if _, err := a.Check(ctx, "integ", "wrong password"); err == nil {
		t.Fatal("a wrong password was accepted")
	}
	if _, ok, release := a.Remembered(ctx, "integ", "wrong password"); ok {
		t.Fatal("a refused password is remembered")
	} else {
		release()
	}
	if _, err := a.Check(ctx, "integ", sqlitetest.Password); err != nil {
		t.Fatal(err)
	}
	if u, ok, _ := a.Remembered(ctx, "integ", sqlitetest.Password); !ok || u.Name != "integ" {
		t.Fatalf("got %v, %v; want integ remembered", u, ok)
	}
	if _, ok, release := a.Remembered(ctx, "integ", sqlitetest.Password+"x"); ok {
		t.Fatal("another password is remembered")
	} else {
		release()
	}
	disabled := true
	if _, err := p.DB.UpdateUser(ctx, "integ", survey.UserUpdate{Disabled: &disabled}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.Remembered(ctx, "integ", sqlitetest.Password); ok {
		t.Fatal("a disabled account is remembered")
	}

	// While one miss is being checked, the same credentials wait for it
	// and then find it remembered.
	enabled := false
	if _, err := p.DB.UpdateUser(ctx, "integ", survey.UserUpdate{Disabled: &enabled}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	b := survey.NewAuthenticator(p.DB)
	_, ok, release := b.Remembered(ctx, "integ", sqlitetest.Password)
	if ok {
		t.Fatal("remembered before any check")
	}
	got := make(chan bool)
	go func() {
		_, ok, _ := b.Remembered(ctx, "integ", sqlitetest.Password)
		got <- ok
	}()
	if _, err := b.Check(ctx, "integ", sqlitetest.Password); err != nil {
		t.Fatal(err)
	}
	release()
	if !<-got {
		t.Fatal("the waiting request did not find the checked credentials")
	}
}

package main

import (
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// TestCLIRotateKiosk: `counter rotate-kiosk` gives the counter's tablet a
// new kiosk key and refuses the old one, leaves the QR token as it is,
// and is written to history and the audit log under "cli"; rotating the
// QR token afterwards changes the kiosk key again.
func TestCLIRotateKiosk(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	q1 := p.Counter(t, "D1/Q1")
	oldKey := p.Signer.KioskKey(q1)
	p.Close(t)
	db := p.Path
	ro := sqlitetest.ReadOnly(t, db)
	current := func() *survey.Counter {
		t.Helper()
		c := *q1
		if err := ro.QueryRow(`SELECT token_version, kiosk_version FROM counters WHERE id = ?`, q1.ID).Scan(&c.TokenVersion, &c.KioskVersion); err != nil {
			t.Fatal(err)
		}
		return &c
	}

	out := mustCLI(t, "", "counter", "rotate-kiosk", "--db", db, "--agency", "D1", "--code", "Q1", "--base-url", "https://hailong.example.gov.vn/")
	c := current()
	newKey := p.Signer.KioskKey(c)
	if c.KioskVersion != 2 || c.TokenVersion != q1.TokenVersion {
		t.Fatalf("after rotate-kiosk: kiosk version %d, token version %d; want 2 and %d (the QR codes unchanged)", c.KioskVersion, c.TokenVersion, q1.TokenVersion)
	}
	wantURL := "https://hailong.example.gov.vn/s/" + p.Signer.Token(q1.ID, q1.TokenVersion) + "?kiosk=" + newKey + "\n"
	if !strings.Contains(out, "kiosk version 2") || !strings.Contains(out, wantURL) {
		t.Fatalf("rotate-kiosk: got %q, want the new kiosk URL %q", out, wantURL)
	}
	if p.Signer.VerifyKiosk(c, oldKey) || !p.Signer.VerifyKiosk(c, newKey) || newKey == oldKey {
		t.Fatalf("after rotate-kiosk the old key must be refused and the new one taken")
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE user_name = 'cli' AND action = 'counter.rotate_kiosk' AND detail = 'D1/Q1'`); n != 1 {
		t.Fatalf("audit entries of the rotation: got %d, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM history WHERE entity = 'counter' AND field = 'kiosk_version' AND old_value = '1' AND new_value = '2' AND user_name = 'cli'`); n != 1 {
		t.Fatalf("history entries of the rotation: got %d, want 1", n)
	}
	if out := mustCLI(t, "", "counter", "urls", "--db", db, "--agency", "D1"); !strings.Contains(out, "?kiosk="+newKey+"\n") {
		t.Fatalf("counter urls: no new kiosk key in %q", out)
	}

	if _, err := runCLI(t, "", "counter", "rotate-kiosk", "--db", db, "--agency", "D1", "--code", "NOPE"); err == nil {
		t.Fatalf("rotate-kiosk of an unknown counter: got no error")
	}

	// Rotating the QR token still retires the kiosk key.
	mustCLI(t, "", "counter", "rotate", "--db", db, "--agency", "D1", "--code", "Q1")
	if c := current(); c.KioskVersion != 2 || p.Signer.VerifyKiosk(c, newKey) {
		t.Fatalf("after rotate: kiosk version %d, old kiosk key still taken", c.KioskVersion)
	}
}

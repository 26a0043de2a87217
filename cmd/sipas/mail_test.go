package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/mail/mailtest"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestCLIServeRefusesBadSMTP(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--smtp-url", "http://u:topsecret@mail.tinh.gov.vn", "--smtp-from", "khaosat@tinh.gov.vn"}, "--smtp-url: scheme must be smtp:// or smtps://"},
		{[]string{"--smtp-url", "smtp://u:topsecret@mail.tinh.gov.vn:70000", "--smtp-from", "khaosat@tinh.gov.vn"}, "--smtp-url: port"},
		{[]string{"--smtp-url", "smtp://u:topsecret@mail.tinh.gov.vn", "--smtp-from", "khaosat"}, "--smtp-from: \"khaosat\" is not an email address"},
		{[]string{"--smtp-url", "smtp://u:topsecret@mail.tinh.gov.vn"}, "--smtp-url and --smtp-from go together"},
	} {
		db := filepath.Join(t.TempDir(), "sipas.db")
		out, err := runCLI(t, "", append([]string{"serve", "--db", db, "--addr", freeAddr(t)}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %v: %v, want %q", tc.args, err, tc.want)
			continue
		}
		if strings.Contains(err.Error()+out, "topsecret") {
			t.Errorf("serve %v shows the password: %v %s", tc.args, err, out)
		}
		if _, err := os.Stat(db); !os.IsNotExist(err) {
			t.Errorf("the database was created: %v", err)
		}
	}
}

func TestCLIMailTest(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{User: "bot", Password: "pw"})
	out := mustCLI(t, "", "mail", "test", "--to", "can.bo@tinh.gov.vn",
		"--smtp-url", "smtp://bot:pw@"+srv.Addr+"?tls=none", "--smtp-from", "SIPAS <khaosat@tinh.gov.vn>")
	if !strings.Contains(out, "test message sent to can.bo@tinh.gov.vn") || strings.Contains(out, "pw@") {
		t.Errorf("got %q", out)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("received %d", len(got))
	}
	if d := mailtest.Decode(t, got[0]); d.Subject != "SIPAS: thư thử nghiệm" || !strings.Contains(d.Text, "Đây là thư thử nghiệm của SIPAS") {
		t.Errorf("subject %q, text %q", d.Subject, d.Text)
	}
	if _, err := runCLI(t, "", "mail", "test", "--to", "nobody", "--smtp-url", "smtp://"+srv.Addr, "--smtp-from", "a@b.vn"); err == nil || !strings.Contains(err.Error(), "--to") {
		t.Errorf("bad --to: %v", err)
	}
}

func TestCLIMailDigest(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Close(t)
	db := p.Path
	if _, err := runCLI(t, "", "user", "set", "--db", db, "--name", "off", "--digest"); err == nil || !strings.Contains(err.Error(), "needs an email address") {
		t.Fatalf("digest without an address: %v", err)
	}
	if _, err := runCLI(t, "", "user", "set", "--db", db, "--name", "off", "--email", "not an address"); err == nil || !strings.Contains(err.Error(), "invalid email address") {
		t.Fatalf("bad address: %v", err)
	}
	out := mustCLI(t, "", "user", "set", "--db", db, "--name", "off", "--email", "can.bo@tuphap.tinh.gov.vn", "--digest")
	if !strings.Contains(out, `email "can.bo@tuphap.tinh.gov.vn", weekly digest true, alert mail false`) {
		t.Fatalf("user set: %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'user.update' AND detail LIKE 'off: email none → can.bo@tuphap.tinh.gov.vn, weekly digest on'`); n != 1 {
		t.Errorf("audit rows: %d", n)
	}
	srv := mailtest.Start(t, mailtest.Options{})
	args := []string{"mail", "digest", "--db", db, "--now", "--base-url", "https://sipas.tinh.gov.vn",
		"--smtp-url", "smtp://" + srv.Addr + "?tls=none", "--smtp-from", "khaosat@tinh.gov.vn"}
	if out := mustCLI(t, "", args...); !strings.Contains(out, "1 digests sent") {
		t.Errorf("first run: %q", out)
	}
	if out := mustCLI(t, "", args...); !strings.Contains(out, "0 digests sent") {
		t.Errorf("second run the same week: %q", out)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To[0] != "can.bo@tuphap.tinh.gov.vn" {
		t.Fatalf("received %+v", got)
	}
	if d := mailtest.Decode(t, got[0]); !strings.Contains(d.Text, "== Sở Tư pháp (D1) ==") || !strings.Contains(d.Text, "https://sipas.tinh.gov.vn/dashboard/overview/D1") {
		t.Errorf("digest:\n%s", d.Text)
	}
	if _, err := runCLI(t, "", append(args, "--user", "off2")...); err == nil || !strings.Contains(err.Error(), "no weekly digest") {
		t.Errorf("--user off2: %v", err)
	}
	if _, err := runCLI(t, "", "mail", "digest", "--db", db, "--smtp-url", "smtp://"+srv.Addr+"?tls=none", "--smtp-from", "khaosat@tinh.gov.vn"); err == nil || !strings.Contains(err.Error(), "--base-url is needed") {
		t.Errorf("without --base-url: %v", err)
	}
}

// serve with SMTP settings mails an alert stored before it started (the
// alert cursor set before it) to the official who asked for alert mail,
// logs the server without its password, and stops cleanly.
func TestCLIServeMail(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	email, yes := "can.bo@tuphap.tinh.gov.vn", true
	if _, err := p.DB.UpdateUser(ctx, "off", survey.UserUpdate{Email: &email, AlertMail: &yes}, cliActor); err != nil {
		t.Fatal(err)
	}
	if err := p.DB.SetMailCursor(ctx, "alerts", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DB.AddAlerts(ctx, []*survey.Alert{{Kind: survey.AlertDrop, Agency: "C1", Key: "overall", Period: "2026-10",
		Message: "Chỉ số của UBND xã Nhơn Ái giảm.", Link: "/dashboard/overview/C1"}}); err != nil {
		t.Fatal(err)
	}
	p.Close(t)
	srv := mailtest.Start(t, mailtest.Options{User: "bot", Password: "s3cr3tpw"})
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(runCtx, []string{"serve", "--db", p.Path, "--addr", freeAddr(t), "--alerts-every", "0", "--integrity-every", "0",
			"--base-url", "https://sipas.tinh.gov.vn", "--smtp-url", "smtp://bot:s3cr3tpw@" + srv.Addr + "?tls=none", "--smtp-from", "khaosat@tinh.gov.vn"},
			strings.NewReader(""), io.Discard, &stderr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for len(srv.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To[0] != email || got[0].User != "bot" {
		t.Fatalf("received %+v\n%s", got, stderr.String())
	}
	if d := mailtest.Decode(t, got[0]); !strings.Contains(d.Text, "https://sipas.tinh.gov.vn/dashboard/overview/C1") {
		t.Errorf("alert mail:\n%s", d.Text)
	}
	log := stderr.String()
	if !strings.Contains(log, `"mail on"`) || !strings.Contains(log, "bot@127.0.0.1") || strings.Contains(log, "s3cr3tpw") {
		t.Errorf("log:\n%s", log)
	}
}

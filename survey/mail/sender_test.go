package mail_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/mail"
	"github.com/sipas/sipas/survey/mail/mailtest"
)

// testMessage is a message with Vietnamese in every part.
func testMessage() *mail.Message {
	return &mail.Message{To: "can.bo@tinh.gov.vn", Subject: "SIPAS: bản tin tuần – Sở Tư pháp",
		Text: "Chỉ số hài lòng: 82,4", HTML: "<p>Chỉ số hài lòng: <b>82,4</b></p>"}
}

// sender points an SMTP sender at srv with the URL's scheme and query.
func sender(t *testing.T, srv *mailtest.Server, url string) *mail.SMTP {
	t.Helper()
	cfg, err := mail.ParseURL(strings.Replace(url, "HOST", srv.Addr, 1))
	if err != nil {
		t.Fatal(err)
	}
	s := &mail.SMTP{Config: cfg, From: `"SIPAS" <khaosat@tinh.gov.vn>`}
	if srv.Pool != nil {
		s.TLSConfig = &tls.Config{RootCAs: srv.Pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	}
	return s
}

func TestSMTPDelivery(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		opt       mailtest.Options
		user      string
		tls       bool
	}{
		{"clear text, no auth", "smtp://HOST?tls=none", mailtest.Options{}, "", false},
		{"clear text to loopback, auth PLAIN", "smtp://bot:pa%40ss@HOST?tls=none", mailtest.Options{User: "bot", Password: "pa@ss"}, "bot", false},
		{"STARTTLS, auth PLAIN", "smtp://bot:pw@HOST", mailtest.Options{User: "bot", Password: "pw", TLS: true}, "bot", true},
		{"implicit TLS, auth PLAIN", "smtps://bot:pw@HOST", mailtest.Options{User: "bot", Password: "pw", Implicit: true}, "bot", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t, tc.opt)
			if err := sender(t, srv, tc.url).Send(context.Background(), testMessage()); err != nil {
				t.Fatal(err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("received %d messages", len(got))
			}
			r := got[0]
			if r.From != "khaosat@tinh.gov.vn" || len(r.To) != 1 || r.To[0] != "can.bo@tinh.gov.vn" || r.User != tc.user || r.TLS != tc.tls {
				t.Errorf("envelope %q → %q, user %q, TLS %v", r.From, r.To, r.User, r.TLS)
			}
			d := mailtest.Decode(t, r)
			if d.Subject != "SIPAS: bản tin tuần – Sở Tư pháp" || !strings.HasPrefix(d.RawSubject, "=?UTF-8?") {
				t.Errorf("subject %q (raw %q): want it encoded (RFC 2047) and decoded back", d.Subject, d.RawSubject)
			}
			if !strings.HasPrefix(d.ContentType, "multipart/alternative") {
				t.Errorf("content type %q", d.ContentType)
			}
			if d.Text != "Chỉ số hài lòng: 82,4" || d.HTML != "<p>Chỉ số hài lòng: <b>82,4</b></p>" {
				t.Errorf("parts: text %q, html %q", d.Text, d.HTML)
			}
			for _, h := range []string{"Date", "Message-Id", "From", "To", "Auto-Submitted"} {
				if len(d.Header[h]) == 0 {
					t.Errorf("no %s header", h)
				}
			}
		})
	}
}

func TestSMTPRefusals(t *testing.T) {
	ctx := context.Background()
	// STARTTLS is required by smtp:// and this server does not offer it.
	srv := mailtest.Start(t, mailtest.Options{})
	if err := sender(t, srv, "smtp://HOST").Send(ctx, testMessage()); err == nil {
		t.Error("sent in clear text although smtp:// requires STARTTLS")
	}
	// A wrong password is refused and nothing is delivered.
	srv = mailtest.Start(t, mailtest.Options{User: "bot", Password: "right", TLS: true})
	err := sender(t, srv, "smtp://bot:wrongpw@HOST").Send(ctx, testMessage())
	if err == nil {
		t.Error("sent with a wrong password")
	} else if strings.Contains(err.Error(), "wrongpw") {
		t.Errorf("the error repeats the password: %v", err)
	}
	// A certificate the client does not trust is refused.
	untrusted := sender(t, srv, "smtp://bot:right@HOST")
	untrusted.TLSConfig = nil
	if err := untrusted.Send(ctx, testMessage()); err == nil {
		t.Error("sent to a server with an untrusted certificate")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}

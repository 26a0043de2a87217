package mail_test

import (
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/mail"
)

func TestParseURL(t *testing.T) {
	good := []struct {
		raw  string
		want mail.Config
	}{
		{"smtp://user:pa%40ss@mail.tinh.gov.vn:587", mail.Config{Host: "mail.tinh.gov.vn", Port: 587, Username: "user", Password: "pa@ss", TLS: mail.TLSStartTLS}},
		{"smtp://mail.tinh.gov.vn", mail.Config{Host: "mail.tinh.gov.vn", Port: 587, TLS: mail.TLSStartTLS}},
		{"smtps://u:p@mail.tinh.gov.vn", mail.Config{Host: "mail.tinh.gov.vn", Port: 465, Username: "u", Password: "p", TLS: mail.TLSImplicit}},
		{"smtp://relay.local:25?tls=none", mail.Config{Host: "relay.local", Port: 25, TLS: mail.TLSNone}},
		{"smtp://[::1]:2525/?tls=implicit", mail.Config{Host: "::1", Port: 2525, TLS: mail.TLSImplicit}},
	}
	for _, g := range good {
		got, err := mail.ParseURL(g.raw)
		if err != nil || got != g.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", g.raw, got, err, g.want)
		}
	}
	bad := []struct{ raw, says string }{
		{"", "empty"},
		{"http://u:secretpw@mail.example:587", "scheme"},
		{"mail.example:587", "scheme"},
		{"smtp://u:secretpw@:587", "host"},
		{"smtp://u:secretpw@mail.example:0", "port"},
		{"smtp://u:secretpw@mail.example:99999", "port"},
		{"smtp://u:secretpw@mail.example:abc", "URL"},
		{"smtp://u:secretpw@mail.example/inbox", "path"},
		{"smtp://u:secretpw@mail.example?tls=maybe", "tls must be"},
		{"smtp://u:secretpw@mail.example?starttls=1", "unknown parameter"},
		{"smtps://u:secretpw@mail.example?tls=none", "implicit"},
		{"smtp://:secretpw@mail.example", "user name"},
		{"smtp://u:secret pw%zz@mail.example", "URL"},
	}
	for _, b := range bad {
		_, err := mail.ParseURL(b.raw)
		if err == nil {
			t.Errorf("ParseURL(%q) accepted", b.raw)
			continue
		}
		if !strings.Contains(err.Error(), b.says) || !strings.HasPrefix(err.Error(), "--smtp-url: ") {
			t.Errorf("ParseURL(%q) = %q, want it to say %q", b.raw, err, b.says)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseURL(%q) error repeats the password: %q", b.raw, err)
		}
	}
}

func TestConfigStringHidesPassword(t *testing.T) {
	c, err := mail.ParseURL("smtp://officer:s3cr3t@mail.tinh.gov.vn:587")
	if err != nil {
		t.Fatal(err)
	}
	if s := c.String(); strings.Contains(s, "s3cr3t") || !strings.Contains(s, "officer@mail.tinh.gov.vn:587") {
		t.Errorf("String() = %q", s)
	}
}

func TestParseFrom(t *testing.T) {
	for in, want := range map[string]string{
		"khaosat@tinh.gov.vn":              "<khaosat@tinh.gov.vn>",
		"SIPAS <khaosat@tinh.gov.vn>":      `"SIPAS" <khaosat@tinh.gov.vn>`,
		" Khảo sát <khaosat@tinh.gov.vn> ": "=?utf-8?q?Kh=E1=BA=A3o_s=C3=A1t?= <khaosat@tinh.gov.vn>",
	} {
		got, err := mail.ParseFrom(in)
		if err != nil || got != want {
			t.Errorf("ParseFrom(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "khaosat", "a@b, c@d", "<>"} {
		if _, err := mail.ParseFrom(in); err == nil || !strings.HasPrefix(err.Error(), "--smtp-from: ") {
			t.Errorf("ParseFrom(%q) = %v, want an error", in, err)
		}
	}
}

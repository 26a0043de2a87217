// Package mail sends officials their mail: the weekly digest of their scope
// and a mail for each new alert in it. It composes the messages (Vietnamese,
// plain text and simple HTML, no tracking), sends them through a Sender
// (SMTP with go-mail), and schedules them (Scheduler), recording each mail
// in the store so that none is sent twice. It knows neither HTTP nor SQL.
package mail

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// TLS modes of an SMTP connection.
const (
	// TLSStartTLS upgrades the connection with STARTTLS and refuses a
	// server that does not offer it (the default of smtp://).
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (smtps://, port 465).
	TLSImplicit = "implicit"
	// TLSNone sends in clear text: only for a relay on the same host or
	// network (?tls=none). go-mail still refuses to send a password in
	// clear text to any host but localhost.
	TLSNone = "none"
)

// Config is an SMTP server and its credentials, from --smtp-url.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      string // TLSStartTLS, TLSImplicit or TLSNone
}

// ParseURL reads an SMTP URL: smtp://[user:pass@]host[:port][?tls=starttls|none|implicit]
// (port 587, STARTTLS required by default) or smtps://[user:pass@]host[:port]
// (implicit TLS, port 465). User and password are percent-decoded. The
// error never repeats the URL, which may hold a password.
func ParseURL(raw string) (Config, error) {
	bad := func(format string, a ...any) (Config, error) {
		return Config{}, fmt.Errorf("--smtp-url: "+format, a...)
	}
	if strings.TrimSpace(raw) == "" {
		return bad("empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("not a URL (the form is smtp://user:password@host:587; percent-encode special characters in the password)")
	}
	var c Config
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = TLSStartTLS, 587
	case "smtps":
		c.TLS, c.Port = TLSImplicit, 465
	default:
		return bad("scheme must be smtp:// or smtps://, not %q", u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return bad("no host (the form is smtp://user:password@host:587)")
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" {
		return bad("an SMTP URL has no path")
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return bad("no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("port must be 1-65535")
		}
		c.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return bad("port must be 1-65535")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" {
			return bad("a password without a user name")
		}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return bad("bad query")
	}
	for k, v := range q {
		if k != "tls" || len(v) != 1 {
			return bad("unknown parameter %q (only tls=starttls|none|implicit)", k)
		}
		switch v[0] {
		case TLSStartTLS, TLSNone, TLSImplicit:
		default:
			return bad("tls must be starttls, none or implicit, not %q", v[0])
		}
		if u.Scheme == "smtps" && v[0] != TLSImplicit {
			return bad("smtps:// is implicit TLS; use smtp://…?tls=%s instead", v[0])
		}
		c.TLS = v[0]
	}
	return c, nil
}

// String is the server without the password, for logs.
func (c Config) String() string {
	who := ""
	if c.Username != "" {
		who = url.User(c.Username).String() + "@"
	}
	return fmt.Sprintf("%s%s (tls %s)", who, net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), c.TLS)
}

// ParseFrom checks --smtp-from: one address, with or without a display
// name ("SIPAS <khaosat@hailong.gov.vn>"), and returns it formatted for the
// From header.
func ParseFrom(s string) (string, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || !strings.Contains(a.Address, "@") {
		return "", fmt.Errorf("--smtp-from: %q is not an email address (e.g. \"SIPAS <khaosat@tinh.gov.vn>\")", s)
	}
	return a.String(), nil
}

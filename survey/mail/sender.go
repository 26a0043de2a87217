package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one mail to one official.
type Message struct {
	To      string
	Subject string
	Text    string // the plain-text part
	HTML    string // the HTML part, the alternative to Text
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// SMTP sends through an SMTP server with go-mail, one connection a message.
type SMTP struct {
	Config Config
	From   string // formatted by ParseFrom
	// TLSConfig, when set, replaces the default TLS settings (system roots,
	// TLS 1.2 at least); tests give it their own certificate's pool.
	TLSConfig *tls.Config
	// Timeout bounds the connection and each command (0: 30 s).
	Timeout time.Duration
}

// Send delivers m. The message is multipart/alternative (text, then HTML),
// UTF-8, with an encoded subject; a password is sent only over TLS (or to
// localhost).
func (s *SMTP) Send(ctx context.Context, m *Message) error {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.From); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail to %s: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetUserAgent("sipas")
	// RFC 3834: an automatic message; vacation responders stay silent.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithPort(s.Config.Port), gomail.WithTimeout(timeout)}
	switch s.Config.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.TLSConfig))
	}
	if s.Config.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(s.Config.Username), gomail.WithPassword(s.Config.Password))
	}
	c, err := gomail.NewClient(s.Config.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send mail to %s via %s: %w", m.To, s.Config, err)
	}
	return nil
}

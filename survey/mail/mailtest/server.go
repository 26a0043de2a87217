// Package mailtest runs a real SMTP server (emersion/go-smtp) on loopback
// for tests: it receives messages, optionally requires AUTH PLAIN and
// offers STARTTLS or implicit TLS with a self-signed certificate, and
// parses what it received. Only tests import it.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message as the server got it.
type Received struct {
	From string
	To   []string
	Data []byte
	// User is who authenticated ("" : nobody); TLS whether the session was
	// encrypted when the message came.
	User string
	TLS  bool
}

// Options configure the server.
type Options struct {
	// User and Password, when set, are required (AUTH PLAIN) before MAIL.
	User, Password string
	// TLS offers STARTTLS with a self-signed certificate for 127.0.0.1;
	// Implicit speaks TLS from the start instead.
	TLS, Implicit bool
	// Fail makes the next Fail messages fail with a temporary error.
	Fail int
}

// Server is a running test server.
type Server struct {
	Addr string
	Host string
	Port int
	// Pool trusts the server's certificate.
	Pool *x509.CertPool
	mu   sync.Mutex
	msgs []Received
	fail int
	opt  Options
}

// Start runs a server until the test ends.
func Start(tb testing.TB, opt Options) *Server {
	tb.Helper()
	s := &Server{opt: opt, fail: opt.Fail}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, c: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	// Without TLS, AUTH is offered in clear text (the client only sends a
	// password so to loopback).
	srv.AllowInsecureAuth = !opt.TLS && !opt.Implicit
	var ln net.Listener
	var err error
	if opt.TLS || opt.Implicit {
		cfg, pool := selfSigned(tb)
		s.Pool = pool
		srv.TLSConfig = cfg
		if opt.Implicit {
			ln, err = tls.Listen("tcp", "127.0.0.1:0", cfg)
		}
	}
	if ln == nil && err == nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		tb.Fatal(err)
	}
	a := ln.Addr().(*net.TCPAddr)
	s.Addr, s.Host, s.Port = a.String(), "127.0.0.1", a.Port
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	tb.Cleanup(func() {
		srv.Close()
		<-done
	})
	return s
}

// Messages returns what the server received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

type session struct {
	s    *Server
	c    *smtp.Conn
	user string
	from string
	to   []string
}

func (x *session) AuthMechanisms() []string {
	if x.s.opt.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != x.s.opt.User || pass != x.s.opt.Password {
			return errors.New("invalid credentials")
		}
		x.user = user
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opt.User != "" && x.user == "" {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.fail > 0 {
		x.s.fail--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	_, isTLS := x.c.TLSConnectionState()
	x.s.msgs = append(x.s.msgs, Received{From: x.from, To: x.to, Data: b, User: x.user, TLS: isTLS})
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(tb testing.TB) (*tls.Config, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// Parse reads a received message's headers and body.
func Parse(tb testing.TB, r Received) *mail.Message {
	tb.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		tb.Fatalf("received message does not parse: %v\n%s", err, r.Data)
	}
	return m
}

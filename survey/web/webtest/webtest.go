// Package webtest runs the real router over a fresh copy of sqlitetest's
// standard province, in the manner of pocketbase's tests.NewTestApp and
// ApiScenario: New gives one test its own database, server, clock and log;
// Run runs a table of request → answer scenarios, each on a fresh Env, in
// parallel; Client is a browser for the dashboard's sessions.
//
// It is imported by the tests of survey/web and tests/browser, never by
// production code. It keeps no package-level state (sqlitetest's template
// is the only one, documented there).
//
// Requests and wanted strings may name tokens with placeholders, replaced
// by Env.Replace with the tokens as they were when the Env was made:
//
//	{D1/Q1}        the survey token (QR code) of a counter, any of the province's
//	{KIOSK:D1/Q1}  the kiosk key of a counter
//	{ROT}          the old token of D1/R1 (version 1, rotated away: 410)
//	{FORGED}       D1/Q1's token signed with another secret (404)
//	{DOSSIER:key}  the token of a dossier registered with WithDossiers
//	{FORGED-DOSSIER} a dossier token signed with another secret (404)
package webtest

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
)

// BaseURL is the server's public URL unless an option sets another.
const BaseURL = "https://hailong.example.gov.vn"

// Start returns where every Env's clock starts: a weekday morning in
// Vietnam, 2026-04-15 10:00 (UTC+7).
func Start() time.Time { return time.Date(2026, 4, 15, 10, 0, 0, 0, survey.Vietnam) }

// Env is the real server over a fresh copy of the standard province. The
// Province's methods (Token, Seed, Count, LastResponse, …) are Env's.
type Env struct {
	*sqlitetest.Province
	// Server is the server; the database's OnCommit hook is its
	// ObserveCommit, as in cmd/sipas.
	Server *web.Server
	// Handler is Server.Handler(), the router every request goes through.
	Handler http.Handler
	// Config is the server's configuration (BaseURL filled in).
	Config web.Config
	// Log holds every line the server logged (JSON, debug level).
	Log *LogBuffer

	mu   sync.Mutex
	now  time.Time
	repl *strings.Replacer
}

// Option changes how New builds an Env.
type Option func(*options)

type options struct {
	cfg      web.Config
	dossiers map[string]survey.DossierRegistration
}

// WithConfig sets the server's configuration (RateLimit, BaseURL, …). An
// empty BaseURL stays the package's BaseURL.
func WithConfig(cfg web.Config) Option {
	return func(o *options) { o.cfg = cfg }
}

// New returns an Env for one test; everything is closed when the test
// ends. The clock stands at Start until the test moves it; it is the
// server's (Deps.Now) and the database's (DB.Now).
func New(tb testing.TB, opts ...Option) *Env {
	tb.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.cfg.BaseURL == "" {
		o.cfg.BaseURL = BaseURL
	}
	e := &Env{Province: sqlitetest.New(tb, sqlite.Options{}), Config: o.cfg, Log: &LogBuffer{}, now: Start()}
	e.DB.Now = e.Now
	log := slog.New(slog.NewJSONHandler(e.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := web.New(o.cfg, web.Deps{Store: e.DB, Instruments: e.Instruments, Signer: e.Signer, Log: log, Now: e.Now})
	if err != nil {
		tb.Fatalf("server: %v", err)
	}
	e.DB.OnCommit = srv.ObserveCommit
	e.Server, e.Handler = srv, srv.Handler()
	e.repl = e.placeholders(tb, o.dossiers)
	return e
}

// placeholders builds the replacer of the package comment's placeholders.
func (e *Env) placeholders(tb testing.TB, dossiers map[string]survey.DossierRegistration) *strings.Replacer {
	tb.Helper()
	as, err := e.DB.ListAgencies(tb.Context(), "")
	if err != nil {
		tb.Fatalf("agencies: %v", err)
	}
	var pairs []string
	for _, a := range as {
		cs, err := e.DB.ListCounters(tb.Context(), a.Code)
		if err != nil {
			tb.Fatalf("counters of %s: %v", a.Code, err)
		}
		for _, c := range cs {
			key := a.Code + "/" + c.Code
			pairs = append(pairs,
				"{"+key+"}", e.Signer.Token(c.ID, c.TokenVersion),
				"{KIOSK:"+key+"}", e.KioskKey(tb, key))
		}
	}
	r1, q1 := e.Counter(tb, "D1/R1"), e.Counter(tb, "D1/Q1")
	forger := survey.NewSigner(bytes.Repeat([]byte{7}, 32))
	pairs = append(pairs, "{ROT}", e.Signer.Token(r1.ID, 1), "{FORGED}", forger.Token(q1.ID, q1.TokenVersion))
	pairs = append(pairs, e.dossierPlaceholders(tb, dossiers)...)
	return strings.NewReplacer(pairs...)
}

// Replace replaces the placeholders of the package comment in s.
func (e *Env) Replace(s string) string { return e.repl.Replace(s) }

// Now is the Env's clock.
func (e *Env) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// SetNow sets the clock.
func (e *Env) SetNow(t time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = t
}

// Advance moves the clock on by d.
func (e *Env) Advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// Request is one request to an Env's router.
type Request struct {
	// Method is the HTTP method; "" is GET.
	Method string
	// URL is the path and query; Body the body. Both may hold placeholders.
	URL, Body string
	// ContentType is sent for any method but GET and HEAD: by default
	// JSON under /api/ and a form elsewhere; "-" sends none.
	ContentType string
	// User sends HTTP Basic credentials: "admin", "off", "off2" (or any
	// other name) with sqlitetest.Password, or Password when set;
	// "wrongpw" is admin with a wrong password, "ghost" a name with no
	// account; "" sends none.
	User, Password string
	// Header sets request headers (values may hold placeholders) after
	// everything else.
	Header map[string]string
	// Remote is the client's address (RemoteAddr); "" leaves httptest's
	// 192.0.2.1:1234.
	Remote string
	// Chunked sends the body without a Content-Length.
	Chunked bool
}

// NewRequest builds the http.Request r describes, placeholders replaced.
func (e *Env) NewRequest(r Request) *http.Request {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	u := e.Replace(r.URL)
	var body io.Reader
	if r.Body != "" || (method != http.MethodGet && method != http.MethodHead) {
		body = strings.NewReader(e.Replace(r.Body))
	}
	req := httptest.NewRequest(method, u, body)
	ct := r.ContentType
	if ct == "" && method != http.MethodGet && method != http.MethodHead {
		ct = "application/x-www-form-urlencoded"
		if strings.HasPrefix(u, "/api/") {
			ct = "application/json"
		}
	}
	if ct != "" && ct != "-" {
		req.Header.Set("Content-Type", ct)
	}
	if r.Chunked {
		req.ContentLength = -1
	}
	if r.User != "" {
		name, pw := r.User, sqlitetest.Password
		switch r.User {
		case "wrongpw":
			name, pw = "admin", "not-the-password"
		}
		if r.Password != "" {
			pw = r.Password
		}
		req.SetBasicAuth(name, pw)
	}
	if r.Remote != "" {
		req.RemoteAddr = r.Remote
	}
	for k, v := range r.Header {
		req.Header.Set(k, e.Replace(v))
	}
	return req
}

// Do sends r through the router and returns the answer.
func (e *Env) Do(tb testing.TB, r Request) *httptest.ResponseRecorder {
	tb.Helper()
	w := httptest.NewRecorder()
	e.Handler.ServeHTTP(w, e.NewRequest(r))
	return w
}

// LogBuffer is a bytes.Buffer safe for concurrent writes: the server logs
// from many goroutines.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

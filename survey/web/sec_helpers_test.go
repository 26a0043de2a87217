package web_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/web"
)

// secPassword is the password of every account of a secEnv.
const secPassword = "correct-horse-battery"

var (
	secHashOnce sync.Once
	secHash     string
)

// secEnv is a Server over a fresh SQLite file with a small agency tree:
//
//	P (province) ─┬─ A ── A1
//	              └─ B
//
// counters A/Q1 (sipas-2017), A/Q2 (quick), A1/Q1, B/Q1 and the closed
// A/OLD, and the accounts admin, offA (official of A) and offB.
type secEnv struct {
	tb     testing.TB
	db     *sqlite.DB
	srv    *web.Server
	signer *survey.Signer
	// logs holds every log line of the server (JSON, debug level).
	logs *syncBuffer
	// nowFn is the server's clock; tests that move time set it.
	nowFn  func() time.Time
	h      http.Handler
	reg    *survey.Instruments
	tokens map[string]string // "A/Q1" → current survey token
	ids    map[string]int64  // "A/Q1" → counter id
	ro     *sql.DB           // a read-only handle for assertions
}

func newSecEnv(tb testing.TB, cfg web.Config) *secEnv {
	tb.Helper()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		tb.Fatalf("instruments: %v", err)
	}
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "sipas.db"), reg, sqlite.Options{})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	ctx := tb.Context()
	by := survey.Actor{Name: "test"}
	for _, a := range []*survey.Agency{
		{Code: "P", Name: "Tỉnh P"}, {Code: "A", Name: "Sở A", ParentCode: "P"},
		{Code: "A1", Name: "Phòng A1", ParentCode: "A"}, {Code: "B", Name: "Sở B", ParentCode: "P"},
	} {
		if err := db.CreateAgency(ctx, a, by); err != nil {
			tb.Fatalf("agency %s: %v", a.Code, err)
		}
	}
	for _, c := range []*survey.Counter{
		{AgencyCode: "A", Code: "Q1", Name: "Quầy 1", Instrument: "sipas-2017"},
		{AgencyCode: "A", Code: "Q2", Name: "Quầy 2", Instrument: "quick"},
		{AgencyCode: "A1", Code: "Q1", Name: "Quầy 1", Instrument: "sipas-2017"},
		{AgencyCode: "B", Code: "Q1", Name: "Quầy 1", Instrument: "sipas-2017"},
		{AgencyCode: "A", Code: "OLD", Name: "Quầy cũ", Instrument: "sipas-2017"},
	} {
		if err := db.CreateCounter(ctx, c, by); err != nil {
			tb.Fatalf("counter %s/%s: %v", c.AgencyCode, c.Code, err)
		}
	}
	closed := true
	if _, err := db.UpdateCounter(ctx, "A", "OLD", survey.CounterUpdate{Closed: &closed}, by); err != nil {
		tb.Fatalf("close counter: %v", err)
	}
	secHashOnce.Do(func() { secHash, err = survey.HashPassword(secPassword) })
	if secHash == "" {
		tb.Fatalf("hash password: %v", err)
	}
	for _, u := range []*survey.User{
		{Name: "admin", Role: survey.RoleAdmin}, {Name: "offA", Role: survey.RoleOfficial, AgencyCode: "A"},
		{Name: "offB", Role: survey.RoleOfficial, AgencyCode: "B"},
	} {
		u.PasswordHash = secHash
		if err := db.CreateUser(ctx, u); err != nil {
			tb.Fatalf("user %s: %v", u.Name, err)
		}
	}
	secret, err := db.TokenSecret(ctx)
	if err != nil {
		tb.Fatalf("secret: %v", err)
	}
	signer := survey.NewSigner(secret)
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://sipas.example.gov.vn"
	}
	e := &secEnv{tb: tb, db: db, reg: reg, signer: signer, tokens: map[string]string{}, ids: map[string]int64{}, logs: &syncBuffer{}, nowFn: time.Now}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := web.New(cfg, web.Deps{Store: db, Instruments: reg, Signer: signer, Log: log, Now: func() time.Time { return e.nowFn() }})
	if err != nil {
		tb.Fatalf("server: %v", err)
	}
	db.OnCommit = srv.ObserveCommit
	ro, err := sqlOpen(db.Path)
	if err != nil {
		tb.Fatalf("open read-only: %v", err)
	}
	tb.Cleanup(func() { ro.Close() }) // registered after db.Close: runs before it
	e.srv, e.h, e.ro = srv, srv.Handler(), ro
	for _, ag := range []string{"A", "A1", "B"} {
		cs, err := db.ListCounters(ctx, ag)
		if err != nil {
			tb.Fatalf("counters: %v", err)
		}
		for _, c := range cs {
			e.tokens[ag+"/"+c.Code] = signer.Token(c.ID, c.TokenVersion)
			e.ids[ag+"/"+c.Code] = c.ID
		}
	}
	return e
}

// secReq is one request to a secEnv.
type secReq struct {
	method, path string
	body         string
	contentType  string
	user         string // "" for no credentials
	password     string // default secPassword
	remote       string // RemoteAddr, default 192.0.2.1:1234
	header       map[string]string
}

func (e *secEnv) do(r secReq) *httptest.ResponseRecorder {
	e.tb.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	} else if r.body != "" && strings.HasPrefix(r.path, "/api/") {
		req.Header.Set("Content-Type", "application/json")
	} else if r.body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if r.user != "" {
		pw := r.password
		if pw == "" {
			pw = secPassword
		}
		req.SetBasicAuth(r.user, pw)
	}
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}

var secSeq atomic.Int64

// secSubmissionID returns a fresh valid submission id.
func secSubmissionID() string { return fmt.Sprintf("sec-test-%016d", secSeq.Add(1)) }

// answersJSON returns an "answers" object giving v to every item of the
// counter's instrument.
func (e *secEnv) answers(counter string, v any) map[string]any {
	e.tb.Helper()
	inst := "sipas-2017"
	if counter == "A/Q2" {
		inst = "quick"
	}
	in, err := e.reg.Current(inst)
	if err != nil {
		e.tb.Fatalf("instrument: %v", err)
	}
	out := map[string]any{}
	for _, it := range in.Items {
		out[it.Code] = v
	}
	return out
}

// jsonSubmission returns a valid JSON submission body for a counter.
func (e *secEnv) jsonSubmission(counter, sid string) string {
	e.tb.Helper()
	b, err := json.Marshal(map[string]any{"token": e.tokens[counter], "submission_id": sid, "answers": e.answers(counter, 4)})
	if err != nil {
		e.tb.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// formSubmission returns a valid form body for a counter.
func (e *secEnv) formSubmission(counter, sid string) url.Values {
	e.tb.Helper()
	f := url.Values{"submission_id": {sid}}
	for code := range e.answers(counter, 4) {
		f.Set(code, "4")
	}
	return f
}

// count runs a one-number query on the database file.
func (e *secEnv) count(query string, args ...any) int {
	e.tb.Helper()
	return e.countIn(e.tb, query, args...)
}

// countIn is count reporting to tb (fuzz targets must not use the F).
func (e *secEnv) countIn(tb testing.TB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := e.ro.QueryRow(query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

// decode reads a JSON answer into v.
func secDecode(tb testing.TB, w *httptest.ResponseRecorder, v any) {
	tb.Helper()
	if err := json.NewDecoder(bytes.NewReader(w.Body.Bytes())).Decode(v); err != nil {
		tb.Fatalf("decode %q: %v", w.Body.String(), err)
	}
}

// sqlOpen opens the database file read-only for assertions.
func sqlOpen(path string) (*sql.DB, error) {
	return sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=10000")
}

var actorTest = survey.Actor{Name: "test"}

// syncBuffer is a bytes.Buffer safe for concurrent writes (the server logs
// from many goroutines).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// sessionTokenHash is what the sessions table stores for a session token.
func sessionTokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

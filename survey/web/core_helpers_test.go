package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/web"
)

const (
	coreBase     = "https://hailong.example.gov.vn"
	corePassword = "mat-khau-dung-1"
)

// coreEnv is the real router over a fresh SQLite file holding
//
//	P ─┬─ D1 ── C1
//	   └─ D2
//
// with counters D1/Q1 (sipas-2017), D1/K1 (quick), D1/R1 (rotated once),
// D1/Z1 (closed), D2/Q1 and C1/Q1, and the accounts admin and off
// (official of D1), both with corePassword.
type coreEnv struct {
	db     *sqlite.DB
	h      http.Handler
	signer *survey.Signer
	raw    *sql.DB
	// repl replaces {Q1}, {KQ1} (the kiosk key of D1/Q1), {K1}, {ROT}, {ROTNEW}, {CLOSED}, {D2Q1}, {C1Q1}
	// and {FORGED} in URLs and bodies with tokens.
	repl *strings.Replacer
	tok  map[string]string
}

// coreTemplate is the fixture database, built once per test binary and
// copied into a fresh file for every scenario (fsyncs are what make
// building it slow).
var coreTemplate struct {
	once sync.Once
	file []byte
	tok  map[string]string
	err  error
}

func buildCoreTemplate() ([]byte, map[string]string, error) {
	dir, err := os.MkdirTemp("", "sipas-core-web-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, "sipas.db")
	db, err := sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	ctx := context.Background()
	by := survey.Actor{Name: "test"}
	for _, a := range []*survey.Agency{
		{Code: "P", Name: "UBND tỉnh Demo"},
		{Code: "D1", Name: "Sở Tư pháp", ParentCode: "P"},
		{Code: "D2", Name: "UBND huyện Phong Điền", ParentCode: "P"},
		{Code: "C1", Name: "UBND xã Nhơn Ái", ParentCode: "D1"},
	} {
		if err := db.CreateAgency(ctx, a, by); err != nil {
			return nil, nil, err
		}
	}
	counters := map[string]*survey.Counter{}
	for _, c := range []*survey.Counter{
		{AgencyCode: "D1", Code: "Q1", Name: "Quầy hộ tịch", Instrument: "sipas-2017"},
		{AgencyCode: "D1", Code: "K1", Name: "Máy tính bảng", Instrument: "quick"},
		{AgencyCode: "D1", Code: "R1", Name: "Quầy chứng thực", Instrument: "sipas-2017"},
		{AgencyCode: "D1", Code: "Z1", Name: "Quầy đã đóng", Instrument: "sipas-2017"},
		{AgencyCode: "D2", Code: "Q1", Name: "Quầy đất đai", Instrument: "sipas-2017"},
		{AgencyCode: "C1", Code: "Q1", Name: "Quầy xã", Instrument: "quick"},
	} {
		if err := db.CreateCounter(ctx, c, by); err != nil {
			return nil, nil, err
		}
		counters[c.AgencyCode+"/"+c.Code] = c
	}
	if _, err := db.RotateCounterToken(ctx, "D1", "R1", by); err != nil {
		return nil, nil, err
	}
	yes := true
	if _, err := db.UpdateCounter(ctx, "D1", "Z1", survey.CounterUpdate{Closed: &yes}, by); err != nil {
		return nil, nil, err
	}
	// bcrypt at its lowest cost keeps the tests fast; the server reads the
	// cost from the hash.
	hash, err := bcrypt.GenerateFromPassword([]byte(corePassword), bcrypt.MinCost)
	if err != nil {
		return nil, nil, err
	}
	for _, u := range []*survey.User{
		{Name: "admin", Role: survey.RoleAdmin, PasswordHash: string(hash)},
		{Name: "off", Role: survey.RoleOfficial, AgencyCode: "D1", PasswordHash: string(hash)},
	} {
		if err := db.CreateUser(ctx, u); err != nil {
			return nil, nil, err
		}
	}
	secret, err := db.TokenSecret(ctx)
	if err != nil {
		return nil, nil, err
	}
	signer := survey.NewSigner(secret)
	tok := map[string]string{
		"{Q1}":     signer.Token(counters["D1/Q1"].ID, 1),
		"{KQ1}":    signer.KioskKey(counters["D1/Q1"].ID, 1),
		"{K1}":     signer.Token(counters["D1/K1"].ID, 1),
		"{ROT}":    signer.Token(counters["D1/R1"].ID, 1),
		"{ROTNEW}": signer.Token(counters["D1/R1"].ID, 2),
		"{CLOSED}": signer.Token(counters["D1/Z1"].ID, 1),
		"{D2Q1}":   signer.Token(counters["D2/Q1"].ID, 1),
		"{C1Q1}":   signer.Token(counters["C1/Q1"].ID, 1),
		"{FORGED}": survey.NewSigner(bytes.Repeat([]byte{7}, 32)).Token(counters["D1/Q1"].ID, 1),
	}
	// Close checkpoints the WAL into the main file, which is then complete.
	if err := db.Close(); err != nil {
		return nil, nil, err
	}
	file, err := os.ReadFile(path)
	return file, tok, err
}

func newCoreEnv(tb testing.TB) *coreEnv {
	tb.Helper()
	coreTemplate.once.Do(func() { coreTemplate.file, coreTemplate.tok, coreTemplate.err = buildCoreTemplate() })
	if coreTemplate.err != nil {
		tb.Fatalf("build the fixture database: %v", coreTemplate.err)
	}
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		tb.Fatalf("instruments: %v", err)
	}
	path := filepath.Join(tb.TempDir(), "sipas.db")
	if err := os.WriteFile(path, coreTemplate.file, 0o600); err != nil {
		tb.Fatal(err)
	}
	db, err := sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	secret, err := db.TokenSecret(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	signer := survey.NewSigner(secret)
	srv, err := web.New(web.Config{BaseURL: coreBase + "/"}, web.Deps{Store: db, Instruments: reg, Signer: signer, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatalf("server: %v", err)
	}
	var pairs []string
	for k, v := range coreTemplate.tok {
		pairs = append(pairs, k, v)
	}
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	return &coreEnv{db: db, h: srv.Handler(), signer: signer, raw: raw, repl: strings.NewReplacer(pairs...), tok: coreTemplate.tok}
}

// coreReq is one request to the router.
type coreReq struct {
	method, url, body string
	ctype             string // default: form for POST to /s/, JSON for /api/
	user              string // "admin", "off", "wrongpw", "ghost" or "" for none
	header            map[string]string
	chunked           bool // send without a Content-Length
}

func (e *coreEnv) do(tb testing.TB, r coreReq) *httptest.ResponseRecorder {
	tb.Helper()
	u := e.repl.Replace(r.url)
	body := e.repl.Replace(r.body)
	req := httptest.NewRequest(r.method, u, strings.NewReader(body))
	if r.method == http.MethodGet && r.body == "" {
		req = httptest.NewRequest(r.method, u, nil)
	}
	ct := r.ctype
	if ct == "" && r.method != http.MethodGet {
		ct = "application/x-www-form-urlencoded"
		if strings.HasPrefix(u, "/api/") {
			ct = "application/json"
		}
	}
	if ct != "-" && ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if r.chunked {
		req.ContentLength = -1
	}
	switch r.user {
	case "admin", "off":
		req.SetBasicAuth(r.user, corePassword)
	case "wrongpw":
		req.SetBasicAuth("admin", "not-the-password")
	case "ghost":
		req.SetBasicAuth("ghost", corePassword)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}

// responses counts the stored responses.
func (e *coreEnv) responses(tb testing.TB) int {
	tb.Helper()
	var n int
	if err := e.raw.QueryRow(`SELECT count(*) FROM responses`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// lastResponse reads the newest stored response.
func (e *coreEnv) lastResponse(tb testing.TB) *survey.Response {
	tb.Helper()
	var id int64
	if err := e.raw.QueryRow(`SELECT max(id) FROM responses`).Scan(&id); err != nil {
		tb.Fatal(err)
	}
	r, err := e.db.FindResponse(context.Background(), id)
	if err != nil {
		tb.Fatalf("find response %d: %v", id, err)
	}
	return r
}

var sipasCodes = []string{
	"TC1", "TC2", "TC3", "TC4", "TT1", "TT2", "TT3", "TT4", "TT5",
	"CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "KQ1", "KQ2", "KQ3", "GY1", "GY2", "GY3", "GY4",
}

// sipasForm is a posted sipas-2017 form answering every item v, with
// extra fields set and the named items left out.
func sipasForm(v string, extra map[string]string, drop ...string) string {
	f := url.Values{}
	for _, c := range sipasCodes {
		f.Set(c, v)
	}
	f.Set("submission_id", "form-submission-000001")
	f.Set("lang", "vi")
	f.Set("comment", "")
	for k, v := range extra {
		f.Set(k, v)
	}
	for _, d := range drop {
		f.Del(d)
	}
	return f.Encode()
}

// sipasJSON is the answers object of a sipas-2017 API call, every item v
// (a JSON value).
func sipasJSON(v string, extra map[string]string, drop ...string) string {
	m := map[string]string{}
	for _, c := range sipasCodes {
		m[c] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	for _, d := range drop {
		delete(m, d)
	}
	var parts []string
	for _, c := range append(append([]string{}, sipasCodes...), "XX1") {
		if v, ok := m[c]; ok {
			parts = append(parts, `"`+c+`": `+v)
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// coreScenario is one row of a scenario table.
type coreScenario struct {
	name       string
	req        coreReq
	wantStatus int
	// wantContains and wantNot are checked against the body after token
	// placeholders are replaced.
	wantContains []string
	wantNot      []string
	// wantStored is the number of responses afterwards (-1: not checked).
	wantStored int
	check      func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder)
	// before runs requests first (e.g. a first submit before a replay).
	before []coreReq
}

func runCoreScenarios(t *testing.T, tests []coreScenario) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newCoreEnv(t)
			for _, b := range tt.before {
				if w := e.do(t, b); w.Code >= 400 {
					t.Fatalf("setup %s %s: got %d: %s", b.method, b.url, w.Code, w.Body)
				}
			}
			w := e.do(t, tt.req)
			body := w.Body.String()
			if w.Code != tt.wantStatus {
				t.Fatalf("got status %d, want %d; body:\n%.2000s", w.Code, tt.wantStatus, body)
			}
			for _, s := range tt.wantContains {
				if s = e.repl.Replace(s); !strings.Contains(body, s) {
					t.Fatalf("body does not contain %q:\n%.3000s", s, body)
				}
			}
			for _, s := range tt.wantNot {
				if s = e.repl.Replace(s); strings.Contains(body, s) {
					t.Fatalf("body contains %q:\n%.3000s", s, body)
				}
			}
			if strings.HasPrefix(tt.req.url, "/api/") && w.Code >= 400 {
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || !strings.Contains(body, `"error":`) {
					t.Fatalf("API error is not JSON {\"error\": …}: %s %s", ct, body)
				}
			}
			if tt.wantStored >= 0 {
				if n := e.responses(t); n != tt.wantStored {
					t.Fatalf("got %d stored responses, want %d", n, tt.wantStored)
				}
			}
			if tt.check != nil {
				tt.check(t, e, w)
			}
		})
	}
}

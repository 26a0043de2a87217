package browser_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/web"
)

// password is the password of every account of the test province.
const password = "mat-khau-thu-nghiem"

// seeded is how many responses agency D1 has before the official's
// journey: enough to be above the reporting threshold (30).
const seeded = 60

// env is the real server over a fresh SQLite file, with one Chromium shared
// by every journey. The province:
//
//	P "Tỉnh Thử Nghiệm" ─┬─ D1 "Sở Tư pháp"          counter Q1 (sipas-2017), 60 responses
//	                      ├─ D2 "UBND huyện Phong Điền" counters Q1 (sipas-2017), K1 (quick)
//	                      └─ D3 "Sở Y tế"              no counter (the admin creates one)
//
// Accounts: admin (admin) and lan (official of P).
type env struct {
	url     string
	db      *sqlite.DB
	dbPath  string
	raw     *sql.DB
	reg     *survey.Instruments
	signer  *survey.Signer
	tokens  map[string]string // "D2/Q1" → survey token
	browser context.Context   // a chromedp context whose browser runs
	shots   string            // folder for screenshots ($SIPAS_SCREENSHOTS), or ""
	axe     string            // axe.min.js
	seq     atomic.Int64
}

// chromiumPath finds Debian's Chromium or fails the test with what to do.
func chromiumPath(tb testing.TB) string {
	tb.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	tb.Fatalf("Chromium is not installed: run scripts/test-deps.sh (it installs Debian's chromium and axe-core), then run the tests again")
	return ""
}

// axeSource reads axe-core from node_modules at the repository root; it is
// injected into pages, never loaded from the network.
func axeSource(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("go.mod not found above the test folder")
		}
		dir = parent
	}
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		tb.Fatalf("axe-core is not installed (%v): run scripts/test-deps.sh, then run the tests again", err)
	}
	return string(b)
}

// newEnv starts the server and the browser; both stop when the test ends.
func newEnv(t *testing.T) *env {
	t.Helper()
	exe := chromiumPath(t)
	axe := axeSource(t)
	ctx := t.Context()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatalf("instruments: %v", err)
	}
	e := &env{reg: reg, tokens: map[string]string{}, dbPath: filepath.Join(t.TempDir(), "sipas.db"), shots: os.Getenv("SIPAS_SCREENSHOTS"), axe: axe}
	e.db, err = sqlite.Open(e.dbPath, reg, sqlite.Options{})
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { e.db.Close() })
	e.raw, err = sql.Open("sqlite3", "file:"+e.dbPath+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		t.Fatalf("open database read-only: %v", err)
	}
	t.Cleanup(func() { e.raw.Close() })
	e.seedProvince(t)

	secret, err := e.db.TokenSecret(ctx)
	if err != nil {
		t.Fatalf("token secret: %v", err)
	}
	e.signer = survey.NewSigner(secret)
	for _, ac := range [][2]string{{"D1", "Q1"}, {"D2", "Q1"}, {"D2", "K1"}} {
		c, err := e.db.FindCounter(ctx, ac[0], ac[1])
		if err != nil {
			t.Fatalf("counter %s/%s: %v", ac[0], ac[1], err)
		}
		e.tokens[ac[0]+"/"+ac[1]] = e.signer.Token(c.ID, c.TokenVersion)
	}

	// The QR codes encode BaseURL, so it must be the test server's own
	// address: take the listener first, then build the server.
	ts := httptest.NewUnstartedServer(nil)
	e.url = "http://" + ts.Listener.Addr().String()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := web.New(web.Config{BaseURL: e.url}, web.Deps{Store: e.db, Instruments: e.db.Instruments(), Signer: e.signer, Log: log})
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		// The machine has no network but loopback: without these Chromium
		// keeps trying to reach its update and sync servers.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	start := time.Now()
	if err := chromedp.Do(bctx); err != nil { // starts the browser, with no timeout
		t.Fatalf("start Chromium (%s): %v\nrun scripts/test-deps.sh if it is not installed", exe, err)
	}
	t.Logf("Chromium started in %v", time.Since(start).Round(time.Millisecond))
	e.browser = bctx
	if e.shots != "" {
		if err := os.MkdirAll(e.shots, 0o755); err != nil {
			t.Fatalf("screenshots folder: %v", err)
		}
	}
	return e
}

// seedProvince creates the agencies, counters and accounts, and the
// responses of D1.
func (e *env) seedProvince(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	by := survey.Actor{Name: "browser-test"}
	for _, a := range []*survey.Agency{
		{Code: "P", Name: "Tỉnh Thử Nghiệm"},
		{Code: "D1", Name: "Sở Tư pháp", ParentCode: "P"},
		{Code: "D2", Name: "UBND huyện Phong Điền", ParentCode: "P"},
		{Code: "D3", Name: "Sở Y tế", ParentCode: "P"},
	} {
		if err := e.db.CreateAgency(ctx, a, by); err != nil {
			t.Fatalf("agency %s: %v", a.Code, err)
		}
	}
	for _, c := range []*survey.Counter{
		{AgencyCode: "D1", Code: "Q1", Name: "Quầy 1 — Chứng thực", Instrument: "sipas-2017"},
		{AgencyCode: "D2", Code: "Q1", Name: "Quầy 1 — Đất đai", Instrument: "sipas-2017"},
		{AgencyCode: "D2", Code: "K1", Name: "Quầy nhanh", Instrument: "quick"},
	} {
		if err := e.db.CreateCounter(ctx, c, by); err != nil {
			t.Fatalf("counter %s/%s: %v", c.AgencyCode, c.Code, err)
		}
	}
	hash, err := survey.HashPassword(password)
	if err != nil {
		t.Fatalf("hash password: %v", err)
	}
	for _, u := range []*survey.User{
		{Name: "admin", Role: survey.RoleAdmin},
		{Name: "lan", Role: survey.RoleOfficial, AgencyCode: "P"},
	} {
		u.PasswordHash = hash
		if err := e.db.CreateUser(ctx, u); err != nil {
			t.Fatalf("user %s: %v", u.Name, err)
		}
	}
	// D1's responses: about 80% of answers satisfied, so that its index is
	// reportable and far from 0 and 100. Stored concurrently so that the
	// batch writer commits them in a few transactions.
	d1, err := e.db.FindCounter(ctx, "D1", "Q1")
	if err != nil {
		t.Fatalf("counter D1/Q1: %v", err)
	}
	in, err := e.reg.Current("sipas-2017")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, seeded)
	for r := range seeded {
		ans := make([]uint8, len(in.Items))
		for k := range ans {
			ans[k] = 5
			if (r+k)%5 == 0 {
				ans[k] = 2
			}
		}
		sub := &survey.Submission{
			SubmissionID: fmt.Sprintf("browser-seed-%06d", r),
			CounterID:    d1.ID, AgencyID: d1.AgencyID, Instrument: in, Answers: ans,
			Channel: "web", Lang: "vi", ReceivedAt: time.Now(),
		}
		wg.Go(func() {
			if _, err := e.db.StoreResponse(ctx, sub); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("seed response: %v", err)
	}
}

// submissionID returns a fresh valid submission id.
func (e *env) submissionID() string {
	return fmt.Sprintf("browser-test-%08d", e.seq.Add(1))
}

// viewport is a screen size to emulate.
type viewport struct {
	w, h   int64
	mobile bool // phone: mobile emulation and touch
}

var (
	phone   = viewport{w: 390, h: 844, mobile: true}
	desktop = viewport{w: 1280, h: 900}
)

// tab opens a new tab in a fresh browser context (its own cookies) with
// the given viewport. It closes when the test ends; every action in it
// fails after limit.
func (e *env) tab(t *testing.T, vp viewport, limit time.Duration) context.Context {
	t.Helper()
	tabCtx, cancel := chromedp.NewContext(e.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(tabCtx, limit)
	t.Cleanup(cancelTimeout)
	var emulate chromedp.Action[chromedp.Void]
	if vp.mobile {
		emulate = chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
	} else {
		emulate = chromedp.EmulateViewport(vp.w, vp.h)
	}
	if err := chromedp.Do(ctx, emulate); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}

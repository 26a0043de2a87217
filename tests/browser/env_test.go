package browser_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
)

// seeded is how many responses agency D1 has before the official's
// journey: enough to be above the reporting threshold (30).
const seeded = 60

// env is the real server over a fresh copy of sqlitetest's standard
// province (survey/sqlite/sqlitetest), with one Chromium shared by every
// journey. The citizen answers at D2/Q1 (sipas-2017) and at D1/K1 (quick:
// not counted in the dashboard's default instrument, so D1 keeps its
// seeded n), the official watches D1 in P's overview, the admin adds a
// counter to D3.
// On top of the standard tree the env adds the two things the journeys
// need that it lacks:
//
//   - lan, an official of the province P (the standard officials off and
//     off2 see only D1's or D2's subtree, and the official's journey
//     starts at P's overview), with the password of every standard
//     account;
//   - seeded responses at D1/Q1, today: four in five answer 5 to every
//     criterion and one in five 2, so that D1's index is reportable and
//     far from 0 and 100.
type env struct {
	url     string
	p       *sqlitetest.Province
	browser context.Context // a chromedp context whose browser runs
	shots   string          // folder for screenshots ($SIPAS_SCREENSHOTS), or ""
	axe     string          // axe.min.js
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
	e := &env{p: sqlitetest.New(t, sqlite.Options{}), shots: os.Getenv("SIPAS_SCREENSHOTS"), axe: axe}
	e.addToProvince(t)

	// The QR codes encode BaseURL, so it must be the test server's own
	// address: take the listener first, then build the server.
	ts := httptest.NewUnstartedServer(nil)
	e.url = "http://" + ts.Listener.Addr().String()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	// The kiosk's thank-you shows 2 s rather than 8, so that the kiosk
	// journey's ratings follow each other quickly.
	srv, err := web.New(web.Config{BaseURL: e.url, KioskDelay: 2 * time.Second}, web.Deps{Store: e.p.DB, Instruments: e.p.Instruments, Signer: e.p.Signer, Log: log})
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

// addToProvince adds to the standard province what the journeys need and
// it lacks (see env): the official lan of P and D1's responses.
func (e *env) addToProvince(t *testing.T) {
	t.Helper()
	// lan shares the standard accounts' password, and so their hash.
	admin, err := e.p.DB.FindUser(t.Context(), "admin")
	if err != nil {
		t.Fatalf("user admin: %v", err)
	}
	lan := &survey.User{Name: "lan", Role: survey.RoleOfficial, AgencyCode: "P", PasswordHash: admin.PasswordHash}
	if err := e.p.DB.CreateUser(t.Context(), lan, survey.Actor{Name: "browsertest"}); err != nil {
		t.Fatalf("user lan: %v", err)
	}
	// Today, so that they fall in the dashboard's default period (the
	// quarter so far).
	today := time.Now().In(survey.Vietnam).Format("2006-01-02")
	e.p.Seed(t,
		sqlitetest.Spec{Counter: "D1/Q1", Day: today, N: seeded * 4 / 5, Value: 5},
		sqlitetest.Spec{Counter: "D1/Q1", Day: today, N: seeded / 5, Value: 2},
	)
}

// viewport is a screen size to emulate.
type viewport struct {
	w, h   int64
	mobile bool // phone: mobile emulation and touch
}

var (
	phone   = viewport{w: 390, h: 844, mobile: true}
	desktop = viewport{w: 1280, h: 900}
	tablet  = viewport{w: 800, h: 1280, mobile: true} // a counter's kiosk
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

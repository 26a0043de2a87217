package browser_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// do runs browser actions and fails the test on an error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// run runs one browser action and returns its value, failing the test on an
// error.
func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// open navigates to url and checks the HTTP status of the page.
func open(t *testing.T, ctx context.Context, url string, wantStatus int64) {
	t.Helper()
	resp := run(t, ctx, "open "+url, chromedp.NavigateResponse(url))
	if resp.Status != wantStatus {
		t.Fatalf("GET %s: status %d, want %d", url, resp.Status, wantStatus)
	}
}

// follow runs steps that load a new page (a click on a link or a submit)
// and checks the status of the page that loads in the end.
func follow(t *testing.T, ctx context.Context, what string, wantStatus int64, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != wantStatus {
		t.Fatalf("%s: landed on %s with status %d, want %d", what, resp.URL, resp.Status, wantStatus)
	}
}

// location returns the path and query of the page shown.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	return run(t, ctx, "location", chromedp.Evaluate[string](`location.pathname + location.search`))
}

// text returns the trimmed text of the first element matching a CSS
// selector, waiting for it to appear.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(run(t, ctx, "text of "+sel, chromedp.TextContent(chromedp.CSS(sel))))
}

// checkNoHorizontalScroll fails when the page is wider than the screen,
// which on a phone means the citizen or official must scroll sideways or
// zoom out. It compares with the emulated width, not innerWidth: a mobile
// browser widens its viewport to fit content that overflows.
func checkNoHorizontalScroll(t *testing.T, ctx context.Context, vp viewport, page string) {
	t.Helper()
	type widths struct {
		Scroll int    `json:"scroll"`
		Inner  int    `json:"inner"`
		Past   string `json:"past"`
	}
	w := run(t, ctx, "measure "+page, chromedp.Evaluate[widths](fmt.Sprintf(`(() => {
		let past = "";
		for (const el of document.body.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.width > 0 && r.right > %d + 1) {
				past = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
					(typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "") +
					" (right edge at " + Math.round(r.right) + " px)";
				break;
			}
		}
		return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, past: past};
	})()`, vp.w)))
	if w.Scroll > int(vp.w) || w.Inner > int(vp.w) {
		t.Errorf("%s does not fit a %d px screen: the page is %d px wide (viewport %d px); first element past the edge: %s",
			page, vp.w, w.Scroll, w.Inner, w.Past)
	}
}

// violation is an axe-core rule violation.
type violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Targets []string `json:"targets"`
}

// axeResult is what checkAxe asks axe-core for.
type axeResult struct {
	Passes     int         `json:"passes"`
	Violations []violation `json:"violations"`
}

// checkAxe runs axe-core (from node_modules, injected into the page) on the
// page shown and fails on any violation of impact serious or critical;
// lesser ones are logged.
func (e *env) checkAxe(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](e.axe)); err != nil {
		t.Fatalf("inject axe-core into %s: %v", page, err)
	}
	res := run(t, ctx, "axe on "+page, chromedp.Evaluate[axeResult](`axe.run(document).then(r => ({
		passes: r.passes.length,
		violations: r.violations.map(v => ({
			id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			targets: v.nodes.slice(0, 8).map(n => n.target.join(" ") + (n.failureSummary ? " — " + n.failureSummary.replace(/\s+/g, " ") : "")),
		})),
	}))`, chromedp.EvalAwaitPromise))
	if res.Passes == 0 {
		t.Fatalf("axe-core checked nothing on %s", page)
	}
	var serious, lesser strings.Builder
	count := 0
	for _, v := range res.Violations {
		b := &lesser
		if v.Impact == "serious" || v.Impact == "critical" {
			b = &serious
			count++
		}
		fmt.Fprintf(b, "\n  [%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.HelpURL)
		for _, tg := range v.Targets {
			fmt.Fprintf(b, "\n      %s", tg)
		}
	}
	if lesser.Len() > 0 {
		t.Logf("axe-core: minor or moderate findings on %s:%s", page, lesser.String())
	}
	if count > 0 {
		t.Errorf("axe-core: %d serious or critical violation(s) on %s (%s):%s", count, page, location(t, ctx), serious.String())
	}
}

// screenshot saves a PNG of the whole page to $SIPAS_SCREENSHOTS/name.png
// when that variable is set, to look at by eye.
// decodeQR reads the QR code in a PNG image with zbarimg (Debian's
// zbar-tools, installed by scripts/test-deps.sh): an independent decoder,
// not the library that drew the code.
func decodeQR(t *testing.T, png []byte) string {
	t.Helper()
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Fatalf("zbarimg not found: run scripts/test-deps.sh (Debian package zbar-tools)")
	}
	path := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code in the image: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func (e *env) screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if e.shots == "" {
		return
	}
	png := run(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(e.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
	t.Logf("screenshot: %s", path)
}

var (
	digitsRE = regexp.MustCompile(`^\d{1,3}(\.\d{3})*$|^\d+$`)
	indexRE  = regexp.MustCompile(`(\d{1,3}),(\d{2})\s*%`)
)

// parseN reads a count shown with Vietnamese thousands dots ("1.234").
func parseN(t *testing.T, what, s string) int {
	t.Helper()
	s = strings.TrimSpace(s)
	if !digitsRE.MatchString(s) {
		t.Fatalf("%s: %q is not a count (digits with '.' between thousands)", what, s)
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, ".", ""))
	if err != nil {
		t.Fatalf("%s: %q: %v", what, s, err)
	}
	return n
}

// parseIndex reads an index shown in Vietnamese format ("85,54%") as
// hundredths of a percent.
func parseIndex(t *testing.T, what, s string) int {
	t.Helper()
	m := indexRE.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("%s: %q has no index in Vietnamese format like 85,54%%", what, s)
	}
	whole, _ := strconv.Atoi(m[1])
	frac, _ := strconv.Atoi(m[2])
	return whole*100 + frac
}

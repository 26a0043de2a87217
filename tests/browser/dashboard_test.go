package browser_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// press is how a person activates an element: a tap on a phone, a click
// elsewhere.
func press(vp viewport, sel string) chromedp.Action[chromedp.Void] {
	if vp.mobile {
		return chromedp.Tap(chromedp.CSS(sel))
	}
	return chromedp.Click(chromedp.CSS(sel))
}

// fillSignIn types a name and password into the sign-in form shown.
func fillSignIn(t *testing.T, ctx context.Context, name, pw string) {
	t.Helper()
	do(t, ctx, "fill the sign-in form",
		chromedp.WaitVisible(chromedp.CSS(`form#login`)),
		chromedp.Clear(chromedp.CSS(`form#login input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`form#login input[name=name]`), name),
		chromedp.Clear(chromedp.CSS(`form#login input[name=password]`)),
		chromedp.SendKeys(chromedp.CSS(`form#login input[name=password]`), pw),
	)
}

// signIn signs in from the sign-in page shown and checks that the
// dashboard opens: the home page (/dashboard, when tasks fall due or
// alerts are open in the user's units, which earlier journeys may have
// made) or the page it sends on to.
func signIn(t *testing.T, ctx context.Context, vp viewport, name string) {
	t.Helper()
	fillSignIn(t, ctx, name, sqlitetest.Password)
	follow(t, ctx, "sign in as "+name, 200, press(vp, `form#login button[type=submit]`))
	if loc := location(t, ctx); loc != "/dashboard" && !strings.HasPrefix(loc, "/dashboard/") && !strings.HasPrefix(loc, "/dashboard?") {
		t.Fatalf("signed in as %s, landed on %s, want the dashboard", name, loc)
	}
}

// overviewRow reads n and the index of an agency's row in the overview
// shown.
func overviewRow(t *testing.T, ctx context.Context, code string) (n, index int) {
	t.Helper()
	row := `tr[data-agency="` + code + `"]`
	n = parseN(t, "overview n of "+code, text(t, ctx, row+" td.n"))
	index = parseIndex(t, "overview index of "+code, text(t, ctx, row+" td.index"))
	return n, index
}

// agencyOverall reads n and the overall index of the agency page shown.
func agencyOverall(t *testing.T, ctx context.Context) (n, index int) {
	t.Helper()
	n = parseN(t, "agency page #overall-n", text(t, ctx, "#overall-n"))
	index = parseIndex(t, "agency page #overall-index", text(t, ctx, "#overall-index"))
	return n, index
}

// submitAPI stores one response through the JSON API, every answer v, as a
// counter tablet would.
func (e *env) submitAPI(t *testing.T, counter string, v int) {
	t.Helper()
	in := e.p.Instrument(t, "sipas-2017")
	answers := map[string]int{}
	for _, it := range in.Items {
		answers[it.Code] = v
	}
	body, err := json.Marshal(map[string]any{"token": e.p.Token(t, counter), "submission_id": sqlitetest.SubmissionID(), "answers": answers})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(e.url+"/api/v1/responses", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("POST /api/v1/responses: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/responses: status %d, want 201", resp.StatusCode)
	}
}

// officialJourney: an official of the province asks for a dashboard page,
// is sent to sign in (a wrong password and an unknown name first: the same
// answer), lands on the page asked for, sees the district's n and index,
// opens the district, and after more responses arrive sees n grow and the
// index move on reload.
func (e *env) officialJourney(t *testing.T) {
	ctx := e.tab(t, desktop, 60*time.Second)
	const asked = "/dashboard/overview/P?sort=n"
	open(t, ctx, e.url+asked, 200)
	if loc := location(t, ctx); !strings.HasPrefix(loc, "/login") {
		t.Fatalf("%s without a session shows %s, want the sign-in page", asked, loc)
	}
	bodyText := func() string {
		return run(t, ctx, "page text", chromedp.Evaluate[string](`document.body.innerText`))
	}
	fillSignIn(t, ctx, "lan", "not-the-password")
	follow(t, ctx, "sign in with a wrong password", 401, press(desktop, `form#login button[type=submit]`))
	wrongPassword := bodyText()
	fillSignIn(t, ctx, "khong-co-ai", "not-the-password")
	follow(t, ctx, "sign in with an unknown name", 401, press(desktop, `form#login button[type=submit]`))
	if unknown := bodyText(); unknown != wrongPassword {
		t.Errorf("sign-in pages differ for a wrong password and an unknown name:\n%s\n---\n%s", wrongPassword, unknown)
	}
	e.screenshot(t, ctx, "login-failed-desktop")
	signIn(t, ctx, desktop, "lan")
	if loc := location(t, ctx); loc != asked {
		t.Fatalf("after signing in the official landed on %s, want the page asked for, %s", loc, asked)
	}
	n0, idx0 := overviewRow(t, ctx, "D1")
	if n0 != seeded {
		t.Fatalf("overview: D1 has n %d, want %d", n0, seeded)
	}
	e.checkAxe(t, ctx, "overview (desktop)")
	e.screenshot(t, ctx, "overview-desktop")

	link := `tr[data-agency="D1"] a[href*="/dashboard/agency/D1"]`
	if run(t, ctx, "find D1's link", chromedp.Evaluate[bool](`document.querySelector('`+link+`') !== null`)) {
		follow(t, ctx, "open D1 from the overview", 200, press(desktop, link))
	} else {
		t.Errorf("the overview row of D1 has no link to its agency page (%s)", link)
		open(t, ctx, e.url+"/dashboard/agency/D1", 200)
	}
	n, idx := agencyOverall(t, ctx)
	t.Logf("D1 before: overview n %d index %d, agency page n %d index %d (hundredths of %%)", n0, idx0, n, idx)
	if n != n0 || idx != idx0 {
		t.Errorf("agency page of D1: n %d, index %d (hundredths of %%); the overview row said n %d, index %d", n, idx, n0, idx0)
	}
	e.checkAxe(t, ctx, "agency page (desktop)")
	e.screenshot(t, ctx, "agency-desktop")

	// Five very dissatisfied citizens answer at D1's counter tablet.
	const more = 5
	for range more {
		e.submitAPI(t, "D1/Q1", 1)
	}
	do(t, ctx, "reload the agency page", chromedp.Reload())
	n1, idx1 := agencyOverall(t, ctx)
	t.Logf("D1 after %d responses of all 1: agency page n %d index %d", more, n1, idx1)
	if n1 != n0+more || idx1 >= idx0 {
		t.Errorf("agency page after %d responses of all 1: n %d, index %d; want n %d and an index below %d", more, n1, idx1, n0+more, idx0)
	}
	open(t, ctx, e.url+"/dashboard/overview/P", 200)
	n2, idx2 := overviewRow(t, ctx, "D1")
	if n2 != n1 || idx2 != idx1 {
		t.Errorf("overview after new responses: D1 n %d, index %d; the agency page says n %d, index %d", n2, idx2, n1, idx1)
	}

	// The official asks for the weekly digest with a mistyped address, is
	// shown the form again, and saves it corrected.
	open(t, ctx, e.url+"/account/notifications", 200)
	e.checkAxe(t, ctx, "mail settings (desktop)")
	do(t, ctx, "type a bad address", chromedp.SetValue(chromedp.CSS(`#email`), "lan@"), chromedp.Click(chromedp.CSS(`#digest_weekly`)),
		chromedp.SetAttributeValue(chromedp.CSS(`#email`), "type", "text")) // past the browser's own check, to the server's
	follow(t, ctx, "save a bad address", 400, press(desktop, `#notifications-form button[type=submit]`))
	if msg := bodyText(); !strings.Contains(msg, "Địa chỉ thư không hợp lệ") {
		t.Errorf("no Vietnamese message for a bad address:\n%s", msg)
	}
	e.checkAxe(t, ctx, "mail settings with an error (desktop)")
	do(t, ctx, "type the address", chromedp.SetValue(chromedp.CSS(`#email`), "lan@tuphap.tinh.gov.vn"))
	follow(t, ctx, "save the mail settings", 200, press(desktop, `#notifications-form button[type=submit]`))
	if msg := bodyText(); !strings.Contains(msg, "Đã lưu cài đặt nhận thư.") {
		t.Errorf("mail settings not saved:\n%s", msg)
	}
}

// adminJourney: an admin creates a counter on an agency page, opens its
// poster and sees a loaded QR image of the counter's survey URL.
func (e *env) adminJourney(t *testing.T) {
	ctx := e.tab(t, desktop, 60*time.Second)
	open(t, ctx, e.url+"/login", 200)
	signIn(t, ctx, desktop, "admin")
	open(t, ctx, e.url+"/dashboard/agency/D3", 200)
	const code, name = "Q9", "Quầy 9 — Tiếp nhận hồ sơ"
	do(t, ctx, "fill the new counter form",
		chromedp.WaitVisible(chromedp.CSS(`form#counter-create`)),
		chromedp.SendKeys(chromedp.CSS(`form#counter-create input[name=code]`), code),
		chromedp.SendKeys(chromedp.CSS(`form#counter-create input[name=name]`), name),
		chromedp.SetValue(chromedp.CSS(`form#counter-create select[name=instrument]`), "quick"),
	)
	follow(t, ctx, "create the counter", 200, press(desktop, `form#counter-create button[type=submit], form#counter-create input[type=submit]`))
	c, err := e.p.DB.FindCounter(t.Context(), "D3", code)
	if err != nil {
		t.Fatalf("the counter created in the browser is not in the database: %v", err)
	}
	if c.Name != name || c.Instrument != "quick" {
		t.Errorf("stored counter: name %q, instrument %q; want %q, quick", c.Name, c.Instrument, name)
	}
	token := e.p.Signer.Token(c.ID, c.TokenVersion)
	row := `tr[data-counter="` + code + `"]`
	href := run(t, ctx, "poster link", chromedp.JavascriptAttribute[string](chromedp.CSS(row+` a.poster-link`), "href"))
	if want := e.url + "/s/" + token + "/poster"; href != want {
		t.Fatalf("poster link of the new counter: %s, want %s", href, want)
	}
	// A link that opens a new tab is followed in this tab.
	if target := run(t, ctx, "poster link target", chromedp.JavascriptAttribute[string](chromedp.CSS(row+` a.poster-link`), "target")); target == "" || target == "_self" {
		follow(t, ctx, "open the poster", 200, press(desktop, row+` a.poster-link`))
	} else {
		open(t, ctx, href, 200)
	}
	width := run(t, ctx, "wait for the QR image", chromedp.Poll[int](`(() => {
		const img = document.querySelector("img.qr");
		return img && img.complete && img.naturalWidth > 0 ? img.naturalWidth : 0;
	})()`, chromedp.WithPollingTimeout(10*time.Second)))
	if width <= 0 {
		t.Fatalf("poster QR image not loaded (naturalWidth %d)", width)
	}
	if u := text(t, ctx, ".poster .url"); u != e.url+"/s/"+token {
		t.Errorf("poster shows URL %q, want %q", u, e.url+"/s/"+token)
	}
	e.screenshot(t, ctx, "poster")
	// The rendered poster, as a phone camera would see it, scans to the
	// counter's survey URL.
	shot := run(t, ctx, "screenshot the poster", chromedp.FullScreenshot(100))
	if got, want := decodeQR(t, shot), e.url+"/s/"+token; got != want {
		t.Fatalf("the poster's QR code decodes to %q, want %q", got, want)
	}
	// What the QR code encodes opens the new counter's quick survey.
	open(t, ctx, e.url+"/s/"+token, 200)
	if n := run(t, ctx, "count quick buttons", chromedp.Evaluate[int](`document.querySelectorAll("form .tap button[type=submit]").length`)); n != 5 {
		t.Errorf("the new counter's survey shows %d one-tap buttons, want the 5 of the quick survey", n)
	}
}

// phonePages: the sign-in page, the overview, the agency page and its
// integrity page on a 390 px phone: no sideways scrolling, and no serious or critical axe-core
// violation.
func (e *env) phonePages(t *testing.T) {
	ctx := e.tab(t, phone, 60*time.Second)
	open(t, ctx, e.url+"/login", 200)
	checkNoHorizontalScroll(t, ctx, phone, "sign-in page")
	e.checkAxe(t, ctx, "sign-in page")
	e.screenshot(t, ctx, "login-390")
	signIn(t, ctx, phone, "lan")
	open(t, ctx, e.url+"/dashboard/overview/P", 200)
	checkNoHorizontalScroll(t, ctx, phone, "overview")
	e.checkAxe(t, ctx, "overview (phone)")
	e.screenshot(t, ctx, "overview-390")
	open(t, ctx, e.url+"/dashboard/agency/D1", 200)
	checkNoHorizontalScroll(t, ctx, phone, "agency page")
	e.checkAxe(t, ctx, "agency page (phone)")
	e.screenshot(t, ctx, "agency-390")
	open(t, ctx, e.url+"/dashboard/agency/D1/integrity", 200)
	checkNoHorizontalScroll(t, ctx, phone, "integrity page")
	e.checkAxe(t, ctx, "integrity page (phone)")
	e.screenshot(t, ctx, "integrity-390")
}

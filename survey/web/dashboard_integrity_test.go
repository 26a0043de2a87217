package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

// integrityPage is the integrity page of D1 for April 2026 (integrityScene).
const integrityPage = "/dashboard/agency/D1/integrity?period=custom&from=2026-04-01&to=2026-04-30"

// section returns the HTML of the integrity page's section of a counter.
func section(tb testing.TB, body, code string) string {
	tb.Helper()
	start := strings.Index(body, `<section class="integrity-counter" data-counter="`+code+`"`)
	if start < 0 {
		tb.Fatalf("no section of counter %s in page", code)
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

func TestIntegrityPage(t *testing.T) {
	e := integrityScene(t)
	vi := dashboard.TextsIn("vi")
	b := e.Client(t)
	b.Login("off")
	w := b.Get(integrityPage)
	if w.Code != http.StatusOK {
		t.Fatalf("got %d: %.500s", w.Code, w.Body)
	}
	body := w.Body.String()
	checkNoIdentity(t, e, body)
	if strings.Contains(body, "<script") {
		t.Errorf("the page has a script")
	}
	if !strings.Contains(body, vi.SetAsideMeans) || !strings.Contains(body, "không bị xóa") {
		t.Errorf("the page does not say what set aside means")
	}
	if strings.Contains(body, `id="review-link"`) {
		t.Errorf("an official sees the admins' review link")
	}

	q := section(t, body, "Q1")
	if got := between(q, `<dd class="counted">`, "<"); got != "82" {
		t.Errorf("Q1 counted: got %q, want 82", got)
	}
	if got := between(q, `<dd class="set-aside">`, "<"); got != "20" {
		t.Errorf("Q1 set aside: got %q, want 20", got)
	}
	if got := between(q, `<dd class="bots">`, "<"); got != "1" {
		t.Errorf("Q1 bots: got %q, want 1", got)
	}
	for reason, n := range map[string]string{"rate_limited": "15", "burst": "5", "device": "5", "repetition": "5"} {
		li := between(q, `<li data-reason="`+reason+`">`, "</li>")
		if !strings.Contains(li, `<span class="n">`+n+`</span>`) || !strings.Contains(li, vi.IgReasons[reason]) {
			t.Errorf("Q1 reason %s: got %q, want %s ratings and the reason in Vietnamese", reason, li, n)
		}
	}
	if strings.Contains(q, `data-reason="off_hours"`) {
		t.Errorf("Q1 lists a reason with no rating")
	}
	win := between(q, `<tr class="window">`, "</tr>")
	if !strings.Contains(win, "15/04/2026") || !strings.Contains(win, "14:00–14:10") || !strings.Contains(win, vi.IgReasons["device"]) ||
		cellText(t, win, "n") != "20" {
		t.Errorf("Q1 window: %s", win)
	}
	without, with := row(t, q, "data-index", "without"), row(t, q, "data-index", "with")
	if cellText(t, without, "n") != "82" || cellText(t, with, "n") != "102" ||
		cellText(t, without, "index") != "43,90%" || cellText(t, with, "index") != "54,90%" {
		t.Errorf("Q1 indices: without %s, with %s", without, with)
	}
	if !strings.Contains(without, "[") {
		t.Errorf("Q1 index without a confidence interval: %s", without)
	}

	k := section(t, body, "K1")
	if got := between(k, `<dd class="set-aside">`, "<"); got != "3" {
		t.Errorf("K1 set aside: got %q, want 3", got)
	}
	kw := between(k, `<tr class="window">`, "</tr>")
	if !strings.Contains(kw, "21:00–21:10") || !strings.Contains(kw, vi.IgReasons["off_hours"]) {
		t.Errorf("K1 window: %s", kw)
	}
	if got := cellText(t, row(t, k, "data-index", "without"), "index"); got != "chưa đủ dữ liệu" {
		t.Errorf("K1 index without: got %q, want chưa đủ dữ liệu", got)
	}
	if r := section(t, body, "R1"); !strings.Contains(r, vi.IgNoneSetAside) || !strings.Contains(r, vi.IgNoWindows) {
		t.Errorf("R1 without ratings: %s", r)
	}

	// The opening hours and where they are set; the holidays.
	if got := between(body, `<p id="hours-from">`, "<"); got != vi.IgHoursDefault {
		t.Errorf("hours from: got %q", got)
	}
	if !strings.Contains(body, "<th scope=\"row\">Thứ Hai</th><td>07:00–11:30, 13:30–17:00</td>") ||
		!strings.Contains(body, "<th scope=\"row\">Chủ nhật</th><td>nghỉ</td>") {
		t.Errorf("hours table: %s", between(body, `<table class="hours">`, "</table>"))
	}
	if got := between(body, `<span id="holidays">`, "<"); got != "0 ngày" {
		t.Errorf("holidays: got %q", got)
	}
	for _, req := range []webtest.Request{
		{Method: "PUT", URL: "/api/v1/agencies/P/hours", Body: `{"hours":{"mon":["08:00-12:00"]}}`, User: "admin"},
		{Method: "PUT", URL: "/api/v1/holidays", Body: `{"holidays":[{"date":"2026-09-02","name":"Quốc khánh"}]}`, User: "admin"},
	} {
		if w := e.Do(t, req); w.Code != http.StatusOK {
			t.Fatalf("%s %s: %d %s", req.Method, req.URL, w.Code, w.Body)
		}
	}
	body = b.Get(integrityPage).Body.String()
	if got := between(body, `<p id="hours-from">`, "<"); got != "Theo giờ làm việc của đơn vị cấp trên P." {
		t.Errorf("inherited hours from: got %q", got)
	}
	if got := between(body, `<span id="holidays">`, "<"); got != "1 ngày" {
		t.Errorf("holidays after setting one: got %q", got)
	}

	// Admins get the link to the review; English.
	a := e.Client(t)
	a.Login("admin")
	ab := a.Get(integrityPage + "&lang=en").Body.String()
	if !strings.Contains(ab, `<a id="review-link" href="/dashboard/flagged?agency=D1&amp;lang=en">`) {
		t.Errorf("admin: no link to the review page")
	}
	if w := a.Get("/dashboard/flagged?agency=D1&lang=en"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), dashboard.TextsIn("en").FlTitle) {
		t.Errorf("following the review link: %d", w.Code)
	}
	en := dashboard.TextsIn("en")
	if !strings.Contains(ab, en.SetAsideMeans) || !strings.Contains(ab, en.IgReasons["off_hours"]) || !strings.Contains(ab, "43.90%") {
		t.Errorf("English page: %.2000s", ab)
	}
	checkNoIdentity(t, e, ab)
}

func TestIntegrityPageRefused(t *testing.T) {
	e := webtest.New(t)
	off2 := e.Client(t)
	off2.Login("off2")
	if got := off2.Get(integrityPage).Code; got != http.StatusForbidden {
		t.Errorf("official of a sibling agency: got %d, want 403", got)
	}
	if got := e.Client(t).Get(integrityPage).Code; got != http.StatusSeeOther {
		t.Errorf("signed out: got %d, want 303 to the sign-in", got)
	}
	off := e.Client(t)
	off.Login("off")
	if got := off.Get("/dashboard/agency/D1/integrity?period=custom&from=2026-02-30&to=2026-04-30").Code; got != http.StatusBadRequest {
		t.Errorf("bad date: got %d, want 400", got)
	}
	if got := off.Get("/dashboard/agency/C1/integrity").Code; got != http.StatusOK {
		t.Errorf("official on the agency beneath: got %d, want 200", got)
	}
}

// The agency page links to its integrity page for the same period.
func TestAgencyPageLinksIntegrity(t *testing.T) {
	e := integrityScene(t)
	b := e.Client(t)
	b.Login("off")
	w := b.Get("/dashboard/agency/D1?period=custom&from=2026-04-01&to=2026-04-30")
	if w.Code != http.StatusOK {
		t.Fatalf("agency page: %d", w.Code)
	}
	link := between(w.Body.String(), `<a class="integrity-link" href="`, `"`)
	if !strings.HasPrefix(link, "/dashboard/agency/D1/integrity?") || !strings.Contains(link, "from=2026-04-01") {
		t.Errorf("integrity link %q", link)
	}
	if got := b.Get(strings.ReplaceAll(link, "&amp;", "&")); got.Code != http.StatusOK {
		t.Errorf("following the link: %d", got.Code)
	}
}

package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// publicJourney: a citizen opens the public results page of a published
// agency (D2, given ratings in the last complete month) on a phone,
// without signing in: it fits the screen, passes axe-core, shows the
// index with its interval, and switches to English; an unpublished
// agency's page is a 404.
func (e *env) publicJourney(t *testing.T) {
	last := survey.LastComplete(survey.KindMonth, time.Now())
	e.p.Seed(t,
		sqlitetest.Spec{Counter: "D2/Q1", Day: last.From.AddDate(0, 0, 4).Format("2006-01-02"), N: 48, Value: 4},
		sqlitetest.Spec{Counter: "D2/Q1", Day: last.From.AddDate(0, 0, 5).Format("2006-01-02"), N: 12, Value: 2},
	)
	yes := true
	if _, err := e.p.DB.UpdateAgency(t.Context(), "D2", survey.AgencyUpdate{Public: &yes}, survey.Actor{Name: "browsertest"}); err != nil {
		t.Fatalf("publish D2: %v", err)
	}
	ctx := e.tab(t, phone, 60*time.Second)
	open(t, ctx, e.url+"/p/D2", 200)
	if h := text(t, ctx, "h1"); h != "UBND huyện Phong Điền" {
		t.Fatalf("heading %q", h)
	}
	month := text(t, ctx, "#p-month + .range + .big")
	if !strings.Contains(month, "Chỉ số hài lòng chung: 80,0%") || !strings.Contains(month, "Khoảng tin cậy 95%") || !strings.Contains(month, "n = 60") {
		t.Errorf("the month's index reads %q", month)
	}
	if n := run(t, ctx, "count scripts", chromedp.Evaluate[int](`document.scripts.length`)); n != 0 {
		t.Errorf("the public page has %d scripts", n)
	}
	// One trend chart is shown on a phone, the narrow one.
	if n := run(t, ctx, "visible charts", chromedp.Evaluate[int](`[...document.querySelectorAll("svg.chart")].filter(s => s.getBoundingClientRect().width > 0).length`)); n != 1 {
		t.Errorf("%d trend charts shown on a phone, want 1", n)
	}
	checkNoHorizontalScroll(t, ctx, phone, "public page")
	e.checkAxe(t, ctx, "public page")
	e.screenshot(t, ctx, "public-390")

	// The trend's table opens without a script.
	do(t, ctx, "open the monthly figures", chromedp.Click(chromedp.CSS("details summary")))
	if rows := run(t, ctx, "count months", chromedp.Evaluate[int](`document.querySelectorAll("details tbody tr").length`)); rows != 12 {
		t.Errorf("the trend table has %d months, want 12", rows)
	}
	e.checkAxe(t, ctx, "public page with the monthly figures")

	follow(t, ctx, "switch to English", 200, chromedp.Click(chromedp.CSS("a.lang")))
	if lang := run(t, ctx, "page language", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
		t.Errorf("after the switch the page is in %q", lang)
	}
	if !strings.Contains(text(t, ctx, "#about + p"), "satisfaction index") {
		t.Errorf("English explanation missing")
	}
	e.checkAxe(t, ctx, "public page in English")

	open(t, ctx, e.url+"/p/D3", 404)
	e.checkAxe(t, ctx, "public 404")
}

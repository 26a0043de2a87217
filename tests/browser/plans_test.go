package browser_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/survey"
)

// plansJourney is the "done means": the province's official (lan,
// of P) enters an improvement plan with targets and a task for D1, D1's
// official records progress on it, and the province's official opens the
// quarterly report and prints it on A4 without the navigation.
func (e *env) plansJourney(t *testing.T) {
	ctx := e.tab(t, desktop, 90*time.Second)
	open(t, ctx, e.url+"/dashboard/plans", 200)
	signIn(t, ctx, desktop, "lan")
	if loc := location(t, ctx); loc != "/dashboard/plans" {
		t.Fatalf("after signing in: %s, want /dashboard/plans", loc)
	}
	e.checkAxe(t, ctx, "plans (desktop)")
	now := time.Now().In(survey.Vietnam)
	do(t, ctx, "fill the plan form",
		chromedp.SetValue(chromedp.CSS(`#np-agency`), "P"),
		chromedp.Clear(chromedp.CSS(`#np-year`)),
		chromedp.SendKeys(chromedp.CSS(`#np-year`), fmt.Sprint(now.Year())),
		chromedp.SendKeys(chromedp.CSS(`#np-title`), "Kế hoạch cải thiện Chỉ số SIPAS"),
		chromedp.SetValue(chromedp.CSS(`#np-targets`), "overall 90\nTT 120"),
	)
	// A target above 100 % is refused, the form keeps what was typed.
	follow(t, ctx, "create a plan with a bad target", 422, press(desktop, `form#plan-create button[type=submit]`))
	if got := run(t, ctx, "targets kept", chromedp.Evaluate[string](`document.querySelector('#np-targets').value`)); !strings.Contains(got, "TT 120") {
		t.Errorf("the targets typed were lost: %q", got)
	}
	if msg := text(t, ctx, `#form-error`); msg == "" {
		t.Error("no message for a target above 100")
	}
	do(t, ctx, "correct the target", chromedp.SetValue(chromedp.CSS(`#np-targets`), "overall 90\nTT 88\nCC3 92,5"))
	follow(t, ctx, "create the plan", 200, press(desktop, `form#plan-create button[type=submit]`))
	planURL := location(t, ctx)
	if !regexp.MustCompile(`^/dashboard/plans/\d+(\?.*)?$`).MatchString(planURL) {
		t.Fatalf("after creating the plan: %s, want its page", planURL)
	}
	e.checkAxe(t, ctx, "plan page (desktop)")
	do(t, ctx, "fill the task form",
		chromedp.SendKeys(chromedp.CSS(`#nt-title`), "Niêm yết đầy đủ thủ tục tại quầy"),
		chromedp.SetValue(chromedp.CSS(`#nt-resp`), "D1"),
		chromedp.SendKeys(chromedp.CSS(`#nt-criteria`), "TT1, TT2"),
		chromedp.SetValue(chromedp.CSS(`#nt-start`), now.AddDate(0, 0, -30).Format("2006-01-02")),
		chromedp.SetValue(chromedp.CSS(`#nt-due`), now.AddDate(0, 0, 10).Format("2006-01-02")),
	)
	follow(t, ctx, "add the task", 200, press(desktop, `form#task-create button[type=submit]`))
	taskLink := run(t, ctx, "the task's link", chromedp.Evaluate[string](
		`(Array.from(document.querySelectorAll('#tasks a')).find(a => /\/tasks\/\d+$/.test(a.pathname)) || {pathname: ''}).pathname`))
	if taskLink == "" {
		t.Fatalf("the plan page lists no task after adding one")
	}

	// D1's official records progress on the task.
	off := e.tab(t, desktop, 60*time.Second)
	open(t, off, e.url+taskLink, 200)
	signIn(t, off, desktop, "off")
	if loc := location(t, off); loc != taskLink {
		t.Fatalf("D1's official landed on %s, want the task %s", loc, taskLink)
	}
	e.checkAxe(t, off, "task page (desktop)")
	do(t, off, "record progress",
		chromedp.SetValue(chromedp.CSS(`#tp-status`), survey.TaskDoing),
		chromedp.SendKeys(chromedp.CSS(`#tp-note`), "Đã niêm yết 30/45 thủ tục."),
	)
	follow(t, off, "save progress", 200, press(desktop, `form#task-progress button[type=submit]`))
	if h := text(t, off, `#history`); !strings.Contains(h, "Đã niêm yết 30/45 thủ tục.") || !strings.Contains(h, "off") {
		t.Errorf("the history does not show the entry with who made it: %q", h)
	}

	// The quarterly report, on screen and on A4.
	q := fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())-1)/3+1)
	open(t, ctx, e.url+"/dashboard/reports/P?period="+q, 200)
	body := text(t, ctx, `main`)
	for _, want := range []string{"Kế hoạch cải thiện Chỉ số SIPAS", "Niêm yết đầy đủ thủ tục tại quầy"} {
		if !strings.Contains(body, want) {
			t.Errorf("the report of %s does not show %q", q, want)
		}
	}
	e.checkAxe(t, ctx, "report (desktop)")
	do(t, ctx, "print media", media("print"))
	hidden := run(t, ctx, "what print hides", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('nav, body > header, body > footer, form#report-period'))
		.filter(el => getComputedStyle(el).display !== 'none').map(el => el.tagName + '#' + el.id)`))
	if len(hidden) > 0 {
		t.Errorf("in print these still show: %v", hidden)
	}
	pdf := run(t, ctx, "print to PDF", chromedp.PrintToPDF(func(p *page.PrintToPDFParams) { p.PreferCSSPageSize = ptr(true) }))
	t.Logf("the report of %s prints as %d bytes of PDF", q, len(pdf))
	if len(pdf) < 10000 || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("printing the report gave %d bytes", len(pdf))
	}
	do(t, ctx, "screen media", media(""))
}

// media emulates a CSS media type ("print"; "" for the screen again).
func media(m string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return chromedp.Void{}, err
	}
}

func ptr[T any](v T) *T { return &v }

package browser_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// webhooksJourney: on a 390 px phone, the admin opens the webhooks page,
// adds a webhook pointing to a loopback address and is told to fix the
// URL (the events ticked are kept), corrects it and sees the new webhook
// with its secret hint; the page has no sideways scrolling and no serious
// or critical axe-core violation, with the error shown and without.
func (e *env) webhooksJourney(t *testing.T) {
	ctx := e.tab(t, phone, 60*time.Second)
	open(t, ctx, e.url+"/login", 200)
	signIn(t, ctx, phone, "admin")
	open(t, ctx, e.url+"/dashboard/webhooks", 200)
	const secret = "browser-journey-secret"
	do(t, ctx, "fill the form with a loopback URL",
		chromedp.WaitVisible(chromedp.CSS(`form#webhook-form`)),
		chromedp.SendKeys(chromedp.CSS(`#wh-url`), "http://127.0.0.1:9/in"),
		chromedp.SendKeys(chromedp.CSS(`#wh-secret`), secret),
	)
	do(t, ctx, "tick response.created", press(phone, `form#webhook-form input[value="response.created"]`))
	follow(t, ctx, "add the webhook", 400, press(phone, `form#webhook-form button[type=submit]`))
	if got := text(t, ctx, "#form-error"); got == "" {
		t.Fatal("no error shown for a loopback URL")
	}
	checked := run(t, ctx, "the event is still ticked", chromedp.JavascriptAttribute[bool](chromedp.CSS(`form#webhook-form input[value="response.created"]`), "checked"))
	if !checked {
		t.Error("the ticked event was lost")
	}
	checkNoHorizontalScroll(t, ctx, phone, "webhooks page with an error")
	e.checkAxe(t, ctx, "webhooks page with an error (phone)")
	run(t, ctx, "clear the URL", chromedp.Evaluate[string](`document.querySelector('#wh-url').value = ''`))
	do(t, ctx, "fix the URL and type the secret again",
		chromedp.SendKeys(chromedp.CSS(`#wh-url`), "https://93.184.216.34/sipas"),
		chromedp.SendKeys(chromedp.CSS(`#wh-secret`), secret),
	)
	follow(t, ctx, "add the webhook", 200, press(phone, `form#webhook-form button[type=submit]`))
	if got := text(t, ctx, "#flash"); got != "Đã thêm webhook." {
		t.Errorf("notice after adding: %q", got)
	}
	ws, err := e.p.DB.ListWebhooks(t.Context())
	if err != nil || len(ws) != 1 || ws[0].URL != "https://93.184.216.34/sipas" || ws[0].Secret != secret {
		t.Fatalf("stored from the browser: %+v %v", ws, err)
	}
	sec := `section[data-webhook="` + strconv.FormatInt(ws[0].ID, 10) + `"]`
	if got := text(t, ctx, sec+` .hint`); got != "…cret" {
		t.Errorf("secret hint %q", got)
	}
	checkNoHorizontalScroll(t, ctx, phone, "webhooks page")
	e.checkAxe(t, ctx, "webhooks page (phone)")
	e.screenshot(t, ctx, "webhooks-390")
}

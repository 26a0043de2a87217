package browser_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/survey"
)

// setOffline switches the tab's connection off or on, as DevTools does:
// every request fails (net::ERR_INTERNET_DISCONNECTED) while it is off,
// and, when navigator is true, navigator.onLine follows and the page gets
// its offline / online events. With navigator false the page believes it
// is online while nothing gets through (a Wi-Fi with no way out).
func setOffline(t *testing.T, ctx context.Context, offline, navigator bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("network domain: %v", err)
	}
	var rules []*network.Conditions
	if offline {
		rules = []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: rules}); err != nil {
		t.Fatalf("emulate offline=%v: %v", offline, err)
	}
	if navigator || !offline {
		if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
			t.Fatalf("navigator offline=%v: %v", offline, err)
		}
	}
}

// kioskStatus is the text of the kiosk's status line.
func kioskStatus(t *testing.T, ctx context.Context) string {
	t.Helper()
	return strings.TrimSpace(run(t, ctx, "kiosk status", chromedp.Evaluate[string](`document.getElementById("kiosk-status").textContent`)))
}

// waitStatus waits until the kiosk's status line says want.
func waitStatus(t *testing.T, ctx context.Context, what, want string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById("kiosk-status").textContent.trim() === %q`, want), chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("%s: the status says %q, want %q (%v)", what, kioskStatus(t, ctx), want, err)
	}
}

// kioskJourney: the counter's tablet (kiosk key) at D1/K1 loses its
// connection. Ratings tapped meanwhile get a thank-you, are kept in the
// tablet's storage under their submission ids (the second and third ids
// made by the script itself) and counted on the screen; when the
// connection returns they are sent, each stored exactly once, and the
// status clears. A kept rating sent again is still one rating; a mistake
// typed online still gets the server's page; English has its own status.
func (e *env) kioskJourney(t *testing.T) {
	ctx := e.tab(t, tablet, 120*time.Second)
	key := e.p.KioskKey(t, "D1/K1")
	form := e.url + "/s/" + e.p.Token(t, "D1/K1") + "?kiosk=" + key
	rows := func(sid string) int {
		return e.p.Count(t, `SELECT count(*) FROM responses WHERE submission_id = ?`, sid)
	}
	sidOf := func() string {
		return run(t, ctx, "read submission id", chromedp.Value(chromedp.CSS(`input[name=submission_id]`)))
	}

	// Online: the script sends the tap and goes to the thank-you page.
	open(t, ctx, form, 200)
	if s := kioskStatus(t, ctx); s != "" {
		t.Fatalf("a tablet with nothing kept shows %q", s)
	}
	sid := sidOf()
	follow(t, ctx, "tap 5 online", 200, chromedp.Click(chromedp.CSS(`.tap button[value="5"]`)))
	if loc := location(t, ctx); !strings.Contains(loc, "/thanks?kiosk="+key) {
		t.Fatalf("after an online tap the tablet is at %s, want the kiosk's thank-you page", loc)
	}
	if h := text(t, ctx, "h1"); h != "Cảm ơn Ông/Bà!" {
		t.Fatalf("after an online tap: heading %q, want the thank-you page", h)
	}
	if n := rows(sid); n != 1 {
		t.Fatalf("online tap: %d rows for %s, want 1", n, sid)
	}

	// The thank-you page returns to a fresh form; then the Wi-Fi drops.
	// The first rating is tapped while the tablet still believes it is
	// online (its post fails), the others once it knows.
	open(t, ctx, form, 200)
	setOffline(t, ctx, true, false)
	var typed []string
	values := []string{"4", "2", "5"}
	for i, v := range values {
		if i == 1 {
			setOffline(t, ctx, true, true)
		}
		sid := sidOf()
		if !survey.ValidSubmissionID(sid) || (i > 0 && sid == typed[i-1]) {
			t.Fatalf("offline form %d: submission id %q, want a fresh valid one", i+1, sid)
		}
		typed = append(typed, sid)
		if i == 2 {
			do(t, ctx, "type a comment offline", chromedp.SendKeys(chromedp.CSS(`#comment`), "Chờ lâu vì mất mạng"))
		}
		do(t, ctx, "tap "+v+" offline", chromedp.Click(chromedp.CSS(`.tap button[value="`+v+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#kiosk-saved`)))
		if s := text(t, ctx, "#kiosk-saved"); !strings.Contains(s, "Cảm ơn Ông/Bà!") || !strings.Contains(s, "Phiếu đã được lưu tạm") {
			t.Errorf("offline thank-you %d: %q", i+1, s)
		}
		waitStatus(t, ctx, fmt.Sprintf("offline rating %d", i+1), fmt.Sprintf("Đang lưu tạm %d phiếu, sẽ gửi khi có mạng.", i+1))
		if i == 0 {
			e.checkAxe(t, ctx, "kiosk thank-you offline")
			e.screenshot(t, ctx, "kiosk-offline-thanks")
		}
		// The fresh form comes back by itself, with a new id.
		do(t, ctx, "wait for the fresh form", chromedp.WaitVisible(chromedp.CSS(`form .tap`)))
		if got := run(t, ctx, "checked after reset", chromedp.Evaluate[int](`document.querySelectorAll("form input:checked").length + document.getElementById("comment").value.length`)); got != 0 {
			t.Errorf("the fresh form after offline rating %d keeps answers", i+1)
		}
	}
	if loc := location(t, ctx); !strings.HasPrefix(loc, "/s/") || strings.Contains(loc, "/thanks") {
		t.Errorf("offline the tablet left the form: at %s", loc)
	}
	e.checkAxe(t, ctx, "kiosk form with ratings kept")
	e.screenshot(t, ctx, "kiosk-offline-form")
	kept := run(t, ctx, "read the queue", chromedp.Evaluate[[]string](`JSON.parse(localStorage.getItem("sipas.kiosk.queue.v1")).map(x => x.id)`))
	if strings.Join(kept, ",") != strings.Join(typed, ",") {
		t.Fatalf("the tablet keeps %v, want %v", kept, typed)
	}
	for _, sid := range typed {
		if n := rows(sid); n != 0 {
			t.Fatalf("offline: %s already in the database", sid)
		}
	}

	// The connection returns: everything kept is sent, once.
	setOffline(t, ctx, false, true)
	waitStatus(t, ctx, "back online", "")
	for i, sid := range typed {
		var answers []byte
		var channel, comment string
		if err := e.p.RO.QueryRowContext(t.Context(), `SELECT answers, channel, comment FROM responses WHERE submission_id = ?`, sid).Scan(&answers, &channel, &comment); err != nil {
			t.Fatalf("rating %d (%s) typed offline is not stored: %v", i+1, sid, err)
		}
		wantComment := ""
		if i == 2 {
			wantComment = "Chờ lâu vì mất mạng"
		}
		if n := rows(sid); n != 1 || !bytes.Equal(answers, []byte{values[i][0] - '0'}) || channel != "kiosk" || comment != wantComment {
			t.Errorf("rating %d: %d rows, answers %v, channel %q, comment %q; want 1 row, [%s], kiosk, %q", i+1, n, answers, channel, comment, values[i], wantComment)
		}
	}
	if q := run(t, ctx, "queue after sending", chromedp.Evaluate[string](`localStorage.getItem("sipas.kiosk.queue.v1")`)); q != "[]" {
		t.Errorf("after sending the queue is %s, want []", q)
	}

	// A kept entry sent again (another tab sent it, or the answer was lost
	// on the way back): the server answers as stored, and it stays one row.
	run(t, ctx, "queue a sent rating again", chromedp.Evaluate[bool](fmt.Sprintf(`localStorage.setItem("sipas.kiosk.queue.v1", JSON.stringify([
		{url: document.querySelector("form").action, body: new URLSearchParams({submission_id: %q, lang: "vi", kiosk: %q, website: "", comment: "", OV: "4"}).toString(), id: %q, t: Date.now()}]));
		window.dispatchEvent(new Event("online")); true`, typed[0], key, typed[0])))
	waitStatus(t, ctx, "resend of a stored rating", "")
	if n := rows(typed[0]); n != 1 {
		t.Fatalf("a rating sent twice: %d rows, want 1", n)
	}
	if d := run(t, ctx, "dead count", chromedp.Evaluate[string](`String(localStorage.getItem("sipas.kiosk.dead.v1"))`)); d != "null" {
		t.Errorf("the resend was counted as not sent (%s)", d)
	}

	// What the server can never store (a code it does not know) and what
	// was kept too long (over 72 h) are dropped, not retried, and counted
	// on the screen; the old one is not sent.
	old := "kioskOldEntry0000000001"
	run(t, ctx, "queue an entry the server refuses and an old one", chromedp.Evaluate[bool](fmt.Sprintf(`localStorage.setItem("sipas.kiosk.queue.v1", JSON.stringify([
		{url: location.origin + "/s/not-a-token?kiosk=1", body: "submission_id=kioskBadToken00000001&OV=4&kiosk=1", id: "kioskBadToken00000001", t: Date.now()},
		{url: document.querySelector("form").action, body: new URLSearchParams({submission_id: %q, lang: "vi", kiosk: %q, OV: "4"}).toString(), id: %q, t: Date.now() - 73*3600*1000}]));
		window.dispatchEvent(new Event("online")); true`, old, key, old)))
	waitStatus(t, ctx, "entries that cannot be sent", "2 phiếu lưu tạm không gửi được.")
	if n := rows(old); n != 0 {
		t.Errorf("an entry kept over 72 h was sent")
	}
	run(t, ctx, "clear the count", chromedp.Evaluate[bool](`localStorage.removeItem("sipas.kiosk.dead.v1"); true`))

	// English.
	open(t, ctx, form+"&lang=en", 200)
	setOffline(t, ctx, true, true)
	sid = sidOf()
	do(t, ctx, "tap offline in English", chromedp.Click(chromedp.CSS(`.tap button[value="3"]`)), chromedp.WaitVisible(chromedp.CSS(`#kiosk-saved`)))
	waitStatus(t, ctx, "English", "1 rating kept on this tablet, to be sent when the connection is back.")
	setOffline(t, ctx, false, true)
	waitStatus(t, ctx, "English, back online", "")
	if n := rows(sid); n != 1 {
		t.Fatalf("English rating typed offline: %d rows, want 1", n)
	}

	// A Wi-Fi that takes the post and answers nothing for long (the
	// server may well store it meanwhile): after 10 s the rating is kept,
	// and its resend is answered "stored", still one rating.
	open(t, ctx, form, 200)
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Latency: 15000, DownloadThroughput: -1, UploadThroughput: -1}}}); err != nil {
		t.Fatalf("emulate a slow network: %v", err)
	}
	sid = sidOf()
	do(t, ctx, "tap on a network that does not answer", chromedp.Click(chromedp.CSS(`.tap button[value="1"]`)), chromedp.WaitVisible(chromedp.CSS(`#kiosk-saved`)))
	waitStatus(t, ctx, "no answer", "Đang lưu tạm 1 phiếu, sẽ gửi khi có mạng.")
	setOffline(t, ctx, false, true)
	run(t, ctx, "retry now", chromedp.Evaluate[bool](`window.dispatchEvent(new Event("online")); true`))
	waitStatus(t, ctx, "answers again", "")
	if n := rows(sid); n != 1 {
		t.Fatalf("a rating whose answer never came: %d rows, want 1", n)
	}

	// The full form offline with a criterion left out: marked as the
	// server's page would, and not kept (the server would refuse it);
	// answered, it is kept and sent.
	full := e.url + "/s/" + e.p.Token(t, "D2/Q1") + "?kiosk=1"
	open(t, ctx, full, 200)
	setOffline(t, ctx, true, true)
	sid = sidOf()
	first := run(t, ctx, "answer all but the first criterion", chromedp.Evaluate[string](`(() => {
		const fs = [...document.querySelectorAll("form fieldset[id^=q-]")];
		fs.slice(1).forEach(f => f.querySelector('input[value="4"]').click());
		return fs[0].id; })()`))
	do(t, ctx, "send with a criterion missing, offline", chromedp.Click(chromedp.CSS("button.submit")), chromedp.WaitVisible(chromedp.CSS("#errors")))
	if s := text(t, ctx, "#errors"); !strings.Contains(s, "Phiếu chưa gửi được.") || !strings.Contains(s, "Còn 1 câu chưa trả lời") {
		t.Errorf("offline, a criterion missing: the summary says %q", s)
	}
	if n := run(t, ctx, "marked criteria", chromedp.Evaluate[int](`document.querySelectorAll("fieldset.err").length`)); n != 1 || kioskStatus(t, ctx) != "" {
		t.Errorf("offline, a criterion missing: %d marked, status %q; want 1 marked, nothing kept", n, kioskStatus(t, ctx))
	}
	e.checkAxe(t, ctx, "kiosk form offline with a criterion missing")
	do(t, ctx, "answer it and send", chromedp.Click(chromedp.CSS(`#`+first+` label.opt:has(input[value="5"]) span`)), chromedp.Click(chromedp.CSS("button.submit")),
		chromedp.WaitVisible(chromedp.CSS(`#kiosk-saved`)))
	waitStatus(t, ctx, "the full form kept", "Đang lưu tạm 1 phiếu, sẽ gửi khi có mạng.")
	setOffline(t, ctx, false, true)
	waitStatus(t, ctx, "the full form sent", "")
	if n := e.p.Count(t, `SELECT count(*) FROM responses WHERE submission_id = ? AND length(answers) = 22`, sid); n != 1 {
		t.Fatalf("the full form typed offline: %d rows, want 1", n)
	}

	// A mistake typed online on the full form: the server's page, as
	// without the script, and nothing kept.
	open(t, ctx, full, 200)
	sid = sidOf()
	do(t, ctx, "answer one criterion", chromedp.Click(chromedp.CSS(`form fieldset[id^=q-] label.opt span`)))
	follow(t, ctx, "send with criteria missing", 422, chromedp.Click(chromedp.CSS("button.submit")))
	if s := text(t, ctx, "#errors"); !strings.Contains(s, "Phiếu chưa gửi được.") {
		t.Errorf("the kiosk form with a mistake shows %q", s)
	}
	if n := rows(sid); n != 0 || kioskStatus(t, ctx) != "" {
		t.Errorf("a form with a mistake: %d rows, status %q; want none kept", n, kioskStatus(t, ctx))
	}
}

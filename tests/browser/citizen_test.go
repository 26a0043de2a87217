package browser_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/survey"
)

// stored reads back the response stored under a submission id, straight
// from the SQLite file.
type stored struct {
	answers  []byte
	followup int
	channel  string
	counter  string
}

func (e *env) storedResponse(t *testing.T, submissionID string) (stored, bool) {
	t.Helper()
	var s stored
	err := e.p.RO.QueryRowContext(t.Context(), `SELECT r.answers, r.followup, r.channel, a.code || '/' || c.code
		FROM responses r JOIN counters c ON c.id = r.counter_id JOIN agencies a ON a.id = c.agency_id
		WHERE r.submission_id = ?`, submissionID).Scan(&s.answers, &s.followup, &s.channel, &s.counter)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false
	}
	if err != nil {
		t.Fatalf("read response %s: %v", submissionID, err)
	}
	return s, true
}

// checkedAnswers returns the value of every checked radio of the form shown,
// by item code.
func checkedAnswers(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	return run(t, ctx, "read checked answers", chromedp.Evaluate[map[string]string](`Object.fromEntries(
		[...document.querySelectorAll("form input[type=radio]:checked")].map(r => [r.name, r.value]))`))
}

// citizenJourney: a citizen on a phone opens a counter's survey from its QR
// code, answers the 22 criteria by tapping, forgets one, is told so in
// Vietnamese with the other answers kept, answers it, sends, and sees the
// thank-you page; the response is on disk. Then the one-tap quick survey.
func (e *env) citizenJourney(t *testing.T) {
	ctx := e.tab(t, phone, 60*time.Second)
	in := e.p.Instrument(t, "sipas-2017")
	token := e.p.Token(t, "D2/Q1")
	open(t, ctx, e.url+"/s/"+token, 200)
	if h := text(t, ctx, "h1"); h != in.Title.In("vi") {
		t.Fatalf("form heading %q, want %q", h, in.Title.In("vi"))
	}
	if got := run(t, ctx, "count items", chromedp.Evaluate[int](`document.querySelectorAll("form fieldset[id^=q-]").length`)); got != 22 {
		t.Fatalf("form shows %d criteria, want 22", got)
	}
	checkNoHorizontalScroll(t, ctx, phone, "survey form")
	e.checkAxe(t, ctx, "survey form")
	e.screenshot(t, ctx, "survey-form-390")

	// The answers a citizen gives: every level and "no opinion" once or
	// more; the last criterion is forgotten at first.
	want := map[string]string{}
	wantStored := make([]byte, len(in.Items))
	for k, it := range in.Items {
		v := fmt.Sprint(5 - k%5)
		wantStored[k] = byte(5 - k%5)
		if k == 3 {
			v, wantStored[k] = "na", survey.AnswerNA
		}
		want[it.Code] = v
	}
	forgotten := in.Items[len(in.Items)-1].Code
	tapAnswer := func(code, value string) {
		t.Helper()
		// The radio itself is visually hidden; a person taps its label.
		do(t, ctx, "tap "+code+"="+value, chromedp.Tap(chromedp.CSS(fmt.Sprintf(`#q-%s label.opt:has(input[value=%q]) span`, code, value))))
	}
	for _, it := range in.Items {
		if it.Code != forgotten {
			tapAnswer(it.Code, want[it.Code])
		}
	}
	partial := maps.Clone(want)
	delete(partial, forgotten)
	if got := checkedAnswers(t, ctx); !maps.Equal(got, partial) {
		t.Fatalf("after tapping, the form has %v checked, want %v", got, partial)
	}
	follow(t, ctx, "send with one criterion missing", 422, chromedp.Tap(chromedp.CSS("button.submit")))
	summary := text(t, ctx, "#errors")
	k, _ := in.ItemIndex(forgotten)
	for _, s := range []string{"Phiếu chưa gửi được.", "Còn 1 câu chưa trả lời", in.Items[k].VI} {
		if !strings.Contains(summary, s) {
			t.Errorf("error summary %q does not say %q", summary, s)
		}
	}
	if msg := text(t, ctx, "#q-"+forgotten+".err .msg"); msg != survey.MsgMissing {
		t.Errorf("message at %s: %q, want %q", forgotten, msg, survey.MsgMissing)
	}
	if got := checkedAnswers(t, ctx); !maps.Equal(got, partial) {
		t.Errorf("the form shown again lost answers: has %v checked, want %v", got, partial)
	}
	checkNoHorizontalScroll(t, ctx, phone, "survey form with an error")
	e.checkAxe(t, ctx, "survey form with an error")
	e.screenshot(t, ctx, "survey-form-error-390")

	// The summary links to the forgotten criterion; the citizen follows it.
	do(t, ctx, "tap the link to "+forgotten, chromedp.Tap(chromedp.CSS(`#errors a[href="#q-`+forgotten+`"]`)))
	if hash := run(t, ctx, "location hash", chromedp.Evaluate[string](`location.hash`)); hash != "#q-"+forgotten {
		t.Errorf("the summary link went to %q, want #q-%s", hash, forgotten)
	}
	tapAnswer(forgotten, want[forgotten])
	sid := run(t, ctx, "read submission id", chromedp.Value(chromedp.CSS(`input[name=submission_id]`)))
	follow(t, ctx, "send", 200, chromedp.Tap(chromedp.CSS("button.submit")))
	if h := text(t, ctx, "h1"); h != "Cảm ơn Ông/Bà!" {
		t.Fatalf("after sending: heading %q, want the thank-you page", h)
	}
	if loc := location(t, ctx); loc != "/s/"+token+"/thanks" {
		t.Errorf("thank-you page at %s, want /s/%s/thanks", loc, token)
	}
	checkNoHorizontalScroll(t, ctx, phone, "thank-you page")
	e.checkAxe(t, ctx, "thank-you page")
	e.screenshot(t, ctx, "thanks-390")

	got, ok := e.storedResponse(t, sid)
	if !ok {
		t.Fatalf("no response with submission id %s in SQLite after the thank-you page", sid)
	}
	if !bytes.Equal(got.answers, wantStored) || got.channel != "web" || got.counter != "D2/Q1" {
		t.Errorf("stored response: answers %v, channel %q, counter %s; want answers %v, channel web, counter D2/Q1",
			got.answers, got.channel, got.counter, wantStored)
	}

	t.Run("quick", func(t *testing.T) {
		token := e.p.Token(t, "D1/K1")
		open(t, ctx, e.url+"/s/"+token, 200)
		buttons := run(t, ctx, "quick buttons", chromedp.Evaluate[[]string](`[...document.querySelectorAll("form .tap button[type=submit]")].map(b => b.value)`))
		if !slices.Equal(buttons, []string{"5", "4", "3", "2", "1"}) {
			t.Fatalf("quick form buttons %v, want 5 4 3 2 1", buttons)
		}
		checkNoHorizontalScroll(t, ctx, phone, "quick form")
		e.checkAxe(t, ctx, "quick form")
		e.screenshot(t, ctx, "quick-form-390")
		sid := run(t, ctx, "read submission id", chromedp.Value(chromedp.CSS(`input[name=submission_id]`)))
		follow(t, ctx, "one tap on “Hài lòng”", 200, chromedp.Tap(chromedp.CSS(`.tap button[value="4"]`)))
		if h := text(t, ctx, "h1"); h != "Cảm ơn Ông/Bà!" {
			t.Fatalf("after one tap: heading %q, want the thank-you page", h)
		}
		got, ok := e.storedResponse(t, sid)
		if !ok {
			t.Fatalf("no response with submission id %s in SQLite after one tap", sid)
		}
		if !bytes.Equal(got.answers, []byte{4}) || got.counter != "D1/K1" {
			t.Errorf("stored quick response: answers %v, counter %s; want [4], D1/K1", got.answers, got.counter)
		}
		// The thank-you page offers the optional questions the tap went past.
		checkNoHorizontalScroll(t, ctx, phone, "quick thank-you page")
		e.checkAxe(t, ctx, "quick thank-you page with the optional questions")
		do(t, ctx, "answer the optional question", chromedp.Click(chromedp.CSS(`form.more input[name=trips][value="1"] + span`)))
		follow(t, ctx, "send the optional answer", 200, chromedp.Tap(chromedp.CSS(`form.more button.submit`)))
		if h := text(t, ctx, "h1"); h != "Cảm ơn Ông/Bà!" {
			t.Fatalf("after the optional answer: heading %q, want the thank-you page", h)
		}
		var fu int
		if err := e.p.RO.QueryRow(`SELECT followup FROM responses WHERE submission_id = ?`, sid).Scan(&fu); err != nil || fu != 2 {
			t.Errorf("stored follow-up %d (%v), want 2 (“1 lần”)", fu, err)
		}
	})
}

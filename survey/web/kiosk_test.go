package web_test

import (
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sipas/sipas/static"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

const kioskScript = `<script src="/static/kiosk.js" defer></script>`

// The kiosk form alone loads the kiosk script, under a policy that lets
// it run and post; every other page (the citizen's phone form first) has
// no script and keeps the server's policy, which has no script-src.
func TestKioskScriptOnlyOnKioskForms(t *testing.T) {
	e := webtest.New(t)
	base := e.Do(t, webtest.Request{URL: "/s/{D1/Q1}"}).Header().Get("Content-Security-Policy")
	if base == "" || strings.Contains(base, "script-src") || strings.Contains(base, "connect-src") {
		t.Fatalf("the server's policy %q names scripts or connections", base)
	}
	kioskCSP := base + "; script-src 'self'; connect-src 'self'"
	plain := []webtest.Request{
		{URL: "/s/{D1/Q1}"}, {URL: "/s/{D1/Q1}?lang=en"}, {URL: "/s/{D1/K1}"}, {URL: "/s/{D1/K1}?lang=en"},
		{URL: "/s/{D1/Q1}/thanks"}, {URL: "/s/{D1/Q1}/thanks?kiosk=1"}, {URL: "/login"}, {URL: "/s/{ROT}?kiosk=1"},
		// A mistake on the phone form: the form again, still without script.
		{Method: "POST", URL: "/s/{D1/Q1}", Body: webtest.SipasForm("4", map[string]string{"submission_id": sqlitetest.SubmissionID()}, "TC1")},
		// A kiosk parameter of the wrong shape is no kiosk.
		{URL: "/s/{D1/Q1}?kiosk=" + url.QueryEscape("<x>")},
	}
	for _, r := range plain {
		w := e.Do(t, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s: %d", r.Method, r.URL, w.Code)
		}
		if strings.Contains(w.Body.String(), "<script") {
			t.Errorf("%s %s: the page has a <script>", r.Method, r.URL)
		}
		if got := w.Header().Get("Content-Security-Policy"); got != base {
			t.Errorf("%s %s: policy %q, want the server's %q", r.Method, r.URL, got, base)
		}
	}
	kiosk := []struct {
		r    webtest.Request
		code int
		want string
	}{
		{webtest.Request{URL: "/s/{D1/Q1}?kiosk=1"}, 200, "Đang lưu tạm %d phiếu, sẽ gửi khi có mạng."},
		{webtest.Request{URL: "/s/{D1/Q1}?kiosk={KIOSK:D1/Q1}"}, 200, "Đang lưu tạm %d phiếu, sẽ gửi khi có mạng."},
		{webtest.Request{URL: "/s/{D1/K1}?kiosk=1&lang=en"}, 200, "%d ratings kept on this tablet, to be sent when the connection is back."},
		// A mistake typed on the tablet: the server's form again, with the script.
		{webtest.Request{Method: "POST", URL: "/s/{D1/Q1}?kiosk=1", Body: webtest.SipasForm("4", map[string]string{"kiosk": "1", "submission_id": sqlitetest.SubmissionID()}, "TC1")}, 422,
			"Phiếu chưa gửi được."},
	}
	for _, k := range kiosk {
		w := e.Do(t, k.r)
		page := w.Body.String()
		if w.Code != k.code {
			t.Fatalf("%s %s: %d, want %d", k.r.Method, k.r.URL, w.Code, k.code)
		}
		if strings.Count(page, "<script") != 1 || !strings.Contains(page, kioskScript) {
			t.Errorf("%s %s: the kiosk form does not load the kiosk script once", k.r.Method, k.r.URL)
		}
		for _, s := range []string{k.want, `id="kiosk-status" class="kstatus" role="status" aria-live="polite"`, `id="kiosk-saved" tabindex="-1" hidden`, `data-delay="8"`} {
			if !strings.Contains(page, s) {
				t.Errorf("%s %s: the kiosk form lacks %q", k.r.Method, k.r.URL, s)
			}
		}
		if got := w.Header().Get("Content-Security-Policy"); got != kioskCSP {
			t.Errorf("%s %s: policy %q, want %q", k.r.Method, k.r.URL, got, kioskCSP)
		}
		checkSecurityHeaders(t, k.r.URL, w)
	}
}

// The script is served from the binary as JavaScript, cached a day, and
// stays small.
func TestKioskScriptServed(t *testing.T) {
	e := webtest.New(t)
	w := e.Do(t, webtest.Request{URL: "/static/kiosk.js"})
	want, err := fs.ReadFile(static.Files, "kiosk.js")
	if err != nil {
		t.Fatal(err)
	}
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/javascript; charset=utf-8" || w.Header().Get("Cache-Control") != "public, max-age=86400" {
		t.Fatalf("kiosk.js: %d, type %q, cache %q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"))
	}
	if w.Body.String() != string(want) {
		t.Fatalf("kiosk.js: the body is not the embedded file")
	}
	gz := e.Do(t, webtest.Request{URL: "/static/kiosk.js", Header: map[string]string{"Accept-Encoding": "gzip"}})
	if gz.Header().Get("Content-Encoding") != "gzip" || gunzip(t, gz.Body.Bytes()) != string(want) {
		t.Fatalf("kiosk.js gzip: encoding %q", gz.Header().Get("Content-Encoding"))
	}
	if len(want) > 12<<10 || gz.Body.Len() > 4<<10 {
		t.Fatalf("kiosk.js is %d bytes, %d compressed; want a few KB", len(want), gz.Body.Len())
	}
	t.Logf("kiosk.js: %d bytes, %d gzip", len(want), gz.Body.Len())
}

// What the kiosk script resends is the form as the tablet typed it, with
// the submission id it had, or one it made itself while offline (16
// random bytes, base64url): every send of it answers as stored, and it is
// one rating.
func TestKioskResendIsStoredOnce(t *testing.T) {
	e := webtest.New(t)
	for _, sid := range []string{sqlitetest.SubmissionID(), "q8Zr1-k_Yx3vA0bC9dEf2g"} {
		body := webtest.SipasForm("4", map[string]string{"kiosk": e.KioskKey(t, "D1/Q1"), "comment": "Nhân viên tận tình", "submission_id": sid})
		for i := range 3 {
			w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/{D1/Q1}?kiosk={KIOSK:D1/Q1}", Body: body})
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != e.Replace("/s/{D1/Q1}/thanks?kiosk={KIOSK:D1/Q1}") {
				t.Fatalf("%s, send %d: %d to %q, want 303 to the kiosk's thank-you page", sid, i+1, w.Code, w.Header().Get("Location"))
			}
		}
		if n := e.Count(t, `SELECT count(*) FROM responses WHERE submission_id = '`+sid+`'`); n != 1 {
			t.Fatalf("%s sent three times: %d rows, want 1", sid, n)
		}
		if n := e.Count(t, `SELECT count(*) FROM responses WHERE submission_id = '`+sid+`' AND channel = 'kiosk'`); n != 1 {
			t.Fatalf("%s: not stored on the kiosk channel", sid)
		}
	}
	// An id the server would not issue (too short, other characters) is
	// refused like any form's: the script's entry is dropped, not retried.
	for _, sid := range []string{"short", "not+base64/url=="} {
		body := webtest.SipasForm("4", map[string]string{"kiosk": "1", "submission_id": sid})
		if w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/{D1/Q1}?kiosk=1", Body: body}); w.Code != http.StatusBadRequest {
			t.Fatalf("id %q: %d, want 400", sid, w.Code)
		}
	}
}

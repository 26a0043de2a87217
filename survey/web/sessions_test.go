package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestSessionExpiryAndNext(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	target := "/dashboard/agency/D1?" + q1
	// No session: to the sign-in page with next.
	w := b.Get(target)
	want := "/login?next=" + url.QueryEscape(target)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
		t.Fatalf("got %d %q, want 303 %q", w.Code, w.Header().Get("Location"), want)
	}
	b.Login("off")
	if w := b.Get(target); w.Code != http.StatusOK {
		t.Fatalf("signed in: got %d, want 200", w.Code)
	}
	// Used within the idle time, the session slides on.
	e.Advance(dashboard.SessionIdle - time.Hour)
	if w := b.Get(target); w.Code != http.StatusOK {
		t.Fatalf("within idle time: got %d, want 200", w.Code)
	}
	e.Advance(dashboard.SessionIdle + time.Minute)
	w = b.Get(target)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
		t.Fatalf("expired: got %d %q, want 303 %q", w.Code, w.Header().Get("Location"), want)
	}
	w = b.TryLogin("off", sqlitetest.Password, target)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != target {
		t.Fatalf("sign in again: got %d %q, want 303 %q", w.Code, w.Header().Get("Location"), target)
	}
	if w := b.Get(target); w.Code != http.StatusOK {
		t.Fatalf("back: got %d, want 200", w.Code)
	}
}

func TestSessionMaxAge(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	for used := time.Duration(0); used < dashboard.SessionMaxAge-dashboard.SessionIdle; used += dashboard.SessionIdle - time.Hour {
		e.Advance(dashboard.SessionIdle - time.Hour)
		if w := b.Get("/dashboard"); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/dashboard/") {
			t.Fatalf("after %v: got %d %q, want the overview", used, w.Code, w.Header().Get("Location"))
		}
	}
	e.Advance(dashboard.SessionIdle)
	if w := b.Get("/dashboard"); !strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("past the maximum age: got %d %q, want /login", w.Code, w.Header().Get("Location"))
	}
}

func TestLogoutAndPassword(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	other := e.Client(t)
	other.Login("off")

	tests := []struct {
		name             string
		current, nw, cfm string
		want             int
		msg              string
	}{
		{"wrong current", "nope-nope-nope", "new-password-1", "new-password-1", http.StatusBadRequest, dashboard.TextsIn("vi").PwWrong},
		{"mismatch", sqlitetest.Password, "new-password-1", "new-password-2", http.StatusBadRequest, dashboard.TextsIn("vi").PwMismatch},
		{"too short", sqlitetest.Password, "short", "short", http.StatusBadRequest, dashboard.TextsIn("vi").PwShort},
		{"ok", sqlitetest.Password, "new-password-1", "new-password-1", http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		w := b.Post("/account/password", url.Values{"current": {tt.current}, "new": {tt.nw}, "confirm": {tt.cfm}})
		if w.Code != tt.want {
			t.Fatalf("%s: got %d, want %d: %s", tt.name, w.Code, tt.want, w.Body)
		}
		if tt.msg != "" && !strings.Contains(w.Body.String(), tt.msg) {
			t.Fatalf("%s: page lacks %q", tt.name, tt.msg)
		}
	}
	// The other session is signed out; this one goes on.
	if w := other.Get("/dashboard"); !strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("other session: got %d %q, want /login", w.Code, w.Header().Get("Location"))
	}
	if w := b.Get("/dashboard"); w.Code != http.StatusSeeOther || strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("own session: got %d %q, want the overview", w.Code, w.Header().Get("Location"))
	}
	if w := e.Client(t).TryLogin("off", "new-password-1", ""); w.Code != http.StatusSeeOther {
		t.Fatalf("new password: got %d, want 303", w.Code)
	}
	// Sign out: the session row goes and the cookie is cleared.
	before := e.Count(t, `SELECT count(*) FROM sessions`)
	if w := b.Post("/logout", nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" {
		t.Fatalf("logout: got %d %q", w.Code, w.Header().Get("Location"))
	}
	if after := e.Count(t, `SELECT count(*) FROM sessions`); after != before-1 {
		t.Fatalf("sessions after logout: got %d, want %d", after, before-1)
	}
	if _, ok := b.Jar["sipas_session"]; ok {
		t.Fatalf("session cookie kept after logout")
	}
}

func TestCSRF(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("admin")
	tests := []struct {
		name, path string
		form       url.Values
	}{
		{"create counter", "/dashboard/agency/D1/counters", url.Values{"code": {"N1"}, "name": {"Quầy mới"}, "instrument": {"sipas-2017"}}},
		{"rename counter", "/dashboard/agency/D1/counters/Q1", url.Values{"action": {"rename"}, "name": {"Đổi tên"}}},
		{"rotate", "/dashboard/agency/D1/counters/Q1", url.Values{"action": {"rotate"}}},
		{"password", "/account/password", url.Values{"current": {sqlitetest.Password}, "new": {"new-password-1"}, "confirm": {"new-password-1"}}},
		{"logout", "/logout", url.Values{}},
	}
	counters := e.Count(t, `SELECT count(*) FROM counters`)
	history := e.Count(t, `SELECT count(*) FROM history`)
	for _, tt := range tests {
		for _, tok := range []string{"", "forged-token", webtest.FormToken(t, e.Client(t).Get("/login").Body.String())} {
			f := url.Values{}
			for k, v := range tt.form {
				f[k] = v
			}
			if tok != "" {
				f.Set("csrf_token", tok)
			}
			if w := b.Do("POST", tt.path, f); w.Code != http.StatusForbidden {
				t.Fatalf("%s with token %q: got %d, want 403", tt.name, tok, w.Code)
			}
		}
	}
	if n := e.Count(t, `SELECT count(*) FROM counters`); n != counters {
		t.Fatalf("counters: got %d, want %d", n, counters)
	}
	if n := e.Count(t, `SELECT count(*) FROM history`); n != history {
		t.Fatalf("history: got %d, want %d", n, history)
	}
	if w := b.Get("/dashboard"); w.Code != http.StatusSeeOther || strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("still signed in: got %d %q", w.Code, w.Header().Get("Location"))
	}
	// The token of another session does not work either.
	other := e.Client(t)
	other.Login("admin")
	f := url.Values{"csrf_token": {other.Token}, "code": {"N1"}, "name": {"x"}}
	if w := b.Do("POST", "/dashboard/agency/D1/counters", f); w.Code != http.StatusForbidden {
		t.Fatalf("another session's token: got %d, want 403", w.Code)
	}
	// The sign-in form without its cookie is refused too.
	anon := e.Client(t)
	tok := webtest.FormToken(t, anon.Get("/login").Body.String())
	delete(anon.Jar, "sipas_csrf")
	if w := anon.Do("POST", "/login", url.Values{"name": {"admin"}, "password": {sqlitetest.Password}, "csrf_token": {tok}}); w.Code != http.StatusForbidden {
		t.Fatalf("login without csrf cookie: got %d, want 403", w.Code)
	}
}

// The CSRF token in a page is masked afresh for every render (pages are
// gzipped: a fixed secret beside reflected text is what BREACH recovers),
// and every masked copy validates. The same holds for the sign-in form's
// double-submit token.
func TestCSRFTokenMaskedPerPage(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("admin")
	var toks []string
	for _, path := range []string{"/account/password", "/account/password", "/dashboard/agency/D1?" + q1} {
		w := b.Get(path)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: got %d", path, w.Code)
		}
		toks = append(toks, webtest.FormToken(t, w.Body.String()))
	}
	if toks[0] == toks[1] || toks[1] == toks[2] || toks[0] == toks[2] {
		t.Fatalf("two renders carry the same token: %q", toks)
	}
	for i, tok := range toks {
		f := url.Values{"csrf_token": {tok}, "code": {fmt.Sprintf("N%d", i)}, "name": {"Quầy mới"}, "instrument": {"sipas-2017"}}
		if w := b.Do("POST", "/dashboard/agency/D1/counters", f); w.Code != http.StatusSeeOther {
			t.Fatalf("post with token %d: got %d, want 303: %.300s", i, w.Code, w.Body)
		}
	}
	if n := e.Count(t, `SELECT count(*) FROM counters WHERE code IN ('N0', 'N1', 'N2')`); n != 3 {
		t.Fatalf("got %d new counters, want 3", n)
	}

	anon := e.Client(t)
	t1 := webtest.FormToken(t, anon.Get("/login").Body.String())
	t2 := webtest.FormToken(t, anon.Get("/login").Body.String())
	if t1 == t2 {
		t.Fatalf("two sign-in forms carry the same token %q", t1)
	}
	// 401, not 403: both tokens pass the check, and the password is then
	// wrong.
	for _, tok := range []string{t1, t2} {
		if w := anon.Do("POST", "/login", url.Values{"name": {"admin"}, "password": {"wrong-password"}, "csrf_token": {tok}}); w.Code != http.StatusUnauthorized {
			t.Fatalf("sign-in with token %q: got %d, want 401", tok, w.Code)
		}
	}
	if w := anon.Do("POST", "/login", url.Values{"name": {"admin"}, "password": {sqlitetest.Password}, "csrf_token": {anon.Jar["sipas_csrf"]}}); w.Code != http.StatusForbidden {
		t.Fatalf("sign-in with the cookie's value unmasked: got %d, want 403", w.Code)
	}
}

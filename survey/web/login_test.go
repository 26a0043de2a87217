package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestLoginMessages(t *testing.T) {
	e := webtest.New(t)
	tests := []struct {
		name, user, password string
		want                 int
	}{
		{"ok", "off", sqlitetest.Password, http.StatusSeeOther},
		{"wrong password", "off", "not-the-password", http.StatusUnauthorized},
		{"unknown user", "nobody", sqlitetest.Password, http.StatusUnauthorized},
		{"empty", "", "", http.StatusUnauthorized},
	}
	var msgs []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.Client(t)
			w := b.TryLogin(tt.user, tt.password, "")
			if w.Code != tt.want {
				t.Fatalf("got %d, want %d: %s", w.Code, tt.want, w.Body)
			}
			if tt.want == http.StatusSeeOther {
				if loc := w.Header().Get("Location"); loc != "/dashboard" {
					t.Fatalf("Location: got %q, want /dashboard", loc)
				}
				ck := w.Result().Cookies()
				var found bool
				for _, c := range ck {
					if c.Name == "sipas_session" {
						found = true
						if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || !c.Secure {
							t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Secure (https base URL)", c)
						}
					}
				}
				if !found {
					t.Fatalf("no session cookie set")
				}
				return
			}
			body := w.Body.String()
			if !strings.Contains(body, dashboard.TextsIn("vi").BadLogin) {
				t.Fatalf("page lacks %q", dashboard.TextsIn("vi").BadLogin)
			}
			msgs = append(msgs, between(body, `id="login-error">`, "<"))
		})
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Fatalf("messages differ: got %q, want %q", m, msgs[0])
		}
	}
	if n := e.Count(t, `SELECT count(*) FROM sessions`); n != 1 {
		t.Fatalf("sessions: got %d, want 1", n)
	}
	var h []byte
	if err := e.RO.QueryRow(`SELECT token_hash FROM sessions`).Scan(&h); err != nil || len(h) != 32 {
		t.Fatalf("token hash: got %d bytes (%v), want a SHA-256", len(h), err)
	}
}

func TestLoginThrottle(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	for i := 0; i < survey.ThrottleFreeName+1; i++ {
		if w := b.TryLogin("off", "wrong-password", ""); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: got %d, want 401", i+1, w.Code)
		}
	}
	// Locked now: even the right password is refused, unchecked.
	w := b.TryLogin("off", sqlitetest.Password, "")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("locked attempt: got %d (Retry-After %q), want 429 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	// The lock is per name: another account from another client signs in.
	other := e.Client(t)
	other.Remote = "203.0.113.9:1000"
	if w := other.TryLogin("off2", sqlitetest.Password, ""); w.Code != http.StatusSeeOther {
		t.Fatalf("other user: got %d, want 303", w.Code)
	}
	// An unknown name is throttled the same way (no hint that it does not exist).
	other = e.Client(t)
	other.Remote = "203.0.113.9:1000"
	for i := 0; i < survey.ThrottleFreeName+1; i++ {
		other.TryLogin("ghost", "x", "")
	}
	if w := other.TryLogin("ghost", "x", ""); w.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown name: got %d, want 429", w.Code)
	}
	// The window doubles with each failure; after it, sign-in works.
	e.Advance(survey.ThrottleBase + time.Second)
	if w := b.TryLogin("off", sqlitetest.Password, ""); w.Code != http.StatusSeeOther {
		t.Fatalf("after the window: got %d, want 303", w.Code)
	}
}

// Someone failing on purpose at a name, however often, delays only their own
// client: the owner of the account signs in from another address, admin
// included, and a first wrong password there does not lock them either.
func TestLoginNotLockedFromAnotherClient(t *testing.T) {
	e := webtest.New(t)
	attacker := e.Client(t)
	attacker.Remote = "203.0.113.66:4000"
	var last int
	for range survey.ThrottleFreeClient + 5 {
		last = attacker.TryLogin("admin", "guess-guess", "").Code
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("attacker's last attempt: got %d, want 429", last)
	}
	if w := attacker.TryLogin("admin", sqlitetest.Password, ""); w.Code != http.StatusTooManyRequests {
		t.Fatalf("attacker with the right password: got %d, want 429 (their client is locked)", w.Code)
	}
	owner := e.Client(t) // another address
	if w := owner.TryLogin("admin", "typo-in-password", ""); w.Code != http.StatusUnauthorized {
		t.Fatalf("owner's typo: got %d, want 401", w.Code)
	}
	if w := owner.TryLogin("admin", sqlitetest.Password, ""); w.Code != http.StatusSeeOther {
		t.Fatalf("owner from another client: got %d, want 303: %.300s", w.Code, w.Body)
	}
}

// A sign-in is audited under the official's name; failures only as a count
// per minute and channel, with nothing of what was typed anywhere in the
// audit table.
func TestSignInAudit(t *testing.T) {
	e := webtest.New(t)
	const typedName, typedPassword = "Mk-lan-2026!", "mat-khau-go-nham"
	b := e.Client(t)
	b.Login("off")
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'signin' AND user_name = 'off' AND detail = 'dashboard'`); n != 1 {
		t.Fatalf("got %d signin rows for off, want 1", n)
	}
	for range 3 {
		if w := e.Client(t).TryLogin(typedName, typedPassword, ""); w.Code != http.StatusUnauthorized {
			t.Fatalf("failed sign-in: got %d, want 401", w.Code)
		}
	}
	for _, user := range []string{typedName, "off"} {
		if w := e.Do(t, webtest.Request{URL: "/api/v1/agencies", User: user, Password: typedPassword}); w.Code != http.StatusUnauthorized {
			t.Fatalf("Basic as %s: got %d, want 401", user, w.Code)
		}
	}
	if w := b.Post("/account/password", url.Values{"current": {typedPassword}, "new": {"new-password-1"}, "confirm": {"new-password-1"}}); w.Code != http.StatusBadRequest {
		t.Fatalf("wrong current password: got %d, want 400", w.Code)
	}
	// Read back through the API, as an admin would.
	w := e.Do(t, webtest.Request{URL: "/api/v1/audit?limit=10", User: "admin"})
	var entries []survey.AuditEntry
	decodeInto(t, w, &entries)
	got := map[string]int{}
	for _, en := range entries {
		if en.Action == survey.AuditSignInFailed {
			if en.User != survey.AuditAnonymous {
				t.Errorf("%+v: want user %s", en, survey.AuditAnonymous)
			}
			got[en.Detail] = en.Count
		}
	}
	want := map[string]int{"dashboard: 3 failed": 3, "basic: 2 failed": 2, "password: 1 failed": 1}
	if len(got) != len(want) {
		t.Fatalf("got failure entries %v, want %v", got, want)
	}
	for d, n := range want {
		if got[d] != n {
			t.Fatalf("got failure entries %v, want %v", got, want)
		}
	}
	// A later minute gets its own row.
	e.Advance(time.Minute)
	e.Client(t).TryLogin(typedName, typedPassword, "")
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'signin.failed' AND detail LIKE 'dashboard:%'`); n != 2 {
		t.Fatalf("got %d dashboard failure rows after a minute, want 2", n)
	}
	for _, s := range []string{typedName, strings.ToLower(typedName), typedPassword} {
		if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE instr(lower(user_name || action || detail || COALESCE(bucket, '')), lower(?)) > 0`, s); n != 0 {
			t.Fatalf("%q is in %d audit rows", s, n)
		}
	}
}

// The name typed at a failed sign-in is not logged: it often holds a
// password typed in the wrong field.
func TestFailedSignInNotLogged(t *testing.T) {
	e := webtest.New(t)
	const typed = "Mat-Khau-Bi-Mat-2026"
	if w := e.Client(t).TryLogin(typed, "x", ""); w.Code != http.StatusUnauthorized {
		t.Fatalf("got %d, want 401", w.Code)
	}
	if w := e.Do(t, webtest.Request{URL: "/api/v1/agencies", User: typed, Password: "x"}); w.Code != http.StatusUnauthorized {
		t.Fatalf("Basic: got %d, want 401", w.Code)
	}
	log := e.Log.String()
	if !strings.Contains(log, `"route":"/login"`) {
		t.Fatalf("the log was not captured: %s", log)
	}
	if strings.Contains(strings.ToLower(log), strings.ToLower(typed)) {
		t.Fatalf("the log holds the typed name: %s", log)
	}
}

// The session cookie outlives the browser only when "Ghi nhớ đăng nhập" is
// ticked; the box starts unticked, and the server-side expiry is the same
// either way.
func TestRememberMe(t *testing.T) {
	e := webtest.New(t)
	tests := []struct {
		name       string
		remember   string
		wantMaxAge int
	}{
		{"unticked", "", 0},
		{"ticked", "1", int(dashboard.SessionMaxAge / time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.Client(t)
			page := b.Get("/login").Body.String()
			box := between(page, `<input id="remember"`, ">")
			if !strings.Contains(box, `type="checkbox"`) || strings.Contains(box, "checked") || !strings.Contains(page, dashboard.TextsIn("vi").Remember) {
				t.Fatalf("sign-in form: want an unticked %q box, got %q", dashboard.TextsIn("vi").Remember, box)
			}
			f := url.Values{"name": {"off"}, "password": {sqlitetest.Password}, "csrf_token": {webtest.FormToken(t, page)}}
			if tt.remember != "" {
				f.Set("remember", tt.remember)
			}
			w := b.Do("POST", "/login", f)
			if w.Code != http.StatusSeeOther {
				t.Fatalf("sign-in: got %d, want 303", w.Code)
			}
			var raw string
			for _, h := range w.Header().Values("Set-Cookie") {
				if strings.HasPrefix(h, "sipas_session=") {
					raw = h
				}
			}
			ck, err := http.ParseSetCookie(raw)
			if err != nil {
				t.Fatalf("session cookie %q: %v", raw, err)
			}
			if ck.MaxAge != tt.wantMaxAge || (tt.wantMaxAge == 0 && (strings.Contains(raw, "Max-Age") || strings.Contains(raw, "Expires"))) {
				t.Fatalf("session cookie %q: want Max-Age %d", raw, tt.wantMaxAge)
			}
			var exp int64
			if err := e.RO.QueryRow(`SELECT expires_at FROM sessions ORDER BY id DESC LIMIT 1`).Scan(&exp); err != nil {
				t.Fatal(err)
			}
			if want := e.Now().Add(dashboard.SessionIdle).UnixMilli(); exp != want {
				t.Fatalf("session expires at %d, want %d (idle time, as always)", exp, want)
			}
		})
	}
	// A failed sign-in shows the form again with the box as it was.
	b := e.Client(t)
	page := b.Get("/login").Body.String()
	w := b.Do("POST", "/login", url.Values{"name": {"off"}, "password": {"wrong-password"}, "remember": {"1"}, "csrf_token": {webtest.FormToken(t, page)}})
	if w.Code != http.StatusUnauthorized || !strings.Contains(between(w.Body.String(), `<input id="remember"`, ">"), "checked") {
		t.Fatalf("failed sign-in: got %d, want 401 with the box still ticked", w.Code)
	}
}

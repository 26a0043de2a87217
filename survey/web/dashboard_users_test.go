package web_test

import (
	"crypto/sha256"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

// basicStatus calls the API with HTTP Basic credentials.
func basicStatus(t *testing.T, e *webtest.Env, user, password string) (int, string) {
	t.Helper()
	w := e.Do(t, webtest.Request{URL: "/api/v1/agencies", User: user, Password: password})
	return w.Code, w.Body.String()
}

// signedIn reports whether the browser's session still opens a dashboard page.
func signedIn(t *testing.T, b *webtest.Client) bool {
	t.Helper()
	w := b.Get("/account/password")
	if w.Code == http.StatusSeeOther && strings.HasPrefix(w.Header().Get("Location"), "/login") {
		return false
	}
	if w.Code != http.StatusOK {
		t.Fatalf("GET /account/password: got %d", w.Code)
	}
	return true
}

func TestDashUsersDisableEnable(t *testing.T) {
	e := webtest.New(t)
	admin, off := e.Client(t), e.Client(t)
	admin.Login("admin")
	off.Login("off")

	body := admin.Get("/account/password").Body.String()
	if !strings.Contains(body, `href="/dashboard/users"`) {
		t.Fatalf("the admin's nav lacks the accounts link")
	}
	if strings.Contains(off.Get("/account/password").Body.String(), `href="/dashboard/users"`) {
		t.Fatalf("an official's nav shows the accounts link")
	}
	body = admin.Get("/dashboard/users").Body.String()
	for _, name := range []string{"admin", "off", "off2"} {
		if got := cellText(t, row(t, body, "data-user", name), "status"); got != dashboard.TextsIn("vi").Active {
			t.Fatalf("%s: got status %q, want %q", name, got, dashboard.TextsIn("vi").Active)
		}
	}
	if code, _ := basicStatus(t, e, "off", sqlitetest.Password); code != http.StatusOK {
		t.Fatalf("off basic auth before disabling: got %d, want 200", code)
	}
	wrongCode, wrongBody := basicStatus(t, e, "off2", "not-the-password")

	w := admin.Post("/dashboard/users/off", url.Values{"action": {"disable"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard/users?msg=disabled" {
		t.Fatalf("disable: got %d %q, want 303 to /dashboard/users?msg=disabled", w.Code, w.Header().Get("Location"))
	}
	body = admin.Get(w.Header().Get("Location")).Body.String()
	if !strings.Contains(body, dashboard.TextsIn("vi").UserDisabled) || cellText(t, row(t, body, "data-user", "off"), "status") != dashboard.TextsIn("vi").DisabledStatus {
		t.Fatalf("the page does not show off as disabled")
	}
	code, msg := basicStatus(t, e, "off", sqlitetest.Password)
	if code != http.StatusUnauthorized || code != wrongCode || msg != wrongBody {
		t.Fatalf("disabled basic auth: got %d %q, want %d %q (as a wrong password)", code, msg, wrongCode, wrongBody)
	}
	if signedIn(t, off) {
		t.Fatalf("the disabled user's session still opens a dashboard page")
	}
	if w := off.TryLogin("off", sqlitetest.Password, ""); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), dashboard.TextsIn("vi").BadLogin) {
		t.Fatalf("disabled sign-in: got %d, want 401 with %q", w.Code, dashboard.TextsIn("vi").BadLogin)
	}
	if n := e.Count(t, `SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'off'`); n != 0 {
		t.Fatalf("got %d sessions of the disabled user, want 0", n)
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.update' AND user_name = 'admin' AND detail = 'off: disabled'`); n != 1 {
		t.Fatalf("got %d audit rows for the disable, want 1", n)
	}

	w = admin.Post("/dashboard/users/off", url.Values{"action": {"enable"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard/users?msg=enabled" {
		t.Fatalf("enable: got %d %q", w.Code, w.Header().Get("Location"))
	}
	if code, _ := basicStatus(t, e, "off", sqlitetest.Password); code != http.StatusOK {
		t.Fatalf("off basic auth after enabling: got %d, want 200", code)
	}
	off.Login("off")
	if !signedIn(t, off) {
		t.Fatalf("the enabled user cannot sign in again")
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.update' AND detail = 'off: enabled'`); n != 1 {
		t.Fatalf("got %d audit rows for the enable, want 1", n)
	}
}

func TestDashUsersCreateSetPassword(t *testing.T) {
	e := webtest.New(t)
	admin := e.Client(t)
	admin.Login("admin")

	w := admin.Post("/dashboard/users?lang=en", url.Values{"name": {"nam"}, "role": {"official"}, "agency": {"C1"}, "password": {"mat-khau-cua-nam"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard/users?lang=en&msg=created" {
		t.Fatalf("create: got %d %q: %.300s", w.Code, w.Header().Get("Location"), w.Body)
	}
	body := admin.Get(w.Header().Get("Location")).Body.String()
	if !strings.Contains(body, dashboard.TextsIn("en").UserCreated) || cellText(t, row(t, body, "data-user", "nam"), "agency") != "C1" {
		t.Fatalf("the new account is not listed in English")
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.create' AND detail = 'nam (official, C1)'`); n != 1 {
		t.Fatalf("got %d audit rows for the create, want 1", n)
	}
	nam := e.Client(t)
	if w := nam.TryLogin("nam", "mat-khau-cua-nam", ""); w.Code != http.StatusSeeOther {
		t.Fatalf("the new account cannot sign in: got %d", w.Code)
	}

	w = admin.Post("/dashboard/users/nam", url.Values{"action": {"set"}, "role": {"official"}, "agency": {"D2"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard/users?msg=updated" {
		t.Fatalf("set agency: got %d %q", w.Code, w.Header().Get("Location"))
	}
	w = admin.Post("/dashboard/users/off2", url.Values{"action": {"set"}, "role": {"admin"}, "agency": {""}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("promote: got %d: %.300s", w.Code, w.Body)
	}
	if n := e.Count(t, `SELECT count(*) FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.name = 'nam' AND a.code = 'D2' AND u.role = 'official'`); n != 1 {
		t.Fatalf("nam was not moved to D2")
	}
	if n := e.Count(t, `SELECT count(*) FROM users WHERE name = 'off2' AND role = 'admin' AND agency_id IS NULL`); n != 1 {
		t.Fatalf("off2 was not made an admin without agency")
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.update' AND detail = 'nam: agency C1 → D2'`); n != 1 {
		t.Fatalf("got %d audit rows for the move, want 1", n)
	}

	// A reset password ends the user's sessions; the old one stops working.
	if !signedIn(t, nam) {
		t.Fatalf("nam is not signed in before the reset")
	}
	w = admin.Post("/dashboard/users/nam", url.Values{"action": {"password"}, "password": {"mot-mat-khau-moi"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard/users?msg=password" {
		t.Fatalf("reset: got %d %q", w.Code, w.Header().Get("Location"))
	}
	if signedIn(t, nam) {
		t.Fatalf("nam's session survived the password reset")
	}
	if code, _ := basicStatus(t, e, "nam", "mat-khau-cua-nam"); code != http.StatusUnauthorized {
		t.Fatalf("old password: got %d, want 401", code)
	}
	if code, _ := basicStatus(t, e, "nam", "mot-mat-khau-moi"); code != http.StatusOK {
		t.Fatalf("new password: got %d, want 200", code)
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.password' AND detail = 'nam'`); n != 1 {
		t.Fatalf("got %d audit rows for the reset, want 1", n)
	}
	// Resetting one's own password keeps one's own session.
	if w := admin.Post("/dashboard/users/admin", url.Values{"action": {"password"}, "password": {"admin-moi-12345"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("own reset: got %d", w.Code)
	}
	if !signedIn(t, admin) {
		t.Fatalf("the admin was signed out by resetting their own password")
	}
}

func TestDashUsersBadInput(t *testing.T) {
	e := webtest.New(t)
	admin := e.Client(t)
	admin.Login("admin")
	const unchanged = `SELECT count(*) = 3 FROM users WHERE disabled_at IS NULL AND
		((name = 'admin' AND role = 'admin') OR (name = 'off' AND role = 'official') OR (name = 'off2' AND role = 'official'))`
	tests := []struct {
		name   string
		path   string
		form   url.Values
		want   int
		errMsg string
	}{
		{"short password", "/dashboard/users", url.Values{"name": {"nam"}, "role": {"official"}, "agency": {"D1"}, "password": {"short"}}, 400, dashboard.TextsIn("vi").PwShort},
		{"unknown agency", "/dashboard/users", url.Values{"name": {"nam"}, "role": {"official"}, "agency": {"NOPE"}, "password": {"long-enough-pw"}}, 404, "not found"},
		{"official without agency", "/dashboard/users", url.Values{"name": {"nam"}, "role": {"official"}, "password": {"long-enough-pw"}}, 400, "an official needs"},
		{"duplicate name", "/dashboard/users", url.Values{"name": {"off"}, "role": {"official"}, "agency": {"D1"}, "password": {"long-enough-pw"}}, 409, "already exists"},
		{"bad name", "/dashboard/users", url.Values{"name": {"bad name!"}, "role": {"official"}, "agency": {"D1"}, "password": {"long-enough-pw"}}, 400, "invalid user name"},
		{"bad role", "/dashboard/users/off", url.Values{"action": {"set"}, "role": {"boss"}, "agency": {"D1"}}, 400, "role must be"},
		{"set official without agency", "/dashboard/users/off", url.Values{"action": {"set"}, "role": {"official"}, "agency": {""}}, 400, "an official needs"},
		{"set unknown agency", "/dashboard/users/off", url.Values{"action": {"set"}, "role": {"official"}, "agency": {"NOPE"}}, 404, "not found"},
		{"disable self", "/dashboard/users/admin", url.Values{"action": {"disable"}}, 400, dashboard.TextsIn("vi").NotSelf},
		{"demote self", "/dashboard/users/admin", url.Values{"action": {"set"}, "role": {"official"}, "agency": {"D1"}}, 400, dashboard.TextsIn("vi").NotSelf},
		{"short reset", "/dashboard/users/off", url.Values{"action": {"password"}, "password": {"short"}}, 400, dashboard.TextsIn("vi").PwShort},
		{"unknown user", "/dashboard/users/nobody", url.Values{"action": {"disable"}}, 404, "user not found"},
		{"unknown action", "/dashboard/users/off", url.Values{"action": {"explode"}}, 400, "action must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			audits := e.Count(t, `SELECT count(*) FROM audit_log`)
			w := admin.Post(tt.path, tt.form)
			if w.Code != tt.want {
				t.Fatalf("got %d, want %d: %.300s", w.Code, tt.want, w.Body)
			}
			if b := w.Body.String(); !strings.Contains(b, tt.errMsg) || !strings.Contains(b, `id="form-error"`) || !strings.Contains(b, `id="user-create"`) {
				t.Fatalf("the accounts page does not show %q: %.500s", tt.errMsg, b)
			}
			if tt.name == "unknown agency" && !strings.Contains(w.Body.String(), `value="NOPE"`) {
				t.Fatalf("the form lost the admin's input")
			}
			if strings.Contains(w.Body.String(), "long-enough-pw") {
				t.Fatalf("the page echoes the password")
			}
			if e.Count(t, unchanged) != 1 || e.Count(t, `SELECT count(*) FROM users`) != 4 {
				t.Fatalf("the accounts changed")
			}
			if got := e.Count(t, `SELECT count(*) FROM audit_log`); got != audits {
				t.Fatalf("got %d audit rows, want %d", got, audits)
			}
		})
	}
	// off's password is still the old one after the refused reset.
	if code, _ := basicStatus(t, e, "off", sqlitetest.Password); code != http.StatusOK {
		t.Fatalf("off basic auth: got %d, want 200", code)
	}
}

func TestDashUsersAccess(t *testing.T) {
	e := webtest.New(t)
	off := e.Client(t)
	off.Login("off")
	admin := e.Client(t)
	admin.Login("admin")
	routes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/dashboard/users", nil},
		{"POST", "/dashboard/users", url.Values{"name": {"nam"}, "role": {"admin"}, "password": {"long-enough-pw"}}},
		{"POST", "/dashboard/users/off2", url.Values{"action": {"disable"}}},
		{"POST", "/dashboard/users/off", url.Values{"action": {"set"}, "role": {"admin"}, "agency": {""}}},
		{"POST", "/dashboard/users/off2", url.Values{"action": {"password"}, "password": {"long-enough-pw"}}},
	}
	const userAudits = `SELECT count(*) FROM audit_log WHERE action LIKE 'user.%'`
	audits := e.Count(t, userAudits)
	for _, r := range routes {
		var w interface{ Result() *http.Response }
		if r.method == "GET" {
			w = off.Get(r.path)
		} else {
			w = off.Post(r.path, r.form)
		}
		if got := w.Result().StatusCode; got != http.StatusForbidden {
			t.Errorf("official %s %s: got %d, want 403", r.method, r.path, got)
		}
		if r.method == "POST" {
			// An admin's form without the CSRF token is refused too.
			f := url.Values{}
			for k, v := range r.form {
				f[k] = v
			}
			if got := admin.Do("POST", r.path, f).Code; got != http.StatusForbidden {
				t.Errorf("admin %s %s without CSRF token: got %d, want 403", r.method, r.path, got)
			}
		}
	}
	if n := e.Count(t, `SELECT count(*) = 3 FROM users WHERE disabled_at IS NULL AND role = CASE name WHEN 'admin' THEN 'admin' ELSE 'official' END`); n != 1 {
		t.Fatalf("refused requests changed the accounts")
	}
	if n := e.Count(t, userAudits) - audits; n != 0 {
		t.Fatalf("got %d audit rows from refused requests, want 0", n)
	}
	if code, _ := basicStatus(t, e, "off2", sqlitetest.Password); code != http.StatusOK {
		t.Fatalf("off2's password changed: got %d", code)
	}
}

// TestDisabledSessionRefused: a session row of a disabled account (one
// created in a race with disabling) does not sign anyone in.
func TestDisabledSessionRefused(t *testing.T) {
	e := webtest.New(t)
	ctx := t.Context()
	off := true
	u, err := e.DB.UpdateUser(ctx, "off", survey.UserUpdate{Disabled: &off}, survey.Actor{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	now := e.Now()
	hash := sha256.Sum256([]byte("late-session-token")) // what the sessions table stores
	if _, err := e.DB.CreateSession(ctx, hash[:], u.ID, now, now.Add(dashboard.SessionIdle)); err != nil {
		t.Fatal(err)
	}
	b := e.Client(t)
	b.Jar["sipas_session"] = "late-session-token"
	if signedIn(t, b) {
		t.Fatalf("a disabled account's session opens the dashboard")
	}
}

// An account created on the dashboard is audited under the admin who
// created it, as GET /api/v1/audit shows it, not as "system".
func TestUserCreateAuditedByAdmin(t *testing.T) {
	e := webtest.New(t)
	admin := e.Client(t)
	admin.Login("admin")
	if w := admin.Post("/dashboard/users", url.Values{"name": {"hoa"}, "role": {"admin"}, "password": {"mat-khau-cua-hoa"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("create: got %d: %.300s", w.Code, w.Body)
	}
	w := e.Do(t, webtest.Request{URL: "/api/v1/audit?limit=5", User: "admin"})
	var entries []survey.AuditEntry
	decodeInto(t, w, &entries)
	for _, en := range entries {
		if en.Action == "user.create" {
			if en.User != "admin" || en.Detail != "hoa (admin)" {
				t.Fatalf("got %+v, want user.create of hoa by admin", en)
			}
			return
		}
	}
	t.Fatalf("no user.create entry in %+v", entries)
}

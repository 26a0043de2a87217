package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestDashNotifications(t *testing.T) {
	e := webtest.New(t)
	off := e.Client(t)
	off.Login("off")
	vi := dashboard.TextsIn("vi")

	page := off.Get("/account/notifications")
	if page.Code != http.StatusOK {
		t.Fatalf("GET: %d", page.Code)
	}
	body := page.Body.String()
	if !strings.Contains(body, `href="/account/notifications"`) || !strings.Contains(body, `name="email"`) || strings.Contains(body, " checked") {
		t.Fatalf("the page lacks its link or form, or has a box ticked:\n%s", body)
	}

	// Without the session's CSRF token the change is refused.
	if w := off.Do("POST", "/account/notifications", url.Values{"email": {"a@tuphap.tinh.gov.vn"}, "digest_weekly": {"1"}}); w.Code != http.StatusForbidden {
		t.Errorf("POST without the CSRF token: got %d, want 403", w.Code)
	}

	// A bad address: the form again, with what was typed and a Vietnamese
	// message; nothing stored.
	for _, bad := range []string{"không phải địa chỉ", "a@b", "Lan <lan@tuphap.tinh.gov.vn>", strings.Repeat("a", 250) + "@x.vn"} {
		w := off.Post("/account/notifications", url.Values{"email": {bad}, "digest_weekly": {"1"}})
		b := w.Body.String()
		if w.Code != http.StatusBadRequest || !strings.Contains(b, vi.MlBadEmail) || !strings.Contains(b, `aria-invalid="true"`) || !strings.Contains(b, `id="digest_weekly" name="digest_weekly" type="checkbox" value="1" checked`) {
			t.Errorf("bad address %q: got %d\n%s", bad, w.Code, b)
		}
	}
	w := off.Post("/account/notifications", url.Values{"email": {""}, "alert_mail": {"1"}})
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), vi.MlNeedEmail) {
		t.Errorf("alert mail without an address: got %d", w.Code)
	}
	if n := e.Count(t, `SELECT count(*) FROM users WHERE email != '' OR digest_weekly OR alert_mail`); n != 0 {
		t.Fatalf("refused forms stored %d users' mail settings", n)
	}

	w = off.Post("/account/notifications", url.Values{"email": {" can.bo@tuphap.tinh.gov.vn "}, "digest_weekly": {"1"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account/notifications?done=1" {
		t.Fatalf("save: got %d %q", w.Code, w.Header().Get("Location"))
	}
	u, err := e.DB.FindUser(context.Background(), "off")
	if err != nil || u.Email != "can.bo@tuphap.tinh.gov.vn" || !u.DigestWeekly || u.AlertMail {
		t.Fatalf("stored %+v, %v", u, err)
	}
	body = off.Get("/account/notifications?done=1").Body.String()
	if !strings.Contains(body, vi.MlSaved) || !strings.Contains(body, `value="can.bo@tuphap.tinh.gov.vn"`) || !strings.Contains(body, `name="digest_weekly" type="checkbox" value="1" checked`) {
		t.Errorf("after saving:\n%s", body)
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.update' AND user_name = 'off' AND detail = 'off: email none → can.bo@tuphap.tinh.gov.vn, weekly digest on'`); n != 1 {
		t.Errorf("audit rows: %d", n)
	}
	// English.
	if b := off.Get("/account/notifications?lang=en").Body.String(); !strings.Contains(b, dashboard.TextsIn("en").MlDigest) {
		t.Errorf("no English page")
	}
}

func TestDashUsersMail(t *testing.T) {
	e := webtest.New(t)
	admin := e.Client(t)
	admin.Login("admin")
	vi := dashboard.TextsIn("vi")
	w := admin.Post("/dashboard/users/off2", url.Values{"action": {"mail"}, "email": {"huyen@phongdien.gov.vn"}, "alert_mail": {"1"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("set mail: got %d\n%s", w.Code, w.Body.String())
	}
	u, err := e.DB.FindUser(context.Background(), "off2")
	if err != nil || u.Email != "huyen@phongdien.gov.vn" || u.DigestWeekly || !u.AlertMail {
		t.Fatalf("stored %+v, %v", u, err)
	}
	row := row(t, admin.Get("/dashboard/users").Body.String(), "data-user", "off2")
	if !strings.Contains(row, `value="huyen@phongdien.gov.vn"`) || !strings.Contains(row, `name="alert_mail" type="checkbox" value="1" checked`) {
		t.Errorf("the accounts page's row:\n%s", row)
	}
	w = admin.Post("/dashboard/users/off2", url.Values{"action": {"mail"}, "email": {"sai địa chỉ"}})
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), vi.MlBadEmail) {
		t.Errorf("bad address: got %d", w.Code)
	}
	if u, _ := e.DB.FindUser(context.Background(), "off2"); u.Email != "huyen@phongdien.gov.vn" {
		t.Errorf("a refused change stored %q", u.Email)
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'user.update' AND user_name = 'admin' AND detail LIKE 'off2: email none → huyen@phongdien.gov.vn, alert mail on'`); n != 1 {
		t.Errorf("audit rows: %d", n)
	}
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

// An admin publishes and withdraws an agency's public page from the
// agency page (a form with the CSRF token); an official sees whether it
// is public but has no button, and a forged post is refused.
func TestDashboardPublicToggle(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("admin")
	page := b.Get("/dashboard/agency/D1").Body.String()
	block := between(page, `id="public"`, "</section>")
	if !strings.Contains(block, "chưa được công khai") || !strings.Contains(block, `name="public" value="true"`) || !strings.Contains(block, `name="csrf_token" value="`) {
		t.Fatalf("block before publishing: %s", block)
	}
	w := b.Post("/dashboard/agency/D1/public", url.Values{"public": {"true"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard/agency/D1?msg=published#public" {
		t.Fatalf("publish: got %d to %q", w.Code, w.Header().Get("Location"))
	}
	if !e.Agency(t, "D1").Public {
		t.Fatal("D1 is not public after the admin published it")
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'agency.update' AND detail = 'D1' AND user_name = 'admin'`); n != 1 {
		t.Fatalf("got %d audit entries, want 1", n)
	}
	page = b.Get("/dashboard/agency/D1?msg=published").Body.String()
	block = between(page, `id="public"`, "</section>")
	if !strings.Contains(page, "Đã công khai kết quả của đơn vị.") || !strings.Contains(block, `<a href="/p/D1">/p/D1</a>`) || !strings.Contains(block, `name="public" value="false"`) {
		t.Fatalf("block after publishing: %s", block)
	}
	if w := e.Do(t, webtest.Request{URL: "/p/D1"}); w.Code != 200 {
		t.Fatalf("/p/D1 after publishing: got %d", w.Code)
	}
	// Without the CSRF token: refused, nothing changes.
	if w := b.Do("POST", "/dashboard/agency/D1/public", url.Values{"public": {"false"}}); w.Code != http.StatusForbidden || !e.Agency(t, "D1").Public {
		t.Fatalf("post without CSRF: got %d", w.Code)
	}
	if w := b.Post("/dashboard/agency/D1/public", url.Values{"public": {"maybe"}}); w.Code != http.StatusBadRequest || !e.Agency(t, "D1").Public {
		t.Fatalf("bad value: got %d", w.Code)
	}
	if w := b.Post("/dashboard/agency/NOPE/public", url.Values{"public": {"true"}}); w.Code != http.StatusNotFound {
		t.Fatalf("unknown agency: got %d", w.Code)
	}
	if w := b.Post("/dashboard/agency/D1/public?lang=en", url.Values{"public": {"false"}}); w.Code != http.StatusSeeOther || e.Agency(t, "D1").Public {
		t.Fatalf("withdraw: got %d", w.Code)
	}
	if w := e.Do(t, webtest.Request{URL: "/p/D1"}); w.Code != 404 {
		t.Fatalf("/p/D1 after withdrawing: got %d", w.Code)
	}

	off := e.Client(t)
	off.Login("off")
	block = between(off.Get("/dashboard/agency/D1").Body.String(), `id="public"`, "</section>")
	if !strings.Contains(block, "chưa được công khai") || strings.Contains(block, "<form") {
		t.Fatalf("official's block: %s", block)
	}
	if w := off.Post("/dashboard/agency/D1/public", url.Values{"public": {"true"}}); w.Code != http.StatusForbidden || e.Agency(t, "D1").Public {
		t.Fatalf("official publishing: got %d", w.Code)
	}
}

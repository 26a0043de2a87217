package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDashboardAlerts: the alerts page lists the open and acknowledged
// alerts of the user's scope with their messages and links; the
// acknowledge button (POST with the CSRF token) records who acknowledged
// it, in the audit log, and shows it under the acknowledged ones; an alert
// outside the scope, an unknown one and a post without the token change
// nothing; the home page counts the open alerts.
func TestDashboardAlerts(t *testing.T) {
	e, as := alertEnv(t)
	c := e.Client(t)
	c.Login("off")

	home := c.Get("/dashboard")
	if home.Code != http.StatusOK || !strings.Contains(home.Body.String(), "Có 2 cảnh báo chưa xác nhận") || !strings.Contains(home.Body.String(), `href="/dashboard/alerts"`) {
		t.Fatalf("home: %d %s", home.Code, home.Body)
	}

	page := c.Get("/dashboard/alerts")
	body := page.Body.String()
	if page.Code != http.StatusOK {
		t.Fatalf("alerts page: %d %s", page.Code, body)
	}
	for _, want := range []string{
		fmt.Sprintf(`data-alert="%d" data-kind="index.drop"`, as["D1"].ID),
		fmt.Sprintf(`data-alert="%d" data-kind="task.overdue"`, as["C1"].ID),
		"Cảnh báo index.drop tại D1", "Chỉ số giảm", "Nhiệm vụ quá hạn", "03/2026", "31/03/2026",
		`href="/dashboard/agency/D1"`, fmt.Sprintf(`action="/dashboard/alerts/%d/ack"`, as["D1"].ID),
		"Chưa có cảnh báo nào được xác nhận.", `href="/dashboard/alerts"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("alerts page lacks %q", want)
		}
	}
	for _, not := range []string{"tại D2", "tại P"} {
		if strings.Contains(body, not) {
			t.Errorf("alerts page of off shows %q, outside the scope", not)
		}
	}
	if got := c.Get("/dashboard/alerts?kind=task.overdue").Body.String(); strings.Contains(got, "tại D1") || !strings.Contains(got, "tại C1") {
		t.Errorf("kind filter: %s", got)
	}

	ack := func(id int64) string { return fmt.Sprintf("/dashboard/alerts/%d/ack", id) }
	audits := func() int { return e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'alert.ack'`) }
	if w := c.Do(http.MethodPost, ack(as["D1"].ID), url.Values{}); w.Code != http.StatusForbidden {
		t.Fatalf("ack without the CSRF token: %d", w.Code)
	}
	for _, id := range []int64{as["D2"].ID, as["P"].ID, 99999} {
		if w := c.Post(ack(id), nil); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "Không tìm thấy cảnh báo này") {
			t.Fatalf("ack %d outside the scope: %d %s", id, w.Code, w.Body)
		}
	}
	if w := c.Post("/dashboard/alerts/abc/ack", nil); w.Code != http.StatusNotFound {
		t.Fatalf("ack abc: %d", w.Code)
	}
	if n := audits(); n != 0 {
		t.Fatalf("refused acknowledgements audited: %d", n)
	}

	w := c.Post(ack(as["D1"].ID)+"?kind=index.drop", nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != fmt.Sprintf("/dashboard/alerts?done=%d&kind=index.drop&msg=acked", as["D1"].ID) {
		t.Fatalf("ack: %d %q", w.Code, w.Header().Get("Location"))
	}
	a, err := e.DB.FindAlert(t.Context(), as["D1"].ID)
	if err != nil || a.AckedBy != "off" || a.AckedAt == nil {
		t.Fatalf("acknowledged alert: %+v %v", a, err)
	}
	if n := audits(); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
	after := c.Get(w.Header().Get("Location")).Body.String()
	if !strings.Contains(after, fmt.Sprintf("Đã xác nhận cảnh báo số %d.", as["D1"].ID)) || !strings.Contains(after, "off, ngày ") ||
		strings.Contains(after, fmt.Sprintf(`action="/dashboard/alerts/%d/ack`, as["D1"].ID)) {
		t.Fatalf("page after the ack: %s", after)
	}

	if w := c.Get("/dashboard/alerts?kind=bogus"); w.Code != http.StatusBadRequest {
		t.Fatalf("bad kind: %d", w.Code)
	}
	if w := c.Get("/dashboard/alerts?agency=D2"); w.Code != http.StatusForbidden {
		t.Fatalf("agency outside the scope: %d", w.Code)
	}
	if w := c.Get("/dashboard/alerts?agency=NOPE"); w.Code != http.StatusNotFound {
		t.Fatalf("unknown agency: %d", w.Code)
	}

	admin := e.Client(t)
	admin.Login("admin")
	en := admin.Get("/dashboard/alerts?lang=en").Body.String()
	for _, want := range []string{"Recently acknowledged", "tại D2", "tại P", `href="/dashboard/agency/D2?lang=en"`, `lang="vi"`} {
		if !strings.Contains(en, want) {
			t.Errorf("admin's English page lacks %q", want)
		}
	}
	if w := admin.Post(ack(as["D1"].ID), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("admin acks again: %d", w.Code)
	}
	if a, _ := e.DB.FindAlert(t.Context(), as["D1"].ID); a.AckedBy != "off" || audits() != 1 {
		t.Fatalf("a second acknowledgement replaced the first: %+v", a)
	}
}

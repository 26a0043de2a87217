package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/webtest"
	"github.com/sipas/sipas/survey/webhook"
)

// TestDashboardWebhooks: the admins' page lists each webhook (its secret
// only as a hint) with its deliveries' status, attempts, last answer and
// error; officials may not see it.
func TestDashboardWebhooks(t *testing.T) {
	e := webtest.New(t)
	ctx := t.Context()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	w := &survey.Webhook{URL: down.URL + "/in", Events: []string{survey.EventResponseCreated}, Secret: goodSecret}
	if err := e.DB.CreateWebhook(ctx, w, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.StoreResponse(ctx, e.Submission(t, "D1/Q1", 4, time.Time{})); err != nil {
		t.Fatal(err)
	}
	d := &webhook.Dispatcher{Store: e.DB, Builder: &webhook.Builder{Instruments: e.Instruments, Now: time.Now},
		Client: webhook.NewClient(5*time.Second, true), Schedule: webhook.DefaultSchedule, Now: time.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := d.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	ds, err := e.DB.ListWebhookDeliveries(ctx, w.ID, 0)
	if err != nil || len(ds) != 1 {
		t.Fatalf("%d deliveries (%v)", len(ds), err)
	}
	// Fresh servers: the empty page, and officials kept out.
	webtest.Run(t, []webtest.Scenario{
		{Name: "admin", Session: "admin", URL: "/dashboard/webhooks", WantStatus: http.StatusOK, WantContains: []string{"Chưa có webhook nào."}},
		{Name: "official", Session: "off", URL: "/dashboard/webhooks", WantStatus: http.StatusForbidden},
	})
	c := e.Client(t)
	c.Login("admin")
	page := c.Get("/dashboard/webhooks").Body.String()
	for _, want := range []string{down.URL + "/in", "response.created", "Đang hoạt động", "…cret", ds[0].ID, "Đang chờ",
		"HTTP 503 Service Unavailable", "thử lại lúc", `class="attempts">1<`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, goodSecret) {
		t.Error("page shows the secret")
	}
	en := c.Get("/dashboard/webhooks?lang=en").Body.String()
	if !strings.Contains(en, "Pending") || !strings.Contains(en, "Recent deliveries") {
		t.Errorf("English page: %.300s", en)
	}
}

// TestDashboardWebhookForm: an admin adds a webhook with the page's form
// (a refused one shows the form again with the field to fix and the URL
// typed, never the secret, and stores nothing) and disables it; a form
// without the CSRF token is refused.
func TestDashboardWebhookForm(t *testing.T) {
	e := webtest.New(t)
	c := e.Client(t)
	c.Login("admin")
	for _, tc := range []struct {
		name, url, secret, want string
		events                  []string
	}{
		{"loopback", "http://127.0.0.1:8080/in", goodSecret, "Địa chỉ không hợp lệ", []string{"response.created"}},
		{"ftp", "ftp://93.184.216.34/in", goodSecret, "Địa chỉ không hợp lệ", []string{"response.created"}},
		{"no events", "https://93.184.216.34/in", goodSecret, "Hãy chọn ít nhất một sự kiện.", nil},
		{"unknown event", "https://93.184.216.34/in", goodSecret, "Hãy chọn ít nhất một sự kiện.", []string{"response.deleted"}},
		{"short secret", "https://93.184.216.34/in", "short", "Khóa bí mật cần từ 16 đến 256 ký tự.", []string{"task.overdue"}},
	} {
		w := c.Post("/dashboard/webhooks", url.Values{"url": {tc.url}, "events": tc.events, "secret": {tc.secret}})
		body := w.Body.String()
		if w.Code != http.StatusBadRequest || !strings.Contains(body, tc.want) || !strings.Contains(body, `value="`+tc.url+`"`) || strings.Contains(body, tc.secret) {
			t.Errorf("%s: %d, want 400 with %q and the URL typed, without the secret: %.2000s", tc.name, w.Code, tc.want, body)
		}
	}
	noWebhooks(t, e, nil)
	w := c.Do(http.MethodPost, "/dashboard/webhooks", url.Values{"url": {"https://93.184.216.34/in"}, "events": {"alert.created"}, "secret": {goodSecret}})
	if w.Code != http.StatusForbidden {
		t.Errorf("without CSRF token: %d, want 403", w.Code)
	}
	noWebhooks(t, e, nil)
	w = c.Post("/dashboard/webhooks", url.Values{"url": {"https://93.184.216.34/in"}, "events": {"alert.created", "task.overdue"}, "secret": {goodSecret}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard/webhooks?msg=created" {
		t.Fatalf("create: %d %s", w.Code, w.Header().Get("Location"))
	}
	ws, err := e.DB.ListWebhooks(t.Context())
	if err != nil || len(ws) != 1 || ws[0].Secret != goodSecret || strings.Join(ws[0].Events, ",") != "alert.created,task.overdue" || ws[0].CreatedBy != "admin" {
		t.Fatalf("stored %+v (%v)", ws, err)
	}
	page := c.Get("/dashboard/webhooks?msg=created").Body.String()
	if !strings.Contains(page, "Đã thêm webhook.") || !strings.Contains(page, "/dashboard/webhooks/"+strconv.FormatInt(ws[0].ID, 10)+"/disable") {
		t.Errorf("page after creation: %.3000s", page)
	}
	if w := c.Post("/dashboard/webhooks/999/disable", nil); w.Code != http.StatusNotFound {
		t.Errorf("disable unknown: %d, want 404", w.Code)
	}
	w = c.Post("/dashboard/webhooks/"+strconv.FormatInt(ws[0].ID, 10)+"/disable", nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", w.Code, w.Body)
	}
	if h, _ := e.DB.FindWebhook(t.Context(), ws[0].ID); !h.Disabled {
		t.Error("not disabled")
	}
	page = c.Get("/dashboard/webhooks").Body.String()
	if !strings.Contains(page, "Đã tắt") || strings.Contains(page, "/disable") {
		t.Errorf("page after disabling still offers the button or lacks the state")
	}
}

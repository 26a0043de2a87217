package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

package sqlite_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// keyBody is a payload builder that names the event: the delivery id and
// the body are the event and its key.
func keyBody(_ *survey.Webhook, ev survey.WebhookEvent) (string, []byte, error) {
	id := ev.Event + "/" + ev.Key
	body, err := json.Marshal(map[string]string{"id": id})
	return id, body, err
}

// The queue: events after the cursor, each once; flagged ratings skipped
// but passed; an overdue task's alert as both alert events; due selection
// by time and order; attempts recorded until delivered or failed.
func TestWebhookQueue(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	w := &survey.Webhook{URL: "https://hooks.example.org/in", Events: survey.WebhookEvents, Secret: "0123456789abcdef"}
	if err := p.DB.CreateWebhook(ctx, w, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	if got, err := p.DB.FindWebhook(ctx, w.ID); err != nil || got.URL != w.URL || got.Secret != w.Secret || got.SecretHint != "…cdef" || len(got.Events) != 3 {
		t.Fatalf("found %+v (%v)", got, err)
	}
	first, err := p.DB.StoreResponse(ctx, p.Submission(t, "D1/Q1", 4, time.Time{}))
	if err != nil {
		t.Fatal(err)
	}
	flagged := p.Submission(t, "D1/Q1", 5, time.Time{})
	flagged.Flag = "honeypot"
	if _, err := p.DB.StoreResponse(ctx, flagged); err != nil {
		t.Fatal(err)
	}
	as, err := p.DB.AddAlerts(ctx, []*survey.Alert{
		{Kind: survey.AlertTaskOverdue, Agency: "D1", Key: "3", Period: "2026-11-30", Message: "Quá hạn"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{3, 0} {
		n, err := p.DB.EnqueueWebhookEvents(ctx, now, 0, keyBody)
		if err != nil || n != want {
			t.Fatalf("pass %d: queued %d (%v), want %d", i, n, err, want)
		}
	}
	due, err := p.DB.DueWebhookDeliveries(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range due {
		ids = append(ids, d.ID)
	}
	want := fmt.Sprintf("[response.created/response:%d alert.created/alert:%d task.overdue/alert:%d]", first.ResponseID, as[0].ID, as[0].ID)
	if fmt.Sprint(ids) != want {
		t.Fatalf("due %v, want %s", ids, want)
	}
	if string(due[0].Payload) != `{"id":"`+due[0].ID+`"}` || due[0].Secret != w.Secret || due[0].URL != w.URL {
		t.Fatalf("due delivery %+v", due[0])
	}
	// A failed attempt moves it to later; a delivered one leaves the queue.
	if err := p.DB.RecordWebhookAttempt(ctx, due[0].Seq, survey.WebhookAttempt{At: now, Status: 502, Error: "HTTP 502", Next: now.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := p.DB.RecordWebhookAttempt(ctx, due[1].Seq, survey.WebhookAttempt{At: now, Status: 200, Delivered: true}); err != nil {
		t.Fatal(err)
	}
	if err := p.DB.RecordWebhookAttempt(ctx, due[2].Seq, survey.WebhookAttempt{At: now, Error: "connection refused"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.DB.DueWebhookDeliveries(ctx, now.Add(59*time.Second), 10); len(got) != 0 {
		t.Errorf("%d due before the retry time", len(got))
	}
	if got, _ := p.DB.DueWebhookDeliveries(ctx, now.Add(time.Minute), 10); len(got) != 1 || got[0].Seq != due[0].Seq || got[0].Attempts != 1 {
		t.Errorf("due at the retry time: %+v", got)
	}
	log, err := p.DB.ListWebhookDeliveries(ctx, w.ID, 0)
	if err != nil || len(log) != 3 {
		t.Fatalf("log %d (%v)", len(log), err)
	}
	got := fmt.Sprintf("%s %d %d %q %v; %s %v; %s %q %v", log[2].Status, log[2].Attempts, log[2].LastStatus, log[2].LastError, log[2].NextAttemptAt != nil,
		log[1].Status, log[1].DeliveredAt != nil, log[0].Status, log[0].LastError, log[0].NextAttemptAt == nil)
	if want := `pending 1 502 "HTTP 502" true; delivered true; failed "connection refused" true`; got != want {
		t.Errorf("log: %s, want %s", got, want)
	}
	// Recording on a delivery that is no longer pending changes nothing.
	if err := p.DB.RecordWebhookAttempt(ctx, due[1].Seq, survey.WebhookAttempt{At: now, Error: "late"}); err != nil {
		t.Fatal(err)
	}
	if n := p.Count(t, `SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered' AND attempts = 1`); n != 1 {
		t.Errorf("a delivered delivery was changed")
	}
	if _, err := p.DB.FindWebhook(ctx, 999); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown webhook: %v", err)
	}
	if _, err := p.DB.DisableWebhook(ctx, 999, survey.Actor{Name: "admin"}); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("disable unknown webhook: %v", err)
	}
}

// One webhook's backlog does not hold up another's: the due list takes at
// most limit deliveries a webhook.
func TestWebhookDueByWebhook(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	now := time.Now()
	var hooks []*survey.Webhook
	for _, u := range []string{"https://a.example/", "https://b.example/"} {
		w := &survey.Webhook{URL: u, Events: []string{survey.EventResponseCreated}, Secret: "0123456789abcdef"}
		if err := p.DB.CreateWebhook(ctx, w, survey.Actor{Name: "admin"}); err != nil {
			t.Fatal(err)
		}
		hooks = append(hooks, w)
	}
	for v := uint8(1); v <= 4; v++ {
		if _, err := p.DB.StoreResponse(ctx, p.Submission(t, "D1/Q1", v, time.Time{})); err != nil {
			t.Fatal(err)
		}
	}
	build := func(w *survey.Webhook, ev survey.WebhookEvent) (string, []byte, error) {
		return fmt.Sprint(w.ID, "/", ev.Key), []byte(`{}`), nil
	}
	if n, err := p.DB.EnqueueWebhookEvents(ctx, now, 0, build); err != nil || n != 8 {
		t.Fatalf("queued %d (%v), want 8", n, err)
	}
	due, err := p.DB.DueWebhookDeliveries(ctx, now, 2)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range due {
		got = append(got, fmt.Sprint(d.WebhookID))
	}
	want := fmt.Sprint([]int64{hooks[0].ID, hooks[0].ID, hooks[1].ID, hooks[1].ID})
	if fmt.Sprint("[", strings.Join(got, " "), "]") != want {
		t.Fatalf("due by webhook %v, want %s", got, want)
	}
}

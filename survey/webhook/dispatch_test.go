package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/webhook"
)

const secret = "the-receivers-shared-secret"

// receiver is another system: it fails the first failures attempts of
// every delivery with 500, verifies signatures, and keeps what it accepted
// by delivery id.
type receiver struct {
	t        *testing.T
	failures int
	mu       sync.Mutex
	tries    map[string]int
	accepted map[string][]webhook.Body
	raw      [][]byte
}

func newReceiver(t *testing.T, failures int) (*receiver, *httptest.Server) {
	r := &receiver{t: t, failures: failures, tries: map[string]int{}, accepted: map[string][]webhook.Body{}}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if !webhook.Verify(secret, body, r.Header.Get(webhook.HeaderSignature)) {
		rc.t.Errorf("bad signature %q", r.Header.Get(webhook.HeaderSignature))
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var b webhook.Body
	if err := json.Unmarshal(body, &b); err != nil {
		rc.t.Errorf("body %s: %v", body, err)
	}
	id := r.Header.Get(webhook.HeaderDelivery)
	if id == "" || id != b.ID || r.Header.Get(webhook.HeaderEvent) != b.Event {
		rc.t.Errorf("headers %q %q do not match the body %s", id, r.Header.Get(webhook.HeaderEvent), body)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.tries[id]++
	if rc.tries[id] <= rc.failures {
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	rc.accepted[id] = append(rc.accepted[id], b)
	rc.raw = append(rc.raw, body)
	w.WriteHeader(http.StatusNoContent)
}

// clock is the dispatcher's time, moved by the test.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newDispatcher(db *sqlite.DB, reg *survey.Instruments, clk *clock) *webhook.Dispatcher {
	return &webhook.Dispatcher{
		Store:    db,
		Builder:  &webhook.Builder{Instruments: reg, BaseURL: "https://sipas.example.gov.vn", Now: clk.Now},
		Client:   webhook.NewClient(5*time.Second, true),
		Schedule: webhook.Schedule{First: time.Second, Max: 4 * time.Second, Window: 24 * time.Hour},
		Now:      clk.Now,
		Rand:     func() float64 { return 0.5 },
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func store(t *testing.T, db *sqlite.DB, s *survey.Submission) {
	t.Helper()
	if _, err := db.StoreResponse(t.Context(), s); err != nil {
		t.Fatal(err)
	}
}

func passes(t *testing.T, d *webhook.Dispatcher, clk *clock, n int) {
	t.Helper()
	for range n {
		if err := d.Pass(t.Context()); err != nil {
			t.Fatal(err)
		}
		clk.Add(5 * time.Second)
	}
}

// Every event reaches a receiver that fails the first two attempts of each,
// exactly once by delivery id, signed, in order of the ratings, across a
// restart of the dispatcher and the database in the middle.
func TestDeliveryAcrossRestart(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	rc, srv := newReceiver(t, 2)
	clk := &clock{now: time.Now().UTC()}

	store(t, p.DB, p.Submission(t, "D1/Q1", 1, time.Time{})) // before the webhook: not sent
	w, err := survey.ParseWebhook(survey.WebhookInput{URL: srv.URL + "/hook", Events: survey.WebhookEvents, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreateWebhook(ctx, w, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	var want []int // the answer values of the ratings to be sent, in order
	for v := uint8(1); v <= 3; v++ {
		s := p.Submission(t, "D1/Q1", v, time.Time{})
		s.Comment = "bí mật của công dân"
		store(t, p.DB, s)
		want = append(want, int(v))
	}
	flagged := p.Submission(t, "D1/Q1", 5, time.Time{})
	flagged.Flag = "rate"
	store(t, p.DB, flagged)
	if _, err := p.DB.AddAlerts(ctx, []*survey.Alert{
		{Kind: survey.AlertDrop, Agency: "D1", Key: "overall", Period: "2026-11", Message: "Chỉ số giảm", Link: "/dashboard/agency/D1"},
		{Kind: survey.AlertTaskOverdue, Agency: "D2", Key: "7", Period: "2026-11-30", Message: "Nhiệm vụ quá hạn", Link: "/dashboard/plans"},
	}); err != nil {
		t.Fatal(err)
	}

	d := newDispatcher(p.DB, p.Instruments, clk)
	passes(t, d, clk, 4)
	rc.mu.Lock()
	midway := len(rc.accepted)
	rc.mu.Unlock()
	if midway == 0 || midway >= 6 {
		t.Fatalf("%d deliveries accepted before the restart, want some but not all", midway)
	}

	// Restart: the database closes, the same file opens again with a new
	// dispatcher, and more ratings come (made before, as p's lookups use
	// the closed database).
	c := p.Counter(t, "D2/Q1")
	var after []*survey.Submission
	for _, v := range []uint8{4, 5} {
		s := p.Submission(t, "D1/Q1", v, time.Time{})
		s.CounterID, s.AgencyID = c.ID, c.AgencyID
		after = append(after, s)
		want = append(want, int(v))
	}
	p.Close(t)
	db, err := sqlite.Open(p.Path, p.Instruments, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range after {
		store(t, db, s)
	}
	d = newDispatcher(db, p.Instruments, clk)
	passes(t, d, clk, 40)

	ds, err := db.ListWebhookDeliveries(ctx, w.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 8 { // 5 ratings, 2 alerts, 1 overdue task
		t.Fatalf("%d deliveries queued, want 8", len(ds))
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	byEvent := map[string]int{}
	for _, dl := range ds {
		if dl.Status != survey.DeliveryDelivered || dl.Attempts != 3 || dl.LastStatus != http.StatusNoContent {
			t.Errorf("delivery %s: %s after %d attempts (last %d %q), want delivered after 3", dl.ID, dl.Status, dl.Attempts, dl.LastStatus, dl.LastError)
		}
		if n := len(rc.accepted[dl.ID]); n != 1 {
			t.Errorf("delivery %s (%s) accepted %d times, want once", dl.ID, dl.Event, n)
		}
		byEvent[dl.Event]++
	}
	if len(rc.accepted) != len(ds) {
		t.Errorf("receiver accepted %d delivery ids, want %d", len(rc.accepted), len(ds))
	}
	if byEvent[survey.EventResponseCreated] != 5 || byEvent[survey.EventAlertCreated] != 2 || byEvent[survey.EventTaskOverdue] != 1 {
		t.Errorf("events %v, want 5 response.created, 2 alert.created, 1 task.overdue", byEvent)
	}
	// The ratings arrived in the order they were given, each once.
	var got []int
	for _, raw := range rc.raw {
		var b struct {
			Event string
			Data  webhook.Rating
		}
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatal(err)
		}
		if b.Event != survey.EventResponseCreated {
			continue
		}
		values := map[int]bool{}
		for _, v := range b.Data.Answers {
			f, _ := v.(float64)
			values[int(f)] = true
		}
		if len(values) != 1 || b.Data.Instrument != "sipas-2017" || b.Data.Date == "" || b.Data.InstrumentVersion == 0 {
			t.Errorf("rating %+v", b.Data)
		}
		for v := range values {
			got = append(got, v)
		}
	}
	if !equal(got, want) {
		t.Errorf("ratings arrived as %v, want %v", got, want)
	}
	for _, raw := range rc.raw {
		for _, leak := range []string{"bí mật", "submission", "client", "dossier", "comment"} {
			if bytes.Contains(raw, []byte(leak)) {
				t.Errorf("body carries %q: %s", leak, raw)
			}
		}
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A receiver that never accepts: the delivery is tried for the window and
// then failed, with the last error kept; the body of an alert names its
// page with the base URL.
func TestDeliveryGivesUp(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	rc, srv := newReceiver(t, 1000)
	clk := &clock{now: time.Now().UTC()}
	w := &survey.Webhook{URL: srv.URL, Events: []string{survey.EventTaskOverdue}, Secret: secret}
	if err := p.DB.CreateWebhook(ctx, w, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DB.AddAlerts(ctx, []*survey.Alert{
		{Kind: survey.AlertDrop, Agency: "D1", Key: "overall", Period: "2026-11", Message: "Chỉ số giảm"},
		{Kind: survey.AlertTaskOverdue, Agency: "D2", Key: "7", Period: "2026-11-30", Message: "Nhiệm vụ quá hạn", Link: "/dashboard/plans"},
	}); err != nil {
		t.Fatal(err)
	}
	d := newDispatcher(p.DB, p.Instruments, clk)
	d.Schedule = webhook.Schedule{First: time.Hour, Max: 8 * time.Hour, Window: 24 * time.Hour}
	for range 10 {
		if err := d.Pass(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Add(8 * time.Hour)
	}
	ds, err := p.DB.ListWebhookDeliveries(ctx, w.ID, 0)
	if err != nil || len(ds) != 1 {
		t.Fatalf("%d deliveries (%v), want the overdue task's only", len(ds), err)
	}
	dl := ds[0]
	// Tried at 0, 8 h, 16 h and at the window's end (24 h).
	if dl.Status != survey.DeliveryFailed || dl.Attempts != 4 || dl.LastStatus != 500 || !strings.Contains(dl.LastError, "500") {
		t.Errorf("delivery: %s after %d attempts, last %d %q; want failed after 4, 500", dl.Status, dl.Attempts, dl.LastStatus, dl.LastError)
	}
	if dl.NextAttemptAt != nil {
		t.Errorf("failed delivery has a next attempt at %v", dl.NextAttemptAt)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var tries []int
	for _, n := range rc.tries {
		tries = append(tries, n)
	}
	sort.Ints(tries)
	if !equal(tries, []int{4}) {
		t.Errorf("receiver saw tries %v, want one delivery 4 times", tries)
	}
}

// A webhook created later gets no history, a disabled one gets nothing
// more, and queueing again queues nothing twice.
func TestEnqueueCursor(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	clk := &clock{now: time.Now().UTC()}
	b := &webhook.Builder{Instruments: p.Instruments, Now: clk.Now}
	early := &survey.Webhook{URL: "https://a.example/", Events: []string{survey.EventResponseCreated}, Secret: secret}
	if err := p.DB.CreateWebhook(ctx, early, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	store(t, p.DB, p.Submission(t, "D1/Q1", 4, time.Time{}))
	late := &survey.Webhook{URL: "https://b.example/", Events: []string{survey.EventResponseCreated, survey.EventAlertCreated}, Secret: secret}
	if err := p.DB.CreateWebhook(ctx, late, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := p.DB.EnqueueWebhookEvents(ctx, clk.Now(), 0, b.Build); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.Count(t, `SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?`, early.ID); n != 1 {
		t.Errorf("early webhook: %d deliveries, want 1", n)
	}
	if n := p.Count(t, `SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?`, late.ID); n != 0 {
		t.Errorf("late webhook: %d deliveries, want 0 (no history)", n)
	}
	if _, err := p.DB.DisableWebhook(ctx, early.ID, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	store(t, p.DB, p.Submission(t, "D1/Q1", 2, time.Time{}))
	n, err := p.DB.EnqueueWebhookEvents(ctx, clk.Now(), 0, b.Build)
	if err != nil || n != 1 {
		t.Fatalf("queued %d (%v), want 1 for the late webhook", n, err)
	}
	due, err := p.DB.DueWebhookDeliveries(ctx, clk.Now(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].WebhookID != late.ID || due[0].URL != late.URL || due[0].Secret != secret {
		t.Fatalf("due: %+v, want the late webhook's one (the disabled one's waits)", due)
	}
	if got, _ := p.DB.DueWebhookDeliveries(ctx, clk.Now().Add(-time.Minute), 100); len(got) != 0 {
		t.Errorf("%d due before they were queued", len(got))
	}
	if n := p.Count(t, `SELECT COUNT(*) FROM audit_log WHERE action IN ('webhook.create', 'webhook.disable')`); n != 3 {
		t.Errorf("%d audit entries, want 2 creations and 1 disabling", n)
	}
}

// A server stopped while a receiver is still answering records no attempt:
// the next start sends the same delivery again, under the same id, so the
// receiver that had taken it drops the repeat.
func TestStopMidDelivery(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	clk := &clock{now: time.Now().UTC()}
	var mu sync.Mutex
	var seen []string
	arrived := make(chan struct{}, 4)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get(webhook.HeaderDelivery))
		first := len(seen) == 1
		mu.Unlock()
		arrived <- struct{}{}
		if first {
			<-release // taken, but the answer comes too late
		}
	}))
	defer srv.Close()
	defer close(release)
	w := &survey.Webhook{URL: srv.URL, Events: []string{survey.EventResponseCreated}, Secret: secret}
	if err := p.DB.CreateWebhook(ctx, w, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	store(t, p.DB, p.Submission(t, "D1/Q1", 3, time.Time{}))

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		newDispatcher(p.DB, p.Instruments, clk).Run(runCtx, time.Hour)
	}()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the delivery did not arrive")
	}
	stop()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the dispatcher did not stop")
	}
	ds, err := p.DB.ListWebhookDeliveries(ctx, w.ID, 0)
	if err != nil || len(ds) != 1 || ds[0].Status != survey.DeliveryPending || ds[0].Attempts != 0 {
		t.Fatalf("after the stop: %+v (%v), want one pending delivery with no attempt recorded", ds, err)
	}
	if err := newDispatcher(p.DB, p.Instruments, clk).Pass(ctx); err != nil {
		t.Fatal(err)
	}
	ds, _ = p.DB.ListWebhookDeliveries(ctx, w.ID, 0)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0] != seen[1] || seen[0] != ds[0].ID || ds[0].Status != survey.DeliveryDelivered || ds[0].Attempts != 1 {
		t.Fatalf("receiver saw %v; delivery %+v: want the same id twice, then delivered after 1 attempt", seen, ds[0])
	}
}

// The log keeps what is done with for Keep, and what is pending however
// old.
func TestPrune(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := t.Context()
	clk := &clock{now: time.Now().UTC()}
	w := &survey.Webhook{URL: "https://hooks.example.org/", Events: []string{survey.EventResponseCreated}, Secret: secret}
	if err := p.DB.CreateWebhook(ctx, w, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	d := newDispatcher(p.DB, p.Instruments, clk)
	enqueue := func(n int) []*survey.WebhookDelivery {
		for range n {
			store(t, p.DB, p.Submission(t, "D1/Q1", 2, time.Time{}))
		}
		if _, err := p.DB.EnqueueWebhookEvents(ctx, clk.Now(), 0, d.Builder.Build); err != nil {
			t.Fatal(err)
		}
		due, err := p.DB.DueWebhookDeliveries(ctx, clk.Now(), 100)
		if err != nil {
			t.Fatal(err)
		}
		return due
	}
	old := enqueue(3) // delivered, failed, pending
	for i, a := range []survey.WebhookAttempt{{At: clk.Now(), Status: 200, Delivered: true}, {At: clk.Now(), Status: 410, Error: "HTTP 410"}} {
		if err := p.DB.RecordWebhookAttempt(ctx, old[i].Seq, a); err != nil {
			t.Fatal(err)
		}
	}
	clk.Add(31 * 24 * time.Hour)
	recent := enqueue(1)
	if err := p.DB.RecordWebhookAttempt(ctx, recent[len(recent)-1].Seq, survey.WebhookAttempt{At: clk.Now(), Status: 200, Delivered: true}); err != nil {
		t.Fatal(err)
	}
	if err := d.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	ds, err := p.DB.ListWebhookDeliveries(ctx, w.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, dl := range ds {
		got = append(got, dl.ID)
	}
	if want := []string{recent[len(recent)-1].ID, old[2].ID}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("log after pruning %v, want the recent one and the old pending one %v", got, want)
	}
}

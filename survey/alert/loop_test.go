package alert_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// failingAlerts is the real store whose first AddAlerts fails, to inject a
// failure of the check.
type failingAlerts struct {
	survey.AlertStore
	mu    sync.Mutex
	calls int
}

func (f *failingAlerts) AddAlerts(ctx context.Context, as []*survey.Alert) ([]*survey.Alert, error) {
	f.mu.Lock()
	f.calls++
	first := f.calls == 1
	f.mu.Unlock()
	if first {
		return nil, errors.New("disk full")
	}
	return f.AlertStore.AddAlerts(ctx, as)
}

// syncBuffer is a log safe for the loop's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestEvery: the loop logs a failed check and stores the alerts at the
// next tick, once, however many ticks follow; it returns when its context
// ends.
func TestEvery(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	pl := plan(t, p, "D1", 2026)
	task(t, p, pl, "Niêm yết thủ tục", "D1", "2026-03-31")
	ch := checker(p)
	ch.Alerts = &failingAlerts{AlertStore: p.DB}
	var log syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ch.Every(ctx, 20*time.Millisecond, func() time.Time { return checkNow }, slog.New(slog.NewTextHandler(&log, nil)))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(log.String(), "task.overdue=1") {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("no successful check within 10 s:\n%s", log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // a few more ticks
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the loop did not return after its context ended")
	}
	out := log.String()
	if !strings.Contains(out, "alert check") || !strings.Contains(out, "disk full") {
		t.Fatalf("the failed check is not logged:\n%s", out)
	}
	if n := strings.Count(out, "task.overdue=1"); n != 1 {
		t.Fatalf("alerted %d times:\n%s", n, out)
	}
	if n := p.Count(t, `SELECT count(*) FROM alerts`); n != 1 {
		t.Fatalf("%d alerts stored, want 1", n)
	}
}

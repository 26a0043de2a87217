package sqlite_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestRecordSignIn(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 15, 30, 0, time.UTC)
	p.DB.Now = func() time.Time { return at }
	if err := p.DB.RecordSignIn(ctx, survey.Actor{UserID: 2, Name: "off"}, survey.SignInDashboard); err != nil {
		t.Fatal(err)
	}
	es, err := p.DB.ListAudit(ctx, 0, 1)
	if err != nil || len(es) != 1 {
		t.Fatalf("audit: %v, %v", es, err)
	}
	if e := es[0]; e.User != "off" || e.Action != survey.AuditSignIn || e.Detail != survey.SignInDashboard || !e.At.Equal(at) || e.Count != 0 {
		t.Fatalf("got %+v, want a signin by off on the dashboard at %v", e, at)
	}
	for _, tc := range []struct {
		name    string
		by      survey.Actor
		channel string
	}{
		{"unknown channel", survey.Actor{Name: "off"}, "telnet"},
		{"no name", survey.Actor{}, survey.SignInDashboard},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := p.DB.RecordSignIn(ctx, tc.by, tc.channel); survey.ErrorCode(err) != survey.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
		})
	}
}

// Failed sign-ins are one row per minute and channel, with the count:
// however many arrive, the log grows by one row a minute.
func TestCountFailedSignIn(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	before := p.Count(t, `SELECT count(*) FROM audit_log`)
	now := time.Date(2026, 3, 2, 9, 15, 5, 0, time.UTC)
	var mu sync.Mutex
	p.DB.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	// 40 concurrent failures on the dashboard and 3 over Basic auth in one
	// minute.
	var wg sync.WaitGroup
	errs := make(chan error, 43)
	for i := range 43 {
		ch := survey.SignInDashboard
		if i >= 40 {
			ch = survey.SignInBasic
		}
		wg.Go(func() { errs <- p.DB.CountFailedSignIn(ctx, ch) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// The next minute starts a new row.
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	if err := p.DB.CountFailedSignIn(ctx, survey.SignInDashboard); err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CountFailedSignIn(ctx, "telnet"); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("unknown channel: got %v, want EINVALID", err)
	}
	if n := p.Count(t, `SELECT count(*) FROM audit_log`) - before; n != 3 {
		t.Fatalf("got %d new audit rows, want 3", n)
	}
	es, err := p.DB.ListAudit(ctx, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	minute := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	want := []struct {
		at     time.Time
		detail string
		n      int
	}{{minute.Add(time.Minute), "dashboard: 1 failed", 1}, {minute, "basic: 3 failed", 3}, {minute, "dashboard: 40 failed", 40}}
	// The two rows of the first minute were created in whichever order the
	// goroutines ran.
	if es[1].Detail == want[2].detail {
		es[1], es[2] = es[2], es[1]
	}
	for i, w := range want {
		e := es[i]
		if e.Action != survey.AuditSignInFailed || e.User != survey.AuditAnonymous || e.Detail != w.detail || e.Count != w.n || !e.At.Equal(w.at) {
			t.Errorf("entry %d: got %+v, want %s %q (%d) by %s at %v", i, e, survey.AuditSignInFailed, w.detail, w.n, survey.AuditAnonymous, w.at)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/webhook"
)

// serveWebhook runs `sipas serve` with args over a province holding one
// webhook to url and one rating after it, until cond holds of the file
// (within 20 s), and returns the log.
func serveWebhook(t *testing.T, url string, args []string, cond func(path string) bool) string {
	t.Helper()
	p := sqlitetest.New(t, sqlite.Options{})
	w := &survey.Webhook{URL: url, Events: []string{survey.EventResponseCreated}, Secret: "a-long-enough-secret"}
	if err := p.DB.CreateWebhook(t.Context(), w, cliActor); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DB.StoreResponse(t.Context(), p.Submission(t, "D1/Q1", 5, time.Time{})); err != nil {
		t.Fatal(err)
	}
	p.Close(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--db", p.Path, "--addr", freeAddr(t), "--integrity-every", "0", "--alerts-every", "0"}, args...),
			strings.NewReader(""), io.Discard, &stderr)
	}()
	for deadline := time.Now().Add(20 * time.Second); !cond(p.Path); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("not within 20 s:\n%s", stderr.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s")
	}
	return stderr.String()
}

// lastError reads the one delivery's last error.
func lastError(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var e string
	db.QueryRow(`SELECT last_error FROM webhook_deliveries`).Scan(&e)
	return e
}

// TestServeWebhooks: serve delivers a new rating to a receiver on loopback
// with --webhook-allow-private; without it the dialer refuses loopback at
// delivery time and the delivery waits with the reason; a too-short
// --webhook-every is refused.
func TestServeWebhooks(t *testing.T) {
	var got atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if webhook.Verify("a-long-enough-secret", body, r.Header.Get(webhook.HeaderSignature)) && strings.Contains(string(body), `"response.created"`) {
			got.Add(1)
		}
	}))
	defer srv.Close()
	serveWebhook(t, srv.URL, []string{"--webhook-allow-private", "--webhook-every", "200ms"}, func(path string) bool {
		return count(t, path, `SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'`) == 1
	})
	if got.Load() != 1 {
		t.Fatalf("receiver got %d signed deliveries, want 1", got.Load())
	}

	var e string
	serveWebhook(t, srv.URL, []string{"--webhook-every", "200ms"}, func(path string) bool {
		e = lastError(t, path)
		return e != ""
	})
	if !strings.Contains(e, webhook.ErrPrivate.Error()) {
		t.Errorf("last error %q, want the dialer's refusal", e)
	}
	if got.Load() != 1 {
		t.Errorf("receiver got %d deliveries, want still 1", got.Load())
	}
	if _, err := runCLI(t, "", "serve", "--db", t.TempDir()+"/x.db", "--addr", freeAddr(t), "--webhook-every", "10ms"); err == nil || !strings.Contains(err.Error(), "--webhook-every") {
		t.Fatalf("--webhook-every 10ms: %v, want a refusal naming the flag", err)
	}
}

package reliability

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestBackupUnderLoad runs `sipas backup` three times while submissions
// pour in: each copy passes integrity_check and holds every submission
// acknowledged before the backup began. Then it restores the last copy the
// way docs/operations.md says and serves from it.
func TestBackupUnderLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() // the backups
	dbPath, tokens := seedDB(t)
	srv := startServer(t, dbPath, "--rate-limit", "0")

	acked := map[string]ack{}
	var mu sync.Mutex
	var oks atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 20 * time.Second}
	for w := range 8 {
		wrng := rand.New(rand.NewPCG(3, uint64(w)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				sid := fmt.Sprintf("backup-load-%02d-%08d", w, i)
				body := submissionBody(tokens[wrng.IntN(len(tokens))], sid, wrng)
				status, id := post(ctx, client, srv.url, body)
				if status == http.StatusCreated {
					mu.Lock()
					acked[sid] = ack{id: id, body: body}
					mu.Unlock()
					oks.Add(1)
				} else if status != 0 {
					t.Errorf("%s: status %d", sid, status)
				}
			}
		}()
	}
	var last string
	var lastAcked map[string]ack
	for i := range 3 {
		for oks.Load() < int64(100*(i+1)) {
			time.Sleep(time.Millisecond)
		}
		mu.Lock()
		before := maps.Clone(acked)
		mu.Unlock()
		last = filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		out := runSipas(t, "backup", "--db", dbPath, last)
		if !strings.Contains(out, "integrity_check: ok") {
			t.Fatalf("backup output: %s", out)
		}
		checkDB(t, last, before)
		lastAcked = before
		t.Logf("backup %d: %d acknowledged before it began, all in the copy", i+1, len(before))
	}
	if got := oks.Load(); got < 300 {
		t.Fatalf("load stalled: %d acknowledgements", got)
	}
	out, err := exec.Command(sipasBin, "backup", "--db", dbPath, last).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "already exists") {
		t.Fatalf("backup over an existing file: got %v %s, want a refusal", err, out)
	}
	cancel()
	wg.Wait()
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if code := srv.wait(30 * time.Second); code != 0 {
		t.Fatalf("exit code: got %d, want 0", code)
	}
	checkDB(t, dbPath, acked)

	// Restore (docs/operations.md): with the server stopped, move the
	// database and its -wal/-shm aside, copy the backup into place, start.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(dbPath+suffix, dbPath+suffix+".broken"); err != nil && !os.IsNotExist(err) {
			t.Fatalf("move aside: %v", err)
		}
	}
	b, err := os.ReadFile(last)
	if err != nil {
		t.Fatalf("read backup: %v", err)
	}
	if err := os.WriteFile(dbPath, b, 0o600); err != nil {
		t.Fatalf("restore: %v", err)
	}
	srv = startServer(t, dbPath, "--rate-limit", "0")
	rng := rand.New(rand.NewPCG(4, 4))
	checkReplays(t, client, srv.url, tokens[0], lastAcked, rng)
	if status, _ := post(context.Background(), client, srv.url, submissionBody(tokens[0], "after-restore-000001", rng)); status != http.StatusCreated {
		t.Fatalf("submission after restore: got %d, want 201", status)
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if code := srv.wait(30 * time.Second); code != 0 {
		t.Fatalf("exit code: got %d, want 0", code)
	}
}

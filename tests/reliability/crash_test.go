package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// TestCrashDurability drives concurrent submissions into the real binary,
// kills it with SIGKILL at random moments (seeded: SIPAS_CRASH_SEED),
// restarts it and checks after every kill that each submission that got a
// 201 is in the database exactly once, that integrity_check is ok and that
// the indices agree with the responses. SIPAS_CRASH_CYCLES sets the number
// of kills (5 by default; `make crashtest` runs 20).
func TestCrashDurability(t *testing.T) {
	t.Parallel()
	cycles := envInt(t, "SIPAS_CRASH_CYCLES", 5)
	seed := uint64(envInt(t, "SIPAS_CRASH_SEED", 1))
	t.Logf("%d kill cycles, SIPAS_CRASH_SEED=%d", cycles, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	dbPath, tokens := seedDB(t)
	acked := map[string]ack{} // submission id → id answered and body, for every 201
	var mu sync.Mutex
	var seq atomic.Int64
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}

	for cycle := range cycles {
		srv := startServer(t, dbPath, "--rate-limit", "0")
		checkReplays(t, client, srv.url, tokens[0], acked, rng)

		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var oks atomic.Int64
		for w := range 16 {
			wrng := rand.New(rand.NewPCG(seed, uint64(cycle*1000+w)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					sid := fmt.Sprintf("crash-%03d-%02d-%010d", cycle, w, seq.Add(1))
					body := submissionBody(tokens[wrng.IntN(len(tokens))], sid, wrng)
					status, id := post(ctx, client, srv.url, body)
					switch status {
					case http.StatusCreated:
						mu.Lock()
						acked[sid] = ack{id: id, body: body}
						mu.Unlock()
						oks.Add(1)
					case 0: // no answer: the client cannot know, and retries with the same id
					default:
						t.Errorf("submission %s: status %d", sid, status)
					}
				}
			}()
		}
		// A random moment: after a random number of acknowledgements, plus a
		// random delay, so the kill falls anywhere in a batch's life.
		target := int64(20 + rng.IntN(400))
		for oks.Load() < target {
			select {
			case <-srv.done:
				t.Fatalf("serve exited during load: %v\n%s", srv.err, srv.log())
			case <-time.After(time.Millisecond):
			}
		}
		time.Sleep(time.Duration(rng.IntN(5000)) * time.Microsecond) // the random moment itself, not synchronisation
		if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("kill: %v", err)
		}
		srv.wait(10 * time.Second)
		cancel()
		wg.Wait()
		mu.Lock()
		t.Logf("cycle %d: killed after %d acknowledgements (%d in total)", cycle+1, oks.Load(), len(acked))
		checkDB(t, dbPath, acked)
		mu.Unlock()
	}
	srv := startServer(t, dbPath, "--rate-limit", "0")
	checkReplays(t, client, srv.url, tokens[0], acked, rng)
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if code := srv.wait(30 * time.Second); code != 0 {
		t.Fatalf("exit code after SIGTERM: got %d, want 0", code)
	}
	checkDB(t, dbPath, acked)
}

// checkReplays resends up to 20 acknowledged submissions: each must be
// answered 200 with the id first given; the same submission id with other
// answers (at token's counter) must be refused with 409. checkDB then finds
// each stored once, as first sent.
func checkReplays(t *testing.T, client *http.Client, base, token string, acked map[string]ack, rng *rand.Rand) {
	t.Helper()
	n := 0
	for sid, a := range acked {
		if n == 20 {
			break
		}
		n++
		if status, got := post(context.Background(), client, base, a.body); status != http.StatusOK || got != a.id {
			t.Fatalf("replay of %s: got %d id %q, want 200 id %q", sid, status, got, a.id)
		}
		if status, _ := post(context.Background(), client, base, submissionBody(token, sid, rng)); status != http.StatusConflict {
			t.Fatalf("%s with other answers: got %d, want 409", sid, status)
		}
	}
}

package reliability

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// inFlight reads sipas_http_requests_in_flight from /metrics.
func inFlight(t *testing.T, base string) int {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^sipas_http_requests_in_flight (\d+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no in-flight gauge in /metrics")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n - 1 // not counting the /metrics request itself
}

// slowRequest is a submission whose body is only half sent.
type slowRequest struct {
	sid, body string
	conn      net.Conn
	rest      string
}

func startSlow(t *testing.T, base, token, sid string, rng *rand.Rand) *slowRequest {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	body := submissionBody(token, sid, rng)
	head := fmt.Sprintf("POST /api/v1/responses HTTP/1.1\r\nHost: sipas\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(body))
	if _, err := io.WriteString(conn, head+body[:len(body)/2]); err != nil {
		t.Fatalf("write: %v", err)
	}
	return &slowRequest{sid: sid, body: body, conn: conn, rest: body[len(body)/2:]}
}

// finish sends the rest of the body and returns the answer's status and
// body.
func (r *slowRequest) finish(t *testing.T) (int, string) {
	t.Helper()
	if _, err := io.WriteString(r.conn, r.rest); err != nil {
		t.Fatalf("finish %s: %v", r.sid, err)
	}
	r.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(r.conn), nil)
	if err != nil {
		t.Fatalf("%s was in flight at the signal but got no answer: %v", r.sid, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestGracefulShutdown sends SIGTERM (and SIGINT) while submissions are in
// flight and others keep coming: the server stops accepting connections,
// answers every request it had begun, commits them, closes the database
// (WAL checkpointed, integrity ok) and exits 0.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(sig), 1))
			dbPath, tokens := seedDB(t)
			srv := startServer(t, dbPath, "--rate-limit", "0")

			const nSlow = 4
			var slow []*slowRequest
			for i := range nSlow {
				slow = append(slow, startSlow(t, srv.url, tokens[i%len(tokens)], fmt.Sprintf("slow-%s-%012d", sig, i), rng))
			}
			// Poll until the server is inside all of them.
			deadline := time.Now().Add(10 * time.Second)
			for inFlight(t, srv.url) < nSlow {
				if time.Now().After(deadline) {
					t.Fatalf("the slow requests never started")
				}
				time.Sleep(5 * time.Millisecond)
			}

			// Steady load beside them.
			acked := map[string]ack{}
			var mu sync.Mutex
			var oks atomic.Int64
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var wg sync.WaitGroup
			client := &http.Client{Timeout: 20 * time.Second}
			for w := range 8 {
				wrng := rand.New(rand.NewPCG(uint64(sig), uint64(w+10)))
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ctx.Err() == nil; i++ {
						sid := fmt.Sprintf("load-%s-%02d-%08d", sig, w, i)
						body := submissionBody(tokens[wrng.IntN(len(tokens))], sid, wrng)
						status, id := post(ctx, client, srv.url, body)
						switch {
						case status == http.StatusCreated:
							mu.Lock()
							acked[sid] = ack{id: id, body: body}
							mu.Unlock()
							oks.Add(1)
						case status != 0:
							t.Errorf("%s during shutdown: status %d, want 201 or no connection", sid, status)
						case refused(srv.url):
							return // the server has stopped accepting
						}
					}
				}()
			}
			for oks.Load() < 50 {
				time.Sleep(time.Millisecond)
			}

			if err := srv.cmd.Process.Signal(sig); err != nil {
				t.Fatalf("signal: %v", err)
			}
			deadline = time.Now().Add(10 * time.Second)
			for !refused(srv.url) {
				if time.Now().After(deadline) {
					t.Fatalf("still accepting connections 10 s after %s", sig)
				}
				time.Sleep(5 * time.Millisecond)
			}
			select {
			case <-srv.done:
				t.Fatalf("exited with requests still in flight: %v", srv.err)
			default:
			}
			for _, r := range slow {
				status, body := r.finish(t)
				if status != http.StatusCreated {
					t.Fatalf("%s in flight at %s: got %d %s, want 201", r.sid, sig, status, body)
				}
				mu.Lock()
				acked[r.sid] = ack{id: answeredID([]byte(body)), body: r.body}
				mu.Unlock()
			}
			if code := srv.wait(30 * time.Second); code != 0 {
				t.Fatalf("exit code after %s: got %d, want 0\n%s", sig, code, srv.log())
			}
			cancel()
			wg.Wait()
			if !strings.Contains(srv.log(), `"msg":"stopped"`) {
				t.Fatalf("no clean stop in the log:\n%s", srv.log())
			}
			if fi, err := os.Stat(dbPath + "-wal"); err == nil && fi.Size() > 0 {
				t.Fatalf("WAL not checkpointed at close: %d bytes left", fi.Size())
			}
			t.Logf("%d submissions acknowledged, %d of them in flight at %s", len(acked), nSlow, sig)
			checkDB(t, dbPath, acked)
		})
	}
}

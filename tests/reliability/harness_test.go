package reliability

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// sipasBin is the binary built once by TestMain; sipasItems are the item
// codes of the sipas-2017 instrument.
var (
	sipasBin   string
	sipasItems []string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sipas-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sipasBin = filepath.Join(dir, "sipas")
	build := exec.Command("go", "build", "-o", sipasBin, "github.com/sipas/sipas/cmd/sipas")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build sipas:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	in, err := reg.Current("sipas-2017")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, it := range in.Items {
		sipasItems = append(sipasItems, it.Code)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runSipas runs a sipas subcommand to completion and returns its output.
func runSipas(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(sipasBin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("sipas %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// seedDB builds a copy of sqlitetest's standard province (no responses),
// closes it for `sipas serve`, and returns its path and the survey tokens
// of its open sipas-2017 counters (the instrument submissionBody answers;
// D1/R1's token is of version 2).
func seedDB(t *testing.T) (path string, tokens []string) {
	t.Helper()
	p := sqlitetest.New(t, sqlite.Options{})
	for _, key := range []string{"D1/Q1", "D1/R1", "D2/Q1", "D3/Q1", "D4/Q1"} {
		tokens = append(tokens, p.Token(t, key))
	}
	p.Close(t)
	return p.Path, tokens
}

// server is a running `sipas serve`.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string
	done chan struct{}
	err  error // the process's exit, once done is closed
	logs *bytes.Buffer
	mu   *sync.Mutex
}

// startServer starts `sipas serve` on a free port and waits until it is
// ready.
func startServer(t *testing.T, dbPath string, extra ...string) *server {
	t.Helper()
	args := append([]string{"serve", "--db", dbPath, "--addr", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(sipasBin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatalf("pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start serve: %v", err)
	}
	s := &server{t: t, cmd: cmd, done: make(chan struct{}), logs: &bytes.Buffer{}, mu: &sync.Mutex{}}
	addrc := make(chan string, 1)
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Bytes()
			s.mu.Lock()
			s.logs.Write(line)
			s.logs.WriteByte('\n')
			s.mu.Unlock()
			var l struct{ Msg, Addr string }
			if json.Unmarshal(line, &l) == nil && l.Msg == "listening" {
				select {
				case addrc <- l.Addr:
				default:
				}
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() {
		<-readDone // Wait closes the pipe: read it to the end first (EOF at exit)
		s.err = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			cmd.Process.Kill()
			<-s.done
		}
	})
	select {
	case addr := <-addrc:
		s.url = "http://" + addr
	case <-s.done:
		t.Fatalf("serve exited before listening: %v\n%s", s.err, s.log())
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not listen within 20 s\n%s", s.log())
	}
	s.waitReady()
	return s
}

func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// waitReady polls /readyz.
func (s *server) waitReady() {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-s.done:
			s.t.Fatalf("serve exited: %v\n%s", s.err, s.log())
		case <-time.After(20 * time.Millisecond):
		}
	}
	s.t.Fatalf("serve not ready within 20 s")
}

// wait waits for the process to exit and returns its exit code.
func (s *server) wait(timeout time.Duration) int {
	s.t.Helper()
	select {
	case <-s.done:
	case <-time.After(timeout):
		s.t.Fatalf("serve did not exit within %v\n%s", timeout, s.log())
	}
	return s.cmd.ProcessState.ExitCode()
}

// submissionBody is a valid sipas-2017 submission with random answers.
func submissionBody(token, sid string, rng *rand.Rand) string {
	items := []string{}
	for _, code := range sipasItems {
		v := fmt.Sprint(rng.IntN(5) + 1)
		if rng.IntN(10) == 0 {
			v = `"na"`
		}
		items = append(items, fmt.Sprintf("%q:%s", code, v))
	}
	return fmt.Sprintf(`{"token":%q,"submission_id":%q,"answers":{%s}}`, token, sid, strings.Join(items, ","))
}

// ack is an acknowledged submission: the (opaque) id it was answered with
// and the body it was sent with, to send it again.
type ack struct{ id, body string }

// post sends one submission and returns the status and the id answered
// (0, "" on a transport error).
func post(ctx context.Context, client *http.Client, base, body string) (int, string) {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/responses", strings.NewReader(body))
	if err != nil {
		return 0, ""
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "" // the answer was cut: the client cannot know it succeeded
	}
	return resp.StatusCode, answeredID(b)
}

// answeredID returns the id of an answer to POST /api/v1/responses.
func answeredID(body []byte) string {
	var r struct{ ID string }
	json.Unmarshal(body, &r)
	return r.ID
}

// openCheck opens the database file for assertions (read-write, so that a
// WAL left by a killed process is recovered as the server would).
func openCheck(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// checkDB asserts integrity_check is ok, every acknowledged submission is
// stored exactly once with the id it was acknowledged with, and the indices
// (stats_monthly) count exactly the unflagged responses.
func checkDB(t *testing.T, path string, acked map[string]ack) {
	t.Helper()
	db := openCheck(t, path)
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q, %v", res, err)
	}
	// The API answers ids derived from the row ids under the token secret.
	var secret []byte
	if err := db.QueryRow(`SELECT value FROM settings WHERE key = 'token_secret'`).Scan(&secret); err != nil {
		t.Fatalf("token secret: %v", err)
	}
	signer := survey.NewSigner(secret)
	stored := map[string]int64{}
	rows, err := db.Query(`SELECT submission_id, id FROM responses`)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	for rows.Next() {
		var sid string
		var id int64
		if err := rows.Scan(&sid, &id); err != nil {
			t.Fatalf("scan: %v", err)
		}
		if _, dup := stored[sid]; dup {
			t.Fatalf("submission %s stored twice", sid)
		}
		stored[sid] = id
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("rows: %v", err)
	}
	rows.Close()
	lost := 0
	for sid, a := range acked {
		got, ok := stored[sid]
		if !ok {
			lost++
			if lost <= 5 {
				t.Errorf("acknowledged submission %s (id %s) is not in the database", sid, a.id)
			}
		} else if signer.PublicID(got) != a.id {
			t.Errorf("submission %s acknowledged as id %s, stored as %d (id %s)", sid, a.id, got, signer.PublicID(got))
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged submissions lost", lost, len(acked))
	}
	var indexed, unflagged int
	if err := db.QueryRow(`SELECT COALESCE(SUM(respondents), 0) FROM stats_monthly`).Scan(&indexed); err != nil {
		t.Fatalf("stats: %v", err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM responses WHERE flag = ''`).Scan(&unflagged); err != nil {
		t.Fatalf("count: %v", err)
	}
	if indexed != unflagged {
		t.Fatalf("indices count %d respondents, the responses table %d unflagged: they must move together", indexed, unflagged)
	}
}

// refused reports whether nothing accepts connections at base.
func refused(base string) bool {
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second)
	if err != nil {
		return true
	}
	c.Close()
	return false
}

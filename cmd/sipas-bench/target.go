package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
)

// counterURL is one counter as printed by "sipas counter urls".
type counterURL struct {
	Counter    string // AGENCY/CODE
	Instrument string
	Token      string
}

// parseCounterURLs reads the output of "sipas counter urls": a header line
// "AGENCY/CODE (name, instrument)" per counter followed by indented
// "survey: URL" lines. The token is the last path segment of the survey URL.
func parseCounterURLs(r io.Reader) ([]counterURL, error) {
	var out []counterURL
	var cur *counterURL
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
		case !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t"):
			// Codes have no spaces; the name may hold commas and parentheses,
			// so the instrument is what follows the last comma.
			counter, rest, ok := strings.Cut(trimmed, " (")
			comma := strings.LastIndex(rest, ",")
			if !ok || comma < 0 || !strings.HasSuffix(rest, ")") {
				return nil, fmt.Errorf("unexpected counter line %q", line)
			}
			inst := strings.TrimSpace(strings.TrimSuffix(rest[comma+1:], ")"))
			out = append(out, counterURL{Counter: counter, Instrument: inst})
			cur = &out[len(out)-1]
		case strings.HasPrefix(trimmed, "survey:"):
			if cur == nil {
				return nil, fmt.Errorf("survey URL before any counter: %q", line)
			}
			u := strings.TrimSpace(strings.TrimPrefix(trimmed, "survey:"))
			cur.Token = path.Base(u)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, c := range out {
		if c.Token == "" || c.Token == "." || c.Token == "/" {
			return nil, fmt.Errorf("counter %s: no survey URL", c.Counter)
		}
	}
	return out, nil
}

// parseAgencyCodes reads the first column of "sipas agency list" (after
// its header line).
func parseAgencyCodes(r io.Reader) []string {
	var codes []string
	sc := bufio.NewScanner(r)
	for first := true; sc.Scan(); first = false {
		f := strings.Fields(sc.Text())
		if first || len(f) == 0 {
			continue
		}
		codes = append(codes, f[0])
	}
	return codes
}

// sipasCmd runs the sipas binary to completion and returns its stdout.
func sipasCmd(ctx context.Context, bin string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w: %s", bin, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// prepareDB seeds a fresh database and returns its counters, agency by
// agency in the order "sipas agency list" gives.
func prepareDB(ctx context.Context, bin, db, baseURL string) ([]counterURL, error) {
	if _, err := sipasCmd(ctx, bin, "seed", "--db", db, "--agencies", "20", "--responses", "0", "--seed", "1"); err != nil {
		return nil, err
	}
	out, err := sipasCmd(ctx, bin, "agency", "list", "--db", db)
	if err != nil {
		return nil, err
	}
	codes := parseAgencyCodes(bytes.NewReader(out))
	// One "counter urls" per agency, a few at a time: each is a process
	// that opens the database, and sixty of them one by one take seconds.
	per := make([][]counterURL, len(codes))
	errs := make([]error, len(codes))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, code := range codes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out, err := sipasCmd(ctx, bin, "counter", "urls", "--db", db, "--agency", code, "--base-url", baseURL)
			if err == nil {
				per[i], err = parseCounterURLs(bytes.NewReader(out))
			}
			if err != nil {
				errs[i] = fmt.Errorf("agency %s: %w", code, err)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(per...), nil
}

// tokensOf returns the tokens of the counters of instrument.
func tokensOf(counters []counterURL, instrument string) []string {
	var tokens []string
	for _, c := range counters {
		if c.Instrument == instrument {
			tokens = append(tokens, c.Token)
		}
	}
	return tokens
}

// freeAddr returns a loopback address with a port that was free a moment
// ago (the server binds it itself).
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// server is a running "sipas serve".
type server struct {
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // set when exited is closed
	log    *os.File
}

// startServer starts "sipas serve" and waits until GET /healthz answers 200.
func startServer(ctx context.Context, bin, db, addr, logPath string) (*server, error) {
	args := []string{"serve", "--db", db, "--addr", addr, "--base-url", "http://" + addr}
	if help, _ := exec.CommandContext(ctx, bin, "serve", "-h").CombinedOutput(); bytes.Contains(help, []byte("-rate-limit")) {
		args = append(args, "--rate-limit", "0")
	}
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, err
	}
	s := &server{cmd: cmd, exited: make(chan struct{}), log: lf}
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := hc.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			lf.Close()
			return nil, fmt.Errorf("sipas serve exited before it was healthy (%v); log in %s", s.err, logPath)
		case <-ctx.Done():
			s.stop(5 * time.Second)
			return nil, ctx.Err()
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			s.stop(5 * time.Second)
			return nil, fmt.Errorf("sipas serve not healthy after 30s; log in %s", logPath)
		}
	}
}

// stop sends SIGTERM and waits for the server to exit (killing it after
// grace). It returns the exit error of a server that did not stop cleanly.
func (s *server) stop(grace time.Duration) error {
	defer s.log.Close()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-s.exited:
		return s.err
	case <-time.After(grace):
		s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("sipas serve did not stop within %v after SIGTERM; killed", grace)
	}
}

// startBareGin serves a bare Gin engine on a loopback port: one POST route
// that reads the body and answers "ok". It is the yardstick for the ratio.
func startBareGin() (addr string, shutdown func(), err error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	ok := func(c *gin.Context) {
		if _, err := io.ReadAll(c.Request.Body); err != nil {
			c.String(http.StatusBadRequest, "bad body")
			return
		}
		c.String(http.StatusOK, "ok")
	}
	r.POST("/api/v1/responses", ok)
	r.POST("/api/v1/dossiers", ok)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	go hs.Serve(ln)
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	}, nil
}

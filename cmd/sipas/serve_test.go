package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestCLIServeGraceful(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--addr", addr}, strings.NewReader(""), io.Discard, &stderr)
	}()

	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped before it was ready: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no 200 from /healthz within 15 s (last error %v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := client.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancel, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not return within 15 s of cancel")
	}
	if _, err := client.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatalf("server still answers after shutdown")
	}
	log := stderr.String()
	for _, want := range []string{`"listening"`, fmt.Sprintf(`"base_url":"http://%s"`, addr), `"stopped"`, `"mail off: no --smtp-url and --smtp-from`} {
		if !strings.Contains(log, want) {
			t.Fatalf("log lacks %s:\n%s", want, log)
		}
	}
	// The database was closed cleanly: it opens again at once.
	d, err := openDB(db)
	if err != nil {
		t.Fatalf("reopen after serve: %v", err)
	}
	d.Close()
	if _, err := runCLI(t, "", "serve", "--db", db, "--addr", "256.0.0.1:99999"); err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("serve on a bad address: got %v, want an error", err)
	}
	for _, v := range []string{"0", "1", "5", "-0.1", "NaN"} {
		if _, err := runCLI(t, "", "serve", "--db", db, "--addr", freeAddr(t), "--low-response-rate", v); err == nil || !strings.Contains(err.Error(), "--low-response-rate") {
			t.Fatalf("--low-response-rate %s: got %v, want an error naming the flag", v, err)
		}
	}
}

// TestCLIServeRefusesReadableDB: a database file others can read holds
// password hashes and secrets; serve stops, naming it and the fix, unless
// --allow-readable-db.
func TestCLIServeRefusesReadableDB(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	mustCLI(t, "", "agency", "add", "--db", db, "--code", "P", "--name", "Tỉnh")
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := runCLI(t, "", "serve", "--db", db, "--addr", freeAddr(t))
	if err == nil || !strings.Contains(err.Error(), "sipas.db (mode 0644)") || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("serve on a readable database: got %v, want a refusal naming the file and chmod 600", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr := freeAddr(t)
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--addr", addr, "--allow-readable-db"}, strings.NewReader(""), io.Discard, &stderr)
	}()
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := client.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve --allow-readable-db did not start: %s", stderr.String())
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(stderr.String(), "readable by other users") {
		t.Fatalf("serve --allow-readable-db logged no error: %s", stderr.String())
	}
}

// A negative --memory-limit is refused before anything is opened.
func TestCLIServeRefusesNegativeMemoryLimit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sipas.db")
	_, err := runCLI(t, "", "serve", "--db", db, "--addr", freeAddr(t), "--memory-limit", "-1")
	if err == nil || !strings.Contains(err.Error(), "--memory-limit") {
		t.Fatalf("serve --memory-limit -1: %v, want a refusal naming the flag", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the database was created: %v", err)
	}
}

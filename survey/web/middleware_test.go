package web_test

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

// warnings returns the WARN lines of a captured log.
func warnings(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["level"] == "WARN" {
			out = append(out, m)
		}
	}
	return out
}

// Requests with X-Forwarded-For from a peer that is not a trusted proxy
// (a reverse proxy without --trusted-proxy) are warned about once, naming
// the flag and no address.
func TestWarnUntrustedProxy(t *testing.T) {
	fwd := func(remote string) webtest.Request {
		return webtest.Request{URL: "/login", Remote: remote, Header: map[string]string{"X-Forwarded-For": "203.0.113.50"}}
	}
	t.Run("untrusted", func(t *testing.T) {
		e := webtest.New(t)
		e.Do(t, webtest.Request{URL: "/login", Remote: "127.0.0.1:5000"})
		if w := warnings(t, e.Log.String()); len(w) != 0 {
			t.Fatalf("without X-Forwarded-For: got warnings %v", w)
		}
		for range 3 {
			if w := e.Do(t, fwd("127.0.0.1:5000")); w.Code != 200 {
				t.Fatalf("got %d, want 200", w.Code)
			}
		}
		e.Do(t, fwd("10.9.9.9:5000"))
		w := warnings(t, e.Log.String())
		if len(w) != 1 {
			t.Fatalf("got %d warnings, want 1: %v", len(w), w)
		}
		line, _ := json.Marshal(w[0])
		if !strings.Contains(string(line), "--trusted-proxy") {
			t.Fatalf("warning %s does not name --trusted-proxy", line)
		}
		for _, addr := range []string{"203.0.113.50", "127.0.0.1:5000", "10.9.9.9"} {
			if strings.Contains(string(line), addr) {
				t.Fatalf("warning %s holds the address %s", line, addr)
			}
		}
	})
	t.Run("trusted", func(t *testing.T) {
		e := webtest.New(t, webtest.WithConfig(web.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}))
		e.Do(t, fwd("127.0.0.1:5000"))
		if w := warnings(t, e.Log.String()); len(w) != 0 {
			t.Fatalf("from a trusted proxy: got warnings %v", w)
		}
	})
}

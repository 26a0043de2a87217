package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

func TestRateLimiterVerdicts(t *testing.T) {
	l := newRateLimiter(2, []byte("secret-secret-secret-secret-1234"))
	ip := netip.MustParseAddr("203.0.113.7")
	t0 := time.Date(2025, 6, 10, 9, 15, 0, 0, survey.Vietnam)
	var got []rateVerdict
	for range 2 + 18 + 2 {
		got = append(got, l.check(1, ip, t0, 1))
	}
	for i, v := range got {
		want := rateOK
		switch {
		case i >= 20:
			want = rateReject
		case i >= 2:
			want = rateFlag
		}
		if v != want {
			t.Fatalf("submission %d: got verdict %d, want %d", i+1, v, want)
		}
	}
	tests := []struct {
		name    string
		counter int64
		ip      string
		at      time.Time
		want    rateVerdict
	}{
		{"other counter", 2, "203.0.113.7", t0, rateOK},
		{"other client", 1, "203.0.113.8", t0, rateOK},
		{"same hour later", 1, "203.0.113.7", t0.Add(40 * time.Minute), rateReject},
		{"next hour", 1, "203.0.113.7", t0.Add(time.Hour), rateOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.check(tt.counter, netip.MustParseAddr(tt.ip), tt.at, 1); got != tt.want {
				t.Fatalf("got %d, want %d", got, tt.want)
			}
		})
	}
	if got := newRateLimiter(0, nil).check(1, ip, t0, 1); got != rateOK {
		t.Fatalf("limit 0: got %d, want rateOK", got)
	}
}

func TestClientHash(t *testing.T) {
	k1 := []byte("day-key-1")
	k2 := []byte("day-key-2")
	h := func(key []byte, counter int64, ip string) [16]byte {
		return clientHash(key, counter, netip.MustParseAddr(ip))
	}
	tests := []struct {
		name string
		a, b [16]byte
		same bool
	}{
		{"same IPv6 /64", h(k1, 1, "2001:db8:1:2::1"), h(k1, 1, "2001:db8:1:2:ffff::9"), true},
		{"other IPv6 /64", h(k1, 1, "2001:db8:1:2::1"), h(k1, 1, "2001:db8:1:3::1"), false},
		{"IPv4 and mapped", h(k1, 1, "198.51.100.4"), h(k1, 1, "::ffff:198.51.100.4"), true},
		{"other counter", h(k1, 1, "198.51.100.4"), h(k1, 2, "198.51.100.4"), false},
		{"other day key", h(k1, 1, "198.51.100.4"), h(k2, 1, "198.51.100.4"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.a == tt.b) != tt.same {
				t.Fatalf("hashes equal: got %v, want %v", tt.a == tt.b, tt.same)
			}
		})
	}
	// The day key changes with the Vietnam date, not the UTC one.
	l := newRateLimiter(1, []byte("s"))
	ip := netip.MustParseAddr("198.51.100.4")
	late := time.Date(2025, 6, 10, 16, 59, 0, 0, time.UTC) // 23:59 in Vietnam
	l.check(1, ip, late, 1)
	key1 := l.dayKey
	l.check(1, ip, late.Add(2*time.Minute), 1) // 00:01 the next day in Vietnam
	if bytes.Equal(key1, l.dayKey) {
		t.Fatalf("day key did not rotate at midnight in Vietnam")
	}
	if len(l.counts) != 1 {
		t.Fatalf("counts after rotation: got %d entries, want 1 (old day dropped)", len(l.counts))
	}
}

func TestClientAddr(t *testing.T) {
	trusted, err := ParseCIDRs("10.0.0.0/8, 127.0.0.1")
	if err != nil {
		t.Fatalf("ParseCIDRs: %v", err)
	}
	tests := []struct {
		name, remote, xff string
		trusted           []netip.Prefix
		want              string
	}{
		{"peer, no proxies", "198.51.100.4:5555", "203.0.113.9", nil, "198.51.100.4"},
		{"untrusted peer's header ignored", "198.51.100.4:5555", "203.0.113.9", trusted, "198.51.100.4"},
		{"trusted proxy", "127.0.0.1:5555", "203.0.113.9", trusted, "203.0.113.9"},
		{"chain of proxies", "10.1.1.1:5555", "192.0.2.66, 203.0.113.9, 10.2.2.2", trusted, "203.0.113.9"},
		{"spoofed left hop ignored", "127.0.0.1:5555", "1.2.3.4, 203.0.113.9", trusted, "203.0.113.9"},
		{"garbled hop", "127.0.0.1:5555", "203.0.113.9, garbage", trusted, "127.0.0.1"},
		{"no header", "127.0.0.1:5555", "", trusted, "127.0.0.1"},
		{"IPv6 peer", "[2001:db8::1]:5555", "", nil, "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := clientAddr(r, tt.trusted).String(); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"10.0.0.0/33", "nonsense", "1.2.3"} {
		if _, err := ParseCIDRs(bad); err == nil {
			t.Errorf("ParseCIDRs(%q): got no error", bad)
		}
	}
}

// TestRateLimitThroughRouter drives the form and the API from one address:
// past the limit responses are kept but flagged (the citizen still sees
// thanks), past the hard cap they get 429 with a clear message, and the
// address is stored nowhere: not in the database, not in the log.
func TestRateLimitThroughRouter(t *testing.T) {
	const ip = "203.0.113.77"
	e := newSecEnv(t, Config{RateLimit: 1})
	var logBuf bytes.Buffer
	e.srv.log = slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))

	tests := []struct {
		name    string
		counter string
		form    bool
	}{
		{"api", "A/Q1", false},
		{"form", "B/Q1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			okStatus := http.StatusCreated
			if tt.form {
				okStatus = http.StatusSeeOther
			}
			var sids []string
			for i := range HardCapFactor + 1 {
				sid := secSubmissionID()
				r := secReq{method: "POST", remote: ip + ":40000"}
				if tt.form {
					r.path, r.body = "/s/"+e.tokens[tt.counter], e.formSubmission(tt.counter, sid).Encode()
				} else {
					r.path, r.body = "/api/v1/responses", e.jsonSubmission(tt.counter, sid)
				}
				w := e.do(r)
				if i < HardCapFactor {
					if w.Code != okStatus {
						t.Fatalf("submission %d: got %d, want %d: %s", i+1, w.Code, okStatus, w.Body)
					}
					sids = append(sids, sid)
					continue
				}
				if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
					t.Fatalf("submission past the hard cap: got %d (Retry-After %q), want 429 with Retry-After", w.Code, w.Header().Get("Retry-After"))
				}
				wantMsg := "too many submissions"
				if tt.form {
					wantMsg = "Đã gửi quá nhiều phiếu"
				}
				if !strings.Contains(w.Body.String(), wantMsg) {
					t.Fatalf("429 body lacks %q: %s", wantMsg, w.Body)
				}
				if n := e.count(`SELECT count(*) FROM responses WHERE submission_id = ?`, sid); n != 0 {
					t.Fatalf("a 429 submission was stored")
				}
			}
			if got := e.count(`SELECT count(*) FROM responses WHERE submission_id = ? AND flag = ''`, sids[0]); got != 1 {
				t.Fatalf("first submission: want it stored unflagged")
			}
			for _, sid := range sids[1:] {
				if got := e.count(`SELECT count(*) FROM responses WHERE submission_id = ? AND flag = 'rate_limited'`, sid); got != 1 {
					t.Fatalf("submission %s past the limit: want it stored flagged rate_limited", sid)
				}
			}
			agency := strings.Split(tt.counter, "/")[0]
			if got := e.respondents(agency); got != 1 {
				t.Fatalf("respondents of %s: got %d, want 1 (flagged ones are out of the index)", agency, got)
			}
			// Another client at the same counter is not affected.
			w := e.do(secReq{method: "POST", path: "/api/v1/responses", body: e.jsonSubmission(tt.counter, secSubmissionID()), remote: "198.51.100.1:1"})
			if w.Code != http.StatusCreated {
				t.Fatalf("other client: got %d, want 201", w.Code)
			}
		})
	}
	if strings.Contains(logBuf.String(), ip) {
		t.Fatalf("the log holds the client address:\n%s", logBuf.String())
	}
	if !strings.Contains(logBuf.String(), `"route":"/api/v1/responses"`) {
		t.Fatalf("the request log lacks the route:\n%s", logBuf.String())
	}
	e.db.Close() // checkpoint, so everything is in the main file
	raw, err := os.ReadFile(e.db.Path)
	if err != nil {
		t.Fatalf("read database: %v", err)
	}
	if bytes.Contains(raw, []byte(ip)) {
		t.Fatalf("the database file holds the client address")
	}
}

func TestRateLimitOff(t *testing.T) {
	e := newSecEnv(t, Config{RateLimit: 0})
	for i := range 30 {
		w := e.do(secReq{method: "POST", path: "/api/v1/responses", body: e.jsonSubmission("A/Q1", secSubmissionID())})
		if w.Code != http.StatusCreated {
			t.Fatalf("submission %d with --rate-limit 0: got %d, want 201", i+1, w.Code)
		}
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE flag != ''`); got != 0 {
		t.Fatalf("flagged with the limit off: got %d, want 0", got)
	}
}

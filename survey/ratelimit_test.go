package survey

import (
	"bytes"
	"net/netip"
	"testing"
	"time"
)

func TestRateLimiterVerdicts(t *testing.T) {
	l := NewRateLimiter(2, []byte("secret-secret-secret-secret-1234"))
	ip := netip.MustParseAddr("203.0.113.7")
	t0 := time.Date(2025, 6, 10, 9, 15, 0, 0, Vietnam)
	var got []RateVerdict
	for range 2 + 18 + 2 {
		got = append(got, l.check(1, ip, t0, 1))
	}
	for i, v := range got {
		want := RateOK
		switch {
		case i >= 20:
			want = RateReject
		case i >= 2:
			want = RateFlag
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
		want    RateVerdict
	}{
		{"other counter", 2, "203.0.113.7", t0, RateOK},
		{"other client", 1, "203.0.113.8", t0, RateOK},
		{"same hour later", 1, "203.0.113.7", t0.Add(40 * time.Minute), RateReject},
		{"next hour", 1, "203.0.113.7", t0.Add(time.Hour), RateOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.check(tt.counter, netip.MustParseAddr(tt.ip), tt.at, 1); got != tt.want {
				t.Fatalf("got %d, want %d", got, tt.want)
			}
		})
	}
	if got := NewRateLimiter(0, nil).check(1, ip, t0, 1); got != RateOK {
		t.Fatalf("limit 0: got %d, want RateOK", got)
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
	l := NewRateLimiter(1, []byte("s"))
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

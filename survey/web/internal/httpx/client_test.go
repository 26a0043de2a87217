package httpx

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

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
			if got := ClientAddr(r, tt.trusted).String(); got != tt.want {
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

func TestForwardedByUntrusted(t *testing.T) {
	trusted, err := ParseCIDRs("127.0.0.1,::1")
	if err != nil {
		t.Fatalf("ParseCIDRs: %v", err)
	}
	tests := []struct {
		name, remote, xff string
		trusted           []netip.Prefix
		want              bool
	}{
		{"no header", "127.0.0.1:5555", "", nil, false},
		{"header, no proxy trusted", "127.0.0.1:5555", "203.0.113.9", nil, true},
		{"header from a trusted proxy", "127.0.0.1:5555", "203.0.113.9", trusted, false},
		{"header from a trusted IPv6 proxy", "[::1]:5555", "203.0.113.9", trusted, false},
		{"header from another peer", "10.0.0.7:5555", "203.0.113.9", trusted, true},
		{"empty header counts", "10.0.0.7:5555", " ", trusted, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := ForwardedByUntrusted(r, tt.trusted); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

package dashboard

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// A masked token differs at every call and unmasks to the secret: pages
// never carry the same string, and every one of them validates.
func TestMaskToken(t *testing.T) {
	secret := make([]byte, 32)
	rand.Read(secret)
	seen := map[string]bool{}
	for range 100 {
		m := maskToken(secret)
		if seen[m] {
			t.Fatalf("mask %q repeated", m)
		}
		seen[m] = true
		if strings.Contains(m, base64.RawURLEncoding.EncodeToString(secret)) {
			t.Fatalf("mask %q holds the secret", m)
		}
		if got := unmaskToken(m); !bytes.Equal(got, secret) {
			t.Fatalf("unmask(%q): got %x, want %x", m, got, secret)
		}
		if !checkMasked(m, secret) {
			t.Fatalf("checkMasked(%q): got false, want true", m)
		}
	}
}

func TestCheckMaskedRefuses(t *testing.T) {
	secret := make([]byte, 32)
	rand.Read(secret)
	other := make([]byte, 32)
	rand.Read(other)
	good := maskToken(secret)
	flip := []byte(good)
	if flip[10] == 'A' {
		flip[10] = 'B'
	} else {
		flip[10] = 'A'
	}
	tests := []struct {
		name, token string
		want        []byte
	}{
		{"empty", "", secret},
		{"the secret unmasked", base64.RawURLEncoding.EncodeToString(secret), secret},
		{"another secret's mask", maskToken(other), secret},
		{"one character changed", string(flip), secret},
		{"cut short", good[:len(good)-4], secret},
		{"not base64url", strings.Repeat("*", len(good)), secret},
		{"standard base64", base64.StdEncoding.EncodeToString([]byte(good)), secret},
		{"odd length", base64.RawURLEncoding.EncodeToString(make([]byte, 33)), secret},
		{"too long", maskToken(make([]byte, 400)), make([]byte, 400)},
		{"no secret to match", maskToken(nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if checkMasked(tt.token, tt.want) {
				t.Fatalf("checkMasked(%q): got true, want false", tt.token)
			}
		})
	}
}

// The language switch keeps the parameters the dashboard reads, and no
// other: a page must not echo text of an attacker's choosing.
func TestSwitchURLKeepsKnownParameters(t *testing.T) {
	gin.SetMode(gin.TestMode)
	tests := []struct{ url, want string }{
		{"/dashboard/overview/P?period=year&evil=secret-guess", "/dashboard/overview/P?lang=en&period=year"},
		{"/dashboard/agency/D1?period=custom&from=2026-01-01&to=2026-03-31&instrument=quick&low=1&page=2&lang=en&x=1",
			"/dashboard/agency/D1?from=2026-01-01&instrument=quick&low=1&page=2&period=custom&to=2026-03-31"},
		{"/dashboard/overview/P?sort=n&dir=asc&evil=1&evil=2", "/dashboard/overview/P?dir=asc&lang=en&sort=n"},
		{"/dashboard/users?msg=created&lang=en", "/dashboard/users?msg=created"},
		{"/account/password?done=1", "/account/password?done=1&lang=en"},
		{"/login?next=%2Fdashboard%2Fagency%2FD1&csrf_token=x", "/login?lang=en&next=%2Fdashboard%2Fagency%2FD1"},
		{"/dashboard?evil=1&lang=en", "/dashboard"},
		// Known keys with values of a stranger's choosing are not echoed.
		{"/dashboard/overview/P?period=%3Cscript%3E&sort=" + strings.Repeat("a", 40) + "&dir=asc", "/dashboard/overview/P?dir=asc&lang=en"},
		{"/login?next=https%3A%2F%2Fevil.example%2F", "/login?lang=en"},
	}
	h := &Handler{}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest("GET", tt.url, nil)
			if got := h.dashBase(c, "t").SwitchURL; got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

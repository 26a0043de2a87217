package survey_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
)

func testSigner(b byte) *survey.Signer { return survey.NewSigner(bytes.Repeat([]byte{b}, 32)) }

func TestTokenRoundTrip(t *testing.T) {
	s := testSigner(1)
	tests := []struct {
		id      int64
		version int
	}{{1, 1}, {2, 1}, {127, 3}, {128, 128}, {1 << 40, 7}, {1 << 53, 1 << 31}}
	seen := map[string]bool{}
	for _, tt := range tests {
		tok := s.Token(tt.id, tt.version)
		if len(tok) > 64 || strings.ContainsAny(tok, "+/=?#& ") {
			t.Fatalf("token %q is not a short URL-safe string", tok)
		}
		if seen[tok] {
			t.Fatalf("token %q repeats", tok)
		}
		seen[tok] = true
		id, v, err := s.Verify(tok)
		if err != nil || id != tt.id || v != tt.version {
			t.Fatalf("Verify(Token(%d, %d)) = %d, %d, %v", tt.id, tt.version, id, v, err)
		}
	}
	if s.Token(5, 1) != testSigner(1).Token(5, 1) {
		t.Fatalf("tokens differ between signers with the same key")
	}
}

func TestTokenRejects(t *testing.T) {
	s := testSigner(1)
	good := s.Token(42, 2)
	other := s.Token(43, 2)
	p, sig, _ := strings.Cut(good, ".")
	op, osig, _ := strings.Cut(other, ".")
	tests := []struct{ name, token string }{
		{"empty", ""},
		{"no dot", p + sig},
		{"other key", testSigner(2).Token(42, 2)},
		{"payload of another counter", op + "." + sig},
		{"signature of another counter", p + "." + osig},
		{"two dots", good + ".x"},
		{"too long", good + strings.Repeat("A", 64)},
		{"not base64", "!!." + sig},
		{"zero id", s.Token(0, 1)},
		{"zero version", s.Token(1, 0)},
		{"huge id", s.Token(1<<62, 1)},
		{"padded", good + "="},
	}
	for i := 1; i < len(good); i++ {
		tests = append(tests, struct{ name, token string }{fmt.Sprintf("truncated to %d bytes", i), good[:i]})
	}
	for i := range good {
		b := []byte(good)
		if b[i] == '.' {
			continue
		}
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		tests = append(tests, struct{ name, token string }{fmt.Sprintf("byte %d changed", i), string(b)})
	}
	for _, tt := range tests {
		id, v, err := s.Verify(tt.token)
		if err == nil {
			t.Fatalf("%s: Verify(%q) = %d, %d, nil; want an error", tt.name, tt.token, id, v)
		}
		if survey.ErrorCode(err) != survey.EINVALID {
			t.Fatalf("%s: got code %s, want %s", tt.name, survey.ErrorCode(err), survey.EINVALID)
		}
	}
}

// TestKioskKeyVersions: the kiosk key names the kiosk version, so rotating
// it (or the token) refuses the old key; at kiosk version 1 it is the key
// issued before kiosk keys had versions (the vector below), so tablets set
// up then keep working.
func TestKioskKeyVersions(t *testing.T) {
	s := survey.NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	c := func(token, kiosk int) *survey.Counter {
		return &survey.Counter{ID: 7, TokenVersion: token, KioskVersion: kiosk}
	}
	if got := s.KioskKey(c(2, 1)); got != "_R8b9S6bHRwEIdex" {
		t.Fatalf("kiosk version 1: got key %q, want the key of before, _R8b9S6bHRwEIdex", got)
	}
	if s.KioskKey(c(2, 0)) != s.KioskKey(c(2, 1)) {
		t.Fatalf("kiosk version 0 (unset) is not version 1")
	}
	seen := map[string]bool{}
	for _, v := range []struct{ token, kiosk int }{{2, 1}, {2, 2}, {2, 3}, {3, 1}, {3, 2}, {1, 2}, {1 << 31, 1 << 31}} {
		key := s.KioskKey(c(v.token, v.kiosk))
		if seen[key] {
			t.Fatalf("token %d kiosk %d: key %q repeats", v.token, v.kiosk, key)
		}
		seen[key] = true
		if !s.VerifyKiosk(c(v.token, v.kiosk), key) {
			t.Fatalf("token %d kiosk %d: own key refused", v.token, v.kiosk)
		}
	}
	old := s.KioskKey(c(2, 1))
	for _, later := range []*survey.Counter{c(2, 2), c(3, 1), c(3, 2)} {
		if s.VerifyKiosk(later, old) {
			t.Fatalf("key of token 2 kiosk 1 taken at %+v", later)
		}
	}
}

// TestPublicID: the id given out for a response is an opaque string, the
// same for the same response, different for others and under another
// secret, and shows nothing of the number.
func TestPublicID(t *testing.T) {
	s := testSigner(1)
	seen := map[string]bool{}
	for id := int64(1); id <= 1000; id++ {
		p := s.PublicID(id)
		if p != s.PublicID(id) {
			t.Fatalf("id %d: public id not stable", id)
		}
		if seen[p] {
			t.Fatalf("id %d: public id %q repeats", id, p)
		}
		seen[p] = true
		if _, err := strconv.ParseInt(p, 10, 64); err == nil || len(p) != 16 || strings.ContainsAny(p, "+/=") {
			t.Fatalf("id %d: public id %q is not a 16-character opaque URL-safe string", id, p)
		}
	}
	if testSigner(2).PublicID(1) == s.PublicID(1) {
		t.Fatalf("public id does not depend on the secret")
	}
	if s.PublicID(1) == s.Token(1, 1) || strings.Contains(s.Token(1, 1), s.PublicID(1)) {
		t.Fatalf("public id is a counter token's signature")
	}
}

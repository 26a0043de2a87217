package survey_test

import (
	"bytes"
	"fmt"
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

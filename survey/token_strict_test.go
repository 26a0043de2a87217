package survey

import (
	"strings"
	"testing"
)

// A token has one spelling: changing the unused low bits of the last
// character of its payload (before the dot) or of its signature must not
// give another valid token.
func TestTokenHasOneSpelling(t *testing.T) {
	s := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	tok := s.Token(5, 1) // a 2-byte payload: 3 characters, 2 unused bits
	dot := strings.IndexByte(tok, '.')
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for _, pos := range []int{dot - 1, len(tok) - 1} {
		for i := 0; i < len(alphabet); i++ {
			alt := tok[:pos] + alphabet[i:i+1] + tok[pos+1:]
			if alt == tok {
				continue
			}
			if _, _, err := s.Verify(alt); err == nil {
				t.Fatalf("got %q accepted as well as %q", alt, tok)
			}
		}
	}
}

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

func TestPeriodPrevious(t *testing.T) {
	for _, tc := range []struct{ from, to, wantFrom, wantTo string }{
		{"2026-07-01", "2026-09-30", "2026-04-01", "2026-06-30"}, // a quarter: the quarter before
		{"2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28"}, // a month: the month before
		{"2026-01-01", "2026-12-31", "2025-01-01", "2025-12-31"}, // a year
		{"2026-10-01", "2026-11-27", "2026-08-04", "2026-09-30"}, // to date: same number of days
		{"2026-05-10", "2026-05-10", "2026-05-09", "2026-05-09"},
	} {
		p, err := ParsePeriod(tc.from, tc.to)
		if err != nil {
			t.Fatal(err)
		}
		prev := p.Previous()
		if prev.FromString() != tc.wantFrom || prev.ToString() != tc.wantTo {
			t.Fatalf("%s..%s: got %s..%s, want %s..%s", tc.from, tc.to, prev.FromString(), prev.ToString(), tc.wantFrom, tc.wantTo)
		}
	}
}

func TestKioskKey(t *testing.T) {
	s := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	c := &Counter{ID: 7, TokenVersion: 2, KioskVersion: 1}
	k := s.KioskKey(c)
	if !s.VerifyKiosk(c, k) {
		t.Fatalf("own key refused")
	}
	for _, bad := range []struct {
		id   int64
		v, k int
		key  string
	}{{8, 2, 1, k}, {7, 3, 1, k}, {7, 2, 2, k}, {7, 2, 1, ""}, {7, 2, 1, "1"}, {7, 2, 1, k[:len(k)-1]}, {7, 2, 1, s.Token(7, 2)}} {
		if s.VerifyKiosk(&Counter{ID: bad.id, TokenVersion: bad.v, KioskVersion: bad.k}, bad.key) {
			t.Fatalf("accepted %+v", bad)
		}
	}
	if other := NewSigner([]byte("another-secret-another-secret-xx")); other.VerifyKiosk(c, k) {
		t.Fatalf("key valid under another secret")
	}
}

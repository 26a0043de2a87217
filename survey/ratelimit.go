package survey

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"net/netip"
	"sync"
	"time"
)

// HardCapFactor is how many times the rate limit a client may submit at one
// counter in an hour before it gets 429: between the limit and the hard cap
// submissions are stored but flagged, because many citizens may share one
// office or mobile-carrier address.
const HardCapFactor = 10

// maxLimiterEntries bounds the limiter's memory. Past it, new clients are
// not tracked until the next hour (fail open: citizens are never blocked
// because of memory pressure).
const maxLimiterEntries = 200_000

// RateVerdict is what the limiter decides for one submission.
type RateVerdict int

const (
	RateOK     RateVerdict = iota // within the limit
	RateFlag                      // over the limit: store, but flag rate_limited
	RateReject                    // over the hard cap: refuse (429)
)

// RateLimiter counts submissions per (counter, client) per clock hour. A
// client is never kept as an address: only as HMAC-SHA256(day key, counter,
// address), where the day key is HMAC-SHA256(server secret, Vietnam date).
// When the date changes the key changes and every count is dropped, so
// hashes of different days cannot be linked, and nothing of it is written
// to disk.
type RateLimiter struct {
	limit  int
	secret []byte

	mu     sync.Mutex
	day    string
	dayKey []byte
	hour   int64
	counts map[[16]byte]int
}

// NewRateLimiter returns a limiter allowing limit submissions per client
// and counter an hour (0: no limit), keyed by secret (a random one when
// empty).
func NewRateLimiter(limit int, secret []byte) *RateLimiter {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	return &RateLimiter{limit: limit, secret: append([]byte(nil), secret...), counts: map[[16]byte]int{}}
}

// KioskFactor multiplies the rate limit for a counter's own tablet
// (submissions with the counter's signed kiosk key): one device there
// serves every citizen of the counter.
const KioskFactor = 10

// check counts one submission at counter from addr at time now, against
// the limit times factor (1, or KioskFactor for a counter's tablet).
func (l *RateLimiter) check(counterID int64, addr netip.Addr, now time.Time, factor int) RateVerdict {
	if l == nil || l.limit <= 0 {
		return RateOK
	}
	limit := l.limit * max(factor, 1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if day := LocalDate(now); day != l.day {
		m := hmac.New(sha256.New, l.secret)
		m.Write([]byte("sipas-client-hash\x00" + day))
		l.day, l.dayKey = day, m.Sum(nil)
		clear(l.counts)
	}
	if hour := now.Unix() / 3600; hour != l.hour {
		l.hour = hour
		clear(l.counts)
	}
	key := clientHash(l.dayKey, counterID, addr)
	n, seen := l.counts[key]
	if !seen && len(l.counts) >= maxLimiterEntries {
		return RateOK
	}
	if n <= HardCapFactor*limit {
		n++ // stop counting past the cap: the verdict cannot change
		l.counts[key] = n
	}
	switch {
	case n <= limit:
		return RateOK
	case n <= HardCapFactor*limit:
		return RateFlag
	}
	return RateReject
}

// clientHash is the keyed hash of a client at a counter. IPv6 clients are
// taken by their /64, which one household or phone usually owns whole.
func clientHash(key []byte, counterID int64, addr netip.Addr) [16]byte {
	addr = addr.Unmap()
	if addr.Is6() {
		if p, err := addr.Prefix(64); err == nil {
			addr = p.Addr()
		}
	}
	m := hmac.New(sha256.New, key)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(counterID))
	m.Write(b[:])
	a := addr.As16()
	m.Write(a[:])
	var out [16]byte
	copy(out[:], m.Sum(nil))
	return out
}

// Admit applies the per (counter, client) rate limit to a submission about
// to be stored from addr at now: over the limit it flags the submission
// (stored, left out of the indices); over the hard cap it returns
// RateReject and the submission must be refused. A counter's own tablet
// (channel "kiosk", set only for a valid kiosk key) gets KioskFactor times
// the limit.
func (l *RateLimiter) Admit(sub *Submission, addr netip.Addr, now time.Time) RateVerdict {
	factor := 1
	if sub.Channel == "kiosk" {
		factor = KioskFactor
	}
	v := l.check(sub.CounterID, addr, now, factor)
	if v == RateFlag && sub.Flag == "" {
		sub.Flag = FlagRateLimited
	}
	return v
}

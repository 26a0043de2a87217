package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
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

// rateVerdict is what the limiter decides for one submission.
type rateVerdict int

const (
	rateOK     rateVerdict = iota // within the limit
	rateFlag                      // over the limit: store, but flag rate_limited
	rateReject                    // over the hard cap: answer 429
)

// rateLimiter counts submissions per (counter, client) per clock hour. A
// client is never kept as an address: only as HMAC-SHA256(day key, counter,
// address), where the day key is HMAC-SHA256(server secret, Vietnam date).
// When the date changes the key changes and every count is dropped, so
// hashes of different days cannot be linked, and nothing of it is written
// to disk.
type rateLimiter struct {
	limit  int
	secret []byte

	mu     sync.Mutex
	day    string
	dayKey []byte
	hour   int64
	counts map[[16]byte]int
}

func newRateLimiter(limit int, secret []byte) *rateLimiter {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	return &rateLimiter{limit: limit, secret: append([]byte(nil), secret...), counts: map[[16]byte]int{}}
}

// KioskFactor multiplies the rate limit for a counter's own tablet
// (submissions with the counter's signed kiosk key): one device there
// serves every citizen of the counter.
const KioskFactor = 10

// check counts one submission at counter from addr at time now, against
// the limit times factor (1, or KioskFactor for a counter's tablet).
func (l *rateLimiter) check(counterID int64, addr netip.Addr, now time.Time, factor int) rateVerdict {
	if l == nil || l.limit <= 0 {
		return rateOK
	}
	limit := l.limit * max(factor, 1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if day := survey.LocalDate(now); day != l.day {
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
		return rateOK
	}
	if n <= HardCapFactor*limit {
		n++ // stop counting past the cap: the verdict cannot change
		l.counts[key] = n
	}
	switch {
	case n <= limit:
		return rateOK
	case n <= HardCapFactor*limit:
		return rateFlag
	}
	return rateReject
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

// clientAddr returns the client's address: the immediate peer, unless the
// peer is a trusted proxy, in which case the right-most address of
// X-Forwarded-For that is not itself a trusted proxy.
func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.IPv6Unspecified()
	}
	peer = peer.Unmap()
	if !inPrefixes(peer, trusted) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled hop: trust nothing to its left
		}
		a = a.Unmap()
		if !inPrefixes(a, trusted) {
			return a
		}
	}
	return peer
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseCIDRs parses a comma-separated list of CIDR prefixes or single
// addresses (for --trusted-proxy).
func ParseCIDRs(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, survey.Errorf(survey.EINVALID, "invalid address %q", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, survey.Errorf(survey.EINVALID, "invalid CIDR %q", f)
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Context keys the observe middleware reads to count submissions.
const (
	ctxChannel = "sipas.channel"
	ctxFlag    = "sipas.flag"
)

// admit applies the per (counter, client) rate limit to a submission about
// to be stored. Over the limit it flags the submission (kept, out of the
// indices); over the hard cap it answers 429 and returns false.
func (s *Server) admit(c *gin.Context, sub *survey.Submission) bool {
	factor := 1
	if sub.Channel == "kiosk" { // set only for a valid kiosk key
		factor = KioskFactor
	}
	switch s.limiter.check(sub.CounterID, clientAddr(c.Request, s.cfg.TrustedProxies), s.now(), factor) {
	case rateFlag:
		if sub.Flag == "" {
			sub.Flag = survey.FlagRateLimited
		}
	case rateReject:
		now := s.now()
		c.Header("Retry-After", strconv.FormatInt(3600-now.Unix()%3600, 10))
		if isAPI(c) {
			writeJSON(c, http.StatusTooManyRequests, apiError{Error: "too many submissions from this client for this counter in the last hour; try again later"})
		} else {
			lang := langOf(c)
			heading, body := "Đã gửi quá nhiều phiếu", "Thiết bị này đã gửi quá nhiều phiếu cho quầy này trong một giờ. Xin Ông/Bà thử lại sau."
			if lang == "en" {
				heading, body = "Too many ratings", "This device has sent too many ratings for this counter within an hour. Please try again later."
			}
			s.render(c, http.StatusTooManyRequests, "message", s.messagePage(lang, heading, body))
		}
		return false
	}
	c.Set(ctxChannel, sub.Channel)
	c.Set(ctxFlag, sub.Flag)
	return true
}

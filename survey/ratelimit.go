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

// DailyFactor is how many times the hourly rate limit of submissions one
// client may have counted at one counter in a day (Vietnam date): past it,
// further ones are stored but flagged, never refused (one office or carrier
// address may be shared by many citizens). At the default limit of 20 this
// is 100 a day, where the hourly limit alone would let 480 through.
const DailyFactor = 5

// KioskFactor multiplies the rate limit for a counter's own tablet
// (submissions with the counter's signed kiosk key): one device there
// serves every citizen of the counter. It applies to the daily cap too.
const KioskFactor = 10

// maxLimiterEntries bounds the limiter's memory. When the table is full,
// the client seen least recently is forgotten to make room: the limiter
// never stops counting (it does not fail open).
const maxLimiterEntries = 200_000

// RateVerdict is what the limiter decides for one submission.
type RateVerdict int

const (
	RateOK     RateVerdict = iota // within the limit
	RateFlag                      // over the limit: store, but flag rate_limited
	RateReject                    // over the hard cap: refuse (429)
)

// RateLimiter limits submissions per (counter, client). Each pair has two
// leaky buckets that drain continuously, so there is no clock-hour boundary
// at which a client may send its limit twice in a row:
//
//   - counted submissions: limit an hour, with bursts of up to limit; past
//     it a submission is stored but flagged;
//   - stored submissions (counted and flagged): HardCapFactor×limit an hour;
//     past it a submission is refused (429);
//
// and a daily count: at most DailyFactor×limit submissions are counted a day,
// further ones are flagged.
//
// A client is never kept as an address: only as HMAC-SHA256(day key,
// counter, address), where the day key is HMAC-SHA256(server secret, Vietnam
// date). When the date changes the key changes and every count is dropped,
// so hashes of different days cannot be linked, and nothing of it is
// written to disk.
type RateLimiter struct {
	limit  int
	secret []byte
	max    int // clients kept at most

	mu     sync.Mutex
	dayKey []byte
	// tagKeys key the client tags of each Vietnam date (ClientTag):
	// random, drawn once per date and held in memory only, so that tags
	// stored with ratings cannot be traced back to addresses by whoever
	// holds the database (which holds the secret the counts' key derives
	// from). Only the dates of the last few days are kept.
	tagKeys          map[string][]byte
	dayStart, dayEnd int64 // the Vietnam day of dayKey, Unix ns [start, end)
	index            map[[16]byte]int32
	// entries is the table of clients, a doubly linked list by last use
	// through slot numbers (head: seen last; tail: seen longest ago).
	// Slots instead of container/list: no pointers, so the garbage
	// collector does not walk 200 000 entries.
	entries    []limiterEntry
	head, tail int32
}

// limiterEntry is one (counter, client) pair of the day.
type limiterEntry struct {
	key [16]byte
	// counted and stored are the buckets, each as the time (Unix ns) at
	// which it will be empty (the "theoretical arrival time" of GCRA).
	counted, stored int64
	today           int32 // submissions counted today
	prev, next      int32 // slots; -1 for none
}

// NewRateLimiter returns a limiter allowing limit submissions per client
// and counter an hour (0: no limit), keyed by secret (a random one when
// empty).
func NewRateLimiter(limit int, secret []byte) *RateLimiter {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	return &RateLimiter{limit: limit, secret: append([]byte(nil), secret...), max: maxLimiterEntries,
		index: map[[16]byte]int32{}, head: -1, tail: -1}
}

// check counts one submission at counter from addr at time now, against
// the limit times factor (1, or KioskFactor for a counter's tablet). For
// RateReject it also returns how long the client must wait before a
// submission would be taken again.
func (l *RateLimiter) check(counterID int64, addr netip.Addr, now time.Time, factor int) (RateVerdict, time.Duration) {
	if l == nil || l.limit <= 0 {
		return RateOK, 0
	}
	limit := l.limit * max(factor, 1)
	ns := now.UnixNano()
	l.mu.Lock()
	defer l.mu.Unlock()
	if ns < l.dayStart || ns >= l.dayEnd {
		l.newDay(now)
	}
	e := l.entry(clientHash(l.dayKey, counterID, addr))
	if wait := fill(&e.stored, ns, HardCapFactor*limit); wait > 0 {
		return RateReject, wait
	}
	if int(e.today) < DailyFactor*limit && fill(&e.counted, ns, limit) == 0 {
		e.today++
		return RateOK, 0
	}
	return RateFlag, 0
}

// fill adds one submission to the leaky bucket that is empty at *tat and
// holds n submissions, draining n an hour. It returns 0 when the submission
// fit, else how long until it would (and leaves the bucket as it was).
func fill(tat *int64, now int64, n int) time.Duration {
	interval := int64(time.Hour) / int64(n)
	t := max(*tat, now)
	if over := t + interval - now - int64(time.Hour); over > 0 {
		return time.Duration(over)
	}
	*tat = t + interval
	return 0
}

// newDay derives the key of now's Vietnam date and drops every count.
func (l *RateLimiter) newDay(now time.Time) {
	local := now.In(Vietnam)
	start := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, Vietnam)
	m := hmac.New(sha256.New, l.secret)
	m.Write([]byte("sipas-client-hash\x00" + start.Format("2006-01-02")))
	l.dayKey = m.Sum(nil)
	l.dayStart, l.dayEnd = start.UnixNano(), start.AddDate(0, 0, 1).UnixNano()
	clear(l.index)
	l.entries = l.entries[:0]
	l.head, l.tail = -1, -1
}

// entry returns the entry of key, made the most recently seen; a new key
// takes a new slot or, when the table is full, the slot of the client seen
// longest ago.
func (l *RateLimiter) entry(key [16]byte) *limiterEntry {
	if i, ok := l.index[key]; ok {
		l.unlink(i)
		l.pushFront(i)
		return &l.entries[i]
	}
	var i int32
	if len(l.entries) < max(l.max, 1) {
		i = int32(len(l.entries))
		l.entries = append(l.entries, limiterEntry{})
	} else {
		i = l.tail
		l.unlink(i)
		delete(l.index, l.entries[i].key)
	}
	l.entries[i] = limiterEntry{key: key}
	l.index[key] = i
	l.pushFront(i)
	return &l.entries[i]
}

func (l *RateLimiter) unlink(i int32) {
	e := &l.entries[i]
	if e.prev >= 0 {
		l.entries[e.prev].next = e.next
	} else {
		l.head = e.next
	}
	if e.next >= 0 {
		l.entries[e.next].prev = e.prev
	} else {
		l.tail = e.prev
	}
	e.prev, e.next = -1, -1
}

func (l *RateLimiter) pushFront(i int32) {
	e := &l.entries[i]
	e.prev, e.next = -1, l.head
	if l.head >= 0 {
		l.entries[l.head].prev = i
	} else {
		l.tail = i
	}
	l.head = i
}

// ClientTag returns the day's tag of the device at addr with user agent
// ua: the first 8 bytes of HMAC-SHA256(day's tag key, address, user agent)
// as a positive number, the address being the client's (clientOf). The
// user agent tells apart the phones behind one address (an office's
// Wi-Fi), which the rate limit cannot. The tag key is drawn at random for
// each Vietnam date and never leaves memory: a tag is the same at every
// counter through one day of one server process, unrelated across days
// and across restarts, and cannot be reversed from the database. 0 for a
// nil limiter. The integrity scan keeps it with a rating for two dates,
// never the address or the user agent.
func (l *RateLimiter) ClientTag(addr netip.Addr, ua string, now time.Time) int64 {
	if l == nil {
		return 0
	}
	date := now.In(Vietnam).Format("2006-01-02")
	l.mu.Lock()
	key := l.tagKeys[date]
	if key == nil {
		// A date's key is drawn once: a request stamped just before
		// midnight that arrives after one stamped just after gets its own
		// date's key, and the next day's stays the same.
		if l.tagKeys == nil {
			l.tagKeys = map[string][]byte{}
		}
		key = make([]byte, 32)
		rand.Read(key)
		l.tagKeys[date] = key
		for d := range l.tagKeys {
			if d < now.In(Vietnam).AddDate(0, 0, -2).Format("2006-01-02") {
				delete(l.tagKeys, d)
			}
		}
	}
	l.mu.Unlock()
	m := hmac.New(sha256.New, key)
	a := clientOf(addr).As16()
	m.Write(a[:])
	m.Write([]byte(ua))
	tag := int64(binary.BigEndian.Uint64(m.Sum(nil)) >> 1) // positive
	return max(tag, 1)
}

// clientOf is the client an address stands for: IPv4 (mapped or not) as
// it is, IPv6 by its /64, which one household or phone usually owns whole.
// The rate limit and the sign-in throttle count clients by it.
func clientOf(addr netip.Addr) netip.Addr {
	addr = addr.Unmap()
	if addr.Is6() {
		if p, err := addr.Prefix(64); err == nil {
			addr = p.Addr()
		}
	}
	return addr
}

// clientHash is the keyed hash of a client (clientOf) at a counter.
func clientHash(key []byte, counterID int64, addr netip.Addr) [16]byte {
	addr = clientOf(addr)
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

// limitKey is what a submission is counted under: its counter, or for a
// dossier rating without a counter the negated agency id, so that such
// ratings of different agencies do not share one count (counter ids are
// positive, so the two never meet).
func limitKey(sub *Submission) int64 {
	if sub.CounterID != 0 {
		return sub.CounterID
	}
	return -sub.AgencyID
}

// Admit applies the per (counter, client) rate limit to a submission about
// to be stored from addr at now: over the hourly or the daily limit it flags
// the submission (stored, left out of the indices); over the hard cap it
// returns RateReject, with how long the client should wait (for
// Retry-After), and the submission must be refused. A counter's own tablet
// (channel "kiosk", set only for a valid kiosk key) gets KioskFactor times
// the limits.
func (l *RateLimiter) Admit(sub *Submission, addr netip.Addr, now time.Time) (RateVerdict, time.Duration) {
	factor := 1
	if sub.Channel == "kiosk" {
		factor = KioskFactor
	}
	v, wait := l.check(limitKey(sub), addr, now, factor)
	if v == RateFlag && sub.Flag == "" {
		sub.Flag = FlagRateLimited
	}
	return v, wait
}

// Refund takes back what Admit counted for a submission that stored no new
// rating — a replay of one stored before, a reused id refused, a failure to
// store — given Admit's verdict v and the same addr and now: a retry must
// not use up the client's allowance, nor be refused as "too many" for a
// rating that is already stored. It does nothing across a change of day
// (the counts were dropped then).
func (l *RateLimiter) Refund(sub *Submission, addr netip.Addr, v RateVerdict, now time.Time) {
	if l == nil || l.limit <= 0 || v == RateReject {
		return
	}
	factor := 1
	if sub.Channel == "kiosk" {
		factor = KioskFactor
	}
	limit := l.limit * factor
	ns := now.UnixNano()
	l.mu.Lock()
	defer l.mu.Unlock()
	if ns < l.dayStart || ns >= l.dayEnd {
		return
	}
	i, ok := l.index[clientHash(l.dayKey, limitKey(sub), addr)]
	if !ok {
		return // evicted since
	}
	e := &l.entries[i]
	e.stored -= int64(time.Hour) / int64(HardCapFactor*limit)
	if v == RateOK {
		e.counted -= int64(time.Hour) / int64(limit)
		e.today--
	}
}

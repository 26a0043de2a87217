package survey

import (
	"net/netip"
	"strings"
	"sync"
	"time"
)

// LoginThrottle slows down password guessing without handing anyone a way
// to lock an account. Failures are counted per (client, name) and per
// client, never per name alone: past a few failures for a name from one
// client, or many from one client, that client's further attempts are
// refused for a window that doubles with each failure (up to
// throttleMaxLock). Someone hammering a name therefore delays only
// themselves; the account's owner, signing in from another address, gets
// in as usual. The price is that guesses spread over many addresses are
// each slowed only per address; bcrypt's cost and the strength of
// passwords carry that case. IPv6 clients count by their /64, since one
// device can have a whole /64 of addresses.
//
// It is kept in memory; a restart forgets it, which only resets the
// delays.
type LoginThrottle struct {
	mu sync.Mutex
	m  map[string]*throttleEntry
}

type throttleEntry struct {
	fails int
	last  time.Time
	until time.Time
}

// Throttle settings: failures allowed before delays start for one name
// from one client and for one client in all (generous, since a whole
// office may share one address), the first delay and its cap, and how long
// failures are remembered.
const (
	ThrottleFreeName   = 3
	ThrottleFreeClient = 20
	ThrottleBase       = 2 * time.Second
	throttleMaxLock    = 15 * time.Minute
	throttleForget     = time.Hour
	// throttleNameMax bounds the part of a typed name kept in a key.
	throttleNameMax = 100
)

// NewLoginThrottle returns an empty throttle.
func NewLoginThrottle() *LoginThrottle {
	return &LoginThrottle{m: map[string]*throttleEntry{}}
}

// throttleKeys returns the keys of a sign-in as name from client: the
// (client, name) pair and the client alone.
func throttleKeys(client netip.Addr, name string) (pair, cl string) {
	client = clientOf(client)
	if len(name) > throttleNameMax {
		name = name[:throttleNameMax]
	}
	cl = "c:" + client.String()
	return "p:" + client.String() + "\x00" + strings.ToLower(name), cl
}

// Begin starts a sign-in as name from client at now. When the client must
// still wait it returns how long, and a nil done. Otherwise it counts the
// attempt as a failure at once — before the password is checked, so that
// guesses sent in parallel are counted as they start and not only after
// their bcrypt comparisons end — and returns done, to be called once with
// whether the password was right: a right one is refunded (the failures for
// the name from that client are forgotten and the client's count goes back
// down), a wrong one stays counted.
func (t *LoginThrottle) Begin(now time.Time, client netip.Addr, name string) (wait time.Duration, done func(ok bool)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d := t.waitLocked(now, client, name); d > 0 {
		return d, nil
	}
	t.failLocked(now, client, name)
	return 0, func(ok bool) {
		if ok {
			t.refund(client, name)
		}
	}
}

// wait returns how long a sign-in as name from client is still refused at
// now (0: it may be tried).
func (t *LoginThrottle) wait(now time.Time, client netip.Addr, name string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.waitLocked(now, client, name)
}

func (t *LoginThrottle) waitLocked(now time.Time, client netip.Addr, name string) time.Duration {
	pair, cl := throttleKeys(client, name)
	var d time.Duration
	for _, k := range []string{pair, cl} {
		if e := t.m[k]; e != nil && e.until.After(now) {
			d = max(d, e.until.Sub(now))
		}
	}
	return d
}

// fail records a failed sign-in as name from client. Past the free
// failures of a key it locks that key for ThrottleBase·2^(extra failures −
// 1), at most throttleMaxLock.
func (t *LoginThrottle) fail(now time.Time, client netip.Addr, name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failLocked(now, client, name)
}

func (t *LoginThrottle) failLocked(now time.Time, client netip.Addr, name string) {
	pair, cl := throttleKeys(client, name)
	if len(t.m) > 100000 {
		for k, e := range t.m {
			if now.Sub(e.last) > throttleForget && !e.until.After(now) {
				delete(t.m, k)
			}
		}
	}
	t.failKey(now, pair, ThrottleFreeName)
	t.failKey(now, cl, ThrottleFreeClient)
}

func (t *LoginThrottle) failKey(now time.Time, key string, free int) {
	e := t.m[key]
	if e == nil || now.Sub(e.last) > throttleForget {
		e = &throttleEntry{}
		t.m[key] = e
	}
	e.fails++
	e.last = now
	if extra := e.fails - free; extra > 0 {
		d := throttleMaxLock
		if extra < 20 {
			d = min(ThrottleBase<<(extra-1), throttleMaxLock)
		}
		e.until = now.Add(d)
	}
}

// refund takes back the failure Begin counted for a sign-in that
// succeeded: the failures for name from client are forgotten, and the
// client's count loses that one attempt (its earlier failures stay: signing
// in to one's own account must not wipe the record of guesses at others).
func (t *LoginThrottle) refund(client netip.Addr, name string) {
	pair, cl := throttleKeys(client, name)
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, pair)
	if e := t.m[cl]; e != nil && e.fails > 0 {
		e.fails--
		if e.fails <= ThrottleFreeClient {
			e.until = time.Time{}
		}
	}
}

package survey

import (
	"sync"
	"time"
)

// LoginThrottle slows down guessing: past a few failed sign-ins for a user
// name, or many from one client address, further attempts are refused for
// a window that doubles with each failure (up to maxLock). It is kept in
// memory; a restart forgets it, which only resets the delays.
type LoginThrottle struct {
	mu sync.Mutex
	m  map[string]*throttleEntry
}

type throttleEntry struct {
	fails int
	last  time.Time
	until time.Time
}

// Throttle settings: failures allowed before delays start, per name and
// per client (offices share one address), the first delay and its cap, and
// how long failures are remembered.
const (
	ThrottleFreeName   = 3
	ThrottleFreeClient = 20
	ThrottleBase       = 2 * time.Second
	throttleMaxLock    = 15 * time.Minute
	throttleForget     = time.Hour
)

// NewLoginThrottle returns an empty throttle.
func NewLoginThrottle() *LoginThrottle {
	return &LoginThrottle{m: map[string]*throttleEntry{}}
}

// Wait returns how long the keys are still locked at now (0: not locked).
func (t *LoginThrottle) Wait(now time.Time, keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var d time.Duration
	for _, k := range keys {
		if e := t.m[k]; e != nil && e.until.After(now) {
			d = max(d, e.until.Sub(now))
		}
	}
	return d
}

// Fail records a failed attempt for key; past free failures it locks the
// key for ThrottleBase·2^(extra failures − 1), at most throttleMaxLock.
func (t *LoginThrottle) Fail(now time.Time, key string, free int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.m) > 100000 {
		for k, e := range t.m {
			if now.Sub(e.last) > throttleForget && !e.until.After(now) {
				delete(t.m, k)
			}
		}
	}
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

// Reset forgets key's failures (after a successful sign-in).
func (t *LoginThrottle) Reset(key string) {
	t.mu.Lock()
	delete(t.m, key)
	t.mu.Unlock()
}

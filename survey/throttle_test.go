package survey

import (
	"net/netip"
	"sync"
	"testing"
	"time"
)

// A name hammered from one client is locked for that client only: the
// account's owner elsewhere is never refused (no lock-out by name).
func TestLoginThrottleNeverLocksAName(t *testing.T) {
	th := NewLoginThrottle()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	attacker := netip.MustParseAddr("198.51.100.7")
	owner := netip.MustParseAddr("203.0.113.20")
	for range 200 {
		th.fail(now, attacker, "admin")
	}
	if d := th.wait(now, attacker, "ADMIN"); d != throttleMaxLock {
		t.Fatalf("attacker: got wait %v, want %v", d, throttleMaxLock)
	}
	if d := th.wait(now, owner, "admin"); d != 0 {
		t.Fatalf("owner from another client: got wait %v, want 0", d)
	}
}

func TestLoginThrottleWindows(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	office := netip.MustParseAddr("192.0.2.10")
	other := netip.MustParseAddr("192.0.2.11")
	tests := []struct {
		name  string
		fails func(th *LoginThrottle)
		as    netip.Addr
		user  string
		want  time.Duration
	}{
		{"free failures for a name", func(th *LoginThrottle) { failN(th, t0, office, "lan", ThrottleFreeName) }, office, "lan", 0},
		{"first lock", func(th *LoginThrottle) { failN(th, t0, office, "lan", ThrottleFreeName+1) }, office, "lan", ThrottleBase},
		{"window doubles", func(th *LoginThrottle) { failN(th, t0, office, "lan", ThrottleFreeName+3) }, office, "lan", 4 * ThrottleBase},
		{"name case does not matter", func(th *LoginThrottle) { failN(th, t0, office, "Lan", ThrottleFreeName+1) }, office, "lAN", ThrottleBase},
		{"another name from the same client", func(th *LoginThrottle) { failN(th, t0, office, "lan", ThrottleFreeName+1) }, office, "minh", 0},
		{"the same name from another client", func(th *LoginThrottle) { failN(th, t0, office, "lan", ThrottleFreeName+1) }, other, "lan", 0},
		{"an office's colleagues share 20 failures", func(th *LoginThrottle) {
			for i := range ThrottleFreeClient {
				th.fail(t0, office, string(rune('a'+i)))
			}
		}, office, "z", 0},
		{"past 20 the client is locked for every name", func(th *LoginThrottle) {
			for i := range ThrottleFreeClient + 1 {
				th.fail(t0, office, string(rune('a'+i)))
			}
		}, office, "z", ThrottleBase},
		{"one IPv6 /64 is one client", func(th *LoginThrottle) {
			failN(th, t0, netip.MustParseAddr("2001:db8:1:2::1"), "lan", ThrottleFreeName+1)
		}, netip.MustParseAddr("2001:db8:1:2:ffff::9"), "lan", ThrottleBase},
		{"another /64 is another client", func(th *LoginThrottle) {
			failN(th, t0, netip.MustParseAddr("2001:db8:1:2::1"), "lan", ThrottleFreeName+1)
		}, netip.MustParseAddr("2001:db8:1:3::1"), "lan", 0},
		{"IPv4-mapped is the IPv4 client", func(th *LoginThrottle) {
			failN(th, t0, netip.MustParseAddr("::ffff:192.0.2.10"), "lan", ThrottleFreeName+1)
		}, office, "lan", ThrottleBase},
		{"success forgets the name's failures", func(th *LoginThrottle) {
			failN(th, t0, office, "lan", ThrottleFreeName)
			signIn(th, t0, office, "lan", true)
			failN(th, t0, office, "lan", ThrottleFreeName) // free again
		}, office, "lan", 0},
		{"a success is not a failure", func(th *LoginThrottle) {
			for range 10 * ThrottleFreeClient {
				signIn(th, t0, office, "lan", true)
			}
		}, office, "minh", 0},
		{"a wrong password through Begin counts", func(th *LoginThrottle) {
			for range ThrottleFreeName + 1 {
				signIn(th, t0, office, "lan", false)
			}
		}, office, "lan", ThrottleBase},
		{"success keeps the client's failures", func(th *LoginThrottle) {
			for i := range ThrottleFreeClient {
				th.fail(t0, office, string(rune('a'+i)))
			}
			signIn(th, t0, office, "mallory", true)
			th.fail(t0, office, "z")
		}, office, "z", ThrottleBase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := NewLoginThrottle()
			tt.fails(th)
			if got := th.wait(t0, tt.as, tt.user); got != tt.want {
				t.Fatalf("got wait %v, want %v", got, tt.want)
			}
		})
	}
}

// Failures are forgotten an hour after the last one: the next failure
// starts the count again.
func TestLoginThrottleForgets(t *testing.T) {
	th := NewLoginThrottle()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a := netip.MustParseAddr("192.0.2.10")
	failN(th, t0, a, "lan", ThrottleFreeName+1)
	later := t0.Add(throttleForget + time.Minute)
	if d := th.wait(later, a, "lan"); d != 0 {
		t.Fatalf("after an hour: got wait %v, want 0", d)
	}
	th.fail(later, a, "lan")
	if d := th.wait(later, a, "lan"); d != 0 {
		t.Fatalf("first failure after forgetting: got wait %v, want 0", d)
	}
}

func failN(th *LoginThrottle, now time.Time, client netip.Addr, name string, n int) {
	for range n {
		th.fail(now, client, name)
	}
}

// signIn is one sign-in through Begin with the password right or wrong.
func signIn(th *LoginThrottle, now time.Time, client netip.Addr, name string, ok bool) {
	if _, done := th.Begin(now, client, name); done != nil {
		done(ok)
	}
}

// Guesses sent in parallel are counted as they start: while 40 wrong
// passwords are still being compared, only the free attempts and the one
// that sets the lock get to the comparison (sequentially the same number
// would), never all 40.
func TestLoginThrottleCountsParallelGuesses(t *testing.T) {
	th := NewLoginThrottle()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	client := netip.MustParseAddr("198.51.100.7")
	var mu sync.Mutex
	var started []func(bool)
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			if d, done := th.Begin(now, client, "admin"); d == 0 {
				mu.Lock()
				started = append(started, done)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(started) != ThrottleFreeName+1 {
		t.Fatalf("%d of 40 parallel guesses reached the password check, want %d", len(started), ThrottleFreeName+1)
	}
	for _, done := range started {
		done(false)
	}
	if d := th.wait(now, client, "admin"); d == 0 {
		t.Fatalf("after the guesses the client is not locked")
	}
}

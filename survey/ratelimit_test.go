package survey

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"
	"time"
)

// verdicts sends n submissions of one client at one counter, the i-th at
// at(i), and counts the verdicts.
func verdicts(l *RateLimiter, counter int64, ip netip.Addr, factor, n int, at func(i int) time.Time) map[RateVerdict]int {
	got := map[RateVerdict]int{}
	for i := range n {
		v, _ := l.check(counter, ip, at(i), factor)
		got[v]++
	}
	return got
}

func TestRateLimiterVerdicts(t *testing.T) {
	l := NewRateLimiter(2, []byte("secret-secret-secret-secret-1234"))
	ip := netip.MustParseAddr("203.0.113.7")
	t0 := time.Date(2025, 6, 10, 9, 15, 0, 0, Vietnam)
	for i := range 2 + 18 + 2 {
		got, wait := l.check(1, ip, t0, 1)
		want := RateOK
		switch {
		case i >= 20:
			want = RateReject
		case i >= 2:
			want = RateFlag
		}
		if got != want {
			t.Fatalf("submission %d: got verdict %d, want %d", i+1, got, want)
		}
		if (wait > 0) != (got == RateReject) {
			t.Fatalf("submission %d: verdict %d with wait %v", i+1, got, wait)
		}
	}
	tests := []struct {
		name    string
		counter int64
		ip      string
		at      time.Time
		want    RateVerdict
	}{
		{"other counter", 2, "203.0.113.7", t0, RateOK},
		{"other client", 1, "203.0.113.8", t0, RateOK},
		{"a minute later", 1, "203.0.113.7", t0.Add(time.Minute), RateReject},
		{"an hour later", 1, "203.0.113.7", t0.Add(time.Hour), RateOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := l.check(tt.counter, netip.MustParseAddr(tt.ip), tt.at, 1); got != tt.want {
				t.Fatalf("got %d, want %d", got, tt.want)
			}
		})
	}
	if got, _ := NewRateLimiter(0, nil).check(1, ip, t0, 1); got != RateOK {
		t.Fatalf("limit 0: got %d, want RateOK", got)
	}
}

// TestRateLimiterNoHourBoundary: the limit holds over any hour, not per
// clock hour. The review found 40 counted when 20 came just before and 20
// just after a full hour, and 400 stored without a 429.
func TestRateLimiterNoHourBoundary(t *testing.T) {
	const limit = 20
	ip := netip.MustParseAddr("203.0.113.7")
	boundary := time.Date(2025, 6, 10, 10, 0, 0, 0, Vietnam)
	spread := func(n int) func(int) time.Time { // n in the minute before and n in the minute after the hour
		return func(i int) time.Time {
			return boundary.Add(-time.Minute + time.Duration(i)*time.Minute/time.Duration(n))
		}
	}
	got := verdicts(NewRateLimiter(limit, []byte("s")), 1, ip, 1, 2*limit, spread(limit))
	if got[RateOK] > limit+1 || got[RateOK]+got[RateFlag] != 2*limit {
		t.Fatalf("%d submissions across the hour: got %v, want at most %d counted and the rest flagged", 2*limit, got, limit+1)
	}
	n := 2 * HardCapFactor * limit
	got = verdicts(NewRateLimiter(limit, []byte("s")), 1, ip, 1, n, spread(n/2))
	// The cap plus what drains in the two minutes (a thirtieth of an hour).
	if capped := HardCapFactor * limit * 31 / 30; got[RateOK]+got[RateFlag] > capped || got[RateReject] == 0 {
		t.Fatalf("%d submissions across the hour: got %v, want at most %d stored and the rest refused", n, got, capped)
	}

	// A client keeping to the limit is never flagged within the day's cap;
	// half an hour after a full burst, half the limit is free again.
	l := NewRateLimiter(limit, []byte("s"))
	start := time.Date(2025, 6, 10, 7, 0, 0, 0, Vietnam)
	if got := verdicts(l, 1, ip, 1, 3*limit, func(i int) time.Time { return start.Add(time.Duration(i) * time.Hour / limit) }); got[RateOK] != 3*limit {
		t.Fatalf("one submission every %v for 3 hours: got %v, want all counted", time.Hour/limit, got)
	}
	l = NewRateLimiter(limit, []byte("s"))
	verdicts(l, 1, ip, 1, limit, func(int) time.Time { return start })
	if got := verdicts(l, 1, ip, 1, limit, func(int) time.Time { return start.Add(30 * time.Minute) }); got[RateOK] != limit/2 {
		t.Fatalf("half an hour after a burst of %d: got %v, want %d counted", limit, got, limit/2)
	}
}

// TestRateLimiterRetryAfter: a refused client is told when the next
// submission will be taken, and it is.
func TestRateLimiterRetryAfter(t *testing.T) {
	l := NewRateLimiter(1, []byte("s"))
	ip := netip.MustParseAddr("203.0.113.7")
	t0 := time.Date(2025, 6, 10, 9, 15, 0, 0, Vietnam)
	verdicts(l, 1, ip, 1, HardCapFactor, func(int) time.Time { return t0 })
	v, wait := l.check(1, ip, t0.Add(time.Second), 1)
	if want := time.Hour/HardCapFactor - time.Second; v != RateReject || wait != want {
		t.Fatalf("past the hard cap: got %d, wait %v; want RateReject, wait %v", v, wait, want)
	}
	if v, _ := l.check(1, ip, t0.Add(time.Second+wait), 1); v != RateFlag {
		t.Fatalf("after the wait: got %d, want RateFlag", v)
	}
}

// TestRateLimiterDailyCap: a client sending at the hourly limit all day
// has DailyFactor times the limit counted; the rest is flagged, not
// refused. The review found 480 counted a day at the default limit.
func TestRateLimiterDailyCap(t *testing.T) {
	tests := []struct {
		name          string
		limit, factor int
	}{{"default limit", 20, 1}, {"limit 2", 2, 1}, {"kiosk", 2, KioskFactor}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewRateLimiter(tt.limit, []byte("s"))
			perHour := tt.limit * tt.factor
			day := time.Date(2025, 6, 10, 0, 0, 0, 0, Vietnam)
			n := 24 * perHour
			got := verdicts(l, 1, netip.MustParseAddr("203.0.113.7"), tt.factor, n, func(i int) time.Time {
				return day.Add(time.Duration(i) * time.Hour / time.Duration(perHour))
			})
			if want := DailyFactor * perHour; got[RateOK] != want || got[RateFlag] != n-want {
				t.Fatalf("%d a day at %d an hour: got %v, want %d counted and %d flagged", n, perHour, got, want, n-want)
			}
			// The next day (Vietnam date) starts afresh.
			if v, _ := l.check(1, netip.MustParseAddr("203.0.113.7"), day.AddDate(0, 0, 1), tt.factor); v != RateOK {
				t.Fatalf("next day: got %d, want RateOK", v)
			}
		})
	}
}

// TestRateLimiterEvictsLeastRecentlySeen: a full table forgets the client
// seen longest ago and keeps counting the others.
func TestRateLimiterEvictsLeastRecentlySeen(t *testing.T) {
	l := NewRateLimiter(1, []byte("s"))
	l.max = 3
	t0 := time.Date(2025, 6, 10, 9, 15, 0, 0, Vietnam)
	ip := func(s string) netip.Addr { return netip.MustParseAddr("198.51.100." + s) }
	steps := []struct {
		client string
		want   RateVerdict
	}{
		{"1", RateOK}, {"2", RateOK}, {"3", RateOK},
		{"1", RateFlag}, // 1 is now the most recently seen: 2 is the oldest
		{"4", RateOK},   // evicts 2
		{"4", RateFlag}, // counted although the table is full
		{"3", RateFlag},
		{"1", RateFlag},
		{"2", RateOK}, // forgotten: starts afresh, evicting 4
		{"3", RateFlag},
		{"4", RateOK}, // forgotten, evicting 1
	}
	for i, s := range steps {
		if got, _ := l.check(1, ip(s.client), t0, 1); got != s.want {
			t.Fatalf("step %d (client %s): got %d, want %d", i+1, s.client, got, s.want)
		}
	}
	if len(l.index) != 3 || len(l.entries) != 3 {
		t.Fatalf("table holds %d (%d slots), want 3", len(l.index), len(l.entries))
	}
}

// TestRateLimiterFullTableNeverFailsOpen: with the table full of other
// clients, a new client is still limited. The review found that once
// 200 000 clients were held, new ones were never counted.
func TestRateLimiterFullTableNeverFailsOpen(t *testing.T) {
	l := NewRateLimiter(1, []byte("s"))
	l.max = 1000 // maxLimiterEntries behaves the same, in seconds under -race
	t0 := time.Date(2025, 6, 10, 9, 15, 0, 0, Vietnam)
	for i := range uint32(l.max) {
		var a [4]byte
		binary.BigEndian.PutUint32(a[:], 10<<24|i)
		l.check(1, netip.AddrFrom4(a), t0, 1)
	}
	ip := netip.MustParseAddr("203.0.113.7")
	if got := verdicts(l, 1, ip, 1, 2, func(int) time.Time { return t0 }); got[RateFlag] != 1 {
		t.Fatalf("new client in a full table: got %v, want the second flagged", got)
	}
}

func TestClientHash(t *testing.T) {
	k1 := []byte("day-key-1")
	k2 := []byte("day-key-2")
	h := func(key []byte, counter int64, ip string) [16]byte {
		return clientHash(key, counter, netip.MustParseAddr(ip))
	}
	tests := []struct {
		name string
		a, b [16]byte
		same bool
	}{
		{"same IPv6 /64", h(k1, 1, "2001:db8:1:2::1"), h(k1, 1, "2001:db8:1:2:ffff::9"), true},
		{"other IPv6 /64", h(k1, 1, "2001:db8:1:2::1"), h(k1, 1, "2001:db8:1:3::1"), false},
		{"IPv4 and mapped", h(k1, 1, "198.51.100.4"), h(k1, 1, "::ffff:198.51.100.4"), true},
		{"other counter", h(k1, 1, "198.51.100.4"), h(k1, 2, "198.51.100.4"), false},
		{"other day key", h(k1, 1, "198.51.100.4"), h(k2, 1, "198.51.100.4"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.a == tt.b) != tt.same {
				t.Fatalf("hashes equal: got %v, want %v", tt.a == tt.b, tt.same)
			}
		})
	}
	// The day key changes with the Vietnam date, not the UTC one.
	l := NewRateLimiter(1, []byte("s"))
	ip := netip.MustParseAddr("198.51.100.4")
	late := time.Date(2025, 6, 10, 16, 59, 0, 0, time.UTC) // 23:59 in Vietnam
	l.check(1, ip, late, 1)
	l.check(2, ip, late, 1)
	key1 := l.dayKey
	l.check(1, ip, late.Add(time.Minute/2), 1)
	if !bytes.Equal(key1, l.dayKey) {
		t.Fatalf("day key rotated before midnight in Vietnam")
	}
	l.check(1, ip, late.Add(2*time.Minute), 1) // 00:01 the next day in Vietnam
	if bytes.Equal(key1, l.dayKey) {
		t.Fatalf("day key did not rotate at midnight in Vietnam")
	}
	if len(l.index) != 1 || len(l.entries) != 1 {
		t.Fatalf("counts after rotation: got %d entries, want 1 (old day dropped)", len(l.index))
	}
}

// A refunded submission gives its place back: with a limit of 1, a rating
// refunded (it turned out a replay) leaves room for the next one to be
// counted; across midnight a refund changes nothing.
func TestRateLimiterRefund(t *testing.T) {
	l := NewRateLimiter(1, []byte("secret-secret-secret-secret-1234"))
	ip := netip.MustParseAddr("203.0.113.7")
	t0 := time.Date(2025, 6, 10, 9, 15, 0, 0, Vietnam)
	sub := &Submission{CounterID: 1, Channel: "web"}
	v, _ := l.Admit(sub, ip, t0)
	if v != RateOK {
		t.Fatalf("first: got %d", v)
	}
	l.Refund(sub, ip, v, t0)
	if v, _ := l.Admit(&Submission{CounterID: 1, Channel: "web"}, ip, t0); v != RateOK {
		t.Fatalf("after a refund: got verdict %d, want RateOK", v)
	}
	if v, _ := l.Admit(&Submission{CounterID: 1, Channel: "web"}, ip, t0); v != RateFlag {
		t.Fatalf("without one: got verdict %d, want RateFlag", v)
	}
	late := time.Date(2025, 6, 10, 23, 59, 0, 0, Vietnam)
	v, _ = l.Admit(sub, ip, late)
	l.Refund(sub, ip, v, late.Add(2*time.Minute)) // the next day: no-op
	if v, _ := l.Admit(&Submission{CounterID: 1, Channel: "web"}, ip, late.Add(2*time.Minute)); v != RateOK {
		t.Fatalf("first of the new day: got %d, want RateOK", v)
	}
}

// A dossier rating without a counter is counted per agency: two agencies'
// counterless ratings from one client do not share a count, nor does one
// with a counter's (counter 2 and agency 2 are different keys), and a
// refund finds the count it took.
func TestRateLimiterCounterlessDossiers(t *testing.T) {
	l := NewRateLimiter(1, []byte("secret-secret-secret-secret-1234"))
	ip := netip.MustParseAddr("203.0.113.7")
	t0 := time.Date(2025, 6, 10, 9, 15, 0, 0, Vietnam)
	for _, sub := range []*Submission{
		{AgencyID: 2, Channel: ChannelDossier},
		{AgencyID: 3, Channel: ChannelDossier},
		{CounterID: 2, AgencyID: 2, Channel: ChannelDossier},
	} {
		if v, _ := l.Admit(sub, ip, t0); v != RateOK {
			t.Fatalf("first of %+v: got verdict %d, want RateOK", sub, v)
		}
	}
	if v, _ := l.Admit(&Submission{AgencyID: 2, Channel: ChannelDossier}, ip, t0); v != RateFlag {
		t.Fatalf("second of agency 2: got verdict %d, want RateFlag", v)
	}
	sub := &Submission{AgencyID: 4, Channel: ChannelDossier}
	v, _ := l.Admit(sub, ip, t0)
	l.Refund(sub, ip, v, t0)
	if v, _ := l.Admit(&Submission{AgencyID: 4, Channel: ChannelDossier}, ip, t0); v != RateOK {
		t.Fatalf("after a refund: got verdict %d, want RateOK", v)
	}
}

// A device's tag is the same at every counter on one Vietnam date,
// differs between addresses and between user agents behind one address,
// and cannot be linked across dates; an IPv6 client is its /64. It is
// never zero (zero means unknown).
func TestClientTag(t *testing.T) {
	l := NewRateLimiter(20, []byte("secret"))
	day := time.Date(2026, 10, 6, 9, 0, 0, 0, Vietnam)
	a := netip.MustParseAddr("203.0.113.7")
	const ua = "Mozilla/5.0 (Linux; Android 13; SM-A145F) Zalo"
	tag := l.ClientTag(a, ua, day)
	if tag <= 0 {
		t.Fatalf("tag %d, want positive", tag)
	}
	if l.ClientTag(a, ua, day.Add(14*time.Hour)) != tag {
		t.Error("same device, same Vietnam date (23:00): another tag")
	}
	if l.ClientTag(a, ua, day.Add(15*time.Hour)) == tag {
		t.Error("the next Vietnam date must give another tag")
	}
	if l.ClientTag(netip.MustParseAddr("203.0.113.8"), ua, day) == tag {
		t.Error("two addresses, one tag")
	}
	if l.ClientTag(a, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)", day) == tag {
		t.Error("two phones behind one address, one tag")
	}
	v6 := l.ClientTag(netip.MustParseAddr("2001:db8:1:2::1"), ua, day)
	if v6 != l.ClientTag(netip.MustParseAddr("2001:db8:1:2:ffff::9"), ua, day) {
		t.Error("one /64, two tags")
	}
	if NewRateLimiter(20, []byte("secret")).ClientTag(a, ua, day) == tag {
		t.Error("another process with the same secret computes the same tag: the tag key must be random, in memory only")
	}
	// Around midnight requests may take the lock out of order: a date's
	// key is drawn once, whatever came in between.
	late := time.Date(2026, 10, 6, 23, 59, 59, 0, Vietnam)
	early := late.Add(2 * time.Second)
	next := l.ClientTag(a, ua, early)
	if l.ClientTag(a, ua, late) != tag || l.ClientTag(a, ua, early.Add(9*time.Hour)) != next {
		t.Error("a request of the day before, taken after one of the next day, changed a date's tags")
	}
	var none *RateLimiter
	if none.ClientTag(a, ua, day) != 0 {
		t.Error("nil limiter: tag must be 0")
	}
}

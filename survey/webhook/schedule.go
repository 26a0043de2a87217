package webhook

import "time"

// Schedule is when failed deliveries are tried again: First after the
// first failure, doubling after each further one up to Max, each wait
// spread by ±Jitter (a fraction) so that receivers coming back are not hit
// by every sender at once; a delivery still failing Window after it was
// queued is given up.
type Schedule struct {
	First, Max, Window time.Duration
	Jitter             float64
}

// DefaultSchedule: 30 s, 1 min, 2 min … capped at 1 h, ±20 %, for 24 h.
var DefaultSchedule = Schedule{First: 30 * time.Second, Max: time.Hour, Window: 24 * time.Hour, Jitter: 0.2}

// Wait is the wait after the attempts-th failed attempt (1 for the first),
// before jitter.
func (s Schedule) Wait(attempts int) time.Duration {
	w := s.First
	for i := 1; i < attempts && w < s.Max; i++ {
		w *= 2
	}
	return min(w, s.Max)
}

// Next is when to try again after the attempts-th failure at now of a
// delivery queued at created; rnd in [0, 1) places the jitter. A wait
// that would pass the window's end is cut to a last try at its end; zero
// means give up: the window has ended.
func (s Schedule) Next(created, now time.Time, attempts int, rnd float64) time.Time {
	end := created.Add(s.Window)
	if !now.Before(end) {
		return time.Time{}
	}
	w := s.Wait(attempts)
	w += time.Duration(float64(w) * s.Jitter * (2*rnd - 1))
	if next := now.Add(w); next.Before(end) {
		return next
	}
	return end
}

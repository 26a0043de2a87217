package integrity

import (
	"sort"
	"time"

	"github.com/sipas/sipas/survey"
)

// UnitDay is one unit's ratings of one day with what they are judged
// against.
type UnitDay struct {
	Unit     int64
	Agency   int64
	Date     string    // YYYY-MM-DD, Vietnam
	Until    time.Time // how far the day has been observed (its end, or now)
	Calendar *Calendar
	Baseline *Baseline
	// Ratings of the day, every state (see Rating); Detect sorts them by
	// time.
	Ratings []Rating
}

// Widths are the lengths of the scan windows.
var Widths = []time.Duration{10 * time.Minute, 60 * time.Minute}

// multiP is the weight of the multi signal: one client rating three or
// more counters within an hour. Shared addresses (an office's Wi-Fi, a
// carrier's gateway) do that honestly, so it is weak: it needs strong
// company to set a rating aside.
const multiP = 0.01

// burstFloor bounds the burst signal's p-value: the count of a window says
// that something happened in it, not which of its ratings: alone it never
// sets a rating aside (the honest citizens rating in the same minutes stay
// counted), only with the device or repetition signal of the rating itself.
const burstFloor = 1e-9

// kioskPattern is how over-represented a kiosk rating's answers must be
// (repetition p-value) for the window's burst and device signals to count
// against it.
const kioskPattern = 1e-3

// evidence is the strongest case against one rating.
type evidence struct {
	p        float64    // combined p-value
	sig      [5]float64 // p-value of each signal, in Signals order
	from, to time.Time
	observed int
	expected float64
}

// Detect judges the ratings of a day, unit by unit, and returns the windows
// in which ratings are set aside, each listing the ratings it covers
// (counted ones to take out, and excluded ones the rule also covers; never
// accepted ones). A rating is set aside when
//
//   - it came from a unit's kiosk out of hours, beyond the grace period; or
//   - the p-values of its signals, combined by Fisher's method over the five
//     signals (chi-square with 10 degrees of freedom), fall below
//     Options.Alpha.
//
// Under Fisher's rule a single signal must be extreme to pass: with the
// default Alpha a lone p-value must be below about 1e-11 (five ratings of
// a phone never seen at the counter within ten minutes reach that; a phone
// rating at 21:00, weighted by the counter's share of evening ratings, or a
// queue of honest ratings arriving together, does not).
func Detect(days []*UnitDay, opt Options) []Window {
	multi := multiClients(days)
	var out []Window
	for _, u := range days {
		sort.SliceStable(u.Ratings, func(i, j int) bool { return u.Ratings[i].At.Before(u.Ratings[j].At) })
		for i := range u.Ratings {
			if r := &u.Ratings[i]; r.Kiosk {
				// The counter's tablet is one device whatever network it is
				// on (its ratings carry the counter's kiosk key): not the
				// phones on the office Wi-Fi that share its address.
				r.Client = kioskDevice(r.Unit)
			}
		}
		out = append(out, u.detect(opt, multi)...)
	}
	return out
}

func (u *UnitDay) detect(opt Options, multi map[int64]bool) []Window {
	// Bots (the honeypot's catch) are no one's rating: they neither show a
	// pattern nor are judged.
	rs := make([]Rating, 0, len(u.Ratings))
	for _, r := range u.Ratings {
		if !r.Bot {
			rs = append(rs, r)
		}
	}
	n := len(rs)
	if n == 0 {
		return nil
	}
	// The day's level counts what the rate limit let through: a flood it
	// kept out must not hide a burst, nor make a shared address look rare.
	nEff := 0
	for _, r := range rs {
		if !r.Limited {
			nEff++
		}
	}
	dayStart, err := time.ParseInLocation("2006-01-02", u.Date, survey.Vietnam)
	if err != nil {
		return nil
	}
	until := u.Until
	if until.IsZero() || until.After(dayStart.AddDate(0, 0, 1)) {
		until = dayStart.AddDate(0, 0, 1)
	}
	m := model{b: u.Baseline, cal: u.Calendar, day: dayStart, perDay: float64(nEff)}
	if m.b == nil {
		m.b = NewBaseline()
	}
	if m.cal == nil {
		m.cal = NewCalendar(DefaultHours(), nil)
	}
	eDay := m.expected(dayStart, until)
	tails := tailCache{}

	// Per client: ratings of the day (all, and those that count for
	// others), and of each vector.
	clients, clientsEff := map[int64]int{}, map[int64]int{}
	byClientVector := map[cv]int{}
	for _, r := range rs {
		if r.Client != 0 {
			clients[r.Client]++
			byClientVector[cv{r.Client, r.Vector}]++
			if !r.Limited {
				clientsEff[r.Client]++
			}
		}
	}
	ev := make([]evidence, n)
	base := make([][5]float64, n)
	for i, r := range rs {
		s := &base[i]
		*s = [5]float64{1, 1, 1, 1, 1}
		if !m.cal.Open(r.At, 0) && !r.Kiosk {
			s[3] = m.b.offShare()
		}
		if r.Client != 0 && multi[r.ID] {
			s[4] = multiP
		}
		// Repetition within the client's day: its ratings with this vector
		// among all its ratings, against how often the vector is given.
		if nt := clients[r.Client]; r.Client != 0 && nt >= 5 {
			if k := byClientVector[cv{r.Client, r.Vector}]; k >= 5 {
				s[2] = tails.binom(k, nt, m.b.vectorShare(r.Vector))
			}
		}
		ev[i] = evidence{p: 2, sig: *s}
	}
	var win window
	win.init()
	for _, w := range Widths {
		j := 0
		for i := 0; i < n; {
			if j < i {
				j = i
			}
			end := rs[i].At.Add(w)
			for j+1 < n && rs[j+1].At.Before(end) {
				j++
			}
			k := j - i + 1
			mu := m.expected(rs[i].At, end)
			// The day's level outside the window scales the history's rate
			// up (never down): a busy day is not a burst.
			win.fill(rs[i : j+1])
			mu *= max((float64(nEff-win.kCounted)+1)/(eDay-mu+1), 1)
			for x := i; x <= j; x++ {
				sig := win.signals(rs[x], base[x], mu, nEff, clientsEff, m.b, &tails)
				for s := range sig {
					if opt.Off[Signals[s]] {
						sig[s] = 1
					}
				}
				if p := fisher(sig[:]); p < ev[x].p {
					ev[x] = evidence{p: p, sig: sig, from: rs[i].At, to: end, observed: k, expected: mu}
				}
			}
			// A window of many ratings moves on by a share of them: every
			// rating is still in windows starting near it, and a flood of
			// thousands costs a bounded number of windows, not its square.
			i += max(1, k/maxStartsPerWindow)
		}
	}
	alpha := opt.alpha()
	grace := opt.grace()
	var marks []mark
	for i, r := range rs {
		if r.Accepted {
			continue
		}
		e := ev[i]
		var reasons [5]bool
		switch {
		case r.Kiosk && !m.cal.Open(r.At, grace) && !opt.Off[SignalOffHours]:
			reasons[3] = true
			e.from, e.to = r.At, r.At
			if e.observed == 0 {
				e.observed = 1
			}
		case e.p < alpha:
			for s, p := range e.sig {
				reasons[s] = p < 1e-3 || (s >= 3 && p < 1)
			}
			if e.sig[2] < 1e-3 && r.Client != 0 && !r.Kiosk && e.sig[2] < e.sig[1] {
				// Set aside by a phone's day of identical ratings: the
				// window is that stretch of the day.
				e.from, e.to = clientSpan(rs, r.Client, r.Vector, e.from, e.to)
			}
		default:
			continue
		}
		marks = append(marks, mark{id: r.ID, e: e, reasons: reasons})
	}
	return merge(u, marks)
}

// mark is a rating set aside, with its evidence.
type mark struct {
	id      int64
	e       evidence
	reasons [5]bool
}

// clientSpan widens [from, to) to every rating of client with vector v.
func clientSpan(rs []Rating, client int64, v string, from, to time.Time) (time.Time, time.Time) {
	for _, r := range rs {
		if r.Client == client && r.Vector == v {
			if r.At.Before(from) {
				from = r.At
			}
			if !r.At.Before(to) {
				to = r.At.Add(time.Minute)
			}
		}
	}
	return from, to
}

// windowRound is the precision of a window's bounds as stored and shown:
// nothing finer than ten minutes is told about when a rating came.
const windowRound = 10 * time.Minute

// merge turns the marks of a unit's day into windows: overlapping
// evidence windows become one, bounds rounded out to windowRound.
func merge(u *UnitDay, marks []mark) []Window {
	if len(marks) == 0 {
		return nil
	}
	for i := range marks {
		marks[i].e.from = marks[i].e.from.Truncate(windowRound)
		to := marks[i].e.to.Truncate(windowRound)
		if to.Before(marks[i].e.to) || !to.After(marks[i].e.from) {
			to = to.Add(windowRound)
		}
		marks[i].e.to = to
	}
	sort.Slice(marks, func(i, j int) bool { return marks[i].e.from.Before(marks[j].e.from) })
	var out []Window
	var cur *Window
	var reasons [5]bool
	flush := func() {
		if cur == nil {
			return
		}
		for s, ok := range reasons {
			if ok {
				cur.Reasons = append(cur.Reasons, Signals[s])
			}
		}
		sort.Slice(cur.Ratings, func(i, j int) bool { return cur.Ratings[i] < cur.Ratings[j] })
		out = append(out, *cur)
		reasons = [5]bool{}
	}
	for _, mk := range marks {
		if cur == nil || mk.e.from.After(cur.To) {
			flush()
			cur = &Window{Unit: u.Unit, Agency: u.Agency, Date: u.Date, From: mk.e.from, To: mk.e.to, P: mk.e.p,
				RatingReasons: map[int64][]string{}}
		}
		var own []string
		for s, ok := range mk.reasons {
			if ok {
				own = append(own, Signals[s])
			}
		}
		cur.RatingReasons[mk.id] = own
		if mk.e.to.After(cur.To) {
			cur.To = mk.e.to
		}
		cur.Ratings = append(cur.Ratings, mk.id)
		if mk.e.observed > cur.Observed {
			cur.Observed, cur.Expected = mk.e.observed, mk.e.expected
		}
		cur.P = min(cur.P, mk.e.p)
		for s, ok := range mk.reasons {
			reasons[s] = reasons[s] || ok
		}
	}
	flush()
	return out
}

// kioskDevice is the client key of a unit's tablet: negative, so never a
// client hash (ClientTag is positive).
func kioskDevice(unit int64) int64 {
	if unit < 0 {
		return unit - 1<<40
	}
	return -1 - unit
}

// multiMaxDay: a client with more ratings than this in the day is taken for
// a shared address (an office's Wi-Fi, a carrier's gateway), whose ratings
// of several counters say nothing.
const multiMaxDay = 6

// multiClients returns the ratings whose client rated three or more units
// within an hour, for clients with at most multiMaxDay ratings in the day
// (kiosk ratings are the tablet's, never a client's). Within an hour, not
// the whole day: across a day, carrier addresses shared by a few phones
// rate several counters honestly (measured in the simulation: 0.15 %
// instead of 0.12 % of honest ratings set aside, no attack caught more).
func multiClients(days []*UnitDay) map[int64]bool {
	type seen struct {
		at   time.Time
		unit int64
		id   int64
	}
	byClient := map[int64][]seen{}
	for _, u := range days {
		for _, r := range u.Ratings {
			if r.Client != 0 && !r.Kiosk && !r.Bot {
				byClient[r.Client] = append(byClient[r.Client], seen{r.At, r.Unit, r.ID})
			}
		}
	}
	out := map[int64]bool{}
	for _, list := range byClient {
		if len(list) < 3 || len(list) > multiMaxDay {
			continue
		}
		sort.Slice(list, func(i, j int) bool { return list[i].at.Before(list[j].at) })
		j := 0
		for i := range list {
			for list[j].at.Before(list[i].at.Add(-time.Hour)) {
				j++
			}
			units := map[int64]bool{}
			for _, s := range list[j : i+1] {
				units[s.unit] = true
			}
			if len(units) >= 3 {
				for _, s := range list[j : i+1] {
					out[s.id] = true
				}
			}
		}
	}
	return out
}

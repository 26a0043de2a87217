package integrity

import (
	"math"
	"sort"
	"time"

	"github.com/sipas/sipas/survey"
	"gonum.org/v1/gonum/mathext"
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

// maxStartsPerWindow bounds how many windows start within the span of one
// window (see detect).
const maxStartsPerWindow = 50

// cv is a client and an answer vector.
type cv struct {
	client int64
	vector string
}

// window holds the counts of one scan window. What the rate limit flagged
// counts only for its own device: a flood of submissions it already kept
// out (from an address rotating its user agent, say) cannot make honest
// citizens who rated beside it look suspicious. Ratings the integrity
// rules set aside count for everyone: they are the pattern.
type window struct {
	// all and allVec count every rating of a client in the window (and with
	// a vector); counted and countedVec the ones that count for others.
	all, counted map[int64]int
	allVec       map[cv]int
	countedVec   map[cv]int
	// kCounted is the ratings that count for others; people the distinct
	// clients among them and peopleVec those giving each vector (a rating
	// without a client is a person of its own).
	kCounted  int
	people    int
	peopleVec map[string]int
	// vectors lists each client's answer vectors in the window.
	vectors map[int64][]string
}

func (w *window) init() {
	w.all, w.counted, w.allVec, w.countedVec, w.peopleVec = map[int64]int{}, map[int64]int{}, map[cv]int{}, map[cv]int{}, map[string]int{}
	w.vectors = map[int64][]string{}
}

// fill counts the ratings rs of a window.
func (w *window) fill(rs []Rating) {
	clear(w.all)
	clear(w.counted)
	clear(w.allVec)
	clear(w.countedVec)
	clear(w.peopleVec)
	for c, v := range w.vectors {
		w.vectors[c] = v[:0]
	}
	w.kCounted, w.people = 0, 0
	for _, r := range rs {
		key := cv{r.Client, r.Vector}
		w.all[r.Client]++
		w.allVec[key]++
		if r.Client != 0 {
			w.vectors[r.Client] = append(w.vectors[r.Client], r.Vector)
		}
		if r.Limited {
			continue
		}
		w.kCounted++
		w.counted[r.Client]++
		w.countedVec[key]++
		if r.Client == 0 || w.counted[r.Client] == 1 {
			w.people++
		}
		if r.Client == 0 || w.countedVec[key] == 1 {
			w.peopleVec[r.Vector]++
		}
	}
}

// signals returns the p-values of r's signals in the window: base (its own
// day) with the window's burst, device and repetition.
func (w *window) signals(r Rating, base [5]float64, mu float64, nEff int, clientsEff map[int64]int, b *Baseline, tails *tailCache) [5]float64 {
	sig := base
	// r's own device: all its ratings of the window; everyone else: the
	// counted ones.
	own, ownVec := 1, 1
	countedOwn, countedOwnVec, inPeople, inPeopleVec := 0, 0, 0, 0
	if !r.Limited {
		countedOwn, countedOwnVec, inPeople, inPeopleVec = 1, 1, 1, 1
	}
	if r.Client != 0 {
		key := cv{r.Client, r.Vector}
		own, ownVec = w.all[r.Client], w.allVec[key]
		countedOwn, countedOwnVec = w.counted[r.Client], w.countedVec[key]
		inPeople, inPeopleVec = min(countedOwn, 1), min(countedOwnVec, 1)
	}
	k := w.kCounted - countedOwn + own
	sig[0] = max(tails.poisson(k, mu), burstFloor)
	if alike := w.alike(r); alike >= 3 {
		// The device's taps with answers like these, against its share of
		// the rest of the day: people sharing an address (an office's
		// Wi-Fi) answer differently; a phone stuffing its counter repeats
		// itself, give or take an item.
		rest := float64(nEff - w.kCounted)
		share := min((float64(clientsEff[r.Client]-countedOwn)+0.5)/(max(rest, 0)+1), 1)
		sig[1] = tails.binom(alike, k, share)
	}
	rep := sig[2] // the client's day
	others := w.people - inPeople
	if kv := ownVec + w.peopleVec[r.Vector] - inPeopleVec; kv >= 3 {
		// Among the window's people.
		rep = min(rep, tails.binom(kv, own+others, b.vectorShare(r.Vector)))
	}
	if own >= 5 {
		// Among the device's ratings of the window (a tablet, or a phone
		// tapping on).
		rep = min(rep, tails.binom(ownVec, own, b.vectorShare(r.Vector)))
	}
	sig[2] = min(1, 3*rep) // the smallest of three, Bonferroni
	if r.Kiosk && sig[2] >= kioskPattern {
		// The tablet serves every citizen of the counter: that it is busy
		// says nothing of a rating that does not carry the window's
		// repeated answers.
		sig[0], sig[1] = 1, 1
	}
	return sig
}

// maxAlike bounds the comparisons of alike: past it, a device's taps are
// counted as they are, not compared (a flood from one phone is one device
// whatever its answers).
const maxAlike = 200

// alike counts the ratings of r's device in the window whose answers are
// like r's: the same but for at most alikeItems items, or, both, every
// answer 4 or 5 (the "satisfied" a stuffer wants).
func (w *window) alike(r Rating) int {
	if r.Client == 0 {
		return 0
	}
	vs := w.vectors[r.Client]
	if len(vs) > maxAlike {
		return len(vs)
	}
	n := 0
	for _, v := range vs {
		if alikeVectors(v, r.Vector) {
			n++
		}
	}
	return n
}

// alikeItems is how many answers two ratings may differ in and still be
// alike.
const alikeItems = 3

// alikeVectors reports whether answer vectors a and b are alike.
func alikeVectors(a, b string) bool {
	if satisfied(a) && satisfied(b) {
		return true
	}
	if len(a) != len(b) {
		return false
	}
	d := 0
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			if d++; d > alikeItems {
				return false
			}
		}
	}
	return true
}

// satisfied reports whether every answered item of v is 4 or 5.
func satisfied(v string) bool {
	n := 0
	for i := 0; i < len(v); i++ {
		if a := v[i]; a >= 1 && a <= 5 {
			if a < 4 {
				return false
			}
			n++
		}
	}
	return n > 0
}

// tailCache remembers the tail probabilities of one unit-day: windows
// that overlap ask the same ones again and again.
type tailCache map[[3]uint64]float64

func (t tailCache) poisson(k int, mu float64) float64 {
	key := [3]uint64{0, uint64(k), math.Float64bits(mu)}
	if p, ok := t[key]; ok {
		return p
	}
	p := poissonSF(k, mu)
	t[key] = p
	return p
}

func (t tailCache) binom(k, n int, p float64) float64 {
	key := [3]uint64{uint64(k)<<32 | 1, uint64(n), math.Float64bits(p)}
	if v, ok := t[key]; ok {
		return v
	}
	v := binomSF(k, n, p)
	t[key] = v
	return v
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

// model is a unit's expected arrival rate through a day.
type model struct {
	b      *Baseline
	cal    *Calendar
	day    time.Time
	perDay float64
}

// expected returns how many ratings the unit's history predicts in [a, b).
func (m model) expected(a, b time.Time) float64 {
	c := dayClass(m.cal, m.day.Add(12*time.Hour))
	spans := m.cal.spans(m.day.Add(12 * time.Hour))
	var mu float64
	for t := a; t.Before(b); {
		l := t.In(survey.Vietnam)
		h := l.Hour()
		next := time.Date(l.Year(), l.Month(), l.Day(), h, 0, 0, 0, survey.Vietnam).Add(time.Hour)
		if next.After(b) {
			next = b
		}
		mu += m.b.rate(c, h, spans, m.perDay) * next.Sub(t).Hours()
		t = next
	}
	return mu
}

// poissonSF is P(X ≥ k) for X ~ Poisson(mu).
func poissonSF(k int, mu float64) float64 {
	if k <= 0 {
		return 1
	}
	if mu <= 0 {
		return 0
	}
	return mathext.GammaIncReg(float64(k), mu)
}

// binomSF is P(X ≥ k) for X ~ Binomial(n, p).
func binomSF(k, n int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	return mathext.RegIncBeta(float64(k), float64(n-k+1), p)
}

// fisher combines independent p-values: the upper tail of chi-square with
// 2·len(ps) degrees of freedom at -2·Σ ln p (closed form for even degrees).
func fisher(ps []float64) float64 {
	var x float64
	for _, p := range ps {
		x -= math.Log(max(p, 1e-300))
	}
	// x is half the statistic: P = e^-x · Σ_{i<len} x^i / i!
	term, sum := 1.0, 1.0
	for i := 1; i < len(ps); i++ {
		term *= x / float64(i)
		sum += term
	}
	return math.Min(1, math.Exp(-x)*sum)
}

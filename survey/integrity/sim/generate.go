package sim

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
)

const dateLayout = "2006-01-02"

// Streams of the generator: the honest traffic and the attacks draw from
// separate streams, so that changing the attacks leaves the honest month
// as it is.
const (
	streamHonest = 1
	streamAttack = 2
)

// Tag kinds of the daily address hash.
const (
	tagWiFi = iota + 1
	tagNAT
	tagAttack
)

// gen is the state of one Generate.
type gen struct {
	cfg   Config
	seed  uint64
	r     *rand.Rand
	cal   *integrity.Calendar
	first time.Time // midnight of the first history day
	ndays int
	// service is, by weekday, the cumulative weight of serving a citizen
	// at each minute of the day.
	service [7][]float64
	out     []Rating
}

// Generate returns the month of seed: HistoryDays of honest traffic before
// cfg.Start, then cfg.Days evaluated days with the attacks injected. The
// same seed and Config give the same month. It panics when cfg.Start is
// not a date.
func Generate(seed uint64, cfg Config) *Month {
	start, err := time.ParseInLocation(dateLayout, cfg.Start, survey.Vietnam)
	if err != nil {
		panic("sim: Config.Start: " + err.Error())
	}
	g := &gen{
		cfg:   cfg,
		seed:  seed,
		r:     rand.New(rand.NewPCG(seed, streamHonest)),
		cal:   integrity.NewCalendar(cfg.Hours, cfg.Holidays),
		first: start.AddDate(0, 0, -cfg.HistoryDays),
		ndays: cfg.HistoryDays + cfg.Days,
	}
	m := &Month{Seed: seed, Config: cfg, Calendar: g.cal, Eval: cfg.HistoryDays}
	for d := 0; d < g.ndays; d++ {
		m.Dates = append(m.Dates, g.first.AddDate(0, 0, d).Format(dateLayout))
	}
	id := int64(0)
	for a, ag := range cfg.Agencies {
		for _, c := range ag.Counters {
			id++
			m.Units = append(m.Units, Unit{ID: id, Agency: int64(a + 1), Counter: c})
		}
	}
	g.profile()
	// From the day before the first: its evening and next-morning ratings
	// fall on the first day.
	for d := -1; d < g.ndays; d++ {
		g.honestDay(m.Units, d)
	}
	m.Attacks = g.attacks(m.Units)
	sort.SliceStable(g.out, func(i, j int) bool { return g.out[i].At.Before(g.out[j].At) })
	for i := range g.out {
		g.out[i].ID = int64(i + 1)
	}
	m.Ratings = g.out
	return m
}

// profile fills g.service from the opening hours and the hourly profile.
func (g *gen) profile() {
	for wd := range g.service {
		w := make([]float64, 24*60)
		sum := 0.0
		for _, s := range g.cfg.Hours[wd] {
			for m := s.From; m < s.To && m < len(w); m++ {
				x := g.cfg.Profile[m/60]
				if time.Weekday(wd) == time.Friday && m >= 12*60 {
					x *= g.cfg.FridayAfternoon
				}
				sum += x
				w[m] = sum
			}
		}
		if sum == 0 {
			continue
		}
		for m := 1; m < len(w); m++ {
			w[m] = max(w[m], w[m-1])
		}
		for m := range w {
			w[m] /= sum
		}
		g.service[wd] = w
	}
}

// day returns midnight of day d (0 = the first history day).
func (g *gen) day(d int) time.Time { return g.first.AddDate(0, 0, d) }

// serviceTime draws when a citizen is served on day (an open day).
func (g *gen) serviceTime(day time.Time) time.Time {
	w := g.service[day.Weekday()]
	u := g.r.Float64()
	m := sort.SearchFloat64s(w, u)
	return day.Add(time.Duration(m)*time.Minute + time.Duration(g.r.Float64()*float64(time.Minute)))
}

// honestDay generates the citizens served on day d at every unit.
func (g *gen) honestDay(units []Unit, d int) {
	day := g.day(d)
	if !g.cal.OpenDay(day.Add(12 * time.Hour)) {
		return
	}
	f := g.cfg.Weekday[day.Weekday()]
	for _, u := range units {
		level := u.Served * f * math.Exp(g.cfg.DaySpread*g.r.NormFloat64()-g.cfg.DaySpread*g.cfg.DaySpread/2)
		for n := poisson(g.r, level); n > 0; n-- {
			if g.r.Float64() >= u.Response {
				continue
			}
			g.honest(u, g.serviceTime(day))
		}
		if g.r.Float64() < g.cfg.QueueDays {
			t0 := g.serviceTime(day)
			for n := g.cfg.QueueMin + g.r.IntN(g.cfg.QueueMax-g.cfg.QueueMin+1); n > 0; n-- {
				at := t0.Add(time.Duration(g.r.Float64() * float64(g.cfg.QueueSpread)))
				g.phone(u, at, true, PatternQueue)
			}
		}
	}
}

// honest adds the rating of a citizen served at t, on the kiosk or by phone.
func (g *gen) honest(u Unit, t time.Time) {
	if u.Kiosk && g.r.Float64() < u.KioskShare {
		at := t.Add(time.Duration(g.r.Float64() * float64(5*time.Minute)))
		if end := g.closing(t).Add(15 * time.Minute); at.After(end) {
			at = end
		}
		g.add(u, at, true, g.tag(tagWiFi, u.Agency, at), g.answers(u), -1, PatternKiosk, true)
		return
	}
	day := midnight(t)
	x := g.r.Float64()
	switch {
	case x < g.cfg.Evening:
		g.phone(u, day.Add(18*time.Hour+30*time.Minute+g.uniform(4*time.Hour)), false, PatternEvening)
	case x < g.cfg.Evening+g.cfg.Morning:
		g.phone(u, day.AddDate(0, 0, 1).Add(5*time.Hour+30*time.Minute+g.uniform(150*time.Minute)), false, PatternMorning)
	case x < g.cfg.Evening+g.cfg.Morning+g.cfg.Later:
		from := t.Add(15 * time.Minute)
		to := day.Add(18*time.Hour + 30*time.Minute)
		g.phone(u, from.Add(g.uniform(max(to.Sub(from), 0))), false, PatternLater)
	default:
		g.phone(u, t.Add(g.uniform(15*time.Minute)), true, PatternQuick)
	}
}

// phone adds an honest phone rating at at; inOffice ratings go through the
// office Wi-Fi with probability cfg.WiFi.
func (g *gen) phone(u Unit, at time.Time, inOffice bool, pattern string) {
	wifi := inOffice && g.r.Float64() < g.cfg.WiFi
	var client int64
	if wifi {
		client = g.tag(tagWiFi, u.Agency, at)
	} else {
		client = g.tag(tagNAT, int64(g.r.IntN(g.cfg.NATPool)), at)
	}
	if g.cfg.UserAgents > 1 {
		client = int64(mix(uint64(client)+uint64(g.userAgent()))>>1) | 1
	}
	g.add(u, at, false, client, g.answers(u), -1, pattern, wifi)
}

// userAgent draws a phone-and-browser kind, 1..cfg.UserAgents, the i-th
// with weight 1/i (a few popular phones, a long tail).
func (g *gen) userAgent() int {
	var total float64
	for i := 1; i <= g.cfg.UserAgents; i++ {
		total += 1 / float64(i)
	}
	x := g.r.Float64() * total
	for i := 1; i <= g.cfg.UserAgents; i++ {
		if x -= 1 / float64(i); x < 0 {
			return i
		}
	}
	return g.cfg.UserAgents
}

// closing returns the end of the opening span t falls in (or t).
func (g *gen) closing(t time.Time) time.Time {
	day := midnight(t)
	m := int(t.Sub(day) / time.Minute)
	for _, s := range g.cfg.Hours[t.Weekday()] {
		if m >= s.From && m < s.To {
			return day.Add(time.Duration(s.To) * time.Minute)
		}
	}
	return t
}

func (g *gen) uniform(d time.Duration) time.Duration {
	return time.Duration(g.r.Float64() * float64(d))
}

// add appends a rating, dropped when it falls outside the simulated days.
func (g *gen) add(u Unit, at time.Time, kiosk bool, client int64, vector string, attack int, pattern string, wifi bool) {
	if at.Before(g.first) || !at.Before(g.day(g.ndays)) {
		return
	}
	g.out = append(g.out, Rating{
		Rating: integrity.Rating{Unit: u.ID, At: at, Kiosk: kiosk, Client: client, Vector: vector, Counted: true},
		Agency: u.Agency, Attack: attack, Pattern: pattern, WiFi: wifi,
	})
}

// answers draws an honest citizen's answers at unit u.
func (g *gen) answers(u Unit) string {
	x := g.r.Float64()
	switch {
	case x < g.cfg.StraightFive:
		return allFive()
	case x < g.cfg.StraightFive+g.cfg.StraightFour:
		return strings.Repeat("\x04", Items)
	}
	b := make([]byte, Items)
	s := u.Quality + 0.6*g.r.NormFloat64()
	for i := range b {
		if g.r.Float64() < g.cfg.NoOpinion {
			b[i] = NoOpinion
			continue
		}
		b[i] = byte(min(max(math.Round(s+0.7*g.r.NormFloat64()), 1), 5))
	}
	return string(b)
}

// allFive is the vector of every attack: every item 5.
func allFive() string { return strings.Repeat("\x05", Items) }

// tag is the daily keyed hash of an address: kind and key name it, and it
// changes with at's date.
func (g *gen) tag(kind int, key int64, at time.Time) int64 {
	d := int64(midnight(at).Sub(g.first) / (24 * time.Hour))
	h := mix(g.seed ^ 0x5349504153)
	h = mix(h + uint64(kind))
	h = mix(h + uint64(key))
	h = mix(h + uint64(d))
	return int64(h>>1) | 1
}

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// midnight returns the start of t's day, Vietnam time.
func midnight(t time.Time) time.Time {
	l := t.In(survey.Vietnam)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, survey.Vietnam)
}

// poisson draws from Poisson(mu) (Knuth's method, in steps of at most 50
// so that e^-mu does not underflow).
func poisson(r *rand.Rand, mu float64) int {
	n := 0
	for mu > 0 {
		step := min(mu, 50)
		mu -= step
		l, p := math.Exp(-step), r.Float64()
		for p > l {
			n++
			p *= r.Float64()
		}
	}
	return n
}

package sim

import (
	"slices"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
)

// Tally counts ratings and how many of them were set aside.
type Tally struct {
	Total    int `json:"total"`
	SetAside int `json:"set_aside"`
}

// Share is SetAside / Total (0 when there are none).
func (t Tally) Share() float64 {
	if t.Total == 0 {
		return 0
	}
	return float64(t.SetAside) / float64(t.Total)
}

func (t *Tally) add(o Tally) { t.Total += o.Total; t.SetAside += o.SetAside }

// KindResult is the outcome for one attack kind: its ratings injected and
// set aside (the share is the recall), and the recall of each seed.
type KindResult struct {
	Kind
	Instances int `json:"instances"`
	Tally
	PerSeed []float64 `json:"per_seed"`
}

// MinRecall is the lowest recall of a seed.
func (k KindResult) MinRecall() float64 {
	if len(k.PerSeed) == 0 {
		return 0
	}
	return slices.Min(k.PerSeed)
}

// SignalCount counts the set-aside ratings whose window lists a signal
// among its reasons: injected ones and honest ones.
type SignalCount struct {
	Injected int `json:"injected"`
	Honest   int `json:"honest"`
}

// Instance is the outcome of one attack.
type Instance struct {
	Seed uint64 `json:"seed"`
	Attack
	UnitName string   `json:"unit_name"`
	SetAside int      `json:"set_aside"`
	Reasons  []string `json:"reasons"`
	// PerDay is the honest ratings of the counter that day.
	PerDay int `json:"per_day"`
}

// Case is a window that set honest ratings aside, with what they looked
// like.
type Case struct {
	Seed     uint64    `json:"seed"`
	Unit     string    `json:"unit"`
	Date     string    `json:"date"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Reasons  []string  `json:"reasons"`
	P        float64   `json:"p"`
	Observed int       `json:"observed"`
	Expected float64   `json:"expected"`
	// Honest and Injected count the window's ratings; Patterns the honest
	// ones by how they arrived, WiFi and Kiosk those from the office
	// address and from the tablet.
	Honest   int            `json:"honest"`
	Injected int            `json:"injected"`
	Patterns map[string]int `json:"patterns"`
	WiFi     int            `json:"wifi"`
	Kiosk    int            `json:"kiosk"`
	// AllFive counts the honest ones that answered all 5, the attacks'
	// vector.
	AllFive int `json:"all_five"`
	// PerDay is the honest ratings of the counter that day.
	PerDay int `json:"per_day"`
	// Attacks are the kinds of the attacks whose ratings the window set
	// aside.
	Attacks []Kind `json:"attacks,omitempty"`
}

// Collateral reports whether the window also set injected ratings aside:
// honest ratings caught next to an attack rather than on their own.
func (c Case) Collateral() bool { return c.Injected > 0 }

// Result is what Run measured; Merge sums the results of several seeds.
type Result struct {
	Seeds []uint64     `json:"seeds"`
	Kinds []KindResult `json:"kinds"`
	// Honest counts the honest ratings of the evaluated days, Patterns the
	// same by how they arrived.
	Honest   Tally                  `json:"honest"`
	Patterns map[string]Tally       `json:"patterns"`
	Signals  map[string]SignalCount `json:"signals"`
	// Collateral counts the honest ratings set aside in windows that also
	// set injected ones aside.
	Collateral int `json:"collateral"`
	// Injected counts every injected rating.
	Injected  Tally      `json:"injected"`
	Instances []Instance `json:"instances"`
	Cases     []Case     `json:"cases"`
}

// Kind returns the result of kind k (zero when absent).
func (r *Result) Kind(k Kind) KindResult {
	for _, x := range r.Kinds {
		if x.Kind == k {
			return x
		}
	}
	return KindResult{Kind: k}
}

// Run replays the evaluated days of m like the server's periodic scan: for
// each day, every unit's ratings of the day with a baseline of the
// integrity.HistoryDays before it (ratings set aside on an earlier day are
// not counted there), judged by one integrity.Detect call with all units
// of the day, observed to the end of the day.
func Run(m *Month, opt integrity.Options) *Result { return RunEvery(m, opt, 0) }

// RunEvery replays the server's schedule: every interval, from the start of
// each evaluated day to the end of the next (the server judges yesterday
// and today), the day's ratings that have arrived by then, observed up to
// then; a rating once set aside stays so. every ≤ 0 judges each day once,
// at its end (Run).
func RunEvery(m *Month, opt integrity.Options, every time.Duration) *Result {
	// byDay[d][unit] are the ratings of date d, in time order.
	byDay := make([]map[int64][]integrity.Rating, len(m.Dates))
	index := make(map[string]int, len(m.Dates))
	for i, d := range m.Dates {
		index[d] = i
		byDay[i] = map[int64][]integrity.Rating{}
	}
	for _, r := range m.Ratings {
		d := index[r.At.In(survey.Vietnam).Format(dateLayout)]
		byDay[d][r.Unit] = append(byDay[d][r.Unit], r.Rating)
	}
	for _, units := range byDay {
		for _, rs := range units {
			slices.SortStableFunc(rs, func(a, b integrity.Rating) int { return a.At.Compare(b.At) })
		}
	}
	setAside := make([]bool, len(m.Ratings)+1)
	reasons := make([][]string, len(m.Ratings)+1)
	var windows []integrity.Window
	for e := m.Eval; e < len(m.Dates); e++ {
		dayStart, _ := time.ParseInLocation(dateLayout, m.Dates[e], survey.Vietnam)
		dayEnd := dayStart.AddDate(0, 0, 1)
		bases := map[int64]*integrity.Baseline{}
		for _, u := range m.Units {
			b := integrity.NewBaseline()
			for h := max(0, e-integrity.HistoryDays); h < e; h++ {
				b.AddDay(m.Dates[h], m.Calendar)
				for _, r := range byDay[h][u.ID] {
					r.Counted = !setAside[r.ID]
					b.Add(r, m.Calendar)
				}
			}
			bases[u.ID] = b
		}
		times := []time.Time{dayEnd}
		if every > 0 {
			times = times[:0]
			for t := dayStart.Add(every); !t.After(dayEnd.AddDate(0, 0, 1)); t = t.Add(every) {
				times = append(times, t)
			}
		}
		for _, now := range times {
			until := now
			if until.After(dayEnd) {
				until = dayEnd
			}
			var days []*integrity.UnitDay
			for _, u := range m.Units {
				var rs []integrity.Rating
				for _, r := range byDay[e][u.ID] {
					if !r.At.Before(now) {
						break
					}
					r.Counted = !setAside[r.ID]
					rs = append(rs, r)
				}
				if len(rs) == 0 {
					continue
				}
				days = append(days, &integrity.UnitDay{
					Unit: u.ID, Agency: u.Agency, Date: m.Dates[e], Until: until,
					Calendar: m.Calendar, Baseline: bases[u.ID], Ratings: rs,
				})
			}
			for _, w := range integrity.Detect(days, opt) {
				// A window seen again by a later scan counts once: with the
				// ratings it is the first to set aside.
				fresh := w.Ratings[:0:0]
				for _, id := range w.Ratings {
					if !setAside[id] {
						setAside[id] = true
						reasons[id] = w.Reasons
						fresh = append(fresh, id)
					}
				}
				if len(fresh) > 0 {
					w.Ratings = fresh
					windows = append(windows, w)
				}
			}
		}
	}
	return m.tally(setAside, reasons, windows)
}

// tally counts the outcome of a Run.
func (m *Month) tally(setAside []bool, reasons [][]string, windows []integrity.Window) *Result {
	res := &Result{Seeds: []uint64{m.Seed}, Patterns: map[string]Tally{}, Signals: map[string]SignalCount{}}
	for _, s := range integrity.Signals {
		res.Signals[s] = SignalCount{}
	}
	first := m.Dates[m.Eval]
	// honestPerDay[unit/date] counts honest ratings, for the context of a
	// case.
	type dayKey struct {
		unit int64
		date string
	}
	honestPerDay := map[dayKey]int{}
	key := func(unit int64, date string) dayKey { return dayKey{unit, date} }
	injected := make([]Tally, len(m.Attacks))
	instanceReasons := make([]map[string]bool, len(m.Attacks))
	for _, r := range m.Ratings {
		date := r.At.In(survey.Vietnam).Format(dateLayout)
		if date < first {
			continue
		}
		set := setAside[r.ID]
		t := Tally{Total: 1}
		if set {
			t.SetAside = 1
			for _, s := range reasons[r.ID] {
				c := res.Signals[s]
				if r.Attack >= 0 {
					c.Injected++
				} else {
					c.Honest++
				}
				res.Signals[s] = c
			}
		}
		if r.Attack >= 0 {
			injected[r.Attack].add(t)
			res.Injected.add(t)
			if set {
				if instanceReasons[r.Attack] == nil {
					instanceReasons[r.Attack] = map[string]bool{}
				}
				for _, s := range reasons[r.ID] {
					instanceReasons[r.Attack][s] = true
				}
			}
			continue
		}
		honestPerDay[key(r.Unit, date)]++
		res.Honest.add(t)
		p := res.Patterns[r.Pattern]
		p.add(t)
		res.Patterns[r.Pattern] = p
	}
	names := map[int64]string{}
	for _, u := range m.Units {
		names[u.ID] = u.Name
	}
	for _, w := range windows {
		c := Case{Seed: m.Seed, Unit: names[w.Unit], Date: w.Date, From: w.From, To: w.To, Reasons: w.Reasons,
			P: w.P, Observed: w.Observed, Expected: w.Expected, Patterns: map[string]int{},
			PerDay: honestPerDay[key(w.Unit, w.Date)]}
		for _, id := range w.Ratings {
			r := m.Rating(id)
			switch {
			case r.Attack >= 0:
				c.Injected++
				if k := m.Attacks[r.Attack].Kind; !slices.Contains(c.Attacks, k) {
					c.Attacks = append(c.Attacks, k)
				}
				continue
			case r.WiFi:
				c.WiFi++
			}
			if r.Kiosk {
				c.Kiosk++
			}
			if r.Vector == allFive() {
				c.AllFive++
			}
			c.Honest++
			c.Patterns[r.Pattern]++
		}
		if c.Honest > 0 {
			if c.Collateral() {
				res.Collateral += c.Honest
			}
			res.Cases = append(res.Cases, c)
		}
	}
	for _, k := range m.Config.Kinds() {
		kr := KindResult{Kind: k}
		for i, a := range m.Attacks {
			if a.Kind != k {
				continue
			}
			kr.Instances++
			kr.add(injected[i])
			in := Instance{Seed: m.Seed, Attack: a, UnitName: names[a.Unit], SetAside: injected[i].SetAside,
				PerDay: honestPerDay[key(a.Unit, a.Date)]}
			for _, s := range integrity.Signals {
				if instanceReasons[i][s] {
					in.Reasons = append(in.Reasons, s)
				}
			}
			res.Instances = append(res.Instances, in)
		}
		if kr.Instances > 0 {
			kr.PerSeed = []float64{kr.Share()}
		}
		res.Kinds = append(res.Kinds, kr)
	}
	return res
}

// Merge sums results of several seeds (of the same Config) into one.
func Merge(rs ...*Result) *Result {
	out := &Result{Patterns: map[string]Tally{}, Signals: map[string]SignalCount{}}
	for _, r := range rs {
		out.Seeds = append(out.Seeds, r.Seeds...)
		out.Honest.add(r.Honest)
		out.Injected.add(r.Injected)
		out.Collateral += r.Collateral
		for p, t := range r.Patterns {
			x := out.Patterns[p]
			x.add(t)
			out.Patterns[p] = x
		}
		for s, c := range r.Signals {
			x := out.Signals[s]
			x.Injected += c.Injected
			x.Honest += c.Honest
			out.Signals[s] = x
		}
		out.Instances = append(out.Instances, r.Instances...)
		out.Cases = append(out.Cases, r.Cases...)
		for _, k := range r.Kinds {
			i := slices.IndexFunc(out.Kinds, func(x KindResult) bool { return x.Kind == k.Kind })
			if i < 0 {
				out.Kinds = append(out.Kinds, KindResult{Kind: k.Kind})
				i = len(out.Kinds) - 1
			}
			x := &out.Kinds[i]
			x.Instances += k.Instances
			x.add(k.Tally)
			x.PerSeed = append(x.PerSeed, k.PerSeed...)
		}
	}
	return out
}

package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sipas/sipas/survey"
)

// procedures are common one-stop procedures (codes in the style of the
// national procedure database, for the demo only).
var procedures = []struct{ code, name string }{
	{"1.004227", "Cấp bản sao trích lục hộ tịch"}, {"1.001193", "Đăng ký khai sinh"},
	{"2.000908", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"}, {"1.000894", "Đăng ký kết hôn"},
	{"1.004883", "Đăng ký thường trú"}, {"2.001711", "Đăng ký thành lập hộ kinh doanh"},
	{"1.003003", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu"}, {"1.009994", "Cấp giấy phép xây dựng nhà ở riêng lẻ"},
}

// durations are the processing times of the procedures in working days,
// with their weights.
var durations = []struct{ days, weight int }{{3, 30}, {5, 25}, {7, 20}, {10, 15}, {15, 10}}

// AgencyPlan is how one agency's dossiers are seeded.
type AgencyPlan struct {
	// Agency is the code of Counter's agency when the seed starts (its
	// dossiers go to the agency of their day: see Generator.Follow).
	Agency string
	// Counter is the reception counter its dossiers name.
	Counter *survey.Counter
	// Unit is the unit code that starts its dossier codes ("H13.22").
	Unit string
	// Register is set when its one-stop software registers every dossier;
	// otherwise it imports monthly volumes.
	Register bool
	// Daily is how many dossiers it receives on a working day.
	Daily float64
	// RateShare is the chance that a registered dossier is rated.
	RateShare float64
	// Shift is how much worse (on the 1-5 scale) its dossier ratings are
	// than its open-QR ones.
	Shift float64
}

// ratedDossier is a seeded dossier to be rated once it is stored.
type ratedDossier struct {
	d    *survey.Dossier
	plan *AgencyPlan
	at   time.Time
}

// Dossiers makes the dossiers, dossier ratings and monthly volumes of a
// seeded province, in step with the responses of a Generator.
type Dossiers struct {
	Plans  []*AgencyPlan
	gen    *Generator
	hash   func(code string) []byte
	rng    *rand.Rand
	first  time.Time // midnight of the first seeded day
	end    time.Time
	days   int
	day    int // the day Next is at
	plan   int // the agency Next is at
	left   int // dossiers left for that agency and day
	seq    int
	rated  []ratedDossier
	ratedN int // dossier ratings planned
}

// NewDossiers plans the dossiers of the agencies with a Q1 counter: every
// third agency imports monthly volumes, the others register each dossier
// (until about maxRegistered dossiers, the rest import too). Each agency's
// volume is set so that its response rate — open-QR and dossier ratings
// over dossiers — is realistic, about 2.5 to 30 %, and the first registering
// agency's is about 3 %. responses is the number of ratings of all
// channels to seed; hash is Signer.DossierHash.
func NewDossiers(counters []*survey.Counter, gen *Generator, responses, maxRegistered int, hash func(string) []byte, seed uint64) *Dossiers {
	g := &Dossiers{plan: -1, gen: gen, hash: hash, rng: rand.New(rand.NewPCG(seed, 0xd055135)), end: gen.end, days: gen.days}
	local := gen.end.In(survey.Vietnam)
	g.first = time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, survey.Vietnam).AddDate(0, 0, 1-gen.days)
	work := 0.0
	for d := 0; d < gen.days; d++ {
		work += dayWeight(g.first.AddDate(0, 0, d))
	}
	shares := gen.AgencyShares()
	// Whether an agency registers its dossiers is decided for the unit it
	// is part of today, so that a merged unit's predecessors and the unit
	// do the same: an imported volume would hide the registered dossiers
	// of its other counters.
	type member struct {
		p                      *AgencyPlan
		expected, rate, volume float64
	}
	var homes []string
	groups := map[string][]member{}
	for _, c := range counters {
		if c.Code != "Q1" {
			continue
		}
		expected := float64(responses) * shares[c.AgencyID]
		rate := math.Min(0.22, math.Max(0.025, math.Exp(math.Log(0.09)+0.55*g.rng.NormFloat64())))
		p := &AgencyPlan{Agency: c.AgencyCode, Counter: c, Unit: fmt.Sprintf("H13.%02d", len(g.Plans)+1), Shift: -0.1}
		g.Plans = append(g.Plans, p)
		home := gen.home(c)
		if _, ok := groups[home]; !ok {
			homes = append(homes, home)
		}
		groups[home] = append(groups[home], member{p: p, expected: expected, rate: rate, volume: expected / rate})
	}
	registered, warnings := 0.0, 0
	for i, home := range homes {
		ms := groups[home]
		volume := 0.0
		for _, m := range ms {
			volume += m.volume
		}
		register := i%3 != 0 && registered+volume <= float64(maxRegistered)
		first := register && registered == 0
		for _, m := range ms {
			p, rate, volume := m.p, m.rate, m.volume
			p.Register = register
			if register {
				if first {
					rate, volume = 0.03, m.expected/0.03
				}
				registered += volume
				p.RateShare = (0.2 + 0.25*g.rng.Float64()) * rate
				g.ratedN += int(p.RateShare * volume)
				if !first && warnings < 2 && m.expected > 20 {
					p.Shift, warnings = -0.9, warnings+1 // open-QR ratings much better than dossier ones: a warning sign
				}
			}
			p.Daily = volume / math.Max(work, 1)
		}
	}
	return g
}

// DossierRatings returns how many of the responses to seed are dossier
// ratings (about): the rest come through open QR codes.
func (g *Dossiers) DossierRatings() int { return g.ratedN }

// dayWeight is a day's share of a working day's dossiers: one-stop
// counters work weekdays and Saturday mornings.
func dayWeight(d time.Time) float64 {
	switch d.Weekday() {
	case time.Sunday:
		return 0
	case time.Saturday:
		return 0.3
	}
	return 1
}

// addWorkingDays returns the day n working days (Monday to Friday) after d.
func addWorkingDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// poisson draws a Poisson count of mean lambda (normal beyond 30).
func poisson(rng *rand.Rand, lambda float64) int {
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// Next returns the next registered dossier, oldest day first, and nil
// when there are no more. Its ID is to be set when it is stored: the
// dossiers to rate keep a pointer to it.
func (g *Dossiers) Next() *survey.Dossier {
	for g.left == 0 {
		g.plan++
		if g.plan >= len(g.Plans) {
			g.plan, g.day, g.seq = 0, g.day+1, 0
		}
		if g.day >= g.days {
			return nil
		}
		day := g.first.AddDate(0, 0, g.day)
		if p := g.Plans[g.plan]; p.Register && g.gen.open(p.Counter, day) {
			g.left, g.seq = poisson(g.rng, p.Daily*dayWeight(day)), 0
		}
	}
	g.left--
	p := g.Plans[g.plan]
	day := g.first.AddDate(0, 0, g.day)
	hours := 9*time.Hour + 30*time.Minute
	if day.Weekday() == time.Saturday {
		hours = 4 * time.Hour
	}
	received := day.Add(7*time.Hour + 30*time.Minute + time.Duration(g.rng.Int64N(int64(hours))))
	if received.After(g.end) {
		return g.Next() // later today
	}
	g.seq++
	proc := procedures[g.rng.IntN(len(procedures))]
	w, u := durations[0].days, g.rng.IntN(100)
	for _, d := range durations {
		if u < d.weight {
			w = d.days
			break
		}
		u -= d.weight
	}
	due := addWorkingDays(day, w).Add(17 * time.Hour)
	var returned *time.Time
	switch u := g.rng.Float64(); {
	case u < 0.86: // on time, often the day before or on the due date
		r := addWorkingDays(day, max(1, w-g.rng.IntN(3))).Add(8*time.Hour + time.Duration(g.rng.Int64N(int64(8*time.Hour))))
		returned = &r
	case u < 0.985: // late
		r := addWorkingDays(day, w+1+g.rng.IntN(8)).Add(8*time.Hour + time.Duration(g.rng.Int64N(int64(8*time.Hour))))
		returned = &r
	}
	if returned != nil && returned.After(g.end) {
		returned = nil // still being processed
	}
	code := fmt.Sprintf("%s-%s-%04d", p.Unit, day.Format("060102"), g.seq)
	agencyID, agency, counter, _ := g.gen.AgencyOn(p.Counter, received)
	d := &survey.Dossier{CodeHash: g.hash(code), AgencyID: agencyID, AgencyCode: agency, CounterID: p.Counter.ID,
		CounterCode: counter, Procedure: proc.code, ProcedureName: proc.name, ReceivedAt: received.UTC(), DueAt: &due}
	if returned != nil {
		r := returned.UTC()
		d.ReturnedAt = &r
	}
	if g.rng.Float64() < p.RateShare {
		// Rated on the result slip within two days of the return, or on
		// the receipt soon after filing.
		at := received.Add(5*time.Minute + time.Duration(g.rng.Int64N(int64(2*time.Hour))))
		if returned != nil {
			if a := returned.Add(time.Duration(g.rng.Int64N(int64(48 * time.Hour)))); !a.After(g.end) {
				at = a
			}
		}
		if !at.After(g.end) {
			g.rated = append(g.rated, ratedDossier{d: d, plan: p, at: at})
		}
	}
	return d
}

// Ratings returns the dossier ratings, once Next's dossiers are stored
// (their IDs set): channel dossier, the dossier's timeliness at rating
// time, and answers Shift worse than the agency's open-QR ratings (and
// worse again for late dossiers). A rating is attributed to the agency of
// its day, which is the dossier's successor when the dossier's agency
// merged in between; a dossier whose counter closed before it would be
// rated is not rated.
func (g *Dossiers) Ratings() []*survey.Submission {
	out := make([]*survey.Submission, 0, len(g.rated))
	for _, r := range g.rated {
		if _, _, _, open := g.gen.AgencyOn(r.plan.Counter, r.at); !open {
			continue
		}
		tl := r.d.Timeliness(r.at)
		shift := r.plan.Shift
		if tl == survey.Late {
			shift -= 0.6
		}
		s := g.gen.Rating(r.plan.Counter, r.at.UTC(), shift)
		s.DossierID, s.Channel, s.Timeliness = r.d.ID, survey.ChannelDossier, tl
		out = append(out, s)
	}
	return out
}

// Volumes returns the monthly volumes of the agencies that import them,
// for every seeded month (the month in progress up to today): each
// counter's dossiers counted at the agency it belonged to on each day, so
// a merged unit's volume from its first month is its counters' together.
func (g *Dossiers) Volumes() []*survey.VolumeRow {
	type key struct{ agency, month string }
	var keys []key
	lambda := map[key]float64{}
	for _, p := range g.Plans {
		if p.Register {
			continue
		}
		for d := 0; d < g.days; d++ {
			day := g.first.AddDate(0, 0, d)
			_, agency, _, open := g.gen.AgencyOn(p.Counter, day.Add(12*time.Hour))
			if !open {
				continue
			}
			k := key{agency, day.Format("2006-01")}
			if _, ok := lambda[k]; !ok {
				keys = append(keys, k)
			}
			lambda[k] += p.Daily * dayWeight(day)
		}
	}
	out := make([]*survey.VolumeRow, 0, len(keys))
	for _, k := range keys {
		out = append(out, &survey.VolumeRow{AgencyCode: k.agency, Month: k.month, Dossiers: int64(poisson(g.rng, lambda[k]))})
	}
	return out
}

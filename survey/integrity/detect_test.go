package integrity

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// counterDay is a test scene: a counter with perDay honest ratings on each
// of 20 history days and on the day judged, at times drawn across the
// opening hours, from distinct phones, answers varied with three in ten
// all 5.
type counterDay struct {
	rng  *rand.Rand
	cal  *Calendar
	next int64
	day  *UnitDay
}

const judged = "2026-10-06" // a Tuesday

func newCounterDay(seed uint64, perDay int) *counterDay {
	s := &counterDay{rng: rand.New(rand.NewPCG(seed, 7)), cal: NewCalendar(DefaultHours(), nil)}
	b := NewBaseline()
	start := vn("2026-09-08 00:00")
	for d := 0; d < 20; d++ {
		date := start.AddDate(0, 0, d)
		b.AddDay(date.Format("2006-01-02"), s.cal)
		if !s.cal.OpenDay(date.Add(12 * time.Hour)) {
			continue
		}
		for i := 0; i < perDay; i++ {
			b.Add(s.honest(date), s.cal)
		}
	}
	s.day = &UnitDay{Unit: 1, Agency: 1, Date: judged, Calendar: s.cal, Baseline: b}
	day := vn(judged + " 00:00")
	for i := 0; i < perDay; i++ {
		s.day.Ratings = append(s.day.Ratings, s.honest(day))
	}
	return s
}

func (s *counterDay) id() int64 { s.next++; return s.next }

// honest is a rating at a random opening minute of day.
func (s *counterDay) honest(day time.Time) Rating {
	m := 7*60 + s.rng.IntN(270)
	if s.rng.IntN(2) == 0 {
		m = 13*60 + 30 + s.rng.IntN(210)
	}
	return Rating{ID: s.id(), Unit: 1, At: day.Add(time.Duration(m) * time.Minute), Client: s.rng.Int64N(1<<40) + 1,
		Vector: s.vector(), Counted: true}
}

func (s *counterDay) vector() string {
	v := make([]byte, 22)
	if s.rng.Float64() < 0.3 {
		for i := range v {
			v[i] = 5
		}
		return string(v)
	}
	for i := range v {
		v[i] = byte(3 + s.rng.IntN(3))
	}
	return string(v)
}

func allFive() string {
	v := make([]byte, 22)
	for i := range v {
		v[i] = 5
	}
	return string(v)
}

// add puts n ratings on the judged day from at, gap apart, and returns their
// ids.
func (s *counterDay) add(n int, at string, gap time.Duration, f func(r *Rating)) []int64 {
	t := vn(judged + " " + at)
	var ids []int64
	for i := 0; i < n; i++ {
		r := Rating{ID: s.id(), Unit: 1, At: t.Add(time.Duration(i) * gap), Client: s.rng.Int64N(1<<40) + 1, Vector: s.vector(), Counted: true}
		f(&r)
		s.day.Ratings = append(s.day.Ratings, r)
		ids = append(ids, r.ID)
	}
	return ids
}

func setAside(ws []Window) map[int64]Window {
	out := map[int64]Window{}
	for _, w := range ws {
		for _, id := range w.Ratings {
			out[id] = w
		}
	}
	return out
}

func TestHonestDayUntouched(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		for _, perDay := range []int{3, 40, 120} {
			s := newCounterDay(seed, perDay)
			if ws := Detect([]*UnitDay{s.day}, Options{}); len(ws) > 0 {
				t.Errorf("seed %d, %d a day: honest day set aside %v", seed, perDay, ws)
			}
		}
	}
}

func TestOneWeakSignalStaysCounted(t *testing.T) {
	s := newCounterDay(1, 30)
	// A phone rating at 21:00, all 5.
	evening := s.add(1, "21:00", 0, func(r *Rating) { r.Vector = allFive() })
	// A queue clearing: six honest citizens within two minutes, own phones.
	queue := s.add(6, "09:40", 20*time.Second, func(*Rating) {})
	// Two ratings from one phone (someone rating twice, or a couple).
	same := s.add(2, "14:10", time.Minute, func(r *Rating) { r.Client = 42 })
	got := setAside(Detect([]*UnitDay{s.day}, Options{}))
	for _, id := range append(append(evening, queue...), same...) {
		if _, ok := got[id]; ok {
			t.Errorf("rating %d set aside for one weak signal: %+v", id, got[id])
		}
	}
}

func TestBurstFromOneDeviceSetAside(t *testing.T) {
	for _, n := range []int{10, 20, 50} {
		s := newCounterDay(2, 40)
		ids := s.add(n, "10:05", 30*time.Second, func(r *Rating) { r.Client, r.Vector = 99, allFive() })
		ws := Detect([]*UnitDay{s.day}, Options{})
		got := setAside(ws)
		for _, id := range ids {
			w, ok := got[id]
			if !ok {
				t.Fatalf("burst of %d: rating %d counted", n, id)
			}
			if !has(w.Reasons, SignalDevice) || w.From.Minute()%10 != 0 || w.To.Minute()%10 != 0 {
				t.Errorf("burst of %d: window %+v: want device among reasons and bounds rounded to ten minutes", n, w)
			}
		}
		if len(got) > n+1 {
			t.Errorf("burst of %d: %d ratings set aside, honest ones among them", n, len(got))
		}
	}
}

func TestKioskOffHoursAndAccepted(t *testing.T) {
	s := newCounterDay(3, 20)
	night := s.add(3, "20:00", 5*time.Minute, func(r *Rating) { r.Kiosk = true })
	late := s.add(1, "17:10", 0, func(r *Rating) { r.Kiosk = true }) // within the grace period
	accepted := s.add(1, "20:30", 0, func(r *Rating) { r.Kiosk, r.Accepted = true, true })
	got := setAside(Detect([]*UnitDay{s.day}, Options{}))
	for _, id := range night {
		if w, ok := got[id]; !ok || !has(w.Reasons, SignalOffHours) {
			t.Errorf("kiosk rating at night %d: %+v, %v", id, w, ok)
		}
	}
	if _, ok := got[late[0]]; ok {
		t.Error("a kiosk rating ten minutes after closing is within the grace period")
	}
	if _, ok := got[accepted[0]]; ok {
		t.Error("a rating an admin accepted is never set aside again")
	}
	// Switched off, the kiosk rule sets nothing aside.
	if ws := Detect([]*UnitDay{s.day}, Options{Off: map[string]bool{SignalOffHours: true}}); len(setAside(ws)) != 0 {
		t.Errorf("with off_hours off: %v", ws)
	}
}

func TestDripFromOneDevice(t *testing.T) {
	s := newCounterDay(4, 40)
	var ids []int64
	ids = append(ids, s.add(27, "07:30", 10*time.Minute, func(r *Rating) { r.Client, r.Vector = 7, allFive() })...)
	ids = append(ids, s.add(21, "13:30", 10*time.Minute, func(r *Rating) { r.Client, r.Vector = 7, allFive() })...)
	got := setAside(Detect([]*UnitDay{s.day}, Options{}))
	n := 0
	for _, id := range ids {
		if w, ok := got[id]; ok {
			n++
			if !has(w.Reasons, SignalRepetition) {
				t.Errorf("drip window %+v: want repetition", w)
			}
		}
	}
	if n < len(ids)/2 {
		t.Errorf("drip: %d of %d set aside", n, len(ids))
	}
}

func TestStatistics(t *testing.T) {
	// Poisson(2): P(X ≥ 3) = 1 - e^-2 (1 + 2 + 2) = 0.3233235838.
	if got := poissonSF(3, 2); math.Abs(got-0.3233235838) > 1e-9 {
		t.Errorf("poissonSF(3, 2) = %v", got)
	}
	// Binomial(10, 0.3): P(X ≥ 8) = 0.0015903864.
	if got := binomSF(8, 10, 0.3); math.Abs(got-0.0015903864) > 1e-9 {
		t.Errorf("binomSF(8, 10, 0.3) = %v", got)
	}
	// Fisher with two p-values 0.05 and 0.01: X = 15.2018, df 4,
	// P = e^(-X/2) (1 + X/2) = 0.0043005.
	if got := fisher([]float64{0.05, 0.01}); math.Abs(got-0.0043005) > 1e-6 {
		t.Errorf("fisher = %v", got)
	}
	if got := fisher([]float64{1, 1, 1, 1, 1}); got != 1 {
		t.Errorf("fisher of nothing = %v", got)
	}
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A day twenty times busier than the counter's history (a filing deadline, a
// merger, a campaign), with two in five phones on the office Wi-Fi, is no
// burst: at most one honest rating in 200 is set aside.
func TestSurgeDayStaysCounted(t *testing.T) {
	aside, total := 0, 0
	for seed := uint64(1); seed <= 20; seed++ {
		s := newCounterDay(seed, 20)
		s.day.Ratings = s.day.Ratings[:0]
		day := vn(judged + " 00:00")
		wifi := int64(4242)
		for i := 0; i < 400; i++ {
			r := s.honest(day)
			if s.rng.Float64() < 0.4 {
				r.Client = wifi
			}
			s.day.Ratings = append(s.day.Ratings, r)
		}
		aside += len(setAside(Detect([]*UnitDay{s.day}, Options{})))
		total += 400
	}
	if share := float64(aside) / float64(total); share > 0.005 {
		t.Errorf("surge days: %d of %d honest ratings set aside (%.2f%%)", aside, total, 100*share)
	}
}

// The multi signal marks a client rating three or more counters or
// agencies' dossiers within an hour, never a shared address (more than six
// ratings that day), never a bot; alone it sets nothing aside.
func TestMultiClients(t *testing.T) {
	at := vn(judged + " 09:00")
	day := func(unit int64, rs ...Rating) *UnitDay {
		return &UnitDay{Unit: unit, Date: judged, Ratings: rs}
	}
	r := func(id, client int64, bot bool) Rating {
		return Rating{ID: id, At: at.Add(time.Duration(id) * time.Minute), Client: client, Counted: true, Bot: bot, Vector: allFive()}
	}
	days := []*UnitDay{
		day(1, r(1, 5, false), r(10, 8, false)),
		day(2, r(2, 5, false), r(11, 8, true)),
		day(-3, r(3, 5, false), r(12, 8, false)), // an agency's dossier ratings
	}
	for i := int64(20); i < 27; i++ { // a shared address: 7 ratings
		days[i%3].Ratings = append(days[i%3].Ratings, r(i, 9, false))
	}
	for i := range days {
		for k := range days[i].Ratings {
			days[i].Ratings[k].Unit = days[i].Unit
		}
	}
	got := multiClients(days)
	if !got[1] || !got[2] || !got[3] {
		t.Errorf("client 5 at three units: %v", got)
	}
	if got[10] || got[12] || got[20] {
		t.Errorf("a client at two units (the third rating a bot's) or a shared address marked: %v", got)
	}
	if ws := Detect(days, Options{}); len(ws) != 0 {
		t.Errorf("multi alone set ratings aside: %v", ws)
	}
}

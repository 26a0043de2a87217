package sim

import (
	"math/rand/v2"
	"sort"
	"time"
)

// attacks injects AttacksMin..AttacksMax instances of every kind at random
// counters (kiosk counters for the kiosk kinds) and open evaluated days,
// never two on one counter-day, and returns them.
func (g *gen) attacks(units []Unit) []Attack {
	g.r = rand.New(rand.NewPCG(g.seed, streamAttack))
	var open []int
	for d := g.cfg.HistoryDays; d < g.ndays; d++ {
		if g.cal.OpenDay(g.day(d).Add(12 * time.Hour)) {
			open = append(open, d)
		}
	}
	var kiosk []Unit
	for _, u := range units {
		if u.Kiosk {
			kiosk = append(kiosk, u)
		}
	}
	used := map[[2]int64]bool{}
	var out []Attack
	for _, k := range g.cfg.Kinds() {
		eligible := units
		if k.Type == OffHoursKiosk || k.Type == KioskColleague {
			eligible = kiosk
		}
		if len(eligible) == 0 || len(open) == 0 {
			continue
		}
		n := g.cfg.AttacksMin + g.r.IntN(g.cfg.AttacksMax-g.cfg.AttacksMin+1)
		for range n {
			for try := 0; try < 1000; try++ {
				u := eligible[g.r.IntN(len(eligible))]
				d := open[g.r.IntN(len(open))]
				if used[[2]int64{u.ID, int64(d)}] {
					continue
				}
				used[[2]int64{u.ID, int64(d)}] = true
				out = append(out, g.inject(u, d, k, len(out)))
				break
			}
		}
	}
	return out
}

// inject adds the ratings of attack number idx of kind k at unit u on day d.
func (g *gen) inject(u Unit, d int, k Kind, idx int) Attack {
	day := g.day(d)
	a := Attack{Kind: k, Unit: u.ID, Date: day.Format(dateLayout), Devices: 1}
	vector := allFive
	if k.Type == BurstOneDeviceVaried || k.Type == BurstThreeDevicesVaried {
		vector = g.mostlyFive
	}
	phone := func(at time.Time, dev int) {
		g.add(u, at, false, g.tag(tagAttack, int64(idx*4+dev), at), vector(), idx, k.Type, false)
		a.N++
	}
	onKiosk := func(at time.Time) {
		g.add(u, at, true, g.tag(tagWiFi, u.Agency, at), allFive(), idx, k.Type, true)
		a.N++
	}
	switch k.Type {
	case BurstOneDevice, BurstThreeDevices, BurstOneDeviceVaried, BurstThreeDevicesVaried:
		if k.Type == BurstThreeDevices || k.Type == BurstThreeDevicesVaried {
			a.Devices = 3
		}
		t := g.within(day, time.Duration(k.Size)*time.Minute)
		for i := range k.Size {
			phone(t, i%a.Devices)
			t = t.Add(15*time.Second + g.uniform(45*time.Second))
		}
	case OffHoursPhone:
		for _, at := range g.spread(day.Add(19*time.Hour), 3*time.Hour, k.Size) {
			phone(at, 0)
		}
	case OffHoursKiosk:
		for _, at := range g.spread(day.Add(18*time.Hour+30*time.Minute), 150*time.Minute, k.Size) {
			onKiosk(at)
		}
	case Drip:
		end := day.Add(17 * time.Hour)
		for t := day.Add(7*time.Hour + 30*time.Minute); !t.After(end); t = t.Add(10 * time.Minute) {
			phone(t.Add(g.uniform(time.Minute)), 0)
		}
	case KioskColleague:
		n := 12 + g.r.IntN(9)
		t := g.within(day, time.Duration(n-1)*6*time.Minute)
		for range n {
			onKiosk(t)
			t = t.Add(2*time.Minute + g.uniform(4*time.Minute))
		}
	}
	return a
}

// within draws the start of a stretch of length dur inside one opening span
// of day (a span drawn in proportion to the room it leaves).
func (g *gen) within(day time.Time, dur time.Duration) time.Time {
	spans := g.cfg.Hours[day.Weekday()]
	room := make([]time.Duration, len(spans))
	var total time.Duration
	for i, s := range spans {
		room[i] = max(time.Duration(s.To-s.From)*time.Minute-dur, 0)
		total += room[i]
	}
	x := g.uniform(total)
	for i, s := range spans {
		if x < room[i] || i == len(spans)-1 {
			return day.Add(time.Duration(s.From)*time.Minute + min(x, room[i]))
		}
		x -= room[i]
	}
	return day.Add(12 * time.Hour)
}

// spread returns n times drawn uniformly in [from, from+d), sorted.
func (g *gen) spread(from time.Time, d time.Duration, n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = from.Add(g.uniform(d))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// mostlyFive is a stuffer's varied rating: each item 5, or 4 one time in
// five.
func (g *gen) mostlyFive() string {
	v := make([]byte, Items)
	for i := range v {
		v[i] = 5
		if g.r.IntN(5) == 0 {
			v[i] = 4
		}
	}
	return string(v)
}

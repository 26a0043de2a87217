package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/sipas/sipas/survey"
)

// ReorgDay is the day of the demo province's reorganisation: the two-level
// local government of 1 July 2025, when the districts went and the
// communes merged into fewer, larger ones directly under the province.
const ReorgDay = "2025-07-01"

// reorgStart is midnight in Vietnam at the start of ReorgDay.
var reorgStart = time.Date(2025, 7, 1, 0, 0, 0, 0, survey.Vietnam)

// ReorgStart returns midnight in Vietnam at the start of ReorgDay.
func ReorgStart() time.Time { return reorgStart }

// Layout is a 2026 province with the reorganisation of ReorgDay in its
// history.
type Layout struct {
	// Old is the tree before ReorgDay, to import: the province, its
	// departments (sở) and districts (quận, huyện), the communes and
	// wards beneath the districts, and every counter.
	Old *Province
	// Current is today's tree: the province, its departments (the same
	// agencies as in Old) and the communes and wards the merges made,
	// directly under it. It has no counters of its own: today's are Old's,
	// moved (see Transfers).
	Current *Province
	// Events are the merges of ReorgDay, each of two or three old
	// communes of one district into a new unit under the province, their
	// counters moving to it.
	Events []survey.Event
	// Closed are the districts that close on ReorgDay once their communes
	// have merged; their own counters close with them.
	Closed []string
	// Successor is the unit each old commune merged into.
	Successor map[string]string
	// Transfers says where each counter of a commune or district of Old
	// is from ReorgDay on; the departments' counters stay.
	Transfers map[*survey.Counter]Transfer
}

// Reorganisation is the reorganisation of ReorgDay as one import, its
// lines numbered from 1: the merges (Events), then the closure of each
// district they left empty (Closed), its own counters closing with it.
func (l *Layout) Reorganisation() []survey.Event {
	events := slices.Clone(l.Events)
	for _, d := range l.Closed {
		events = append(events, survey.Event{Kind: survey.EventClose, Close: &survey.Close{Agency: d, Date: ReorgDay}, Line: len(events) + 1})
	}
	return events
}

// Transfer is where a counter of the old tree is from ReorgDay on: at
// Agency under Code (a code the successor had already becomes
// FROM-CODE, as the store does), or closed.
type Transfer struct {
	Agency, Code string
	Closed       bool
}

// NewLayout lays out a province of n units today (n ≥ 1): the province,
// about 15 % of the rest departments (2 to 18) and the others communes
// and wards directly under it, each made on ReorgDay from two or three
// communes of one of the old districts (about five new units a district).
// Before, the province had the same departments, the districts and their
// communes; every agency but the province has a counter Q1 (sipas-2017),
// and departments and every fifth agency also a one-tap kiosk K1. So the
// database holds about 3.5 n agencies, n of them open today.
func NewLayout(n int, rng *rand.Rand) *Layout {
	l := &Layout{Old: &Province{}, Current: &Province{}, Successor: map[string]string{}, Transfers: map[*survey.Counter]Transfer{}}
	old := func(code, name, parent string) *survey.Agency {
		a := &survey.Agency{Code: code, Name: name, ParentCode: parent}
		l.Old.Agencies = append(l.Old.Agencies, a)
		return a
	}
	root := old("DEMO", "UBND tỉnh Demo", "")
	l.Current.Agencies = append(l.Current.Agencies, root)
	rest := max(n-1, 0)
	nDept := min(len(departments), max(min(rest, 2), int(math.Round(float64(rest)*0.15))))
	nNew := rest - nDept
	nDist := 0
	if nNew > 0 {
		nDist = min(30, max(1, (nNew+4)/5))
	}
	for i := 0; i < nDept; i++ {
		l.Current.Agencies = append(l.Current.Agencies, old(fmt.Sprintf("S%02d", i+1), departments[i], root.Code))
	}
	districts := make([]*survey.Agency, nDist)
	for i := range districts {
		kind := "Huyện"
		if i < 3 {
			kind = "Quận"
		}
		districts[i] = old(fmt.Sprintf("H%02d", i+1), kind+" "+places[i], root.Code)
		l.Closed = append(l.Closed, districts[i].Code)
	}
	// The new units, a block of them a district; each from the next two or
	// three communes of its district.
	names := map[string]bool{}
	communes := 0
	for j := 0; j < nNew; j++ {
		di := j * nDist / nNew
		d := districts[di]
		first := j == 0 || (j-1)*nDist/nNew != di
		urban := di < 3
		kind, prefix := "Xã", "X"
		if urban {
			kind, prefix = "Phường", "P"
		}
		m := &survey.Merge{Into: fmt.Sprintf("%s%03d", prefix, j+1), Date: ReorgDay, Parent: root.Code, Counters: survey.CountersMove}
		var from []string // the old communes' places
		size := 2 + rng.IntN(2)
		for k := 0; k < size; k++ {
			communes++
			oldKind, place := kind, placeName(communes-1)
			if !urban && first && k == 0 {
				oldKind, place = "Thị trấn", places[di] // the district's town
			}
			c := old(fmt.Sprintf("%s-X%03d", d.Code, communes), oldKind+" "+place, d.Code)
			m.From = append(m.From, c.Code)
			from = append(from, place)
			l.Successor[c.Code] = m.Into
		}
		// The first new unit of a district takes the district's name, the
		// others that of one of their communes, as most did in 2025.
		candidates := from
		if first {
			candidates = append([]string{places[di]}, from...)
		}
		m.Name = kind + " " + candidates[0]
		for _, c := range candidates {
			if !names[kind+" "+c] {
				m.Name = kind + " " + c
				break
			}
		}
		for i := 2; names[m.Name]; i++ {
			m.Name = fmt.Sprintf("%s %s %d", kind, candidates[0], i)
		}
		names[m.Name] = true
		l.Events = append(l.Events, survey.Event{Kind: survey.EventMerge, Merge: m, Line: j + 1})
		l.Current.Agencies = append(l.Current.Agencies, &survey.Agency{Code: m.Into, Name: m.Name, ParentCode: root.Code})
	}
	byAgency := map[string][]*survey.Counter{}
	for i, a := range l.Old.Agencies {
		if i == 0 {
			continue
		}
		add := func(c *survey.Counter) {
			l.Old.Counters = append(l.Old.Counters, c)
			byAgency[a.Code] = append(byAgency[a.Code], c)
		}
		add(&survey.Counter{AgencyCode: a.Code, Code: "Q1", Name: "Quầy 1 – Tiếp nhận và trả kết quả", Instrument: "sipas-2017"})
		if a.Code[0] == 'S' || i%5 == 0 {
			add(&survey.Counter{AgencyCode: a.Code, Code: "K1", Name: "Máy đánh giá tại sảnh", Instrument: "quick"})
		}
	}
	// The counters move as the store moves them: each predecessor's in
	// code order, a code the successor has already prefixed with the
	// predecessor's.
	for _, ev := range l.Events {
		taken := map[string]bool{}
		for _, f := range ev.Merge.From {
			cs := slices.Clone(byAgency[f])
			slices.SortFunc(cs, func(a, b *survey.Counter) int { return cmp.Compare(a.Code, b.Code) })
			for _, c := range cs {
				code := c.Code
				if taken[code] {
					code = f + "-" + c.Code
				}
				taken[code] = true
				l.Transfers[c] = Transfer{Agency: ev.Merge.Into, Code: code}
			}
		}
	}
	for _, d := range l.Closed {
		for _, c := range byAgency[d] {
			l.Transfers[c] = Transfer{Closed: true}
		}
	}
	return l
}

// communeNames are the places of the old communes: the wards' of places
// and communePlaces.
var communeNames = append(slices.Clone(places[9:]), communePlaces...)

// placeName is the i-th old commune's place name: communeNames in a
// scattered order (7 is prime to their number), numbered once they are
// all used.
func placeName(i int) string {
	n := len(communeNames)
	name := communeNames[(i*7+3)%n]
	if i >= n {
		name = fmt.Sprintf("%s %d", name, i/n+1)
	}
	return name
}

// move is where a counter is from a day on: at an agency under a code, or
// closed.
type move struct {
	from         time.Time
	agencyID     int64
	agency, code string
	closed       bool
}

// Follow makes the generator attribute each rating to the agency its
// counter belonged to on the rating's day: before ReorgDay the old
// commune, district or department (the counter's AgencyID), from then on
// the unit it moved to (ids gives the new units' ids by code), and none
// for a counter that closed (it gets no more ratings). Each new unit
// gets a lasting shift of its own from ReorgDay (some did better after
// the merger, some worse) and all share a dip in the first two months.
func (g *Generator) Follow(l *Layout, ids map[string]int64) error {
	if g.moves == nil {
		g.moves, g.unitShift = map[*survey.Counter]move{}, map[string]float64{}
	}
	for _, c := range g.counters {
		t, ok := l.Transfers[c]
		switch {
		case !ok:
			continue
		case t.Closed:
			g.moves[c] = move{from: reorgStart, closed: true}
			continue
		}
		id, ok := ids[t.Agency]
		if !ok {
			return fmt.Errorf("demo: no id for %s, where %s/%s moved", t.Agency, c.AgencyCode, c.Code)
		}
		g.moves[c] = move{from: reorgStart, agencyID: id, agency: t.Agency, code: t.Code}
	}
	rng := rand.New(rand.NewPCG(g.seed, 0x20250701))
	for _, ev := range l.Events {
		g.unitShift[ev.Merge.Into] = rng.NormFloat64() * 0.12
	}
	return nil
}

// AgencyOn returns the agency (id and code) counter c belonged to at at,
// and the counter's code there; open is false when the counter had closed.
func (g *Generator) AgencyOn(c *survey.Counter, at time.Time) (id int64, agency, code string, open bool) {
	m, ok := g.moves[c]
	if !ok || at.Before(m.from) {
		return c.AgencyID, c.AgencyCode, c.Code, true
	}
	if m.closed {
		return 0, "", "", false
	}
	return m.agencyID, m.agency, m.code, true
}

// mergerShift is the change a merger brings to a counter's ratings at at:
// the new unit's own shift, and a dip fading over its first two months.
func (g *Generator) mergerShift(c *survey.Counter, at time.Time) float64 {
	m, ok := g.moves[c]
	if !ok || m.closed || at.Before(m.from) {
		return 0
	}
	shift := g.unitShift[m.agency]
	if since := at.Sub(m.from).Hours() / 24; since < 61 {
		shift -= 0.2 * (1 - since/61)
	}
	return shift
}

// open reports whether counter c was open at noon of day.
func (g *Generator) open(c *survey.Counter, day time.Time) bool {
	_, _, _, open := g.AgencyOn(c, day.Add(12*time.Hour))
	return open
}

// home is the agency counter c is at today (or was at when it closed).
func (g *Generator) home(c *survey.Counter) string {
	if m, ok := g.moves[c]; ok && !m.closed {
		return m.agency
	}
	return c.AgencyCode
}

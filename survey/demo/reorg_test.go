package demo_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/demo"
	"github.com/sipas/sipas/survey/instruments"
)

// The layout is a 2026 province of n units: no district today, every old
// commune merged exactly once (two or three of one district into a new
// unit under the province), the districts closed, every counter of theirs
// moved or closed, and the same seed the same layout.
func TestNewLayout(t *testing.T) {
	today := time.Date(2026, 12, 2, 10, 0, 0, 0, survey.Vietnam)
	for _, n := range []int{1, 3, 4, 30, 60, 500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			l := demo.NewLayout(n, rand.New(rand.NewPCG(1, 0xdec0de)))
			if len(l.Current.Agencies) != n {
				t.Fatalf("%d agencies today, want %d", len(l.Current.Agencies), n)
			}
			old := map[string]*survey.Agency{}
			for _, a := range l.Old.Agencies {
				if err := a.Validate(); err != nil {
					t.Fatalf("agency %+v: %v", a, err)
				}
				if old[a.Code] != nil {
					t.Fatalf("agency %s twice", a.Code)
				}
				old[a.Code] = a
			}
			districts := map[string]bool{}
			for _, a := range l.Old.Agencies {
				if a.ParentCode == "DEMO" && a.Code[0] == 'H' {
					districts[a.Code] = true
				}
			}
			if len(districts) != len(l.Closed) {
				t.Errorf("%d districts, %d closed", len(districts), len(l.Closed))
			}
			for _, d := range l.Closed {
				if !districts[d] {
					t.Errorf("%s closes but is no district", d)
				}
			}
			for i, a := range l.Current.Agencies {
				switch {
				case i == 0 && a.Code != "DEMO", i > 0 && a.ParentCode != "DEMO":
					t.Errorf("today: %+v, want the province and units directly under it", a)
				case districts[a.Code] || strings.HasPrefix(a.Name, "Quận") || strings.HasPrefix(a.Name, "Huyện"):
					t.Errorf("today: a district %+v", a)
				case i > 0 && a.Code[0] != 'S' && !strings.HasPrefix(a.Name, "Phường ") && !strings.HasPrefix(a.Name, "Xã "):
					t.Errorf("today: %+v, want a Phường or a Xã", a)
				case i > 0 && a.Code[0] == 'S' && old[a.Code] == nil:
					t.Errorf("today: department %s was not there before", a.Code)
				}
			}
			merged := map[string]int{}
			names := map[string]bool{}
			for _, ev := range l.Events {
				m := ev.Merge
				if ev.Kind != survey.EventMerge || m.Date != demo.ReorgDay || m.Parent != "DEMO" || len(m.From) < 2 || len(m.From) > 3 {
					t.Errorf("event %+v %+v", ev, m)
				}
				if old[m.Into] != nil || names[m.Name] {
					t.Errorf("merge into %s (%s): code existed before, or name taken", m.Into, m.Name)
				}
				names[m.Name] = true
				check := *m
				check.From = append([]string(nil), m.From...)
				if err := survey.CheckMerge(&check, today); err != nil {
					t.Errorf("merge %+v: %v", m, err)
				}
				for _, f := range m.From {
					merged[f]++
					if a := old[f]; a == nil || a.ParentCode != old[m.From[0]].ParentCode || !districts[a.ParentCode] || l.Successor[f] != m.Into {
						t.Errorf("merge into %s: %s is not a commune of the first one's district, or its successor is %q", m.Into, f, l.Successor[f])
					}
				}
			}
			for _, a := range l.Old.Agencies {
				if districts[a.ParentCode] && merged[a.Code] != 1 {
					t.Errorf("commune %s merged %d times, want once", a.Code, merged[a.Code])
				}
			}
			depts := 0
			for _, a := range l.Current.Agencies {
				if a.Code[0] == 'S' {
					depts++
				}
			}
			if len(l.Old.Agencies) != 1+depts+len(districts)+len(merged) || n != 1+depts+len(l.Events) {
				t.Errorf("%d agencies before, %d today: %d departments, %d districts, %d communes merged into %d units",
					len(l.Old.Agencies), n, depts, len(districts), len(merged), len(l.Events))
			}
			codes := map[string]bool{}
			for _, c := range l.Old.Counters {
				tr, moved := l.Transfers[c]
				a := old[c.AgencyCode]
				switch {
				case a == nil || a.Code == "DEMO":
					t.Errorf("counter %s/%s: at no agency, or at the province", c.AgencyCode, c.Code)
				case a.Code[0] == 'S' && moved:
					t.Errorf("department counter %s/%s moves: %+v", c.AgencyCode, c.Code, tr)
				case districts[a.Code] && !tr.Closed:
					t.Errorf("district counter %s/%s: %+v, want closed", c.AgencyCode, c.Code, tr)
				case districts[a.ParentCode] && (tr.Closed || tr.Agency != l.Successor[a.Code]):
					t.Errorf("commune counter %s/%s: %+v, want moved to %s", c.AgencyCode, c.Code, tr, l.Successor[a.Code])
				}
				if moved && !tr.Closed {
					if key := tr.Agency + "/" + tr.Code; codes[key] || survey.ValidateCode(tr.Code) != nil {
						t.Errorf("counter %s/%s moves to %s: taken or invalid", c.AgencyCode, c.Code, key)
					} else {
						codes[key] = true
					}
				}
			}
			again := demo.NewLayout(n, rand.New(rand.NewPCG(1, 0xdec0de)))
			if fmt.Sprint(events(again)) != fmt.Sprint(events(l)) {
				t.Errorf("the same seed made another layout")
			}
		})
	}
}

func events(l *demo.Layout) []survey.Merge {
	var out []survey.Merge
	for _, ev := range l.Events {
		out = append(out, *ev.Merge)
	}
	return out
}

// stored gives the layout's agencies and counters ids as if imported and
// reorganised: the old tree's first, then the new units'.
func stored(l *demo.Layout) map[string]int64 {
	ids := map[string]int64{}
	for _, a := range append(append([]*survey.Agency(nil), l.Old.Agencies...), l.Current.Agencies...) {
		if _, ok := ids[a.Code]; !ok {
			ids[a.Code] = int64(len(ids) + 1)
		}
	}
	for i, c := range l.Old.Counters {
		c.ID, c.AgencyID = int64(i+1), ids[c.AgencyCode]
	}
	return ids
}

// A rating before ReorgDay goes to the old commune (or district), one
// from ReorgDay on to the new unit; a district's counters get none after
// it. Dossiers and their ratings likewise, and volumes by month.
func TestGeneratorFollow(t *testing.T) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	l := demo.NewLayout(30, rand.New(rand.NewPCG(7, 1)))
	ids := stored(l)
	code := map[int64]string{}
	for c, id := range ids {
		code[id] = c
	}
	counter := map[int64]*survey.Counter{}
	for _, c := range l.Old.Counters {
		counter[c.ID] = c
	}
	end := time.Date(2026, 11, 20, 15, 0, 0, 0, survey.Vietnam)
	gen, err := demo.NewGenerator(l.Old.Counters, reg, end, 640, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.Follow(l, ids); err != nil {
		t.Fatal(err)
	}
	reorg := demo.ReorgStart()
	// want is the agency a rating of counter c at at belongs to ("" none).
	want := func(c *survey.Counter, at time.Time) string {
		tr, moved := l.Transfers[c]
		switch {
		case !moved || at.Before(reorg):
			return c.AgencyCode
		case tr.Closed:
			return ""
		}
		return tr.Agency
	}
	seen := map[string]int{}
	for range 20000 {
		s := gen.Next()
		c := counter[s.CounterID]
		w := want(c, s.ReceivedAt)
		if w == "" || code[s.AgencyID] != w {
			t.Fatalf("rating of %s/%s on %s at %q, want %q", c.AgencyCode, c.Code, survey.LocalDate(s.ReceivedAt), code[s.AgencyID], w)
		}
		_, district := l.Transfers[c]
		district = district && l.Transfers[c].Closed
		switch {
		case district:
			seen["district"]++
		case s.ReceivedAt.Before(reorg) && l.Successor[w] != "":
			seen["old commune"]++
		case !s.ReceivedAt.Before(reorg) && w != c.AgencyCode:
			seen["new unit"]++
		}
	}
	if seen["district"] == 0 || seen["old commune"] == 0 || seen["new unit"] == 0 {
		t.Errorf("ratings seen %v, want some of each", seen)
	}
	// A commune's counter the day before and the day of the merger.
	var c *survey.Counter
	for _, x := range l.Old.Counters {
		if l.Successor[x.AgencyCode] != "" {
			c = x
			break
		}
	}
	before, after := reorg.Add(-8*time.Hour), reorg.Add(10*time.Hour)
	if s := gen.Rating(c, before, 0); code[s.AgencyID] != c.AgencyCode {
		t.Errorf("rating on %v at %s, want the old commune %s", before, code[s.AgencyID], c.AgencyCode)
	}
	if s := gen.Rating(c, after, 0); code[s.AgencyID] != l.Successor[c.AgencyCode] {
		t.Errorf("rating on %v at %s, want the new unit %s", after, code[s.AgencyID], l.Successor[c.AgencyCode])
	}

	g := demo.NewDossiers(l.Old.Counters, gen, 20000, 1_000_000, func(code string) []byte { return []byte(code) }, 7)
	var ds []*survey.Dossier
	for d := g.Next(); d != nil; d = g.Next() {
		d.ID = int64(len(ds) + 1)
		ds = append(ds, d)
		c := counter[d.CounterID]
		if w := want(c, d.ReceivedAt); w == "" || code[d.AgencyID] != w || d.AgencyCode != w {
			t.Fatalf("dossier of %s/%s received %s at %s (%s), want %q", c.AgencyCode, c.Code, survey.LocalDate(d.ReceivedAt), code[d.AgencyID], d.AgencyCode, w)
		}
	}
	if len(ds) < 1000 {
		t.Fatalf("%d dossiers", len(ds))
	}
	for _, s := range g.Ratings() {
		d, c := ds[s.DossierID-1], counter[s.CounterID]
		if w := want(c, s.ReceivedAt); w == "" || code[s.AgencyID] != w || s.CounterID != d.CounterID {
			t.Fatalf("dossier rating of %s/%s on %s at %s, want %q", c.AgencyCode, c.Code, survey.LocalDate(s.ReceivedAt), code[s.AgencyID], w)
		}
	}
	volumes := g.Volumes()
	if len(volumes) == 0 {
		t.Fatal("no volumes")
	}
	for _, v := range volumes {
		merged := l.Successor[v.AgencyCode] != ""
		isNew := ids[v.AgencyCode] > int64(len(l.Old.Agencies))
		closed := false
		for _, d := range l.Closed {
			closed = closed || d == v.AgencyCode
		}
		if after := v.Month >= demo.ReorgDay[:7]; (merged || closed) && after || isNew && !after {
			t.Errorf("volume %+v: its agency did not exist that month", v)
		}
	}
}

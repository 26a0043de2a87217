package demo_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/demo"
	"github.com/sipas/sipas/survey/instruments"
)

// seedDossiers plans the dossiers of a 30-agency province (ids given as
// if stored) and returns every code made, in order.
func seedDossiers(t *testing.T, end time.Time) (*demo.Dossiers, []string, []*survey.Dossier) {
	t.Helper()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	p := demo.NewProvince(30, rand.New(rand.NewPCG(7, 1)))
	ids := map[string]int64{}
	for i, a := range p.Agencies {
		ids[a.Code] = int64(i + 1)
	}
	for i, c := range p.Counters {
		c.ID, c.AgencyID = int64(i+1), ids[c.AgencyCode]
	}
	gen, err := demo.NewGenerator(p.Counters, reg, end, 90, 7)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	g := demo.NewDossiers(p.Counters, gen, 3000, 1_000_000, func(code string) []byte {
		codes = append(codes, code)
		return []byte(code)
	}, 7)
	var ds []*survey.Dossier
	for d := g.Next(); d != nil; d = g.Next() {
		d.ID = int64(len(ds) + 1)
		ds = append(ds, d)
	}
	return g, codes, ds
}

func TestDossiers(t *testing.T) {
	end := time.Date(2026, 11, 20, 15, 0, 0, 0, survey.Vietnam)
	g, codes, ds := seedDossiers(t, end)
	if len(ds) < 1000 {
		t.Fatalf("got %d dossiers", len(ds))
	}
	code := regexp.MustCompile(`^H13\.\d{2,}-(\d{6})-\d{4}$`)
	seen := map[string]bool{}
	classes := map[string]int{}
	for i, d := range ds {
		m := code.FindStringSubmatch(codes[i])
		if m == nil || seen[codes[i]] {
			t.Fatalf("code %q: not like H13.22-261102-0017, or seen before", codes[i])
		}
		seen[codes[i]] = true
		if m[1] != d.ReceivedAt.In(survey.Vietnam).Format("060102") {
			t.Fatalf("code %q for a dossier received %v", codes[i], d.ReceivedAt)
		}
		if d.ReceivedAt.After(end) || d.DueAt == nil || survey.CheckDossierDates(d.ReceivedAt, d.DueAt, d.ReturnedAt) != nil {
			t.Fatalf("dossier %q: dates %v %v %v", codes[i], d.ReceivedAt, d.DueAt, d.ReturnedAt)
		}
		if days := d.DueAt.Sub(d.ReceivedAt).Hours() / 24; days < 3 || days > 22 {
			t.Fatalf("dossier %q due %.1f days after it was received", codes[i], days)
		}
		classes[d.Timeliness(end)]++
	}
	returned := classes[survey.OnTime] + classes[survey.Late]
	if late := float64(classes[survey.Late]) / float64(len(ds)); late < 0.08 || late > 0.2 {
		t.Errorf("late: %.0f %% of %d, want 10-15 %%", late*100, len(ds))
	}
	if classes[survey.Pending] == 0 || returned < len(ds)*3/4 {
		t.Errorf("timeliness classes %v", classes)
	}
	ratings := g.Ratings()
	if len(ratings) < g.DossierRatings()/2 || len(ratings) > g.DossierRatings()*2 {
		t.Errorf("got %d dossier ratings, planned about %d", len(ratings), g.DossierRatings())
	}
	rated := map[int64]bool{}
	for _, s := range ratings {
		d := ds[s.DossierID-1]
		if rated[s.DossierID] || s.Channel != survey.ChannelDossier || s.CounterID != d.CounterID || s.ReceivedAt.Before(d.ReceivedAt) ||
			s.ReceivedAt.After(end) || s.Timeliness != d.Timeliness(s.ReceivedAt) {
			t.Fatalf("rating %+v of dossier %+v", s, d)
		}
		rated[s.DossierID] = true
	}
	volumes := g.Volumes()
	if len(volumes) == 0 {
		t.Fatalf("no volumes imported")
	}
	// The same seed, the same dossiers.
	_, again, _ := seedDossiers(t, end)
	if fmt.Sprint(again) != fmt.Sprint(codes) {
		t.Errorf("the same seed made other dossiers")
	}
}

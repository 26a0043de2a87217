package demo_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/demo"
	"github.com/sipas/sipas/survey/instruments"
)

// ByDay gives as many ratings as asked, oldest day first (a tablet's
// weekend rating up to two days late), each at a counter open on its
// day, spread over the days, weekdays and counters as Next spreads them.
func TestGeneratorByDay(t *testing.T) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 20, 15, 0, 0, 0, survey.Vietnam)
	newGen := func() *demo.Generator {
		l := demo.NewLayout(30, rand.New(rand.NewPCG(7, 1)))
		gen, err := demo.NewGenerator(l.Old.Counters, reg, end, 640, 7)
		if err != nil {
			t.Fatal(err)
		}
		if err := gen.Follow(l, stored(l)); err != nil {
			t.Fatal(err)
		}
		return gen
	}
	const n = 200000
	// shares counts the ratings by month, weekday, counter and whether
	// they are before the reorganisation, as shares of n.
	type shares map[string]float64
	count := func(next func() *survey.Submission, ordered bool) shares {
		out := shares{}
		latest := ""
		for i := range n {
			s := next()
			if s == nil {
				t.Fatalf("rating %d of %d: nil", i, n)
			}
			date := survey.LocalDate(s.ReceivedAt)
			if ordered {
				if date > latest {
					latest = date
				}
				l, _ := time.Parse("2006-01-02", latest)
				if d, _ := time.Parse("2006-01-02", date); d.Before(l.AddDate(0, 0, -2)) || d.Before(l) && s.Instrument.ID != "quick" {
					t.Fatalf("rating %d on %s after one on %s", i, date, latest)
				}
			}
			local := s.ReceivedAt.In(survey.Vietnam)
			out["month "+date[:7]] += 1.0 / n
			out["weekday "+local.Weekday().String()] += 1.0 / n
			out[fmt.Sprint("counter ", s.CounterID)] += 1.0 / n
			out[fmt.Sprint("before the reorganisation ", local.Before(demo.ReorgStart()))] += 1.0 / n
		}
		if ordered && next() != nil {
			t.Fatalf("more than %d ratings", n)
		}
		return out
	}
	want := count(newGen().Next, false)
	got := count(newGen().ByDay(n), true)
	for k, w := range want {
		// Four standard errors of the difference of two shares.
		if tol := 4 * math.Sqrt(2*w*(1-w)/n); math.Abs(got[k]-w) > tol {
			t.Errorf("%s: %.4f of ByDay's ratings, %.4f of Next's (± %.4f)", k, got[k], w, tol)
		}
	}
	for k, g := range got {
		if want[k] == 0 && g > 0 {
			t.Errorf("%s: %.4f of ByDay's ratings, none of Next's", k, g)
		}
	}
}

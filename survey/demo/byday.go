package demo

import (
	"sort"
	"time"

	"github.com/sipas/sipas/survey"
)

// ByDay returns a function that returns n submissions distributed as
// Next's, oldest day first, then nil. A bulk load of them touches one
// day's statistics rows at a time and appends to the responses' indexes
// by date, counter and agency instead of inserting all over them.
//
// Next draws a day, a counter by its weight and a time, and draws again
// when the counter was closed then; so a day comes up in proportion to
// the weight of the counters it accepts. ByDay first draws how many of the
// n fall on each day by those weights, then each day's ratings the way
// Next does with the day fixed. A tablet's weekend rating, moved to the
// Friday before, comes with its weekend day, up to two days late.
func (g *Generator) ByDay(n int) func() *survey.Submission {
	local := g.end.In(survey.Vietnam)
	last := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, survey.Vietnam)
	first := last.AddDate(0, 0, 1-g.days)
	// cum[i] is the accepted weight of the days g.days-1 … g.days-1-i
	// before last, oldest first.
	cum := make([]float64, g.days)
	total := 0.0
	for i := range cum {
		d := last.AddDate(0, 0, i+1-g.days)
		prev := 0.0
		for k, c := range g.counters {
			w := g.weights[k] - prev
			prev = g.weights[k]
			// Office hours' open state is the day's: the reorganisation
			// starts at midnight.
			at := d.Add(8 * time.Hour)
			if c.Instrument == "quick" {
				at = kioskHours(at)
			}
			if _, _, _, open := g.AgencyOn(c, at); open && !at.Before(first) {
				total += w
			}
		}
		cum[i] = total
	}
	counts := make([]int, g.days)
	if total > 0 {
		for range n {
			u := g.rng.Float64() * total
			counts[sort.Search(len(cum), func(i int) bool { return cum[i] > u })]++
		}
	}
	i := 0
	return func() *survey.Submission {
		for i < len(counts) && counts[i] == 0 {
			i++
		}
		if i == len(counts) {
			return nil
		}
		counts[i]--
		day := g.days - 1 - i
		d := last.AddDate(0, 0, -day)
		for {
			c := g.pick()
			at := d.Add(7*time.Hour + 30*time.Minute + time.Duration(g.rng.Int64N(int64(9*time.Hour+30*time.Minute))))
			if c.Instrument == "quick" {
				at = kioskHours(at)
			}
			if _, _, _, open := g.AgencyOn(c, at); open && !at.Before(first) {
				return g.rate(c, at, day, 0)
			}
		}
	}
}

package integrity

import (
	"time"

	"github.com/sipas/sipas/survey"
)

// Baseline is a unit's recent history, what its honest days look like: the
// counted ratings by hour of day on open and on closed days, how many of
// its phone ratings arrive out of hours, and how often each answer vector
// is given.
type Baseline struct {
	// Days counts the days of history by class: [0] open, [1] closed
	// (weekends, holidays).
	Days [2]int
	// Hourly counts counted ratings by class and hour of day (Vietnam).
	Hourly [2][24]float64
	// Phone and PhoneOff count counted ratings not from the kiosk, and of
	// those the ones out of hours.
	Phone, PhoneOff int
	// N counts counted ratings, Vectors how many gave each answer vector.
	N       int
	Vectors map[string]int
}

// NewBaseline returns an empty baseline.
func NewBaseline() *Baseline { return &Baseline{Vectors: map[string]int{}} }

// AddDay counts one day of history, open or closed by cal.
func (b *Baseline) AddDay(date string, cal *Calendar) {
	d, err := time.ParseInLocation("2006-01-02", date, survey.Vietnam)
	if err != nil {
		return
	}
	b.Days[dayClass(cal, d.Add(12*time.Hour))]++
}

// Add counts one rating of history; only counted ones shape the baseline,
// so that what was set aside does not teach the detector that stuffing is
// normal.
func (b *Baseline) Add(r Rating, cal *Calendar) {
	if !r.Counted {
		return
	}
	l := r.At.In(survey.Vietnam)
	b.Hourly[dayClass(cal, r.At)][l.Hour()]++
	b.N++
	b.Vectors[r.Vector]++
	if !r.Kiosk {
		b.Phone++
		if !cal.Open(r.At, 0) {
			b.PhoneOff++
		}
	}
}

func dayClass(cal *Calendar, t time.Time) int {
	if cal.OpenDay(t) {
		return 0
	}
	return 1
}

// priorDays is the weight, in days, of the prior that smooths a short
// history: a unit with a few days of history is judged mostly by the
// shape of its opening hours and its level of the day.
const priorDays = 2

// rate returns the expected ratings per hour at hour h of a day of class c,
// given that the day's opening spans are spans and the unit's level is
// perDay ratings a day when history has none.
func (b *Baseline) rate(c, h int, spans []Span, perDay float64) float64 {
	days := float64(b.Days[0] + b.Days[1])
	mean := perDay
	if b.N > 0 && days > 0 {
		mean = float64(b.N) / days
	}
	// The prior: nine tenths of a day's ratings within the opening spans,
	// in proportion to their minutes in hour h, one tenth spread over the
	// day; a closed day gets a third of the level, evenly.
	var prior float64
	open := 0
	for _, s := range spans {
		open += s.To - s.From
	}
	if c == 0 && open > 0 {
		in := 0
		for _, s := range spans {
			in += max(0, min(s.To, (h+1)*60)-max(s.From, h*60))
		}
		prior = mean * (0.9*float64(in)/float64(open) + 0.1/24)
	} else {
		prior = mean / 3 / 24
	}
	return (b.Hourly[c][h] + priorDays*prior) / (float64(b.Days[c]) + priorDays)
}

// vectorShare returns how often the unit's citizens give answer vector v,
// smoothed towards a prior: straight-lining (every answer the same) is
// common, three in ten; any other exact vector rarer, one in twenty. The
// share is never below 0.02, so that a rare vector repeated a few times is
// not taken for a pattern.
func (b *Baseline) vectorShare(v string) float64 {
	prior := 0.05
	if uniform(v) {
		prior = 0.3
	}
	const weight = 20
	p := (float64(b.Vectors[v]) + weight*prior) / (float64(b.N) + weight)
	return max(p, 0.02)
}

// uniform reports whether every answered item of v has the same value.
func uniform(v string) bool {
	var first byte
	for i := 0; i < len(v); i++ {
		a := v[i]
		if a == 0 || a > 5 {
			continue
		}
		if first == 0 {
			first = a
		} else if a != first {
			return false
		}
	}
	return first != 0
}

// offShare is how often the unit's phone ratings arrive out of hours,
// smoothed (a quarter, when history has few).
func (b *Baseline) offShare() float64 {
	const weight = 20
	return (float64(b.PhoneOff) + weight*0.25) / (float64(b.Phone) + weight)
}

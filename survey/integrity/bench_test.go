package integrity

import (
	"testing"
	"time"
)

// BenchmarkDetectFlood judges a counter-day flooded with 6 000 ratings in
// one hour (from 300 devices, half of them flagged by the rate limit) on
// top of 40 honest ones: the work grows linearly with the flood, not with
// its square (windows of many ratings move on by a fiftieth of them).
func BenchmarkDetectFlood(b *testing.B) {
	s := newCounterDay(1, 40)
	at := vn(judged + " 09:00")
	for i := 0; i < 6000; i++ {
		s.day.Ratings = append(s.day.Ratings, Rating{ID: s.id(), Unit: 1, At: at.Add(time.Duration(i) * 600 * time.Millisecond),
			Client: int64(1 + i%300), Vector: allFive(), Counted: i%2 == 0, Limited: i%2 == 1})
	}
	days := []*UnitDay{s.day}
	for b.Loop() {
		Detect(days, Options{})
	}
}

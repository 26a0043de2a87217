package scoring

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkSameStats fails unless a and b have the same shape and integers and
// float sums equal to within rounding.
func checkSameStats(t *testing.T, a, b *Stats) {
	t.Helper()
	if !a.sh.equal(b.sh) {
		t.Fatalf("got shape %v, want %v", a.sh, b.sh)
	}
	if !slices.Equal(a.ints, b.ints) {
		t.Fatalf("got ints %v, want %v", a.ints, b.ints)
	}
	for i := range a.floats {
		if !near(a.floats[i], b.floats[i], 1e-9) {
			t.Fatalf("got float %d = %v, want %v", i, a.floats[i], b.floats[i])
		}
	}
}

func TestStatsMergeSub(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for name, d := range map[string]Design{"sipas": sipasDesign(), "small": smallDesign(), "quick": quickDesign()} {
		t.Run(name, func(t *testing.T) {
			pop := newPopulation(len(d.Items), 0.5, 0.3)
			for range 10 {
				ra, rb := pop.sample(rng, rng.IntN(60)), pop.sample(rng, rng.IntN(60))
				a, b := mustStats(t, d, ra), mustStats(t, d, rb)
				union := mustStats(t, d, append(slices.Clone(ra), rb...))

				m := a.Clone()
				if err := m.Merge(b); err != nil {
					t.Fatal(err)
				}
				checkSameStats(t, m, union)
				if m.N() != int64(len(ra)+len(rb)) {
					t.Fatalf("got N %d, want %d", m.N(), len(ra)+len(rb))
				}
				if err := m.Sub(b); err != nil {
					t.Fatal(err)
				}
				checkSameStats(t, m, a)
				// Sub of everything gives exactly empty Stats.
				if err := m.Sub(a); err != nil {
					t.Fatal(err)
				}
				checkSameStats(t, m, NewStats(d))
				if slices.ContainsFunc(m.floats, func(f float64) bool { return f != 0 }) {
					t.Fatalf("got floats %v, want zeros", m.floats)
				}
				// Compute on the merge equals Compute on the union.
				checkAgainstReference(t, d, append(slices.Clone(ra), rb...), Compute(d, union, Options{}))
			}
		})
	}
}

func TestStatsErrors(t *testing.T) {
	d := smallDesign()
	s := NewStats(d)
	if err := s.Add([]uint8{1, 2, 3}); !errors.Is(err, ErrAnswers) {
		t.Fatalf("got %v, want ErrAnswers", err)
	}
	if err := s.Add([]uint8{1, 2, 3, 4, 5, 6, 0, 0}); !errors.Is(err, ErrAnswers) {
		t.Fatalf("got %v, want ErrAnswers", err)
	}
	checkSameStats(t, s, NewStats(d)) // nothing recorded

	if err := s.Merge(NewStats(sipasDesign())); !errors.Is(err, ErrShape) {
		t.Fatalf("got %v, want ErrShape", err)
	}
	if err := s.Merge(nil); !errors.Is(err, ErrShape) {
		t.Fatalf("got %v, want ErrShape", err)
	}
	if err := s.Merge(&Stats{}); !errors.Is(err, ErrShape) {
		t.Fatalf("got %v, want ErrShape", err)
	}
	other := mustStats(t, d, [][]uint8{{1, 2, 3, 4, 5, 0, 0, 0}})
	if err := s.Sub(other); !errors.Is(err, ErrShape) {
		t.Fatalf("got %v, want ErrShape", err)
	}
	checkSameStats(t, s, NewStats(d)) // Sub refused, nothing changed

	bad := []Design{
		{},
		{Items: []string{"A", "A"}},
		{Items: []string{"A", ""}},
		{Items: []string{"A"}, Elements: []Element{{Code: "E", Items: []int{1}}}},
		{Items: []string{"A"}, Elements: []Element{{Code: "E", Items: []int{0, 0}}}},
		{Items: []string{"A"}, Elements: []Element{{Code: "E"}}},
		{Items: []string{"A"}, Elements: []Element{{Code: "E", Items: []int{0}}, {Code: "E", Items: []int{0}}}},
		{Items: make([]string, MaxItems+1)},
	}
	for _, bd := range bad {
		t.Run("", func(t *testing.T) {
			s := NewStats(bd)
			if err := s.Add([]uint8{1}); !errors.Is(err, ErrDesign) {
				t.Fatalf("got %v, want ErrDesign", err)
			}
			if _, err := s.MarshalBinary(); err == nil {
				t.Fatalf("got nil, want an error")
			}
			if s.N() != 0 || s.Matches(bd) {
				t.Fatalf("got a usable Stats, want an unusable one")
			}
		})
	}
	var zero *Stats
	if zero.N() != 0 || zero.Clone() != nil {
		t.Fatalf("got a non-empty nil Stats")
	}
}

func TestStatsItemCounts(t *testing.T) {
	d := quickDesign()
	s := mustStats(t, d, parseAnswers([]string{"5", "4", "4", "-", "1", "3"}))
	counts, no := s.ItemCounts(0)
	if counts != [5]int64{1, 0, 1, 2, 1} || no != 1 {
		t.Fatalf("got %v %d, want [1 0 1 2 1] 1", counts, no)
	}
	if counts, no := s.ItemCounts(1); counts != [5]int64{} || no != 0 {
		t.Fatalf("got %v %d, want zeros", counts, no)
	}
	c := s.Clone()
	if err := c.Add([]uint8{5}); err != nil {
		t.Fatal(err)
	}
	if s.N() != 6 || c.N() != 7 {
		t.Fatalf("got %d %d, want 6 7: Clone must not share storage", s.N(), c.N())
	}
}

package scoring

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// project rewrites rows of from into rows of to by item code, with 0 for
// items that from does not have: what respondents of from would look like
// in to.
func project(rows [][]uint8, from, to Design) [][]uint8 {
	out := make([][]uint8, len(rows))
	for i, r := range rows {
		out[i] = make([]uint8, len(to.Items))
		for j, c := range to.Items {
			if k := slices.Index(from.Items, c); k >= 0 {
				out[i][j] = r[k]
			}
		}
	}
	return out
}

func TestRemap(t *testing.T) {
	from := smallDesign() // A1 A2 A3 B1 B2 C1 C2 X
	rows := newPopulation(len(from.Items), 0.6, 0.25).sample(rand.New(rand.NewPCG(11, 12)), 300)
	s := mustStats(t, from, rows)
	code := func(d Design, codes ...string) []int {
		var p []int
		for _, c := range codes {
			p = append(p, slices.Index(d.Items, c))
		}
		return p
	}
	reordered := Design{Items: []string{"X", "C2", "C1", "NEW", "B1", "B2", "A3", "A1", "A2"}}
	reordered.Elements = []Element{
		{Code: "CC", Items: code(reordered, "C1", "C2")},
		{Code: "A", Items: code(reordered, "A1", "NEW", "A2", "A3")}, // a new item: no complete cases
		{Code: "B", Items: code(reordered, "B2", "B1")},
		{Code: "N", Items: code(reordered, "NEW")},
	}
	sameOrder := Design{Items: slices.Clone(from.Items), Elements: []Element{
		{Code: "A2x", Items: []int{2, 1, 0}}, {Code: "B", Items: []int{3, 4}}, {Code: "C", Items: []int{6, 5}},
	}}
	tests := []struct {
		name string
		to   Design
	}{
		{"identity", from},
		{"element item order", sameOrder},
		{"reordered with a new item", reordered},
		{"no elements", Design{Items: append(slices.Clone(from.Items), "Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Remap(s, from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			want := mustStats(t, tt.to, project(rows, from, tt.to))
			checkSameStats(t, got, want)
			checkAgainstReference(t, tt.to, project(rows, from, tt.to), Compute(tt.to, got, Options{}))
		})
	}

	bad := []struct {
		name string
		to   Design
	}{
		{"dropped item", Design{Items: from.Items[:7]}},
		{"split element", Design{Items: from.Items, Elements: []Element{{Code: "A", Items: []int{0, 1}}}}},
		{"mixed element", Design{Items: from.Items, Elements: []Element{{Code: "AB", Items: []int{0, 1, 2, 3}}}}},
		{"invalid target", Design{}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Remap(s, from, tt.to); err == nil {
				t.Fatalf("got nil, want an error")
			}
		})
	}
	if _, err := Remap(s, sipasDesign(), from); !errors.Is(err, ErrShape) {
		t.Fatalf("got %v, want ErrShape", err)
	}
}

// TestRemapMerge merges two instrument versions on the union of their items.
func TestRemapMerge(t *testing.T) {
	v1 := Design{Items: []string{"A1", "A2", "B1"}, Elements: []Element{{Code: "A", Items: []int{0, 1}}, {Code: "B", Items: []int{2}}}}
	v2 := Design{Items: []string{"A1", "A2", "B2"}, Elements: []Element{{Code: "A", Items: []int{0, 1}}, {Code: "B", Items: []int{2}}}}
	union := Design{Items: []string{"A1", "A2", "B1", "B2"}, Elements: []Element{{Code: "A", Items: []int{0, 1}}, {Code: "B", Items: []int{2, 3}}}}
	rng := rand.New(rand.NewPCG(13, 14))
	r1 := newPopulation(3, 0.5, 0.2).sample(rng, 80)
	r2 := newPopulation(3, 0.5, 0.2).sample(rng, 50)
	a, err := Remap(mustStats(t, v1, r1), v1, union)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Remap(mustStats(t, v2, r2), v2, union)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	all := append(project(r1, v1, union), project(r2, v2, union)...)
	checkSameStats(t, a, mustStats(t, union, all))
}

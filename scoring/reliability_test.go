package scoring

import "testing"

// cronbachRows is the 6 × 4 example of section 7 of statistics.md.
var cronbachRows = [][]uint8{{4, 5, 4, 4}, {3, 3, 2, 3}, {5, 5, 5, 4}, {2, 2, 3, 2}, {4, 4, 4, 5}, {3, 4, 3, 3}}

var (
	wantAlpha    = 0.9310344828
	wantItemRest = []float64{0.9447039278, 0.8610485718, 0.7788451745, 0.7788451745}
)

func TestCronbach(t *testing.T) {
	rows := make([][]float64, len(cronbachRows))
	for i, r := range cronbachRows {
		for _, v := range r {
			rows[i] = append(rows[i], float64(v))
		}
	}
	m := MomentsOf(rows)
	alpha, ok := Cronbach(m)
	if !ok {
		t.Fatalf("got ok=false, want true")
	}
	checkClose(t, "alpha", alpha, wantAlpha, 1e-9)
	for j, r := range ItemRest(m) {
		checkClose(t, "item-rest", val(t, "item-rest", r), wantItemRest[j], 1e-9)
	}

	// The same through Stats: the element's complete-case moments.
	d := Design{Items: []string{"Q1", "Q2", "Q3", "Q4"}, Elements: []Element{{Code: "E", Items: []int{0, 1, 2, 3}}}}
	data := append([][]uint8{}, cronbachRows...)
	data = append(data, []uint8{5, 0, 5, 5}, []uint8{0, 0, 0, 0}) // not complete cases
	s := mustStats(t, d, data)
	res := Compute(d, s, Options{})
	checkClose(t, "element alpha", val(t, "alpha", res.Elements[0].Alpha), wantAlpha, 1e-9)
	if res.Elements[0].AlphaN != 6 {
		t.Fatalf("got alpha_n %d, want 6", res.Elements[0].AlphaN)
	}
	for j, r := range ItemRest(s.elementMoments(0)) {
		checkClose(t, "stats item-rest", val(t, "item-rest", r), wantItemRest[j], 1e-9)
	}

	undefined := []struct {
		name string
		rows [][]float64
	}{
		{"one item", [][]float64{{1}, {2}, {3}}},
		{"one case", [][]float64{{1, 2}}},
		{"no variance", [][]float64{{3, 3}, {3, 3}}},
		{"none", nil},
	}
	for _, tt := range undefined {
		t.Run(tt.name, func(t *testing.T) {
			if a, ok := Cronbach(MomentsOf(tt.rows)); ok {
				t.Fatalf("got %v true, want false", a)
			}
		})
	}
}

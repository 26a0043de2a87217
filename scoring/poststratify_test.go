package scoring

import "testing"

func TestPostStratify(t *testing.T) {
	popN := []int64{2000, 500, 120}
	n := []int64{300, 80, 30}
	x := []int64{240, 52, 27}
	tests := []struct {
		name string
		fpc  bool
		se   float64
	}{
		{"with fpc", true, 0.01892168430},
		{"without fpc", false, 0.02057211046},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, se, ok := PostStratify(popN, n, x, tt.fpc)
			if !ok {
				t.Fatalf("got ok=false, want true")
			}
			checkClose(t, "p", p, 0.7759541985, 1e-9)
			checkClose(t, "se", se, tt.se, 1e-9)
		})
	}
	bad := []struct {
		name       string
		popN, n, x []int64
	}{
		{"length", []int64{1, 2}, []int64{2}, []int64{1}},
		{"n<2", []int64{10, 10}, []int64{5, 1}, []int64{1, 1}},
		{"no population", []int64{0}, []int64{5}, []int64{1}},
		{"negative", []int64{-1}, []int64{5}, []int64{1}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, ok := PostStratify(tt.popN, tt.n, tt.x, true); ok {
				t.Fatalf("got ok=true, want false")
			}
		})
	}
}

// TestPostStratifyEstimates checks the weighted estimate on the indices
// Compute gives for the vector of statistics.md §6: three one-criterion
// strata whose linearized SEs make it PostStratify's formula exactly.
func TestPostStratifyEstimates(t *testing.T) {
	popN := []int64{2000, 500, 120}
	n := []int64{300, 80, 30}
	x := []int64{240, 52, 27}
	d := quickDesign()
	var strata []Stratum
	for h := range popN {
		s := NewStats(d)
		for i := int64(0); i < n[h]; i++ {
			v := uint8(2)
			if i < x[h] {
				v = 5
			}
			if err := s.Add([]uint8{v}); err != nil {
				t.Fatal(err)
			}
		}
		r := Compute(d, s, Options{})
		strata = append(strata, Stratum{Volume: popN[h], Estimate: r.Items[0].Estimate})
	}
	for _, tt := range []struct {
		fpc bool
		se  float64
	}{{true, 0.01892168430}, {false, 0.02057211046}} {
		w := PostStratifyEstimates(strata, tt.fpc, 0.95, DefaultRules())
		if w.Index == nil || w.SE == nil {
			t.Fatalf("fpc=%v: no estimate", tt.fpc)
		}
		checkClose(t, "index", *w.Index, 77.59541985, 1e-7)
		checkClose(t, "se", *w.SE, 100*tt.se, 1e-7)
		checkClose(t, "ci_low", *w.CILow, 77.59541985-1.959963985*100*tt.se, 1e-6)
		if w.N != 410 || w.Coverage != 1 || !w.Reportable {
			t.Fatalf("fpc=%v: n %d, coverage %g, reportable %v; want 410, 1, true", tt.fpc, w.N, w.Coverage, w.Reportable)
		}
	}

	// A stratum with a volume but no ratings is left out and lowers the
	// coverage; the others are renormalised.
	empty := append(append([]Stratum{}, strata...), Stratum{Volume: 380})
	w := PostStratifyEstimates(empty, false, 0.95, DefaultRules())
	checkClose(t, "coverage", w.Coverage, 2620.0/3000, 1e-12)
	checkClose(t, "index", *w.Index, 77.59541985, 1e-7)

	// Nothing usable: no index, not reportable, never NaN.
	w = PostStratifyEstimates([]Stratum{{Volume: 10}}, false, 0.95, DefaultRules())
	if w.Index != nil || w.Reportable || w.Coverage != 0 {
		t.Fatalf("got %+v, want no estimate", w)
	}
}

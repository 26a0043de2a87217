package scoring

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestCompareProportions(t *testing.T) {
	tests := []struct {
		name           string
		x1, n1, x2, n2 int64
		low, high, p   float64
		significant    string
	}{
		{"higher", 56, 70, 48, 80, 5.243147240, 33.38726540, 0.008045081368, "higher"},
		{"lower", 48, 80, 56, 70, -33.38726540, -5.243147240, 0.008045081368, "lower"},
		{"equal", 0, 10, 0, 10, -27.75327999, 27.75327999, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CompareProportions(tt.x1, tt.n1, tt.x2, tt.n2, 0.95)
			checkClose(t, "low", val(t, "low", c.CILow), tt.low, 1e-9)
			checkClose(t, "high", val(t, "high", c.CIHigh), tt.high, 1e-9)
			checkClose(t, "p", val(t, "p", c.P), tt.p, 1e-9)
			if c.Significant != tt.significant {
				t.Fatalf("got %q, want %q", c.Significant, tt.significant)
			}
		})
	}
	if c := CompareProportions(1, 0, 1, 2, 0.95); c.Diff != nil || c.P != nil {
		t.Fatalf("got %+v, want nil fields", c)
	}
}

func TestCompareEstimates(t *testing.T) {
	d, rows := section2()
	a := Compute(d, mustStats(t, d, rows), Options{})
	b := Compute(d, mustStats(t, d, rows[:6]), Options{})
	c := CompareEstimates(a.Overall.Estimate, b.Overall.Estimate, 0.95)
	diff, ci, p := DiffTest(*a.Overall.Index, *a.Overall.SE, *b.Overall.Index, *b.Overall.SE, 0.95)
	checkClose(t, "diff", val(t, "diff", c.Diff), diff, 1e-12)
	checkClose(t, "low", val(t, "low", c.CILow), math.Max(ci.Low, -100), 1e-12)
	checkClose(t, "p", val(t, "p", c.P), p, 1e-12)

	ci1 := CompareItems(a.Items[0], b.Items[0], 0.95)
	want := CompareProportions(a.Items[0].Satisfied, a.Items[0].N, b.Items[0].Satisfied, b.Items[0].N, 0.95)
	if *ci1.Diff != *want.Diff || *ci1.P != *want.P {
		t.Fatalf("got %v, want %v", ci1, want)
	}
	empty := Compute(d, NewStats(d), Options{})
	if c := CompareEstimates(a.Overall.Estimate, empty.Overall.Estimate, 0.95); c.Diff != nil {
		t.Fatalf("got %v, want nil", *c.Diff)
	}
	js, _ := json.Marshal(c)
	for _, key := range []string{`"diff"`, `"ci_low"`, `"ci_high"`, `"p"`, `"p_adj"`, `"significant"`} {
		if !strings.Contains(string(js), key) {
			t.Fatalf("got %s, want key %s", js, key)
		}
	}
}

func TestAdjustComparisons(t *testing.T) {
	ps := []float64{0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205}
	mk := func() []Comparison {
		cs := make([]Comparison, 0, len(ps)+1)
		for i, p := range ps {
			d := 1.0
			if i%2 == 1 {
				d = -1
			}
			cs = append(cs, Comparison{Diff: ptr(d), P: ptr(p)})
		}
		return append(cs, Comparison{}) // no data: left out of the family
	}
	tests := []struct {
		method string
		want   []string
	}{
		{"holm", []string{"higher", "", "", "", "", "", "", "", ""}},
		{"", []string{"higher", "", "", "", "", "", "", "", ""}},
		{"bh", []string{"higher", "lower", "", "", "", "", "", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			cs := mk()
			AdjustComparisons(cs, tt.method, 0.95)
			for i, c := range cs {
				if c.Significant != tt.want[i] {
					t.Fatalf("comparison %d: got %q, want %q", i, c.Significant, tt.want[i])
				}
			}
			if cs[len(cs)-1].PAdj != nil {
				t.Fatalf("got a p_adj for a comparison without p")
			}
			if *cs[1].PAdj < *cs[1].P {
				t.Fatalf("got adjusted %v below raw %v", *cs[1].PAdj, *cs[1].P)
			}
		})
	}
}

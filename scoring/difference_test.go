package scoring

import (
	"math"
	"testing"
)

func TestNewcombe(t *testing.T) {
	tests := []struct {
		x1, n1, x2, n2 int64
		want           Interval
	}{
		{56, 70, 48, 80, Interval{0.05243147240, 0.3338726540}},
		{9, 10, 3, 10, Interval{0.1705227239, 0.8090179735}},
		{5, 56, 0, 29, Interval{-0.03813714790, 0.1925600139}},
		{10, 10, 0, 20, Interval{0.6790860371, 1}},
		{0, 10, 0, 10, Interval{-0.2775327999, 0.2775327999}},
	}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			diff, ci := Newcombe(tt.x1, tt.n1, tt.x2, tt.n2, 0.95)
			checkClose(t, "diff", diff, float64(tt.x1)/float64(tt.n1)-float64(tt.x2)/float64(tt.n2), 1e-15)
			checkClose(t, "low", ci.Low, tt.want.Low, 1e-9)
			checkClose(t, "high", ci.High, tt.want.High, 1e-9)
		})
	}
	if d, ci := Newcombe(1, 0, 1, 3, 0.95); d != 0 || ci != (Interval{-1, 1}) {
		t.Fatalf("got %v %v, want 0 {-1 1}", d, ci)
	}
}

func TestTwoProportionZ(t *testing.T) {
	tests := []struct {
		name           string
		x1, n1, x2, n2 int64
		z, p           float64
	}{
		{"vector", 56, 70, 48, 80, 2.650171951, 0.008045081368},
		{"reversed", 48, 80, 56, 70, -2.650171951, 0.008045081368},
		{"empty", 0, 0, 3, 5, 0, 1},
		{"pooled 1", 5, 5, 7, 7, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, p := TwoProportionZ(tt.x1, tt.n1, tt.x2, tt.n2)
			checkClose(t, "z", z, tt.z, 1e-9)
			checkClose(t, "p", p, tt.p, 1e-9)
		})
	}
}

func TestDiffTest(t *testing.T) {
	tests := []struct {
		name               string
		e1, s1, e2, s2     float64
		diff, low, high, p float64
	}{
		{"3-4-5", 0.8, 0.03, 0.7, 0.04, 0.1, 0.1 - 1.959963984540054*0.05, 0.1 + 1.959963984540054*0.05, 0.04550026389635842},
		{"no se equal", 0.5, 0, 0.5, 0, 0, 0, 0, 1},
		{"no se different", 1, 0, 0, 0, 1, 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ci, p := DiffTest(tt.e1, tt.s1, tt.e2, tt.s2, 0.95)
			checkClose(t, "diff", d, tt.diff, 1e-12)
			checkClose(t, "low", ci.Low, tt.low, 1e-12)
			checkClose(t, "high", ci.High, tt.high, 1e-12)
			checkClose(t, "p", p, tt.p, 1e-9)
		})
	}
}

func TestMultiplicity(t *testing.T) {
	p := []float64{0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205}
	tests := []struct {
		name string
		f    func([]float64) []float64
		in   []float64
		want []float64
	}{
		{"holm", Holm, p, []float64{0.008, 0.056, 0.234, 0.234, 0.234, 0.234, 0.234, 0.234}},
		{"bh", BenjaminiHochberg, p, []float64{0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.08457142857, 0.205}},
		// Shuffled input: results follow the input order.
		{"holm shuffled", Holm, []float64{0.205, 0.001, 0.060, 0.008}, []float64{0.205, 0.004, 0.12, 0.024}},
		{"bh shuffled", BenjaminiHochberg, []float64{0.205, 0.001, 0.060, 0.008}, []float64{0.205, 0.004, 0.08, 0.016}},
		{"holm caps at 1", Holm, []float64{0.6, 0.7}, []float64{1, 1}},
		{"NaN counts as 1", BenjaminiHochberg, []float64{math.NaN(), 0.01}, []float64{1, 0.02}},
		{"empty", Holm, nil, []float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.f(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if !near(got[i], tt.want[i], 1e-9) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

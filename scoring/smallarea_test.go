package scoring

import (
	"math"
	"testing"
)

func TestEmpiricalBayes(t *testing.T) {
	x := []int64{18, 45, 140, 7, 30, 270}
	n := []int64{20, 60, 200, 8, 50, 300}
	mu, m, post := EmpiricalBayes(x, n)
	checkClose(t, "mu", mu, 0.7993730408, 1e-9)
	checkClose(t, "M", m, 15.48901862, 1e-9)
	want := []float64{0.8560818274, 0.7601304794, 0.7071427811, 0.8251304248, 0.6471543597, 0.8950596922}
	for i := range want {
		checkClose(t, "posterior", post[i], want[i], 1e-9)
	}

	tests := []struct {
		name  string
		x, n  []int64
		mu, m float64
		post  []float64
	}{
		{"no spread", []int64{8, 16}, []int64{10, 20}, 0.8, math.Inf(1), []float64{0.8, 0.8}},
		{"one unit", []int64{3}, []int64{4}, 0.75, math.Inf(1), []float64{0.75}},
		{"no data", []int64{0, 0}, []int64{0, 0}, 0, 0, []float64{0, 0}},
		{"overdispersed, empty unit gets mu", []int64{0, 10, 0}, []int64{10, 10, 0}, 0.5, 0, []float64{0, 1, 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu, m, post := EmpiricalBayes(tt.x, tt.n)
			if !near(mu, tt.mu, 1e-12) || !(m == tt.m || near(m, tt.m, 1e-12)) {
				t.Fatalf("got mu=%v M=%v, want %v %v", mu, m, tt.mu, tt.m)
			}
			for i := range tt.post {
				if !near(post[i], tt.post[i], 1e-12) {
					t.Fatalf("got %v, want %v", post, tt.post)
				}
			}
		})
	}
}

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

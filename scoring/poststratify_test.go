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

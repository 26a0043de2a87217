package scoring

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestZ(t *testing.T) {
	tests := []struct {
		level, want float64
	}{
		{0.95, 1.959963984540054},
		{0.90, 1.6448536269514722},
		{0.99, 2.5758293035489004},
		{0, 1.959963984540054},   // default
		{1.5, 1.959963984540054}, // invalid: default
	}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			if got := Z(tt.level); !near(got, tt.want, 1e-12) {
				t.Fatalf("Z(%v): got %v, want %v", tt.level, got, tt.want)
			}
		})
	}
}

// proportionVectors is the table of section 1 of statistics.md.
var proportionVectors = []struct {
	x, n          int64
	wilson, exact Interval
}{
	{81, 263, Interval{0.2552885199, 0.3662095770}, Interval{0.2527367456, 0.3676219226}},
	{15, 148, Interval{0.06238639953, 0.1604872417}, Interval{0.05784401008, 0.1616504903}},
	{0, 20, Interval{0, 0.1611251581}, Interval{0, 0.1684334710}},
	{1, 29, Interval{0.006113214293, 0.1717552188}, Interval{0.0008726468836, 0.1776442955}},
	{0, 10, Interval{0, 0.2775327999}, Interval{0, 0.3084971078}},
	{10, 10, Interval{0.7224672001, 1}, Interval{0.6915028922, 1}},
	{9, 10, Interval{0.5958499732, 0.9821237869}, Interval{0.5549838830, 0.9974714215}},
	{29, 30, Interval{0.8332960901, 0.9940914096}, Interval{0.8278305444, 0.9991564291}},
	{240, 300, Interval{0.7510710762, 0.8413431410}, Interval{0.7501955985, 0.8437686989}},
	{1700, 2000, Interval{0.8336805919, 0.8649774751}, Interval{0.8335891273, 0.8653773297}},
}

// checkInterval compares intervals to the 10 significant digits of the vectors.
func checkInterval(t *testing.T, got, want Interval) {
	t.Helper()
	const tol = 1e-9
	if math.Abs(got.Low-want.Low) > tol*math.Max(want.Low, 1e-3) && math.Abs(got.Low-want.Low) > 1e-12 ||
		math.Abs(got.High-want.High) > tol*math.Max(want.High, 1e-3) && math.Abs(got.High-want.High) > 1e-12 {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestWilson(t *testing.T) {
	for _, tt := range proportionVectors {
		t.Run("", func(t *testing.T) {
			checkInterval(t, Wilson(tt.x, tt.n, 0.95), tt.wilson)
		})
	}
}

func TestClopperPearson(t *testing.T) {
	for _, tt := range proportionVectors {
		t.Run("", func(t *testing.T) {
			checkInterval(t, ClopperPearson(tt.x, tt.n, 0.95), tt.exact)
		})
	}
}

func TestProportionEdges(t *testing.T) {
	tests := []struct {
		name string
		x, n int64
		want Interval
	}{
		{"n=0", 0, 0, Interval{0, 1}},
		{"negative n", 3, -1, Interval{0, 1}},
		{"x=0 low exactly 0", 0, 1, Interval{0, -1}},
		{"x=n high exactly 1", 7, 7, Interval{-1, 1}},
		{"n=1 x=1", 1, 1, Interval{-1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []func(int64, int64, float64) Interval{Wilson, ClopperPearson} {
				got := f(tt.x, tt.n, 0.95)
				if got.Low < 0 || got.High > 1 || got.Low > got.High || math.IsNaN(got.Low+got.High) {
					t.Fatalf("got %v, want an interval inside [0,1]", got)
				}
				if tt.want.Low >= 0 && got.Low != tt.want.Low || tt.want.High >= 0 && got.High != tt.want.High {
					t.Fatalf("got %v, want %v (−1 = any)", got, tt.want)
				}
			}
		})
	}
	// x outside [0, n] is clamped.
	if got, want := Wilson(12, 10, 0.95), Wilson(10, 10, 0.95); got != want {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestTInterval(t *testing.T) {
	data := []float64{5, 4, 4, 3, 5, 2, 4, 4, 5, 3}
	var sum, sq float64
	for _, v := range data {
		sum += v
		sq += v * v
	}
	mean, ci, ok := TInterval(int64(len(data)), sum, sq, 0.95)
	if !ok {
		t.Fatalf("got ok=false, want true")
	}
	checkClose(t, "mean", mean, 3.9, 1e-12)
	checkClose(t, "low", ci.Low, 3.188628400, 1e-9)
	checkClose(t, "high", ci.High, 4.611371600, 1e-9)
	checkClose(t, "s", ci.Width()/2/2.2621571628*math.Sqrt(10), 0.9944289260, 1e-9)

	tests := []struct {
		name     string
		n        int64
		sum, sq  float64
		wantMean float64
	}{
		{"n=0", 0, 0, 0, 0},
		{"n=1", 1, 4, 16, 4},
		{"infinite", 3, math.Inf(1), 1, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, ok := TInterval(tt.n, tt.sum, tt.sq, 0.95)
			if ok || m != tt.wantMean {
				t.Fatalf("got %v %v, want %v false", m, ok, tt.wantMean)
			}
		})
	}
	// No variance: a zero-width interval, not NaN.
	_, ci, ok = TInterval(4, 20, 100, 0.95)
	if !ok || ci.Low != 5 || ci.High != 5 {
		t.Fatalf("got %v %v, want {5 5} true", ci, ok)
	}
}

func TestTQuantile(t *testing.T) {
	nus := []float64{1.5, 1000.5, 1001, 1e4} // gonum itself loses digits near 1e6
	for nu := 1.0; nu <= 1000; nu++ {
		nus = append(nus, nu)
	}
	for _, nu := range nus {
		for _, p := range []float64{0.8, 0.95, 0.975, 0.995, 0.9995} {
			want := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(p)
			if got := tQuantile(p, nu); !near(got, want, 1e-11) {
				t.Fatalf("tQuantile(%v, %v): got %.17g, want %.17g", p, nu, got, want)
			}
		}
	}
	checkClose(t, "t9", tQuantile(0.975, 9), 2.2621571628, 1e-10)
}

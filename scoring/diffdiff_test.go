package scoring

import (
	"math/rand/v2"
	"testing"
)

// TestDiffOfDiffs checks the MOVER interval of a difference of two
// Newcombe differences against a vector computed independently (in
// Python, from the Wilson limits): unit 48/60 after vs 30/60 before, rest
// 310/500 vs 300/500, 95%: d = 28 points, [9.960959473, 43.92532614].
func TestDiffOfDiffs(t *testing.T) {
	unit := CompareProportions(48, 60, 30, 60, 0.95)
	rest := CompareProportions(310, 500, 300, 500, 0.95)
	got := DiffOfDiffs(unit, rest, 0.95)
	checkClose(t, "diff", val(t, "diff", got.Diff), 28, 1e-9)
	checkClose(t, "low", val(t, "low", got.CILow), 9.960959473177034, 1e-8)
	checkClose(t, "high", val(t, "high", got.CIHigh), 43.925326143777056, 1e-8)
	if got.Significant != "higher" {
		t.Errorf("significant = %q, want higher (the interval is above 0)", got.Significant)
	}
	// The same rise everywhere is no effect of the unit's own.
	same := DiffOfDiffs(CompareProportions(48, 60, 30, 60, 0.95), CompareProportions(400, 500, 250, 500, 0.95), 0.95)
	if same.Significant != "" || *same.CILow > 0 || *same.CIHigh < 0 {
		t.Errorf("a rise shared with the rest: %+v, want an interval around 0", same)
	}
	// Antisymmetry: swapping the sides mirrors the interval.
	back := DiffOfDiffs(rest, unit, 0.95)
	checkClose(t, "mirrored low", *back.CILow, -*got.CIHigh, 1e-12)
	checkClose(t, "mirrored high", *back.CIHigh, -*got.CILow, 1e-12)
	if back.Significant != "lower" {
		t.Errorf("mirrored significant = %q, want lower", back.Significant)
	}
	if e := DiffOfDiffs(Comparison{}, rest, 0.95); e.Diff != nil || e.Significant != "" {
		t.Errorf("an empty side gave %+v", e)
	}
}

// TestDiffOfDiffsCoverage checks by simulation that the interval covers the
// true difference of differences about 95% of the time at sample sizes a
// commune sees (40–60 ratings a side) and with the rest of a province
// (400–500).
func TestDiffOfDiffsCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2027))
	draw := func(p float64, n int64) int64 {
		var x int64
		for range n {
			if rng.Float64() < p {
				x++
			}
		}
		return x
	}
	const reps = 4000
	p := [4]float64{0.62, 0.74, 0.8, 0.83}
	n := [4]int64{45, 60, 400, 500}
	truth := 100 * ((p[1] - p[0]) - (p[3] - p[2]))
	hits := 0
	for range reps {
		var x [4]int64
		for i := range x {
			x[i] = draw(p[i], n[i])
		}
		c := DiffOfDiffs(CompareProportions(x[1], n[1], x[0], n[0], 0.95), CompareProportions(x[3], n[3], x[2], n[2], 0.95), 0.95)
		if *c.CILow <= truth && truth <= *c.CIHigh {
			hits++
		}
	}
	cov := float64(hits) / reps
	if cov < 0.935 || cov > 0.97 {
		t.Errorf("coverage %.4f, want about 0.95", cov)
	}
	t.Logf("coverage %.4f over %d replicates", cov, reps)
}

func TestSimultaneousLevel(t *testing.T) {
	for _, tt := range []struct {
		level float64
		m     int
		want  float64
	}{{0.95, 1, 0.95}, {0.95, 0, 0.95}, {0.95, 5, 0.99}, {0, 2, 0.975}} {
		checkClose(t, "level", SimultaneousLevel(tt.level, tt.m), tt.want, 1e-12)
	}
}

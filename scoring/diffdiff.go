package scoring

import "math"

// DiffOfDiffs compares two independent differences, d1 = a₁ − a₀ and
// d2 = b₁ − b₀, each a Comparison with its interval at the given level (a
// unit's change and the change of the rest of its parent over the same two
// periods): the difference of the differences d1 − d2 with an interval by
// the method of variance estimates recovery (Zou & Donner 2008, the method
// Newcombe's interval is an instance of), built from the limits of each:
//
//	L = d − √((d1 − L1)² + (U2 − d2)²),  U = d + √((U1 − d1)² + (d2 − L2)²).
//
// Significant is "higher" when L > 0 and "lower" when U < 0: the verdict is
// the interval's. P is the two-sided normal p-value of d with the SE the
// interval implies ((U − L)/2z), for adjustments across a family; PAdj is
// P. The result is empty when either side has no interval.
func DiffOfDiffs(d1, d2 Comparison, level float64) Comparison {
	if d1.Diff == nil || d1.CILow == nil || d1.CIHigh == nil || d2.Diff == nil || d2.CILow == nil || d2.CIHigh == nil {
		return Comparison{}
	}
	x1, x2 := *d1.Diff, *d2.Diff
	d := x1 - x2
	lo := d - math.Hypot(x1-*d1.CILow, *d2.CIHigh-x2)
	hi := d + math.Hypot(*d1.CIHigh-x1, x2-*d2.CILow)
	c := Comparison{Diff: ptr(d), CILow: ptr(lo), CIHigh: ptr(hi)}
	p := 1.0
	if se := (hi - lo) / (2 * Z(level)); se > 0 {
		p = twoSidedP(d / se)
	} else if d != 0 {
		p = 0
	}
	c.P, c.PAdj = ptr(p), ptr(p)
	switch {
	case lo > 0:
		c.Significant = "higher"
	case hi < 0:
		c.Significant = "lower"
	}
	return c
}

// SimultaneousLevel is the confidence level of each of m intervals that
// hold together at level (Bonferroni): 1 − (1 − level)/m.
func SimultaneousLevel(level float64, m int) float64 {
	level = normLevel(level)
	if m <= 1 {
		return level
	}
	return 1 - (1-level)/float64(m)
}

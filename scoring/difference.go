package scoring

import (
	"math"
	"sort"
)

// Newcombe returns p̂₁ − p̂₂ and Newcombe's hybrid score interval for it
// (Newcombe 1998, method 10), built from the Wilson limits of each
// proportion and clamped to [−1, 1]. When n1 or n2 is ≤ 0 the difference is
// not estimable: it returns 0 and {−1, 1}.
func Newcombe(x1, n1, x2, n2 int64, level float64) (diff float64, ci Interval) {
	if n1 <= 0 || n2 <= 0 {
		return 0, Interval{-1, 1}
	}
	x1, x2 = clampCount(x1, n1), clampCount(x2, n2)
	p1 := float64(x1) / float64(n1)
	p2 := float64(x2) / float64(n2)
	w1, w2 := Wilson(x1, n1, level), Wilson(x2, n2, level)
	diff = p1 - p2
	lo := diff - math.Hypot(p1-w1.Low, w2.High-p2)
	hi := diff + math.Hypot(w1.High-p1, p2-w2.Low)
	return diff, Interval{clamp(lo, -1, 1), clamp(hi, -1, 1)}
}

// TwoProportionZ returns the pooled two-proportion z statistic for
// p̂₁ − p̂₂ and its two-sided p-value. When a sample is empty or the pooled
// proportion is 0 or 1 there is no evidence of a difference: z = 0, p = 1.
func TwoProportionZ(x1, n1, x2, n2 int64) (z, p float64) {
	if n1 <= 0 || n2 <= 0 {
		return 0, 1
	}
	x1, x2 = clampCount(x1, n1), clampCount(x2, n2)
	f1, f2 := float64(n1), float64(n2)
	pool := float64(x1+x2) / (f1 + f2)
	se := math.Sqrt(pool * (1 - pool) * (1/f1 + 1/f2))
	if se == 0 {
		return 0, 1
	}
	z = (float64(x1)/f1 - float64(x2)/f2) / se
	return z, twoSidedP(z)
}

// twoSidedP returns 2·(1 − Φ(|z|)), computed in the upper tail for accuracy.
func twoSidedP(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// DiffTest compares two independent estimates (for example composite
// indices of two agencies, or of an agency and the rest of its parent):
// diff = est1 − est2, SE = √(se1² + se2²), the normal interval diff ± z·SE
// and the two-sided normal p-value. With SE = 0, p is 1 when diff = 0 and 0
// otherwise. Estimates that share respondents are not independent.
func DiffTest(est1, se1, est2, se2, level float64) (diff float64, ci Interval, p float64) {
	diff = est1 - est2
	se := math.Hypot(se1, se2)
	if se == 0 {
		p = 1
		if diff != 0 {
			p = 0
		}
		return diff, Interval{diff, diff}, p
	}
	half := Z(level) * se
	return diff, Interval{diff - half, diff + half}, twoSidedP(diff / se)
}

// order returns the indices of p sorted by increasing p (stable). NaN sorts
// last, as if it were 1.
func order(p []float64) []int {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return pval(p[idx[a]]) < pval(p[idx[b]]) })
	return idx
}

// pval limits a p-value to [0, 1], mapping NaN to 1.
func pval(v float64) float64 {
	if math.IsNaN(v) {
		return 1
	}
	return clamp(v, 0, 1)
}

// Holm returns Holm's step-down adjusted p-values (family-wise error rate),
// in the order of p: adj₍ᵢ₎ = max_{j≤i} min(1, (m−j+1)·p₍ⱼ₎).
func Holm(p []float64) []float64 {
	m := len(p)
	adj := make([]float64, m)
	run := 0.0
	for j, i := range order(p) {
		run = max(run, min(1, float64(m-j)*pval(p[i])))
		adj[i] = run
	}
	return adj
}

// BenjaminiHochberg returns the Benjamini–Hochberg step-up adjusted p-values
// (false discovery rate), in the order of p: adj₍ᵢ₎ = min_{j≥i} min(1, (m/j)·p₍ⱼ₎).
func BenjaminiHochberg(p []float64) []float64 {
	m := len(p)
	adj := make([]float64, m)
	idx := order(p)
	run := 1.0
	for j := m - 1; j >= 0; j-- {
		i := idx[j]
		run = min(run, float64(m)/float64(j+1)*pval(p[i]))
		adj[i] = run
	}
	return adj
}

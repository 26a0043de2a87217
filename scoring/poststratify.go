package scoring

import "math"

// PostStratify weights strata to known dossier volumes. It returns the
// post-stratified proportion p̂ = Σ_h (N_h/N)·p̂_h for strata with known sizes
// popN (for example the dossier volumes of a parent's children), sample sizes
// n and successes x, and its standard error from
// v = Σ_h (N_h/N)²·f_h·p̂_h(1−p̂_h)/(n_h − 1). With fpc, f_h = 1 − n_h/N_h (the
// finite population correction, limited to ≥ 0); without, f_h = 1. The
// correction is only valid when the rated transactions are a random sample,
// which self-selected ratings are not, so callers should leave it off by
// default. Strata with N_h = 0 are ignored. ok is false when the slices
// differ in length, a size is negative, no stratum has N_h > 0, or a stratum
// with N_h > 0 has n_h < 2.
func PostStratify(popN, n, x []int64, fpc bool) (p, se float64, ok bool) {
	if len(popN) != len(n) || len(n) != len(x) {
		return 0, 0, false
	}
	var total float64
	for h := range popN {
		if popN[h] < 0 || n[h] < 0 {
			return 0, 0, false
		}
		if popN[h] > 0 && n[h] < 2 {
			return 0, 0, false
		}
		total += float64(popN[h])
	}
	if total == 0 {
		return 0, 0, false
	}
	var v float64
	for h := range popN {
		if popN[h] == 0 {
			continue
		}
		w := float64(popN[h]) / total
		nh := float64(n[h])
		ph := float64(clampCount(x[h], n[h])) / nh
		f := 1.0
		if fpc {
			f = max(0, 1-nh/float64(popN[h]))
		}
		p += w * ph
		v += w * w * f * ph * (1 - ph) / (nh - 1)
	}
	return p, math.Sqrt(v), true
}

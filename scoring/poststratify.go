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

// Stratum is one part of a post-stratified index: a unit's own estimate
// (an index in percent with its linearized SE and n, as Compute returns
// it) and the number of dossiers it served, its weight.
type Stratum struct {
	Volume   int64
	Estimate Estimate
	// Corrected says the estimate's variance already carries the
	// finite-population correction (a part that was itself
	// post-stratified with it): it is not applied again.
	Corrected bool
}

// Weighted is a post-stratified estimate and how much of the volume it
// stands for.
type Weighted struct {
	Estimate
	// Coverage is the share (0..1) of the total volume in strata that could
	// be used: a stratum with a volume but without an index and SE (no
	// respondents, or fewer than two) cannot be represented and is left
	// out, the others' weights renormalised. 0 when nothing could be used.
	Coverage float64 `json:"coverage"`
}

// PostStratifyEstimates weights the strata's indices to their volumes:
// C = Σ_h (N_h/N)·C_h with v = Σ_h (N_h/N)²·f_h·SE_h², the formula of
// PostStratify applied to each stratum's index and its linearized variance
// (for one criterion, SE_h² = p̂_h(1−p̂_h)/(n_h − 1), exactly PostStratify's
// term). f_h is 1, or with fpc 1 − n_h/N_h (limited to ≥ 0), valid only
// when the rated transactions are a random sample, which self-selected
// ratings are not: leave it off by default. N of the result is the sum of
// the used strata's n; the interval is C ± z·SE clamped to [0, 100], and
// rules decide reportability as for every estimate. Strata with volume 0
// carry no weight.
func PostStratifyEstimates(strata []Stratum, fpc bool, level float64, rules Rules) Weighted {
	var total, used float64
	for _, s := range strata {
		if s.Volume <= 0 {
			continue
		}
		total += float64(s.Volume)
		if usable(s.Estimate) {
			used += float64(s.Volume)
		}
	}
	out := Weighted{}
	if used == 0 {
		rules.apply(&out.Estimate)
		return out
	}
	out.Coverage = used / total
	var est, v float64
	for _, s := range strata {
		if s.Volume <= 0 || !usable(s.Estimate) {
			continue
		}
		w := float64(s.Volume) / used
		f := 1.0
		if fpc && !s.Corrected {
			f = max(0, 1-float64(s.Estimate.N)/float64(s.Volume))
		}
		se := *s.Estimate.SE
		est += w * *s.Estimate.Index
		v += w * w * f * se * se
		out.N += s.Estimate.N
	}
	se := math.Sqrt(v)
	z := Z(level)
	out.Index, out.SE = ptr(est), ptr(se)
	out.CILow, out.CIHigh = ptr(clamp(est-z*se, 0, 100)), ptr(clamp(est+z*se, 0, 100))
	rules.apply(&out.Estimate)
	return out
}

// usable reports whether a stratum's estimate can enter a weighted index.
func usable(e Estimate) bool { return e.Index != nil && e.SE != nil && e.N >= 2 }

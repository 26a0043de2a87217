package scoring

import "math"

// EmpiricalBayes fits a beta-binomial model by the method of moments to
// units with x_i successes out of n_i trials and returns the prior mean μ̂,
// the prior strength M (in pseudo-trials) and each unit's posterior mean
// (x_i + μ̂M)/(n_i + M), which shrinks small units towards μ̂:
//
//	μ̂  = Σx / Σn
//	τ̂² = max(0, var(p̂_i) − mean(μ̂(1−μ̂)/n_i)),  var about μ̂ with divisor k−1
//	M  = μ̂(1−μ̂)/τ̂² − 1
//
// Only units with n_i > 0 enter the fit; the others get the posterior μ̂.
// When τ̂² = 0 (no spread beyond binomial noise, or fewer than two units)
// M is +Inf and every posterior is μ̂. A negative M (more spread than a beta
// prior allows) is raised to 0, so the posterior is the raw proportion.
// x and n are paired by position; post has min(len(x), len(n)) entries.
// With no trials at all, μ̂ = M = 0 and every posterior is 0.
func EmpiricalBayes(x, n []int64) (mu, m float64, post []float64) {
	k := min(len(x), len(n))
	post = make([]float64, k)
	var sx, sn int64
	units := 0
	for i := range k {
		if n[i] > 0 {
			sx += clampCount(x[i], n[i])
			sn += n[i]
			units++
		}
	}
	if sn == 0 {
		return 0, 0, post
	}
	mu = float64(sx) / float64(sn)
	tau2 := 0.0
	if units >= 2 {
		var ss, noise float64
		for i := range k {
			if n[i] > 0 {
				d := float64(clampCount(x[i], n[i]))/float64(n[i]) - mu
				ss += d * d
				noise += mu * (1 - mu) / float64(n[i])
			}
		}
		tau2 = max(0, ss/float64(units-1)-noise/float64(units))
	}
	if tau2 == 0 {
		m = math.Inf(1)
		for i := range post {
			post[i] = mu
		}
		return mu, m, post
	}
	m = max(0, mu*(1-mu)/tau2-1)
	for i := range k {
		if n[i] <= 0 {
			post[i] = mu
			continue
		}
		post[i] = (float64(clampCount(x[i], n[i])) + mu*m) / (float64(n[i]) + m)
	}
	return mu, m, post
}

// PostStratify returns the post-stratified proportion p̂ = Σ_h (N_h/N)·p̂_h
// for strata with known sizes popN (for example the transaction volumes of a
// parent's children), sample sizes n and successes x, and its standard error
// from v = Σ_h (N_h/N)²·f_h·p̂_h(1−p̂_h)/(n_h − 1). With fpc, f_h = 1 − n_h/N_h
// (the finite population correction, limited to ≥ 0); without, f_h = 1.
// The correction is only valid when the rated transactions are a random
// sample, which self-selected ratings are not, so callers should leave it
// off by default. Strata with N_h = 0 are ignored. ok is false when the
// slices differ in length, a size is negative, no stratum has N_h > 0, or a
// stratum with N_h > 0 has n_h < 2.
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

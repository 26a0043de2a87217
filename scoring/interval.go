package scoring

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultLevel is the confidence level used when a level is zero or outside (0, 1).
const DefaultLevel = 0.95

// Interval is a confidence interval [Low, High].
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Width returns High − Low.
func (iv Interval) Width() float64 { return iv.High - iv.Low }

// normLevel returns level, or DefaultLevel when level is not in (0, 1).
func normLevel(level float64) float64 {
	if !(level > 0 && level < 1) {
		return DefaultLevel
	}
	return level
}

// Z returns the two-sided standard normal quantile for a confidence level:
// Z(0.95) = 1.959963984540054. A level outside (0, 1) is treated as 0.95.
func Z(level float64) float64 {
	level = normLevel(level)
	return distuv.UnitNormal.Quantile(1 - (1-level)/2)
}

// clampCount limits x to [0, n].
func clampCount(x, n int64) int64 {
	return min(max(x, 0), n)
}

// clamp limits v to [lo, hi].
func clamp(v, lo, hi float64) float64 {
	return min(max(v, lo), hi)
}

// Wilson returns the Wilson score interval for x successes out of n trials,
// as proportions clamped to [0, 1]. When n ≤ 0 it returns {0, 1}; x is
// limited to [0, n].
func Wilson(x, n int64, level float64) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	x = clampCount(x, n)
	z := Z(level)
	k := z * z
	nf := float64(n)
	p := float64(x) / nf
	centre := (float64(x) + k/2) / (nf + k)
	half := z * math.Sqrt(nf) / (nf + k) * math.Sqrt(p*(1-p)+k/(4*nf))
	lo, hi := clamp(centre-half, 0, 1), clamp(centre+half, 0, 1)
	// The exact limits at the edges are 0 and 1; float64 misses them by an ulp.
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return Interval{lo, hi}
}

// ClopperPearson returns the exact (conservative) Clopper–Pearson interval
// for x successes out of n trials. When n ≤ 0 it returns {0, 1}; x is limited
// to [0, n].
func ClopperPearson(x, n int64, level float64) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	x = clampCount(x, n)
	alpha := 1 - normLevel(level)
	iv := Interval{0, 1}
	// distuv.Beta panics when a shape parameter is ≤ 0, which is exactly
	// the x = 0 and x = n edges, whose limits are 0 and 1 by definition.
	if x > 0 {
		iv.Low = distuv.Beta{Alpha: float64(x), Beta: float64(n - x + 1)}.Quantile(alpha / 2)
	}
	if x < n {
		iv.High = distuv.Beta{Alpha: float64(x + 1), Beta: float64(n - x)}.Quantile(1 - alpha/2)
	}
	return iv
}

// TInterval returns the mean and the t-interval mean ± t(n−1)·s/√n from the
// sufficient statistics n, Σy and Σy². ok is false when n < 2 or the inputs
// are not finite; mean is still returned when n ≥ 1 (0 when n = 0).
func TInterval(n int64, sum, sumSq float64, level float64) (mean float64, ci Interval, ok bool) {
	if n <= 0 {
		return 0, Interval{}, false
	}
	nf := float64(n)
	mean = sum / nf
	if n < 2 || !finite(mean) {
		return mean, Interval{}, false
	}
	v := (sumSq - sum*mean) / (nf - 1)
	if !finite(v) {
		return mean, Interval{}, false
	}
	v = max(v, 0) // rounding after Sub can leave a tiny negative
	alpha := 1 - normLevel(level)
	t := tQuantile(1-alpha/2, nf-1)
	half := t * math.Sqrt(v/nf)
	return mean, Interval{mean - half, mean + half}, true
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}

// tQuantile returns the p-quantile (0.5 < p < 1) of Student's t with nu
// degrees of freedom. distuv.StudentsT.Quantile inverts the incomplete beta
// function at about 25 µs a call, which dominated Compute (one call per
// item, element and overall mean). Degrees of freedom here are integers
// (n − 1), for which the t distribution function is a finite sum (Abramowitz
// & Stegun 26.7.3–4): from the Cornish–Fisher expansion around the normal
// quantile, Newton's method on it reaches full precision in two or three
// steps. Above 1000 degrees of freedom the four-term Cornish–Fisher
// expansion alone is accurate to 1e−13. Anything else uses gonum.
func tQuantile(p, nu float64) float64 {
	if !(p > 0.5 && p < 1) || nu < 1 || nu != math.Trunc(nu) {
		return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(p)
	}
	z := distuv.UnitNormal.Quantile(p)
	z2 := z * z
	t := z + z*(z2+1)/(4*nu) + z*((5*z2+16)*z2+3)/(96*nu*nu) +
		z*(((3*z2+19)*z2+17)*z2-15)/(384*nu*nu*nu) +
		z*((((79*z2+776)*z2+1482)*z2-1920)*z2-945)/(92160*nu*nu*nu*nu)
	if nu > 1000 {
		return t
	}
	// Density constant Γ((ν+1)/2) / (√(νπ) Γ(ν/2)).
	la, _ := math.Lgamma((nu + 1) / 2)
	lb, _ := math.Lgamma(nu / 2)
	c := math.Exp(la-lb) / math.Sqrt(nu*math.Pi)
	tail := 1 - p
	for range 30 {
		pdf := c * math.Pow(1+t*t/nu, -(nu+1)/2)
		step := (tail - tUpper(t, int(nu))) / pdf // upper tail decreases in t
		t -= step
		if t <= 0 {
			break
		}
		if math.Abs(step) <= 1e-12*t { // Newton: the error left is ~step²
			return t
		}
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(p)
}

// tUpper returns P(T > t) for t ≥ 0 and integer nu ≥ 1 from the finite
// series for A(t|ν) = P(|T| ≤ t) (Abramowitz & Stegun 26.7.3–4).
func tUpper(t float64, nu int) float64 {
	theta := math.Atan(t / math.Sqrt(float64(nu)))
	s, c := math.Sincos(theta)
	c2 := c * c
	var a float64
	if nu%2 == 1 {
		sum, term := 0.0, 1.0
		if nu > 1 {
			sum = 1
			for k := 3; k <= nu-2; k += 2 {
				term *= c2 * float64(k-1) / float64(k)
				sum += term
			}
		}
		a = 2 / math.Pi * (theta + s*c*sum)
	} else {
		sum, term := 1.0, 1.0
		for k := 2; k <= nu-2; k += 2 {
			term *= c2 * float64(k-1) / float64(k)
			sum += term
		}
		a = s * sum
	}
	return (1 - a) / 2
}

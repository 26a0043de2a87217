package integrity

import (
	"math"
	"time"

	"github.com/sipas/sipas/survey"
	"gonum.org/v1/gonum/mathext"
)

// model is a unit's expected arrival rate through a day.
type model struct {
	b      *Baseline
	cal    *Calendar
	day    time.Time
	perDay float64
}

// expected returns how many ratings the unit's history predicts in [a, b).
func (m model) expected(a, b time.Time) float64 {
	c := dayClass(m.cal, m.day.Add(12*time.Hour))
	spans := m.cal.spans(m.day.Add(12 * time.Hour))
	var mu float64
	for t := a; t.Before(b); {
		l := t.In(survey.Vietnam)
		h := l.Hour()
		next := time.Date(l.Year(), l.Month(), l.Day(), h, 0, 0, 0, survey.Vietnam).Add(time.Hour)
		if next.After(b) {
			next = b
		}
		mu += m.b.rate(c, h, spans, m.perDay) * next.Sub(t).Hours()
		t = next
	}
	return mu
}

// poissonSF is P(X ≥ k) for X ~ Poisson(mu).
func poissonSF(k int, mu float64) float64 {
	if k <= 0 {
		return 1
	}
	if mu <= 0 {
		return 0
	}
	return mathext.GammaIncReg(float64(k), mu)
}

// binomSF is P(X ≥ k) for X ~ Binomial(n, p).
func binomSF(k, n int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	return mathext.RegIncBeta(float64(k), float64(n-k+1), p)
}

// fisher combines independent p-values: the upper tail of chi-square with
// 2·len(ps) degrees of freedom at -2·Σ ln p (closed form for even degrees).
func fisher(ps []float64) float64 {
	var x float64
	for _, p := range ps {
		x -= math.Log(max(p, 1e-300))
	}
	// x is half the statistic: P = e^-x · Σ_{i<len} x^i / i!
	term, sum := 1.0, 1.0
	for i := 1; i < len(ps); i++ {
		term *= x / float64(i)
		sum += term
	}
	return math.Min(1, math.Exp(-x)*sum)
}

package scoring

import "math"

// Moments holds the sufficient statistics of K item scores over the complete
// cases (respondents who answered every item validly): N cases, Sum[j] = Σ x_j
// and Cross[j][l] = Σ x_j·x_l (symmetric, diagonal = Σ x_j²).
type Moments struct {
	N     int64
	Sum   []float64
	Cross [][]float64
}

// MomentsOf returns the Moments of rows of complete item scores; all rows
// must have the length of the first.
func MomentsOf(rows [][]float64) Moments {
	if len(rows) == 0 {
		return Moments{}
	}
	k := len(rows[0])
	m := Moments{Sum: make([]float64, k), Cross: make([][]float64, k)}
	for j := range m.Cross {
		m.Cross[j] = make([]float64, k)
	}
	for _, r := range rows {
		if len(r) != k {
			continue
		}
		m.N++
		for j := range k {
			m.Sum[j] += r[j]
			for l := range k {
				m.Cross[j][l] += r[j] * r[l]
			}
		}
	}
	return m
}

// cov returns the sample covariance matrix, or false when N < 2 or the
// shape is inconsistent.
func (m Moments) cov() ([][]float64, bool) {
	k := len(m.Sum)
	if m.N < 2 || len(m.Cross) != k {
		return nil, false
	}
	n := float64(m.N)
	c := make([][]float64, k)
	for j := range k {
		if len(m.Cross[j]) != k {
			return nil, false
		}
		c[j] = make([]float64, k)
		for l := range k {
			c[j][l] = (m.Cross[j][l] - m.Sum[j]*m.Sum[l]/n) / (n - 1)
		}
	}
	return c, true
}

// Cronbach returns Cronbach's alpha K/(K−1)·(1 − Σ s_k²/s_T²), where s_T² is
// the variance of the total score. ok is false when K < 2, N < 2 or the total
// has no variance. Alpha may be negative.
func Cronbach(m Moments) (alpha float64, ok bool) {
	c, ok := m.cov()
	k := len(m.Sum)
	if !ok || k < 2 {
		return 0, false
	}
	var items, total float64
	for j := range k {
		items += c[j][j]
		for l := range k {
			total += c[j][l]
		}
	}
	if !(total > 0) {
		return 0, false
	}
	alpha = float64(k) / float64(k-1) * (1 - items/total)
	return alpha, finite(alpha)
}

// ItemRest returns the corrected item–total correlation of every item: the
// correlation of item j with the total of the other items. An entry is nil
// when it is undefined (fewer than two items or cases, or no variance).
func ItemRest(m Moments) []*float64 {
	k := len(m.Sum)
	out := make([]*float64, k)
	c, ok := m.cov()
	if !ok || k < 2 {
		return out
	}
	var total float64
	for j := range k {
		for l := range k {
			total += c[j][l]
		}
	}
	for j := range k {
		var row float64
		for l := range k {
			row += c[j][l]
		}
		covRest := row - c[j][j]
		varRest := total - 2*row + c[j][j]
		den := math.Sqrt(c[j][j] * varRest)
		if den > 0 {
			out[j] = ptr(covRest / den)
		}
	}
	return out
}

// ptr returns a pointer to v, or nil when v is NaN or infinite, so that no
// NaN ever reaches a result.
func ptr(v float64) *float64 {
	if !finite(v) {
		return nil
	}
	return &v
}

package scoring

import "math"

// calc holds the per-item ratios of a Stats for the variance computations.
type calc struct {
	s    *Stats
	k    int
	n    float64   // respondents
	nk   []float64 // valid answers per item
	xk   []float64 // satisfied answers per item
	p    []float64 // x_k / n_k, 0 when n_k = 0
	bBuf []float64
}

// newCalc reads the item counts of s.
func newCalc(s *Stats) *calc {
	k := s.sh.k
	c := &calc{s: s, k: k, n: float64(s.ints[iN]),
		nk: make([]float64, k), xk: make([]float64, k), p: make([]float64, k), bBuf: make([]float64, k)}
	for i := range k {
		cnt := s.ints[iCounts+6*i : iCounts+6*i+6]
		x := cnt[4] + cnt[5]
		c.nk[i] = float64(cnt[1] + cnt[2] + cnt[3] + x)
		c.xk[i] = float64(x)
		if c.nk[i] > 0 {
			c.p[i] = c.xk[i] / c.nk[i]
		}
	}
	return c
}

// combine returns C = Σ a_k p̂_k and its Taylor-linearized variance with the
// respondent as unit:
//
//	z_i = Σ_k a_k r_ik (y_ik − p̂_k) n/n_k,  v = Σ_i z_i² / (n(n−1)),
//
// where Σ_i z_i² = Σ_k Σ_l b_k b_l (Σy_k y_l − p̂_l Σy_k r_l − p̂_k Σy_l r_k
// + p̂_k p̂_l Σr_k r_l) with b_k = a_k n/n_k; on the diagonal the bracket is
// x_k(1 − p̂_k). ok is false when n < 2. Items with n_k = 0 must have a_k = 0.
func (c *calc) combine(a []float64) (est, v float64, ok bool) {
	s, k := c.s, c.k
	b := c.bBuf
	for i := range k {
		b[i] = 0
		if a[i] != 0 && c.nk[i] > 0 {
			est += a[i] * c.p[i]
			b[i] = a[i] * c.n / c.nk[i]
		}
	}
	if c.n < 2 {
		return est, 0, false
	}
	var q float64
	for i := range k {
		if b[i] == 0 {
			continue
		}
		q += b[i] * b[i] * c.xk[i] * (1 - c.p[i])
		for l := i + 1; l < k; l++ {
			if b[l] == 0 {
				continue
			}
			t := tri(i, l, k)
			yy := float64(s.ints[s.offYY+t])
			rr := float64(s.ints[s.offRR+t])
			yr := float64(s.ints[s.offYR+offDiag(i, l, k)])
			ry := float64(s.ints[s.offYR+offDiag(l, i, k)])
			q += 2 * b[i] * b[l] * (yy - c.p[l]*yr - c.p[i]*ry + c.p[i]*c.p[l]*rr)
		}
	}
	return est, max(q, 0) / (c.n * (c.n - 1)), true
}

// composite builds the Estimate of Σ a_k p̂_k, in percent, with the
// interval C ± z·SE clamped to [0, 100]. When only one criterion carries
// weight (a one-item instrument, a one-item element, or an element whose
// other criteria have no data) the composite is that proportion, and its
// interval is Wilson's: C ± z·SE would then be a Wald interval.
func (c *calc) composite(a []float64, n int64, z, level float64) Estimate {
	e := Estimate{N: n}
	if n == 0 {
		return e
	}
	est, v, ok := c.combine(a)
	e.Index = ptr(100 * est)
	if single := singleItem(a); single >= 0 {
		ci := Wilson(int64(c.xk[single]), int64(c.nk[single]), level)
		e.CILow, e.CIHigh = ptr(100*ci.Low), ptr(100*ci.High)
		if ok {
			e.SE = ptr(100 * math.Sqrt(v))
		}
		return e
	}
	if ok && e.Index != nil {
		se := 100 * math.Sqrt(v)
		if e.SE = ptr(se); e.SE != nil && se > 0 {
			e.CILow = ptr(clamp(*e.Index-z*se, 0, 100))
			e.CIHigh = ptr(clamp(*e.Index+z*se, 0, 100))
		} else if e.SE != nil {
			// Every respondent gave the same pattern (typically: all
			// satisfied), so the linearized SE is 0 and C ± z·SE would claim
			// certainty. Use a Wilson interval for the composite on the
			// smallest number of valid answers among its criteria instead.
			ci := wilsonShare(est, c.minValid(a), level)
			e.CILow, e.CIHigh = ptr(100*ci.Low), ptr(100*ci.High)
		}
	}
	return e
}

// minValid returns the smallest number of valid answers among the
// criteria with weight in a.
func (c *calc) minValid(a []float64) float64 {
	m := math.Inf(1)
	for i, w := range a {
		if w != 0 && c.nk[i] > 0 {
			m = min(m, c.nk[i])
		}
	}
	return m
}

// wilsonShare is Wilson's interval for a share p observed on n trials (n
// need not make p·n whole).
func wilsonShare(p, n, level float64) Interval {
	if !(n > 0) || math.IsInf(n, 1) {
		return Interval{0, 1}
	}
	z := Z(level)
	k := z * z
	centre := (p*n + k/2) / (n + k)
	half := z * math.Sqrt(n) / (n + k) * math.Sqrt(p*(1-p)+k/(4*n))
	lo, hi := clamp(centre-half, 0, 1), clamp(centre+half, 0, 1)
	if p <= 0 {
		lo = 0
	}
	if p >= 1 {
		hi = 1
	}
	return Interval{lo, hi}
}

// singleItem returns the only k with a_k ≠ 0, or −1.
func singleItem(a []float64) int {
	k := -1
	for i, v := range a {
		if v != 0 {
			if k >= 0 {
				return -1
			}
			k = i
		}
	}
	return k
}

// Compute returns the criterion, element and overall indices of the
// respondents summarized by s, which must have been built for d (same item
// count and element layout); otherwise the result is empty with the reason
// "stats do not match design".
//
// Criterion index: 100·x/n over valid answers with the Wilson interval; its
// SE is the linearized SE with n = all respondents. Element index: mean of
// the indices of its criteria with data. Overall index: mean of the element
// indices with data, or of the criterion indices when d has no elements.
// Composite SEs use the Taylor linearization described in the package
// documentation and intervals C ± z·SE clamped to [0, 100], except that a
// composite of a single criterion (the one-item quick instrument) gets that
// criterion's Wilson interval: never a Wald interval.
func Compute(d Design, s *Stats, o Options) Result {
	level := normLevel(o.Level)
	rules := o.Rules
	if rules == (Rules{}) {
		rules = DefaultRules()
	}
	res := Result{Level: level, Elements: []ElementResult{}, Items: []ItemResult{}}
	if !s.Matches(d) {
		res.Overall.Reason = "stats do not match design"
		res.Overall.Flags = []string{}
		return res
	}
	c := newCalc(s)
	z := Z(level)
	res.Respondents = s.ints[iN]
	for k, code := range d.Items {
		res.Items = append(res.Items, c.item(k, code, level, rules))
	}

	overall := make([]float64, c.k)
	if len(d.Elements) == 0 {
		weights(overall, allItems(c.k), c.nk, 1)
	} else {
		withData := 0
		for _, el := range d.Elements {
			if weights(nil, el.Items, c.nk, 1) > 0 {
				withData++
			}
		}
		a := make([]float64, c.k)
		for e, el := range d.Elements {
			clear(a)
			weights(a, el.Items, c.nk, 1)
			if withData > 0 {
				weights(overall, el.Items, c.nk, 1/float64(withData))
			}
			res.Elements = append(res.Elements, c.element(e, el.Code, a, z, level, rules))
		}
	}
	res.Overall.Estimate = c.composite(overall, s.ints[iAny], z, level)
	rules.apply(&res.Overall.Estimate)
	res.Overall.Mean, res.Overall.MeanCILow, res.Overall.MeanCIHigh =
		meanCI(s.ints[iAny], s.floats[fAnySum], s.floats[fAnySq], level)
	return res
}

// allItems returns the positions 0..k−1.
func allItems(k int) []int {
	p := make([]int, k)
	for i := range p {
		p[i] = i
	}
	return p
}

// weights adds scale/m to a[k] for each of the m items in items that have
// data, and returns m. With a nil a it only counts.
func weights(a []float64, items []int, nk []float64, scale float64) int {
	m := 0
	for _, k := range items {
		if nk[k] > 0 {
			m++
		}
	}
	if a == nil || m == 0 {
		return m
	}
	for _, k := range items {
		if nk[k] > 0 {
			a[k] += scale / float64(m)
		}
	}
	return m
}

// item computes the result of criterion k.
func (c *calc) item(k int, code string, level float64, rules Rules) ItemResult {
	cnt := c.s.ints[iCounts+6*k : iCounts+6*k+6]
	r := ItemResult{Code: code, NoOpinion: cnt[0], Satisfied: cnt[4] + cnt[5]}
	copy(r.Counts[:], cnt[1:])
	n := cnt[1] + cnt[2] + cnt[3] + cnt[4] + cnt[5]
	r.N = n
	if n > 0 {
		p := c.p[k]
		r.Index = ptr(100 * p)
		ci := Wilson(r.Satisfied, n, level)
		r.CILow, r.CIHigh = ptr(100*ci.Low), ptr(100*ci.High)
		if c.n >= 2 {
			// The linearized SE of a single ratio: n·p̂(1−p̂)/((n−1)·n_k).
			r.SE = ptr(100 * math.Sqrt(c.n*p*(1-p)/((c.n-1)*c.nk[k])))
		}
		var sum, sq float64
		for v := 1; v <= 5; v++ {
			sum += float64(int64(v) * cnt[v])
			sq += float64(int64(v*v) * cnt[v])
		}
		r.Mean, r.MeanCILow, r.MeanCIHigh = meanCI(n, sum, sq, level)
	}
	rules.apply(&r.Estimate)
	return r
}

// element computes the result of element e with criterion weights a.
func (c *calc) element(e int, code string, a []float64, z, level float64, rules Rules) ElementResult {
	s := c.s
	off := s.offElem[e]
	r := ElementResult{Code: code}
	r.Estimate = c.composite(a, s.ints[off], z, level)
	rules.apply(&r.Estimate)
	r.Mean, r.MeanCILow, r.MeanCIHigh = meanCI(s.ints[off], s.floats[fElement+2*e], s.floats[fElement+2*e+1], level)
	m := s.elementMoments(e)
	r.AlphaN = m.N
	if alpha, ok := Cronbach(m); ok {
		r.Alpha = ptr(alpha)
	}
	return r
}

// elementMoments returns the complete-case Moments of element e.
func (s *Stats) elementMoments(e int) Moments {
	items := s.sh.elems[e]
	ke := len(items)
	off := s.offElem[e]
	m := Moments{N: s.ints[off+1], Sum: make([]float64, ke), Cross: make([][]float64, ke)}
	for j := range ke {
		m.Sum[j] = float64(s.ints[off+2+j])
		m.Cross[j] = make([]float64, ke)
	}
	for j := range ke {
		for l := j; l < ke; l++ {
			v := float64(s.ints[off+2+ke+triDiag(j, l, ke)])
			m.Cross[j][l], m.Cross[l][j] = v, v
		}
	}
	return m
}

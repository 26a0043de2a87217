package scoring

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// sipasDesign is the 22-criterion sipas-2017 instrument.
func sipasDesign() Design {
	d := Design{}
	groups := []struct {
		code string
		n    int
	}{{"TC", 4}, {"TT", 5}, {"CC", 6}, {"KQ", 3}, {"GY", 4}}
	for _, g := range groups {
		el := Element{Code: g.code}
		for i := 1; i <= g.n; i++ {
			el.Items = append(el.Items, len(d.Items))
			d.Items = append(d.Items, fmt.Sprintf("%s%d", g.code, i))
		}
		d.Elements = append(d.Elements, el)
	}
	return d
}

// quickDesign is the one-tap instrument: one item, no elements.
func quickDesign() Design { return Design{Items: []string{"OV"}} }

// smallDesign has 7 items in 3 elements plus one item in no element.
func smallDesign() Design {
	return Design{
		Items: []string{"A1", "A2", "A3", "B1", "B2", "C1", "C2", "X"},
		Elements: []Element{
			{Code: "A", Items: []int{0, 1, 2}},
			{Code: "B", Items: []int{3, 4}},
			{Code: "C", Items: []int{5, 6}},
		},
	}
}

// population describes a simulated respondent population: a one-factor
// latent model (correlated items) and an independent no-opinion rate.
type population struct {
	loading   float64   // correlation of each item's latent score with the factor
	cut       []float64 // per item: satisfied when the latent score exceeds cut
	noOpinion []float64 // per item probability of "no opinion"
}

// newPopulation gives every item of a k-item design its own true p.
func newPopulation(k int, loading float64, noOp float64) population {
	pop := population{loading: loading, cut: make([]float64, k), noOpinion: make([]float64, k)}
	for i := range k {
		p := 0.6 + 0.3*float64(i%4)/3 // true p between 0.6 and 0.9
		pop.cut[i] = -normalQuantile(p)
		pop.noOpinion[i] = noOp * float64(1+i%3) / 2
	}
	return pop
}

// normalQuantile is Φ⁻¹.
func normalQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// draw returns one respondent's answers. Satisfied answers are 4 or 5, the
// others 1..3, so the true p of item k is Φ(−cut[k]) whatever the no-opinion
// rate.
func (pop population) draw(rng *rand.Rand) []uint8 {
	u := rng.NormFloat64()
	ans := make([]uint8, len(pop.cut))
	e := math.Sqrt(1 - pop.loading*pop.loading)
	for k := range ans {
		lat := pop.loading*u + e*rng.NormFloat64()
		switch {
		case rng.Float64() < pop.noOpinion[k]:
			ans[k] = 0
		case lat > pop.cut[k]+0.8:
			ans[k] = 5
		case lat > pop.cut[k]:
			ans[k] = 4
		case lat > pop.cut[k]-0.7:
			ans[k] = 3
		case lat > pop.cut[k]-1.5:
			ans[k] = 2
		default:
			ans[k] = 1
		}
	}
	return ans
}

// sample draws n respondents.
func (pop population) sample(rng *rand.Rand, n int) [][]uint8 {
	rows := make([][]uint8, n)
	for i := range rows {
		rows[i] = pop.draw(rng)
	}
	return rows
}

// flat joins answer vectors into one slice, as Unit.Answers holds them.
func flat(rows [][]uint8) []uint8 {
	var out []uint8
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// vectors splits a Unit's answers into its k-answer vectors.
func vectors(answers []uint8, k int) [][]uint8 {
	var out [][]uint8
	for off := 0; off+k <= len(answers); off += k {
		out = append(out, answers[off:off+k])
	}
	return out
}

// mustStats builds Stats of d from rows, failing the test on error.
func mustStats(tb testing.TB, d Design, rows [][]uint8) *Stats {
	tb.Helper()
	s := NewStats(d)
	for _, r := range rows {
		if err := s.Add(r); err != nil {
			tb.Fatalf("Add(%v): %v", r, err)
		}
	}
	return s
}

// parseAnswers turns columns like "5 4 -" into per-respondent vectors.
func parseAnswers(cols ...[]string) [][]uint8 {
	rows := make([][]uint8, len(cols[0]))
	for i := range rows {
		rows[i] = make([]uint8, len(cols))
		for k, c := range cols {
			if c[i] != "-" {
				rows[i][k] = c[i][0] - '0'
			}
		}
	}
	return rows
}

// near reports whether got and want agree to tol, relatively for large
// values and absolutely near zero.
func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// checkClose fails the test when got and want differ by more than tol.
func checkClose(tb testing.TB, name string, got, want, tol float64) {
	tb.Helper()
	if !near(got, want, tol) {
		tb.Fatalf("%s: got %.15g, want %.15g", name, got, want)
	}
}

// val dereferences p, failing the test when it is nil.
func val(tb testing.TB, name string, p *float64) float64 {
	tb.Helper()
	if p == nil {
		tb.Fatalf("%s: got nil, want a value", name)
	}
	return *p
}

// refComposite is a direct per-respondent implementation of the
// linearized variance: it computes z_i for every respondent and returns
// C = Σ a_k p̂_k and v = (1/n²)(n/(n−1)) Σ (z_i − z̄)².
func refComposite(rows [][]uint8, a []float64) (c, v float64) {
	k := len(a)
	nk := make([]float64, k)
	xk := make([]float64, k)
	for _, r := range rows {
		for i, ans := range r {
			if ans > 0 {
				nk[i]++
				if ans >= 4 {
					xk[i]++
				}
			}
		}
	}
	p := make([]float64, k)
	for i := range k {
		if nk[i] > 0 {
			p[i] = xk[i] / nk[i]
			c += a[i] * p[i]
		}
	}
	n := float64(len(rows))
	z := make([]float64, len(rows))
	var zbar float64
	for j, r := range rows {
		for i, ans := range r {
			if ans == 0 || a[i] == 0 {
				continue
			}
			y := 0.0
			if ans >= 4 {
				y = 1
			}
			z[j] += a[i] * (y - p[i]) * n / nk[i]
		}
		zbar += z[j] / n
	}
	var ss float64
	for _, zi := range z {
		ss += (zi - zbar) * (zi - zbar)
	}
	return c, ss / (n * n) * n / (n - 1)
}

// refWeights returns the Compute coefficients of the overall index (e < 0)
// or of element e, from raw rows.
func refWeights(d Design, rows [][]uint8, e int) []float64 {
	k := len(d.Items)
	has := make([]bool, k)
	for _, r := range rows {
		for i, ans := range r {
			if ans > 0 {
				has[i] = true
			}
		}
	}
	groups := [][]int{}
	switch {
	case e >= 0:
		groups = append(groups, d.Elements[e].Items)
	case len(d.Elements) == 0:
		groups = append(groups, allItems(k))
	default:
		for _, el := range d.Elements {
			groups = append(groups, el.Items)
		}
	}
	a := make([]float64, k)
	var live [][]int
	for _, g := range groups {
		var with []int
		for _, i := range g {
			if has[i] {
				with = append(with, i)
			}
		}
		if len(with) > 0 {
			live = append(live, with)
		}
	}
	for _, g := range live {
		for _, i := range g {
			a[i] += 1 / float64(len(g)) / float64(len(live))
		}
	}
	return a
}

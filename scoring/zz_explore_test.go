package scoring

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestZZExplore(t *testing.T) {
	d := smallDesign()
	for _, n := range []int{50, 300} {
		for _, seed := range []uint64{1} {
			start := time.Now()
			rng := rand.New(rand.NewPCG(seed, 0))
			pop := newPopulation(len(d.Items), 0.6, 0.2)
			truth := 0.0
			for _, el := range d.Elements {
				s := 0.0
				for _, k := range el.Items {
					s += pop.trueP(k)
				}
				truth += s / float64(len(el.Items)) / float64(len(d.Elements))
			}
			R := 4000
			cov := make([]int, len(d.Items))
			covO := 0
			s := NewStats(d)
			for range R {
				s = NewStats(d)
				for range n {
					s.Add(pop.draw(rng))
				}
				res := Compute(d, s, Options{})
				for k := range d.Items {
					tp := 100 * pop.trueP(k)
					if *res.Items[k].CILow <= tp && tp <= *res.Items[k].CIHigh {
						cov[k]++
					}
				}
				if *res.Overall.CILow <= 100*truth && 100*truth <= *res.Overall.CIHigh {
					covO++
				}
			}
			t.Logf("n=%d seed=%d items=%v overall=%.4f  %v", n, seed, cov, float64(covO)/float64(R), time.Since(start))
		}
	}
}

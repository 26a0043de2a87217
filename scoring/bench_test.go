package scoring

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkMerge sums 6000 Stats of the 22-item design, as a province
// overview of 500 agencies × 12 months does.
func BenchmarkMerge(b *testing.B) {
	d := sipasDesign()
	pop := newPopulation(22, 0.5, 0.2)
	rng := rand.New(rand.NewPCG(1, 1))
	parts := make([]*Stats, 6000)
	for i := range parts {
		parts[i] = mustStats(b, d, pop.sample(rng, 5))
	}
	b.ResetTimer()
	for b.Loop() {
		total := NewStats(d)
		for _, p := range parts {
			if err := total.Merge(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCompute computes every index of the 22-item design.
func BenchmarkCompute(b *testing.B) {
	d := sipasDesign()
	s := mustStats(b, d, newPopulation(22, 0.5, 0.2).sample(rand.New(rand.NewPCG(2, 2)), 2000))
	b.ResetTimer()
	for b.Loop() {
		Compute(d, s, Options{})
	}
}

// BenchmarkAdd records one respondent of the 22-item design.
func BenchmarkAdd(b *testing.B) {
	d := sipasDesign()
	rows := newPopulation(22, 0.5, 0.2).sample(rand.New(rand.NewPCG(3, 3)), 1024)
	s := NewStats(d)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if err := s.Add(rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkUnmarshal decodes the Stats of the 22-item design.
func BenchmarkUnmarshal(b *testing.B) {
	d := sipasDesign()
	data, _ := mustStats(b, d, newPopulation(22, 0.5, 0.2).sample(rand.New(rand.NewPCG(4, 4)), 2000)).MarshalBinary()
	b.ReportMetric(float64(len(data)), "bytes")
	b.ResetTimer()
	for b.Loop() {
		var s Stats
		if err := s.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRankIntervals bootstraps 30 units × 2000 respondents × 22 items
// with 1000 replicates.
func BenchmarkRankIntervals(b *testing.B) {
	d := sipasDesign()
	units := testUnits(d, 30, 2000, 0.02, 5)
	b.ResetTimer()
	for b.Loop() {
		RankIntervals(d, units, 1000, 1)
	}
}

// BenchmarkMergeBinary adds 6000 stored rows of 5 respondents each of the
// 22-item design, as reading a province's daily statistics does.
func BenchmarkMergeBinary(b *testing.B) {
	d := sipasDesign()
	pop := newPopulation(22, 0.5, 0.2)
	rng := rand.New(rand.NewPCG(1, 1))
	rows := make([][]byte, 6000)
	for i := range rows {
		rows[i], _ = mustStats(b, d, pop.sample(rng, 5)).MarshalBinary()
	}
	b.ResetTimer()
	for b.Loop() {
		total := NewStats(d)
		for _, r := range rows {
			if err := total.MergeBinary(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

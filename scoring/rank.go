package scoring

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// DefaultReplicates is the number of bootstrap replicates RankIntervals uses
// at least.
const DefaultReplicates = 1000

// Unit is one ranked unit (for example an agency) with the raw answer
// vectors of its respondents, all of the same Design.
type Unit struct {
	Key string
	// Answers are the respondents' answer vectors one after another, each
	// of len(Design.Items) answers in the design's item order: respondent r
	// answered Answers[r·K : (r+1)·K]. One flat slice, not a slice per
	// respondent, keeps a unit of n respondents in n·K bytes.
	Answers []uint8
	// Normal, when set, stands in for Answers: the unit's replicate
	// indices are drawn from N(Index, SE²) instead of by resampling. This is
	// the large-sample limit of the respondent bootstrap of a smooth index
	// (with SE the Taylor-linearized SE, which the bootstrap SE converges
	// to), for units too large to resample cheaply.
	Normal *NormalLimit
}

// NormalLimit is a unit's overall index and its SE, as proportions (0..1).
type NormalLimit struct{ Index, SE float64 }

// RankInterval is a unit's rank by overall index (1 = best; ties share the
// better rank) and its bootstrap 95% rank interval [Low, High]. Units
// without any valid answer are not ranked: Rank, Low and High are 0 and
// Index is nil.
type RankInterval struct {
	Key   string   `json:"key"`
	Index *float64 `json:"index"` // overall index in percent
	Rank  int      `json:"rank"`
	Low   int      `json:"low"`
	High  int      `json:"high"`
}

// RankIntervals ranks units by overall index and bootstraps each rank: in
// every one of b replicates (at least DefaultReplicates; b below that is
// raised) it resamples respondents with replacement within each unit (whole
// answer vectors, never individual answers), recomputes every unit's overall
// index, ranks the units, and reports the 2.5% and 97.5% quantiles (inverse
// empirical distribution) of each unit's ranks. A replicate in which a unit
// has no valid answer ranks it last.
//
// Respondents with a value above 5 are ignored, as Stats.Add would refuse
// them, and so are answers left over after the last whole vector. The
// result is in the order of units and is reproducible: unit i's replicates
// depend only on seed, its Key and its respondents, not on the number of
// CPUs. An invalid design gives unranked results.
//
// It is UnitReplicates of every unit, then RankReplicates; a caller that
// holds many respondents can call those two itself, one unit at a time, and
// keep only each unit's replicates instead of every unit's answers.
func RankIntervals(d Design, units []Unit, b int, seed uint64) []RankInterval {
	rs := make([]Replicates, len(units))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(units)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(units) {
					return
				}
				rs[i] = UnitReplicates(d, units[i], b, seed)
			}
		})
	}
	wg.Wait()
	return RankReplicates(rs)
}

// Replicates is one unit's overall index (a proportion) and its bootstrap
// replicates, as UnitReplicates returns them; −1 where undefined.
type Replicates struct {
	Key   string
	Point float64
	Reps  []float64
}

// UnitReplicates returns u's overall index and max(b, DefaultReplicates)
// bootstrap replicates of it: by resampling its respondents, or drawn from
// its normal limit when u.Normal is set. They depend only on seed, u.Key
// and u's answers (see RankIntervals). An invalid design gives a unit
// without data (Point −1).
func UnitReplicates(d Design, u Unit, b int, seed uint64) Replicates {
	b = max(b, DefaultReplicates)
	r := Replicates{Key: u.Key}
	switch {
	case d.Validate() != nil:
		r.Point, r.Reps = -1, undefined(b)
	case u.Normal != nil:
		r.Point, r.Reps = normalUnit(u, b, seed)
	default:
		r.Point, r.Reps = bootstrapUnit(newIndexer(d), u, b, seed)
	}
	return r
}

// undefined returns b replicates of a unit without data.
func undefined(b int) []float64 {
	reps := make([]float64, b)
	for r := range reps {
		reps[r] = -1
	}
	return reps
}

// RankReplicates ranks units by their point index and returns each unit's
// rank and 95% rank interval from their replicates, in the order of rs (see
// RankIntervals). Every unit must have the same number of replicates; units
// without data (Point < 0) are not ranked.
func RankReplicates(rs []Replicates) []RankInterval {
	out := make([]RankInterval, len(rs))
	for i, r := range rs {
		out[i].Key = r.Key
	}
	ranked := make([]int, 0, len(rs)) // units with data
	b := -1
	for i, r := range rs {
		if r.Point < 0 {
			continue
		}
		if b < 0 {
			b = len(r.Reps)
		}
		if len(r.Reps) != b {
			return unranked(rs)
		}
		ranked = append(ranked, i)
		out[i].Index = ptr(100 * r.Point)
	}
	if len(ranked) == 0 || b == 0 {
		return out
	}
	vals := make([]float64, len(ranked))
	ranks := make([]int, len(ranked))
	for j, i := range ranked {
		vals[j] = rs[i].Point
	}
	rankInto(ranks, vals)
	for j, i := range ranked {
		out[i].Rank = ranks[j]
	}
	dist := make([][]int, len(ranked))
	for j := range dist {
		dist[j] = make([]int, b)
	}
	for r := range b {
		for j, i := range ranked {
			vals[j] = rs[i].Reps[r]
		}
		rankInto(ranks, vals)
		for j := range ranked {
			dist[j][r] = ranks[j]
		}
	}
	lo, hi := quantileIndex(0.025, b), quantileIndex(0.975, b)
	for j, i := range ranked {
		slices.Sort(dist[j])
		out[i].Low, out[i].High = dist[j][lo], dist[j][hi]
	}
	return out
}

// unranked returns rs's keys without ranks.
func unranked(rs []Replicates) []RankInterval {
	out := make([]RankInterval, len(rs))
	for i, r := range rs {
		out[i].Key = r.Key
	}
	return out
}

// quantileIndex is the 0-based order statistic of the inverse empirical
// distribution function: the ⌈q·b⌉-th smallest of b values.
func quantileIndex(q float64, b int) int {
	// The tolerance keeps 0.975·1000 at 975 despite rounding.
	k := int(math.Ceil(q*float64(b)-1e-9)) - 1
	return min(max(k, 0), b-1)
}

// rankInto writes competition ranks (1 = highest value; ties share the best
// rank) of vals into ranks.
func rankInto(ranks []int, vals []float64) {
	idx := make([]int, len(vals))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case vals[a] > vals[b]:
			return -1
		case vals[a] < vals[b]:
			return 1
		}
		return 0
	})
	for pos, i := range idx {
		if pos > 0 && vals[i] == vals[idx[pos-1]] {
			ranks[i] = ranks[idx[pos-1]]
			continue
		}
		ranks[i] = pos + 1
	}
}

// indexer computes the overall index from per-item counts, as Compute does.
type indexer struct {
	k     int
	elems [][]int // all items as one group when the design has no elements
	flat  bool
}

// newIndexer prepares d's element layout.
func newIndexer(d Design) *indexer {
	ix := &indexer{k: len(d.Items), flat: len(d.Elements) == 0}
	if ix.flat {
		ix.elems = [][]int{allItems(ix.k)}
	}
	for _, e := range d.Elements {
		ix.elems = append(ix.elems, e.Items)
	}
	return ix
}

// index returns the overall index (a proportion) from valid counts n and
// satisfied counts x per item, or −1 when no item has data.
func (ix *indexer) index(n, x []int64) float64 {
	var total float64
	groups := 0
	for _, items := range ix.elems {
		var sum float64
		m := 0
		for _, k := range items {
			if n[k] > 0 {
				sum += float64(x[k]) / float64(n[k])
				m++
			}
		}
		if m > 0 {
			total += sum / float64(m)
			groups++
		}
	}
	if groups == 0 {
		return -1
	}
	return total / float64(groups)
}

// bootstrapUnit returns the unit's overall index and its b bootstrap
// replicates (−1 when undefined).
//
// Each respondent is packed into 8-bit lanes of a few uint64 words: lane k
// is 1 when item k was answered validly, lane K+k when it was satisfied. A
// replicate adds the packed words of n drawn respondents, flushing the lanes
// into int64 totals every 255 draws before they can overflow, so one draw
// costs a handful of additions whatever the number of items.
func bootstrapUnit(ix *indexer, u Unit, b int, seed uint64) (float64, []float64) {
	k := ix.k
	lanes := 2 * k
	w := (lanes + 7) / 8
	packed := make([]uint64, 0, len(u.Answers)/max(k, 1)*w)
	tot := make([]int64, lanes)
	for off := 0; k > 0 && off+k <= len(u.Answers); off += k {
		ans := u.Answers[off : off+k]
		if !validAnswers(ans, k) {
			continue
		}
		packed = packed[:len(packed)+w] // zeroed by make
		row := packed[len(packed)-w:]
		for i, a := range ans {
			if a > 0 {
				row[i/8] |= 1 << (8 * (i % 8))
				tot[i]++
			}
			if a >= 4 {
				row[(k+i)/8] |= 1 << (8 * ((k + i) % 8))
				tot[k+i]++
			}
		}
	}
	point := ix.index(tot[:k], tot[k:])
	if point < 0 {
		return point, undefined(b)
	}
	reps := make([]float64, b)
	n := len(packed) / w
	h := fnv.New64a()
	h.Write([]byte(u.Key))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	acc := make([]uint64, w)
	draw := drawer{rng: rng, n: uint64(n)}
	for r := range reps {
		clear(tot)
		pending := 0
		for range n {
			off := draw.next() * w
			row := packed[off : off+w]
			for j := range row {
				acc[j] += row[j]
			}
			if pending++; pending == 255 {
				flushLanes(acc, tot)
				pending = 0
			}
		}
		flushLanes(acc, tot)
		reps[r] = ix.index(tot[:k], tot[k:])
	}
	return point, reps
}

// normalUnit draws b replicate indices from the unit's normal limit, on a
// stream that depends only on seed and the unit's key.
func normalUnit(u Unit, b int, seed uint64) (float64, []float64) {
	nl := u.Normal
	if !finite(nl.Index) || !finite(nl.SE) || nl.Index < 0 || nl.SE < 0 {
		return -1, undefined(b)
	}
	reps := make([]float64, b)
	h := fnv.New64a()
	h.Write([]byte(u.Key))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	for r := range reps {
		reps[r] = nl.Index + nl.SE*rng.NormFloat64()
	}
	return nl.Index, reps
}

// drawer draws uniform indices in [0, n) two at a time from each 64-bit
// PCG output, by Lemire's multiply-shift on 32 bits. Its bias, at most
// n/2³² (5·10⁻⁷ for 2000 respondents), is far below bootstrap noise, and it
// halves the cost of the random numbers, which dominate the bootstrap.
type drawer struct {
	rng   *rand.Rand
	n     uint64
	spare uint64
	has   bool
}

// next returns the next index.
func (d *drawer) next() int {
	if d.has {
		d.has = false
		return int((d.spare >> 32 * d.n) >> 32)
	}
	d.spare = d.rng.Uint64()
	d.has = true
	return int((d.spare & 0xffffffff * d.n) >> 32)
}

// flushLanes adds the 8-bit lanes of acc to tot and zeroes acc.
func flushLanes(acc []uint64, tot []int64) {
	for j, v := range acc {
		if v == 0 {
			continue
		}
		for l := range 8 {
			if i := 8*j + l; i < len(tot) {
				tot[i] += int64(v >> (8 * l) & 0xff)
			}
		}
		acc[j] = 0
	}
}

// validAnswers reports whether ans is an answer vector Stats.Add accepts.
func validAnswers(ans []uint8, k int) bool {
	if len(ans) != k {
		return false
	}
	for _, a := range ans {
		if a > 5 {
			return false
		}
	}
	return true
}

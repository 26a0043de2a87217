package scoring

import (
	"errors"
	"fmt"
)

// Stats holds mergeable sufficient statistics for a set of respondents of
// one Design. Everything Compute needs is derivable from it, and Merge and
// Sub are exact for every integer statistic, so sums over months or agency
// subtrees give the same indices and standard errors as the pooled raw data.
//
// It keeps, as int64: the respondent count N; per item the counts of the
// answers 0 (no opinion) to 5; over item pairs k < l the number of
// respondents who answered both validly (Σ r_k r_l) and who were satisfied
// with both (Σ y_k y_l), and for k ≠ l who were satisfied with k and answered
// l validly (Σ y_k r_l); the number of respondents with at least one valid
// answer overall and per element; and per element the complete-case count,
// item score sums and cross-products for Cronbach's alpha. As float64: the
// sum and sum of squares of each respondent's mean score over the valid items
// of each element and over all items.
//
// The zero Stats is not usable; create one with NewStats or UnmarshalBinary.
// A Stats is not safe for concurrent modification.
type Stats struct {
	sh  shape
	err error // set by NewStats for an invalid design; every mutation reports it

	ints   []int64
	floats []float64

	offRR, offYY, offYR int   // offsets of the pairwise sums in ints
	offElem             []int // offset of each element's block in ints
}

// Positions in Stats.ints and Stats.floats.
const (
	iN       = 0 // respondents
	iAny     = 1 // respondents with ≥ 1 valid answer
	iCounts  = 2 // first of k×6 answer counts
	fAnySum  = 0 // Σ respondent mean over all valid items
	fAnySq   = 1 // Σ of its square
	fElement = 2 // first element pair (sum, sum of squares)
)

// ErrAnswers is wrapped by the error Add returns for an invalid answer vector.
var ErrAnswers = errors.New("scoring: invalid answers")

// NewStats returns empty Stats for d. If d is invalid (see Design.Validate)
// the returned Stats reports that error from Add, Merge, Sub and
// MarshalBinary instead of panicking.
func NewStats(d Design) *Stats {
	if err := d.Validate(); err != nil {
		return &Stats{err: err}
	}
	s := &Stats{}
	s.init(d.shape())
	return s
}

// init sets the shape, the offsets and zeroed storage.
func (s *Stats) init(sh shape) {
	k := sh.k
	s.sh = sh
	s.err = nil
	s.offRR = iCounts + 6*k
	s.offYY = s.offRR + k*(k-1)/2
	s.offYR = s.offYY + k*(k-1)/2
	off := s.offYR + k*(k-1)
	s.offElem = make([]int, len(sh.elems))
	for e, items := range sh.elems {
		s.offElem[e] = off
		off += elemInts(len(items))
	}
	s.ints = make([]int64, off)
	s.floats = make([]float64, fElement+2*len(sh.elems))
}

// sizes returns the lengths of Stats.ints and Stats.floats for a shape.
func sizes(sh shape) (ints, floats int) {
	k := sh.k
	ints = iCounts + 6*k + 2*(k*(k-1)) // counts, RR and YY triangles, YR
	for _, items := range sh.elems {
		ints += elemInts(len(items))
	}
	return ints, fElement + 2*len(sh.elems)
}

// elemInts is the size of an element's block: respondents with a valid
// answer, complete cases, item sums and the upper triangle of cross-products.
func elemInts(ke int) int { return 2 + ke + ke*(ke+1)/2 }

// usable returns the reason s cannot be used, or nil.
func (s *Stats) usable() error {
	if s == nil {
		return fmt.Errorf("%w: nil Stats", ErrShape)
	}
	if s.err != nil {
		return s.err
	}
	if len(s.ints) == 0 {
		return fmt.Errorf("%w: Stats not initialized", ErrShape)
	}
	return nil
}

// tri is the index of the pair k < l in an upper triangle without diagonal.
func tri(k, l, n int) int { return k*(2*n-k-1)/2 + (l - k - 1) }

// triDiag is the index of the pair j ≤ l in an upper triangle with diagonal.
func triDiag(j, l, n int) int { return j*(2*n-j+1)/2 + (l - j) }

// offDiag is the index of the ordered pair k ≠ l in a k×k matrix without diagonal.
func offDiag(k, l, n int) int {
	if l > k {
		l--
	}
	return k*(n-1) + l
}

// Add records one respondent. answers[k] is the answer to item k: 1..5, or
// 0 for no opinion / not applicable. It returns an error, and records
// nothing, when the length differs from the design or a value exceeds 5.
func (s *Stats) Add(answers []uint8) error {
	if err := s.usable(); err != nil {
		return err
	}
	k := s.sh.k
	if len(answers) != k {
		return fmt.Errorf("%w: %d answers, want %d", ErrAnswers, len(answers), k)
	}
	for i, a := range answers {
		if a > 5 {
			return fmt.Errorf("%w: item %d has value %d, want 0..5", ErrAnswers, i, a)
		}
	}
	var validBuf [MaxItems]int
	valid := validBuf[:0]
	sum := 0
	for i, a := range answers {
		s.ints[iCounts+6*i+int(a)]++
		if a > 0 {
			valid = append(valid, i)
			sum += int(a)
		}
	}
	s.ints[iN]++
	if len(valid) > 0 {
		m := float64(sum) / float64(len(valid))
		s.ints[iAny]++
		s.floats[fAnySum] += m
		s.floats[fAnySq] += m * m
	}
	for a, ka := range valid {
		ya := answers[ka] >= 4
		for _, kb := range valid[a+1:] {
			yb := answers[kb] >= 4
			s.ints[s.offRR+tri(ka, kb, k)]++
			if ya && yb {
				s.ints[s.offYY+tri(ka, kb, k)]++
			}
			if ya {
				s.ints[s.offYR+offDiag(ka, kb, k)]++
			}
			if yb {
				s.ints[s.offYR+offDiag(kb, ka, k)]++
			}
		}
	}
	for e, items := range s.sh.elems {
		s.addElement(e, items, answers)
	}
	return nil
}

// addElement records one respondent's answers to element e.
func (s *Stats) addElement(e int, items []int, answers []uint8) {
	cnt, sum := 0, 0
	for _, p := range items {
		if a := answers[p]; a > 0 {
			cnt++
			sum += int(a)
		}
	}
	if cnt == 0 {
		return
	}
	off := s.offElem[e]
	m := float64(sum) / float64(cnt)
	s.ints[off]++
	s.floats[fElement+2*e] += m
	s.floats[fElement+2*e+1] += m * m
	if cnt < len(items) {
		return
	}
	ke := len(items)
	s.ints[off+1]++
	for j, pj := range items {
		aj := int64(answers[pj])
		s.ints[off+2+j] += aj
		for l := j; l < ke; l++ {
			s.ints[off+2+ke+triDiag(j, l, ke)] += aj * int64(answers[items[l]])
		}
	}
}

// compatible returns an error unless s and o are usable and of one shape.
func (s *Stats) compatible(o *Stats) error {
	if err := s.usable(); err != nil {
		return err
	}
	if err := o.usable(); err != nil {
		return err
	}
	if !s.sh.equal(o.sh) {
		return fmt.Errorf("%w: different designs", ErrShape)
	}
	return nil
}

// Merge adds the respondents of o to s. The shapes must match.
func (s *Stats) Merge(o *Stats) error {
	if err := s.compatible(o); err != nil {
		return err
	}
	for i, v := range o.ints {
		s.ints[i] += v
	}
	for i, v := range o.floats {
		s.floats[i] += v
	}
	return nil
}

// Sub removes the respondents of o from s, for "a child versus the rest of
// its parent". The shapes must match and o must be contained in s: if any
// count would become negative, Sub returns an error and leaves s unchanged.
// Float sums whose respondent count reaches zero are reset to exactly zero.
func (s *Stats) Sub(o *Stats) error {
	if err := s.compatible(o); err != nil {
		return err
	}
	for i, v := range o.ints {
		if s.ints[i] < v {
			return fmt.Errorf("%w: subtracting stats not contained in the receiver", ErrShape)
		}
	}
	for i, v := range o.ints {
		s.ints[i] -= v
	}
	for i, v := range o.floats {
		s.floats[i] -= v
	}
	if s.ints[iAny] == 0 {
		s.floats[fAnySum], s.floats[fAnySq] = 0, 0
	}
	for e, off := range s.offElem {
		if s.ints[off] == 0 {
			s.floats[fElement+2*e], s.floats[fElement+2*e+1] = 0, 0
		}
	}
	return nil
}

// Clone returns a deep copy of s.
func (s *Stats) Clone() *Stats {
	if s == nil {
		return nil
	}
	c := *s
	c.ints = append([]int64(nil), s.ints...)
	c.floats = append([]float64(nil), s.floats...)
	return &c
}

// N returns the number of respondents, including those who gave no valid
// answer. It is 0 for a nil or unusable Stats.
func (s *Stats) N() int64 {
	if s.usable() != nil {
		return 0
	}
	return s.ints[iN]
}

// ItemCounts returns the counts of answers 1..5 to item k and the count of
// no opinion. It returns zeros for an unknown item or an unusable Stats.
func (s *Stats) ItemCounts(k int) (counts [5]int64, noOpinion int64) {
	if s.usable() != nil || k < 0 || k >= s.sh.k {
		return counts, 0
	}
	c := s.ints[iCounts+6*k:]
	copy(counts[:], c[1:6])
	return counts, c[0]
}

// Matches reports whether s is usable and has the shape of d.
func (s *Stats) Matches(d Design) bool {
	return s.usable() == nil && d.Validate() == nil && s.sh.equal(d.shape())
}

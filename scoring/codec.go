package scoring

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// statsVersion is the first byte of the binary encoding of Stats.
const statsVersion = 1

// ErrEncoding is wrapped by every error UnmarshalBinary returns.
var ErrEncoding = errors.New("scoring: invalid stats encoding")

// MarshalBinary encodes s compactly: a version byte, the shape (item count,
// element count, each element's item positions) and every integer statistic
// as unsigned varints, then the float sums as 8-byte little-endian IEEE 754.
// Item codes are not stored: the caller knows the instrument version.
func (s *Stats) MarshalBinary() ([]byte, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 16+2*len(s.ints)+8*len(s.floats))
	b = append(b, statsVersion)
	b = binary.AppendUvarint(b, uint64(s.sh.k))
	b = binary.AppendUvarint(b, uint64(len(s.sh.elems)))
	for _, items := range s.sh.elems {
		b = binary.AppendUvarint(b, uint64(len(items)))
		for _, p := range items {
			b = binary.AppendUvarint(b, uint64(p))
		}
	}
	for _, v := range s.ints {
		b = binary.AppendUvarint(b, uint64(v))
	}
	for _, v := range s.floats {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b, nil
}

// decoder reads uvarints from a byte slice, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

// uint reads one uvarint no larger than limit.
func (d *decoder) uint(limit uint64, what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || n != uvarintLen(v) {
		// Only the shortest encoding is accepted, so that every Stats has
		// exactly one encoding.
		d.err = fmt.Errorf("%w: truncated or overlong %s", ErrEncoding, what)
		return 0
	}
	d.b = d.b[n:]
	if v > limit {
		d.err = fmt.Errorf("%w: %s %d exceeds %d", ErrEncoding, what, v, limit)
		return 0
	}
	return v
}

// UnmarshalBinary replaces s with the Stats encoded in data by
// MarshalBinary. It never panics: malformed, truncated or inconsistent input
// (an unknown version, a shape outside the limits, negative or non-finite
// values, item counts that do not add up to N, trailing bytes) returns an
// error wrapping ErrEncoding and leaves s unchanged.
func (s *Stats) UnmarshalBinary(data []byte) error {
	if len(data) == 0 || data[0] != statsVersion {
		return fmt.Errorf("%w: unknown version", ErrEncoding)
	}
	d := &decoder{b: data[1:]}
	k := int(d.uint(MaxItems, "item count"))
	ne := int(d.uint(MaxElements, "element count"))
	if d.err == nil && k == 0 {
		d.err = fmt.Errorf("%w: no items", ErrEncoding)
	}
	sh := shape{k: k, elems: make([][]int, 0, ne)}
	for range ne {
		ke := int(d.uint(uint64(k), "element size"))
		items := make([]int, 0, ke)
		for range ke {
			items = append(items, int(d.uint(uint64(max(k-1, 0)), "item position")))
		}
		if d.err != nil {
			return d.err
		}
		if err := validPositions(items, k); err != nil {
			return fmt.Errorf("%w: %v", ErrEncoding, err)
		}
		sh.elems = append(sh.elems, items)
	}
	if d.err != nil {
		return d.err
	}
	// Every integer takes at least one byte and every float eight: refuse
	// short input before allocating, so garbage cannot cost memory.
	ni, nf := sizes(sh)
	if len(d.b) < ni+8*nf {
		return fmt.Errorf("%w: truncated", ErrEncoding)
	}
	var t Stats
	t.init(sh)
	for i := range t.ints {
		t.ints[i] = int64(d.uint(math.MaxInt64, "count"))
	}
	if d.err != nil {
		return d.err
	}
	if len(d.b) != 8*len(t.floats) {
		return fmt.Errorf("%w: %d bytes for %d float sums", ErrEncoding, len(d.b), len(t.floats))
	}
	for i := range t.floats {
		v := math.Float64frombits(binary.LittleEndian.Uint64(d.b[8*i:]))
		if !finite(v) {
			return fmt.Errorf("%w: non-finite float sum", ErrEncoding)
		}
		t.floats[i] = v
	}
	if err := t.check(); err != nil {
		return err
	}
	*s = t
	return nil
}

// check verifies the invariants that hold for any Stats built by Add,
// Merge and Sub and that Compute relies on.
func (s *Stats) check() error {
	n := s.ints[iN]
	if s.ints[iAny] > n {
		return fmt.Errorf("%w: more respondents with answers than respondents", ErrEncoding)
	}
	for k := range s.sh.k {
		var sum int64
		for _, c := range s.ints[iCounts+6*k : iCounts+6*k+6] {
			sum += c
			if sum < 0 || sum > n {
				return fmt.Errorf("%w: item %d counts exceed N", ErrEncoding, k)
			}
		}
		if sum != n {
			return fmt.Errorf("%w: item %d counts do not add up to N", ErrEncoding, k)
		}
	}
	for _, v := range s.ints[s.offRR:s.offElem0()] {
		if v > n {
			return fmt.Errorf("%w: pair count exceeds N", ErrEncoding)
		}
	}
	for e := range s.sh.elems {
		off := s.offElem[e]
		if s.ints[off] > s.ints[iAny] || s.ints[off+1] > s.ints[off] {
			return fmt.Errorf("%w: element %d respondent counts inconsistent", ErrEncoding, e)
		}
	}
	return nil
}

// offElem0 is the end of the pairwise block.
func (s *Stats) offElem0() int {
	k := s.sh.k
	return s.offYR + k*(k-1)
}

// MergeBinary adds the statistics encoded in data by MarshalBinary to s
// without building a separate Stats: the fast path for summing many stored
// rows. The encoded shape must equal s's. The encoding is checked in full
// (structure, lengths, finite floats) before anything is added, so on error
// s is unchanged; the count invariants that UnmarshalBinary also checks are
// not re-verified here.
func (s *Stats) MergeBinary(data []byte) error {
	if err := s.usable(); err != nil {
		return err
	}
	if len(data) == 0 || data[0] != statsVersion {
		return fmt.Errorf("%w: unknown version", ErrEncoding)
	}
	d := &decoder{b: data[1:]}
	k := int(d.uint(MaxItems, "item count"))
	ne := int(d.uint(MaxElements, "element count"))
	if d.err == nil && (k != s.sh.k || ne != len(s.sh.elems)) {
		return fmt.Errorf("%w: different designs", ErrShape)
	}
	for e := 0; e < ne && d.err == nil; e++ {
		ke := int(d.uint(uint64(k), "element size"))
		if d.err == nil && ke != len(s.sh.elems[e]) {
			return fmt.Errorf("%w: different designs", ErrShape)
		}
		for j := 0; j < ke && d.err == nil; j++ {
			if p := int(d.uint(uint64(max(k-1, 0)), "item position")); d.err == nil && p != s.sh.elems[e][j] {
				return fmt.Errorf("%w: different designs", ErrShape)
			}
		}
	}
	if d.err != nil {
		return d.err
	}
	body := d.b
	used, err := s.addCounts(body)
	if err != nil {
		return err
	}
	b := body[used:]
	if len(b) != 8*len(s.floats) {
		s.subCounts(body)
		return fmt.Errorf("%w: %d bytes for %d float sums", ErrEncoding, len(b), len(s.floats))
	}
	for i := range s.floats {
		if !finite(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))) {
			s.subCounts(body)
			return fmt.Errorf("%w: non-finite float sum", ErrEncoding)
		}
	}
	for i := range s.floats {
		s.floats[i] += math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return nil
}

// addCounts adds the len(s.ints) uvarints at the start of b to s.ints in
// one pass and returns how many bytes they took. Stored counts are mostly
// below 128, one byte each, which it reads without a call. On a truncated,
// overlong or too large value it takes back what it added (integer sums
// are exact, so s is as before) and returns an error.
func (s *Stats) addCounts(b []byte) (int, error) {
	p := 0
	for i := range s.ints {
		if p < len(b) && b[p] < 0x80 {
			s.ints[i] += int64(b[p])
			p++
			continue
		}
		v, n := binary.Uvarint(b[p:])
		if n <= 0 || n != uvarintLen(v) || v > math.MaxInt64 {
			s.subCounts(b[:p])
			return 0, fmt.Errorf("%w: truncated or overlong count", ErrEncoding)
		}
		s.ints[i] += int64(v)
		p += n
	}
	return p, nil
}

// subCounts subtracts from s.ints the valid uvarints at the start of b that
// addCounts added (as many as b holds, at most len(s.ints)).
func (s *Stats) subCounts(b []byte) {
	for i := range s.ints {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return
		}
		s.ints[i] -= int64(v)
		b = b[n:]
	}
}

// uvarintLen is the length of the shortest uvarint encoding of v.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

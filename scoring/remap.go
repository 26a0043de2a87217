package scoring

import (
	"fmt"
	"slices"
)

// Remap projects Stats of instrument version from onto version to, matching
// items by code, so that Stats of different versions can be merged. Items of
// to that are missing in from get no valid answers (every respondent counts
// as "no opinion" for them).
//
// The projection is exact, so it is refused (with an error wrapping
// ErrShape) when to would need respondent-level data that s does not have:
//
//   - an item of from is missing in to (the respondents' mean score over all
//     items would change). To combine two versions, remap both onto the
//     union of their items.
//   - for an element of to, the items it shares with from are not exactly the
//     items of one element of from (its respondent counts and mean scores
//     would change). Element codes and item order may differ.
//
// Cronbach statistics of an element of to that contains a new item are zero:
// no respondent of from answered all its items.
func Remap(s *Stats, from, to Design) (*Stats, error) {
	if err := from.Validate(); err != nil {
		return nil, err
	}
	if err := to.Validate(); err != nil {
		return nil, err
	}
	if !s.Matches(from) {
		return nil, fmt.Errorf("%w: stats do not match the source design", ErrShape)
	}
	src := make(map[string]int, len(from.Items))
	for i, c := range from.Items {
		src[c] = i
	}
	m := make([]int, len(to.Items)) // to position -> from position, or -1
	mapped := 0
	for j, c := range to.Items {
		m[j] = -1
		if i, ok := src[c]; ok {
			m[j] = i
			mapped++
		}
	}
	if mapped != len(from.Items) {
		return nil, fmt.Errorf("%w: items of the source design are missing in the target", ErrShape)
	}
	t := NewStats(to)
	n := s.ints[iN]
	t.ints[iN], t.ints[iAny] = n, s.ints[iAny]
	t.floats[fAnySum], t.floats[fAnySq] = s.floats[fAnySum], s.floats[fAnySq]
	k, kf := len(to.Items), len(from.Items)
	for j := range k {
		if m[j] < 0 {
			t.ints[iCounts+6*j] = n
			continue
		}
		copy(t.ints[iCounts+6*j:iCounts+6*j+6], s.ints[iCounts+6*m[j]:])
	}
	for j := range k {
		for l := range k {
			a, b := m[j], m[l]
			if j == l || a < 0 || b < 0 {
				continue
			}
			if j < l {
				st, tt := tri(min(a, b), max(a, b), kf), tri(j, l, k)
				t.ints[t.offRR+tt] = s.ints[s.offRR+st]
				t.ints[t.offYY+tt] = s.ints[s.offYY+st]
			}
			t.ints[t.offYR+offDiag(j, l, k)] = s.ints[s.offYR+offDiag(a, b, kf)]
		}
	}
	for e, el := range to.Elements {
		if err := remapElement(s, t, e, el, m); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// remapElement fills element e of t (with items el.Items) from the element
// of s with the same items.
func remapElement(s, t *Stats, e int, el Element, m []int) error {
	var shared []int
	for _, j := range el.Items {
		if m[j] >= 0 {
			shared = append(shared, m[j])
		}
	}
	if len(shared) == 0 {
		return nil
	}
	sorted := slices.Sorted(slices.Values(shared))
	src := -1
	for f, items := range s.sh.elems {
		if slices.Equal(slices.Sorted(slices.Values(items)), sorted) {
			src = f
			break
		}
	}
	if src < 0 {
		return fmt.Errorf("%w: element %s does not match an element of the source design", ErrShape, el.Code)
	}
	so, to := s.offElem[src], t.offElem[e]
	t.ints[to] = s.ints[so]
	t.floats[fElement+2*e] = s.floats[fElement+2*src]
	t.floats[fElement+2*e+1] = s.floats[fElement+2*src+1]
	if len(shared) < len(el.Items) {
		return nil // a new item: no complete cases
	}
	fItems := s.sh.elems[src]
	ke := len(el.Items)
	pos := make([]int, ke) // position in the source element of each target item
	for j, p := range el.Items {
		pos[j] = slices.Index(fItems, m[p])
	}
	t.ints[to+1] = s.ints[so+1]
	for j := range ke {
		t.ints[to+2+j] = s.ints[so+2+pos[j]]
		for l := j; l < ke; l++ {
			a, b := min(pos[j], pos[l]), max(pos[j], pos[l])
			t.ints[to+2+ke+triDiag(j, l, ke)] = s.ints[so+2+ke+triDiag(a, b, ke)]
		}
	}
	return nil
}

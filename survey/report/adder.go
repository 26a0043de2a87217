package report

import "github.com/sipas/sipas/survey"

// adder sums bundles without copying them until it must. A report adds up
// about ten kilobytes of statistics for each of a province's agencies in
// each piece of a period, and most sums have a single part (a unit without
// sub-units, a tree that did not change): such a sum is that part, shared.
// A sum is copied the first time something is added to it, and the copy is
// the adder's own: added to in place while it has a single holder. Once a
// second holder takes it (plus of nothing, or share), it is frozen like
// any other. So nothing handed to the adder, nor any sum it returned that
// someone else holds, is modified: every bundle a report reads stays as it
// was read.
type adder struct {
	owned map[*survey.Bundle]bool
	// empty is the one empty bundle that stands for every agency without
	// ratings; it is never added to.
	empty *survey.Bundle
}

func newAdder(in *survey.Instrument) *adder {
	return &adder{owned: map[*survey.Bundle]bool{}, empty: survey.NewBundle(in)}
}

// plus returns sum + b: b itself when sum is nil, sum unchanged when b is
// the empty bundle, otherwise sum (copied first unless it is the adder's
// own) with b added.
func (a *adder) plus(sum, b *survey.Bundle) (*survey.Bundle, error) {
	switch {
	case b == nil || b == a.empty:
		return sum, nil
	case sum == nil || sum == a.empty:
		return a.share(b), nil
	}
	if !a.owned[sum] {
		sum = sum.Clone()
		a.owned[sum] = true
	}
	if err := sum.Merge(b); err != nil {
		return nil, err
	}
	return sum, nil
}

// into adds b to m[id].
func (a *adder) into(m map[int64]*survey.Bundle, id int64, b *survey.Bundle) error {
	sum, err := a.plus(m[id], b)
	if err != nil {
		return err
	}
	if sum != nil {
		m[id] = sum
	}
	return nil
}

// share freezes b, which a second holder takes: neither adds to it in
// place any more.
func (a *adder) share(b *survey.Bundle) *survey.Bundle {
	delete(a.owned, b)
	return b
}

// or is b, or the empty bundle when b is nil.
func (a *adder) or(b *survey.Bundle) *survey.Bundle {
	if b == nil {
		return a.empty
	}
	return b
}

package report

import (
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
)

// TestAdderNeverChangesWhatOthersHold: a sum shared with a second holder
// is copied before anything is added to it, and the parts are never
// changed.
func TestAdderNeverChangesWhatOthersHold(t *testing.T) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	in, _ := reg.Current("sipas-2017")
	part := func(answer uint8) *survey.Bundle {
		b := survey.NewBundle(in)
		ans := make([]uint8, len(in.Items))
		for i := range ans {
			ans[i] = answer
		}
		if err := b.Stats.Add(ans); err != nil {
			t.Fatal(err)
		}
		return b
	}
	a := newAdder(in)
	x, y, z := part(5), part(3), part(1)
	sum, err := a.plus(nil, x)
	if err != nil || sum != x {
		t.Fatalf("plus(nil, x) = %p, %v; want x itself", sum, err)
	}
	if sum, err = a.plus(sum, y); err != nil || sum == x {
		t.Fatalf("plus(x, y) modified x in place (%v)", err)
	}
	owned := sum
	if again, _ := a.plus(owned, z); again != owned {
		t.Fatal("the adder's own sum was copied again")
	}
	held := a.share(owned)
	if after, _ := a.plus(owned, x); after == held || held.Stats.N() != 3 {
		t.Fatalf("a shared sum was added to in place: N %d", held.Stats.N())
	}
	if x.Stats.N() != 1 || y.Stats.N() != 1 || z.Stats.N() != 1 {
		t.Fatal("a part was modified")
	}
	if s, _ := a.plus(a.empty, x); s != x || a.empty.Stats.N() != 0 {
		t.Fatal("the empty bundle was added to")
	}
	if s, _ := a.plus(x, a.empty); s != x {
		t.Fatal("adding the empty bundle copied the sum")
	}
}

package report

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// TestInParallel: every part runs once, the lowest failing part's error
// is returned, and a panic comes back as an error.
func TestInParallel(t *testing.T) {
	var ran [50]atomic.Int32
	if err := inParallel(len(ran), func(i int) error { ran[i].Add(1); return nil }); err != nil {
		t.Fatal(err)
	}
	for i := range ran {
		if n := ran[i].Load(); n != 1 {
			t.Fatalf("part %d ran %d times", i, n)
		}
	}
	err := inParallel(10, func(i int) error {
		if i == 3 || i == 7 {
			return errors.New(strings.Repeat("x", i))
		}
		return nil
	})
	if err == nil || err.Error() != "xxx" {
		t.Fatalf("error %v, want part 3's", err)
	}
	err = inParallel(3, func(i int) error {
		if i == 1 {
			panic("boom")
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("a panic gave %v", err)
	}
	if err := inParallel(0, func(int) error { return errors.New("never") }); err != nil {
		t.Fatal(err)
	}
}

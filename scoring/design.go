package scoring

import (
	"errors"
	"fmt"
	"slices"
)

// MaxItems is the largest number of items a Design may have. Stats keeps
// pairwise sums, so its size grows with the square of the item count.
const MaxItems = 64

// MaxElements is the largest number of elements a Design may have.
const MaxElements = MaxItems

// Design is the layout of an instrument: item codes in a fixed order and
// elements as lists of item positions. Answer vectors follow Items.
type Design struct {
	// Items are the item codes, e.g. "TC1".."GY4", or just "OV".
	Items []string `json:"items"`
	// Elements group items; when empty the overall index is the mean of
	// the item indices.
	Elements []Element `json:"elements"`
}

// Element is a named group of items, given by their positions in Design.Items.
type Element struct {
	Code  string `json:"code"`
	Items []int  `json:"items"`
}

// ErrDesign is wrapped by every error about an invalid Design.
var ErrDesign = errors.New("scoring: invalid design")

// ErrShape is returned when Stats of different shapes are combined or a
// Stats does not match a Design.
var ErrShape = errors.New("scoring: stats shape mismatch")

// Validate reports whether d is usable: 1..MaxItems unique non-empty item
// codes, at most MaxElements elements with unique non-empty codes, and each
// element a non-empty list of distinct valid item positions. An item may be
// in no element (it is then left out of the overall index).
func (d Design) Validate() error {
	if len(d.Items) == 0 || len(d.Items) > MaxItems {
		return fmt.Errorf("%w: %d items, want 1..%d", ErrDesign, len(d.Items), MaxItems)
	}
	seen := make(map[string]bool, len(d.Items))
	for _, c := range d.Items {
		if c == "" || seen[c] {
			return fmt.Errorf("%w: empty or duplicate item code %q", ErrDesign, c)
		}
		seen[c] = true
	}
	if len(d.Elements) > MaxElements {
		return fmt.Errorf("%w: %d elements, want at most %d", ErrDesign, len(d.Elements), MaxElements)
	}
	codes := make(map[string]bool, len(d.Elements))
	for _, e := range d.Elements {
		if e.Code == "" || codes[e.Code] {
			return fmt.Errorf("%w: empty or duplicate element code %q", ErrDesign, e.Code)
		}
		codes[e.Code] = true
		if err := validPositions(e.Items, len(d.Items)); err != nil {
			return fmt.Errorf("%w: element %s: %v", ErrDesign, e.Code, err)
		}
	}
	return nil
}

// validPositions checks that items is a non-empty list of distinct
// positions in [0, k).
func validPositions(items []int, k int) error {
	if len(items) == 0 {
		return errors.New("no items")
	}
	for i, p := range items {
		if p < 0 || p >= k {
			return fmt.Errorf("item position %d out of range", p)
		}
		if slices.Contains(items[:i], p) {
			return fmt.Errorf("item position %d repeated", p)
		}
	}
	return nil
}

// shape returns the structural part of d that Stats depends on.
func (d Design) shape() shape {
	s := shape{k: len(d.Items), elems: make([][]int, len(d.Elements))}
	for i, e := range d.Elements {
		s.elems[i] = slices.Clone(e.Items)
	}
	return s
}

// shape is what Stats knows of its Design: the item count and the item
// positions of each element. Codes are not stored.
type shape struct {
	k     int
	elems [][]int
}

// equal reports whether two shapes are identical.
func (s shape) equal(o shape) bool {
	if s.k != o.k || len(s.elems) != len(o.elems) {
		return false
	}
	for i := range s.elems {
		if !slices.Equal(s.elems[i], o.elems[i]) {
			return false
		}
	}
	return true
}

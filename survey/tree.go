package survey

// The tree of a day, as reorganisations leave it: the store checks that
// no day's tree loops, and the reports read each day's tree.

// Merger is a merged agency's successor and the day it merged.
type Merger struct {
	Into int64
	Day  string
}

// TreeOn returns the tree of day (YYYY-MM-DD) as each agency's parent, by
// agency id: the parent of the span that covers the day or, from its
// merger on, a merged agency's successor (ratings it still receives count
// there). Roots and agencies outside the tree that day are absent.
func TreeOn(spans map[int64][]ParentSpan, merged map[int64]Merger, day string) map[int64]int64 {
	parent := make(map[int64]int64, len(spans))
	for id, ss := range spans {
		for _, s := range ss {
			if s.From <= day && (s.To == "" || day < s.To) && s.ParentID != 0 {
				parent[id] = s.ParentID
			}
		}
	}
	for id, m := range merged {
		if day >= m.Day {
			parent[id] = m.Into
		}
	}
	return parent
}

// TreeLoop returns an agency on a parent chain of parent (child → parent)
// that comes back to itself, and false when the tree has no loop.
func TreeLoop(parent map[int64]int64) (int64, bool) {
	state := make(map[int64]int8, len(parent)) // 1: on the current path, 2: done
	for start := range parent {
		var path []int64
		for id := start; id != 0 && state[id] != 2; id = parent[id] {
			if state[id] == 1 {
				return id, true
			}
			state[id] = 1
			path = append(path, id)
		}
		for _, id := range path {
			state[id] = 2
		}
	}
	return 0, false
}

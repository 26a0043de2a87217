package report

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sipas/sipas/survey"
)

// Roll-up modes of a report over a reorganised tree.
const (
	// AsDated (the default) counts each agency's ratings under the parent
	// it had on the day they were given.
	AsDated = "dated"
	// AsCurrent rolls the whole period up under today's tree, each merged
	// agency's ratings under its successor: a unit's history as it is now.
	AsCurrent = "current"
)

// ValidAs reports whether as is a roll-up mode ("" is AsDated).
func ValidAs(as string) bool { return as == "" || as == AsDated || as == AsCurrent }

// ReorgSource reads the tree's history (survey.ReorgStore).
type ReorgSource interface {
	TreeHistory(ctx context.Context) ([]survey.ParentSpan, []survey.LineageEntry, error)
}

// history is the tree's history as a report reads it, by agency id.
type history struct {
	spans map[int64][]survey.ParentSpan
	// preds are each merge successor's predecessors and the day they
	// merged into it.
	preds map[int64][]merged
	// successor is each merged agency's successor, and mergedOn the day.
	successor map[int64]int64
	mergedOn  map[int64]string
	// days are the days the tree changed, sorted.
	days []string
}

type merged struct {
	id  int64
	day string
}

// loadHistory reads the tree's history; nil when the tree never changed
// (no move, merge or split), which reports read as they always did.
func (s *Service) loadHistory(ctx context.Context) (*history, error) {
	if s.Reorg == nil {
		return nil, nil
	}
	spans, links, err := s.Reorg.TreeHistory(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the tree's history: %w", err)
	}
	h := &history{spans: map[int64][]survey.ParentSpan{}, preds: map[int64][]merged{}, successor: map[int64]int64{}, mergedOn: map[int64]string{}}
	seen := map[string]bool{}
	for _, sp := range spans {
		h.spans[sp.AgencyID] = append(h.spans[sp.AgencyID], sp)
		for _, d := range []string{sp.From, sp.To} {
			if d != "" && d != "0001-01-01" && !seen[d] {
				seen[d] = true
				h.days = append(h.days, d)
			}
		}
	}
	if len(links) > 0 {
		all, err := s.Agencies.ListAgencies(ctx, "")
		if err != nil {
			return nil, err
		}
		ids := map[string]int64{}
		for _, a := range all {
			ids[a.Code] = a.ID
		}
		for _, l := range links {
			if !seen[l.Date] {
				seen[l.Date] = true
				h.days = append(h.days, l.Date)
			}
			if l.Kind != survey.EventMerge {
				continue
			}
			p, s := ids[l.Predecessor], ids[l.Successor]
			h.preds[s] = append(h.preds[s], merged{id: p, day: l.Date})
			h.successor[p], h.mergedOn[p] = s, l.Date
		}
	}
	if len(h.days) == 0 {
		return nil, nil
	}
	sort.Strings(h.days)
	return h, nil
}

// parentOn returns the parent of agency id on day and whether the agency
// existed then (some span covers the day). From its merger on, a merged
// agency is under its successor: ratings it still has from then on (a
// merger recorded after its date) count for the successor.
func (h *history) parentOn(id int64, day string) (int64, bool) {
	if m, ok := h.mergedOn[id]; ok && day >= m {
		return h.successor[id], true
	}
	for _, sp := range h.spans[id] {
		if sp.From <= day && (sp.To == "" || day < sp.To) {
			return sp.ParentID, true
		}
	}
	return 0, false
}

// segments cuts p at the days the tree changed within it: the tree is the
// same on every day of a segment.
func (h *history) segments(p survey.Period) []survey.Period {
	var out []survey.Period
	from := p.From
	for _, d := range h.days {
		day, err := parseDay(d)
		if err != nil || !day.After(from) || day.After(p.To) {
			continue
		}
		out = append(out, survey.Period{From: from, To: day.AddDate(0, 0, -1)})
		from = day
	}
	return append(out, survey.Period{From: from, To: p.To})
}

// order lists the subtree of root in a tree given by parent, parents
// before children (siblings by code), as ListAgencies does; each agency is
// a copy with ParentID set from parent.
func order(all []*survey.Agency, root int64, parent func(*survey.Agency) (int64, bool)) []*survey.Agency {
	kids := map[int64][]*survey.Agency{}
	var top *survey.Agency
	for _, a := range all {
		if a.ID == root {
			c := *a
			top = &c
		}
		p, ok := parent(a)
		if !ok || a.ID == root {
			continue
		}
		c := *a
		c.ParentID = p
		kids[p] = append(kids[p], &c)
	}
	if top == nil {
		return nil
	}
	out := []*survey.Agency{top}
	for i := 0; i < len(out); i++ {
		ks := kids[out[i].ID]
		sort.Slice(ks, func(a, b int) bool { return ks[a].Code < ks[b].Code })
		out = append(out, ks...)
	}
	return out
}

// loadCurrent is load under today's tree with each merged agency under its
// successor (AsCurrent): one read of the whole period.
func (s *Service) loadCurrent(ctx context.Context, q Query, p survey.Period, h *history) (*tree, error) {
	all, err := s.Agencies.ListAgencies(ctx, "")
	if err != nil {
		return nil, err
	}
	last := p.ToString()
	as := order(all, q.Agency.ID, func(a *survey.Agency) (int64, bool) {
		if succ, ok := h.successor[a.ID]; ok {
			return succ, true
		}
		// A unit that began after the period, and carries no
		// predecessors' history, did not exist in it.
		if sp := h.spans[a.ID]; len(sp) > 0 && sp[0].From > last && len(h.preds[a.ID]) == 0 {
			return 0, false
		}
		return a.ParentID, a.ParentID != 0
	})
	t, err := s.loadTree(ctx, q, p, as)
	if err != nil {
		return nil, err
	}
	t.mode = AsCurrent
	t.combined = map[int64][]string{}
	for _, a := range as {
		for _, pr := range h.preds[a.ID] {
			if pd, err := parseDay(pr.day); err == nil && pd.After(p.From) && t.total[pr.id] != nil && t.total[pr.id].Stats.N() > 0 {
				t.combined[a.ID] = append(t.combined[a.ID], codeOf(all, pr.id))
			}
		}
	}
	// Today's tree holds for every day: only an index that combines
	// predecessors is not weighted by volume.
	t.reorganised = len(t.combined) > 0
	return t, nil
}

func codeOf(all []*survey.Agency, id int64) string {
	for _, a := range all {
		if a.ID == id {
			return a.Code
		}
	}
	return ""
}

// loadDated is load with each agency's ratings counted under the parent
// it had on the day (AsDated): one read per segment of p in which the tree
// stayed the same. A merge successor's own total also holds, for the days
// before its merger, its predecessors' ratings combined (t.combined says
// whose), but its parents' totals do not: they count the predecessors
// where they were.
func (s *Service) loadDated(ctx context.Context, q Query, p survey.Period, h *history) (*tree, error) {
	all, err := s.Agencies.ListAgencies(ctx, "")
	if err != nil {
		return nil, err
	}
	in, root := q.Instrument, q.Agency.ID
	t := &tree{root: q.Agency, children: map[int64][]*survey.Agency{}, total: map[int64]*survey.Bundle{},
		own: map[int64]*survey.Bundle{}, subtree: map[int64][]int64{}, weighted: map[int64]*weighted{},
		setAside: map[int64]int64{}, combined: map[int64][]string{}, real: map[int64]*survey.Bundle{}, mode: AsDated}
	segs := h.segments(p)
	// The root's subtree was reorganised within the period when one of its
	// agencies changed parent, or came or went, between its pieces.
	parentsOf, pieces := map[int64]map[int64]bool{}, map[int64]int{}
	lastParent := map[int64]int64{}
	inSub := map[int64]map[int64]bool{} // subtree members of each agency, over all segments
	hist := map[int64]*survey.Bundle{}
	edge := map[[2]int64]bool{}
	for _, seg := range segs {
		own, err := s.Stats.OwnStats(ctx, in, seg)
		if err != nil {
			return nil, fmt.Errorf("read statistics: %w", err)
		}
		excluded, err := s.Stats.ExcludedCounts(ctx, in, seg)
		if err != nil {
			return nil, fmt.Errorf("read excluded counts: %w", err)
		}
		day := seg.FromString()
		kids := map[int64][]int64{}
		parent := map[int64]int64{}
		for _, a := range all {
			if pid, ok := h.parentOn(a.ID, day); ok && pid != 0 {
				kids[pid] = append(kids[pid], a.ID)
				parent[a.ID] = pid
			}
		}
		if id, ok := cycle(parent); ok {
			// The store refuses a reorganisation that loops; a database
			// that holds one anyway is not read as a tree.
			return nil, fmt.Errorf("the tree of %s loops through agency %d", day, id)
		}
		sums, aside := map[int64]*survey.Bundle{}, map[int64]int64{}
		var sum func(id int64) (*survey.Bundle, error)
		sum = func(id int64) (*survey.Bundle, error) {
			if b := sums[id]; b != nil {
				return b, nil
			}
			b := survey.NewBundle(in)
			if o := own[id]; o != nil {
				if err := b.Merge(o); err != nil {
					return nil, err
				}
			}
			n := excluded[id]
			for _, k := range kids[id] {
				kb, err := sum(k)
				if err != nil {
					return nil, err
				}
				if err := b.Merge(kb); err != nil {
					return nil, err
				}
				n += aside[k]
			}
			sums[id], aside[id] = b, n
			return b, nil
		}
		// withPreds is an agency's total with, for the days of seg before
		// its merger, its predecessors' (recursively).
		var withPreds func(id int64, add func(code string)) (*survey.Bundle, error)
		withPreds = func(id int64, add func(string)) (*survey.Bundle, error) {
			b, err := sum(id)
			if err != nil {
				return nil, err
			}
			b = b.Clone()
			for _, pr := range h.preds[id] {
				if day >= pr.day {
					continue
				}
				pb, err := withPreds(pr.id, add)
				if err != nil {
					return nil, err
				}
				if err := b.Merge(pb); err != nil {
					return nil, err
				}
				// Named when it has ratings of its own subtree (an
				// intermediate successor that holds only its own
				// predecessors' is not).
				if own, err := sum(pr.id); err == nil && own.Stats.N() > 0 {
					add(codeOf(all, pr.id))
				}
			}
			return b, nil
		}
		// The root's subtree on this segment's day.
		sub := []int64{root}
		for i := 0; i < len(sub); i++ {
			sub = append(sub, kids[sub[i]]...)
		}
		for _, id := range sub {
			b, err := sum(id)
			if err != nil {
				return nil, err
			}
			if t.total[id] == nil {
				t.total[id] = survey.NewBundle(in)
			}
			if err := t.total[id].Merge(b); err != nil {
				return nil, err
			}
			if o := own[id]; o != nil {
				if t.own[id] == nil {
					t.own[id] = survey.NewBundle(in)
				}
				if err := t.own[id].Merge(o); err != nil {
					return nil, err
				}
			}
			t.setAside[id] += aside[id]
			if id != root {
				lastParent[id] = parent[id]
				edge[[2]int64{parent[id], id}] = true
			}
			if parentsOf[id] == nil {
				parentsOf[id] = map[int64]bool{}
			}
			parentsOf[id][parent[id]] = true
			pieces[id]++
			// Every member of id's subtree on this day.
			if inSub[id] == nil {
				inSub[id] = map[int64]bool{}
			}
			stack := []int64{id}
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				inSub[id][x] = true
				stack = append(stack, kids[x]...)
			}
		}
		// Before its merger, a successor's own history is its
		// predecessors' combined, whether or not it is in the tree yet
		// (a unit's previous period, a task's unit before the merger).
		for id, ps := range h.preds {
			for _, pr := range ps {
				if day >= pr.day || beneath(parent, pr.id, id) {
					continue // merged already, or counted in id's subtree that day
				}
				pb, err := withPreds(pr.id, func(code string) { t.combined[id] = appendOnce(t.combined[id], code) })
				if err != nil {
					return nil, err
				}
				if pb.Stats.N() == 0 {
					continue // nothing of it in this segment
				}
				if own, err := sum(pr.id); err == nil && own.Stats.N() > 0 {
					t.combined[id] = appendOnce(t.combined[id], codeOf(all, pr.id))
				}
				if hist[id] == nil {
					hist[id] = survey.NewBundle(in)
				}
				if err := hist[id].Merge(pb); err != nil {
					return nil, err
				}
			}
		}
	}
	for id, ps := range parentsOf {
		if len(ps) > 1 || pieces[id] != len(segs) {
			t.reorganised = true
		}
	}
	for id, hb := range hist {
		if t.total[id] == nil {
			t.total[id] = survey.NewBundle(in)
		}
		t.real[id] = t.total[id].Clone()
		if err := t.total[id].Merge(hb); err != nil {
			return nil, err
		}
	}
	t.agencies = order(all, root, func(a *survey.Agency) (int64, bool) {
		pid, ok := lastParent[a.ID]
		return pid, ok
	})
	for _, a := range t.agencies {
		for x := range inSub[a.ID] {
			t.subtree[a.ID] = append(t.subtree[a.ID], x)
		}
		if t.total[a.ID] == nil {
			t.total[a.ID] = survey.NewBundle(in)
		}
	}
	byID := map[int64]*survey.Agency{}
	for _, a := range t.agencies {
		byID[a.ID] = a
	}
	for e := range edge {
		if c := byID[e[1]]; c != nil && byID[e[0]] != nil {
			t.children[e[0]] = append(t.children[e[0]], c)
		}
	}
	for _, ks := range t.children {
		sort.Slice(ks, func(i, j int) bool { return ks[i].Code < ks[j].Code })
	}
	t.volKids = map[int64][]*survey.Agency{}
	for _, a := range t.agencies {
		if a.ID != root {
			t.volKids[a.ParentID] = append(t.volKids[a.ParentID], a)
		}
	}
	// Volumes are not combined across a change of the tree, nor for an
	// index that holds predecessors' ratings (the root's or a row's).
	if hist[root] != nil && hist[root].Stats.N() > 0 {
		t.reorganised = true
	}
	for _, c := range t.children[root] {
		if hb := hist[c.ID]; hb != nil && hb.Stats.N() > 0 {
			t.reorganised = true
		}
	}
	if err := s.loadVolumes(ctx, t, p); err != nil {
		return nil, err
	}
	return t, nil
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// parseDay parses a YYYY-MM-DD day in Vietnam.
func parseDay(d string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", d, survey.Vietnam)
}

// follow returns the agency that carries on agency a today: a itself, or
// the successor it was merged into (through later mergers too) and the
// day of its first merger.
func (s *Service) follow(ctx context.Context, a *survey.Agency) (*survey.Agency, string, error) {
	h, err := s.loadHistory(ctx)
	if err != nil || h == nil {
		return a, "", err
	}
	id, day := a.ID, ""
	for i := 0; i < 64; i++ { // a lineage is acyclic; the bound guards a corrupt one
		next, ok := h.successor[id]
		if !ok {
			break
		}
		if day == "" {
			day = h.mergedOn[id]
		}
		id = next
	}
	if id == a.ID {
		return a, "", nil
	}
	all, err := s.Agencies.ListAgencies(ctx, "")
	if err != nil {
		return nil, "", err
	}
	for _, x := range all {
		if x.ID == id {
			return x, day, nil
		}
	}
	return a, "", nil
}

// cycle reports an agency whose parent chain (parent: child → parent)
// comes back to itself.
func cycle(parent map[int64]int64) (int64, bool) {
	state := map[int64]int8{} // 1: on the current path, 2: done
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

// beneath reports whether id lies in anc's subtree in the tree parent.
func beneath(parent map[int64]int64, id, anc int64) bool {
	for i := 0; id != 0 && i < len(parent)+1; i++ {
		if id == anc {
			return true
		}
		id = parent[id]
	}
	return false
}

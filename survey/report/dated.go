package report

import (
	"context"
	"fmt"
	"sort"

	"github.com/sipas/sipas/survey"
)

// row is a league-table row of a reorganised tree (AsDated): a child's
// ratings on the days it was a direct child of the root, so that no two
// rows of a table share a rating, whoever moved.
type row struct {
	// total holds, for a merge successor, its predecessors' ratings before
	// its merger; real does not.
	total, real *survey.Bundle
	aside       int64
	// from and to are the first and last day the child was a direct child
	// of the root; partial says it existed on other days of the period,
	// under another parent.
	from, to string
	partial  bool
	days     int
}

// rowOf is the row of the root's child c: its subtree's total when the
// tree did not change.
func (t *tree) rowOf(in *survey.Instrument, c int64) *row {
	if r := t.rows[c]; r != nil {
		return r
	}
	return &row{total: bundleOr(in, t.total[c]), real: t.realTotal(c), aside: t.setAside[c]}
}

// loadCurrent is load under today's tree with each merged agency under its
// successor (AsCurrent): one read of the whole period.
func (s *Service) loadCurrent(ctx context.Context, q Query, p survey.Period, h *history) (*tree, error) {
	last := p.ToString()
	as := order(h.all, q.Agency.ID, func(a *survey.Agency) (int64, bool) {
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
				t.combined[a.ID] = append(t.combined[a.ID], h.code(pr.id))
			}
		}
	}
	// Today's tree holds for every day: only an index that combines
	// predecessors is not weighted by volume.
	t.reorganised = len(t.combined) > 0
	return t, nil
}

// segment is the tree of one piece of a period in which it stayed the
// same, with the statistics of that piece.
type segment struct {
	in       *survey.Instrument
	h        *history
	day      string // its first day
	days     int
	own      map[int64]*survey.Bundle
	excluded map[int64]int64
	kids     map[int64][]int64
	parent   map[int64]int64
	sums     map[int64]*survey.Bundle
	aside    map[int64]int64
}

// readSegment reads the statistics of seg and the tree of its first day.
func (s *Service) readSegment(ctx context.Context, in *survey.Instrument, seg survey.Period, h *history) (*segment, error) {
	own, err := s.Stats.OwnStats(ctx, in, seg)
	if err != nil {
		return nil, fmt.Errorf("read statistics: %w", err)
	}
	excluded, err := s.Stats.ExcludedCounts(ctx, in, seg)
	if err != nil {
		return nil, fmt.Errorf("read excluded counts: %w", err)
	}
	g := &segment{in: in, h: h, day: seg.FromString(), days: seg.Days(), own: own, excluded: excluded,
		kids: map[int64][]int64{}, parent: map[int64]int64{}, sums: map[int64]*survey.Bundle{}, aside: map[int64]int64{}}
	for _, a := range h.all {
		if pid, ok := h.parentOn(a.ID, g.day); ok && pid != 0 {
			g.kids[pid] = append(g.kids[pid], a.ID)
			g.parent[a.ID] = pid
		}
	}
	if id, ok := cycle(g.parent); ok {
		// The store refuses a reorganisation that loops; a database that
		// holds one anyway is not read as a tree.
		return nil, fmt.Errorf("the tree of %s loops through agency %d", g.day, id)
	}
	return g, nil
}

// sum is the total of id's subtree in the segment (memoised), and sets
// g.aside[id].
func (g *segment) sum(id int64) (*survey.Bundle, error) {
	if b := g.sums[id]; b != nil {
		return b, nil
	}
	b := survey.NewBundle(g.in)
	if o := g.own[id]; o != nil {
		if err := b.Merge(o); err != nil {
			return nil, err
		}
	}
	n := g.excluded[id]
	for _, k := range g.kids[id] {
		kb, err := g.sum(k)
		if err != nil {
			return nil, err
		}
		if err := b.Merge(kb); err != nil {
			return nil, err
		}
		n += g.aside[k]
	}
	g.sums[id], g.aside[id] = b, n
	return b, nil
}

// withPreds is id's total with, when the segment lies before their
// merger, its predecessors' (recursively); add is told each predecessor
// with ratings of its own subtree (an intermediate successor that holds
// only its own predecessors' is not named).
func (g *segment) withPreds(id int64, add func(code string)) (*survey.Bundle, error) {
	b, err := g.sum(id)
	if err != nil {
		return nil, err
	}
	b = b.Clone()
	for _, pr := range g.h.preds[id] {
		if g.day >= pr.day {
			continue
		}
		pb, err := g.withPreds(pr.id, add)
		if err != nil {
			return nil, err
		}
		if err := b.Merge(pb); err != nil {
			return nil, err
		}
		if own, err := g.sum(pr.id); err == nil && own.Stats.N() > 0 {
			add(g.h.code(pr.id))
		}
	}
	return b, nil
}

// members lists id's subtree in the segment, id first.
func (g *segment) members(id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		out = append(out, g.kids[out[i]]...)
	}
	return out
}

// dated accumulates a tree over the segments of a period (AsDated).
type dated struct {
	t    *tree
	in   *survey.Instrument
	root int64
	segs int
	// parents are the parents each agency had in the root's subtree,
	// pieces how many segments it was there, last its last parent.
	parents map[int64]map[int64]bool
	pieces  map[int64]int
	last    map[int64]int64
	// inSub are the members of each agency's subtree over all segments,
	// edges the parent → child links seen, pieceDays each segment's first
	// day and length.
	inSub     map[int64]map[int64]bool
	edges     map[[2]int64]bool
	pieceDays []piece
	// hist is each merge successor's predecessors' ratings before its
	// merger, where it did not hold them already.
	hist map[int64]*survey.Bundle
}

type piece struct {
	day  string
	days int
}

// loadDated is load with each agency's ratings counted under the parent
// it had on the day (AsDated): one read per segment of p in which the tree
// stayed the same. A merge successor's own total also holds, for the days
// before its merger, its predecessors' ratings combined (t.combined says
// whose), but its parents' totals do not: they count the predecessors
// where they were.
func (s *Service) loadDated(ctx context.Context, q Query, p survey.Period, h *history) (*tree, error) {
	d := &dated{in: q.Instrument, root: q.Agency.ID,
		t: &tree{root: q.Agency, children: map[int64][]*survey.Agency{}, total: map[int64]*survey.Bundle{},
			own: map[int64]*survey.Bundle{}, subtree: map[int64][]int64{}, weighted: map[int64]*weighted{},
			setAside: map[int64]int64{}, combined: map[int64][]string{}, real: map[int64]*survey.Bundle{},
			rows: map[int64]*row{}, mode: AsDated},
		parents: map[int64]map[int64]bool{}, pieces: map[int64]int{}, last: map[int64]int64{},
		inSub: map[int64]map[int64]bool{}, edges: map[[2]int64]bool{},
		hist: map[int64]*survey.Bundle{}}
	segs := h.segments(p)
	d.segs = len(segs)
	for _, seg := range segs {
		g, err := s.readSegment(ctx, q.Instrument, seg, h)
		if err != nil {
			return nil, err
		}
		if err := d.add(g, seg); err != nil {
			return nil, err
		}
	}
	if err := d.finish(h); err != nil {
		return nil, err
	}
	if err := s.loadVolumes(ctx, d.t, p); err != nil {
		return nil, err
	}
	return d.t, nil
}

// add counts one segment: the root's subtree on its first day, and each
// merge successor's predecessors before its merger.
func (d *dated) add(g *segment, seg survey.Period) error {
	t := d.t
	for _, id := range g.members(d.root) {
		b, err := g.sum(id)
		if err != nil {
			return err
		}
		if err := mergeInto(t.total, d.in, id, b); err != nil {
			return err
		}
		if o := g.own[id]; o != nil {
			if err := mergeInto(t.own, d.in, id, o); err != nil {
				return err
			}
		}
		t.setAside[id] += g.aside[id]
		pid := g.parent[id]
		if id != d.root {
			d.last[id] = pid
			d.edges[[2]int64{pid, id}] = true
		}
		if pid == d.root && id != d.root {
			if err := d.addRow(id, b, g, seg); err != nil {
				return err
			}
		}
		if d.parents[id] == nil {
			d.parents[id] = map[int64]bool{}
		}
		d.parents[id][pid] = true
		d.pieces[id]++
		if d.inSub[id] == nil {
			d.inSub[id] = map[int64]bool{}
		}
		for _, x := range g.members(id) {
			d.inSub[id][x] = true
		}
	}
	d.pieceDays = append(d.pieceDays, piece{day: g.day, days: g.days})
	// Before its merger, a successor's own history is its predecessors'
	// combined, whether or not it is in the tree yet (a unit's previous
	// period, a task's unit before the merger).
	for id, ps := range g.h.preds {
		for _, pr := range ps {
			if g.day >= pr.day || beneath(g.parent, pr.id, id) {
				continue // merged already, or counted in id's subtree that day
			}
			pb, err := g.withPreds(pr.id, func(code string) { t.combined[id] = appendOnce(t.combined[id], code) })
			if err != nil {
				return err
			}
			if pb.Stats.N() == 0 {
				continue // nothing of it in this segment
			}
			if own, err := g.sum(pr.id); err == nil && own.Stats.N() > 0 {
				t.combined[id] = appendOnce(t.combined[id], g.h.code(pr.id))
			}
			if err := mergeInto(d.hist, d.in, id, pb); err != nil {
				return err
			}
		}
	}
	return nil
}

// addRow counts segment g for the root's direct child id.
func (d *dated) addRow(id int64, b *survey.Bundle, g *segment, seg survey.Period) error {
	r := d.t.rows[id]
	if r == nil {
		r = &row{total: survey.NewBundle(d.in), from: seg.FromString()}
		d.t.rows[id] = r
	}
	if err := r.total.Merge(b); err != nil {
		return err
	}
	r.aside += g.aside[id]
	r.to = seg.ToString()
	r.days += g.days
	return nil
}

// finish adds the successors' histories, orders the agencies under the
// parent each had last, and decides whether the period was reorganised.
func (d *dated) finish(h *history) error {
	t, root := d.t, d.root
	for id, ps := range d.parents {
		if len(ps) > 1 || d.pieces[id] != d.segs {
			t.reorganised = true
		}
	}
	for id, hb := range d.hist {
		if t.total[id] == nil {
			t.total[id] = survey.NewBundle(d.in)
		}
		t.real[id] = t.total[id].Clone()
		if err := t.total[id].Merge(hb); err != nil {
			return err
		}
		if r := t.rows[id]; r != nil {
			r.real = r.total.Clone()
			if err := r.total.Merge(hb); err != nil {
				return err
			}
		}
	}
	for _, r := range t.rows {
		if r.real == nil {
			r.real = r.total
		}
	}
	t.agencies = order(h.all, root, func(a *survey.Agency) (int64, bool) {
		pid, ok := d.last[a.ID]
		return pid, ok
	})
	byID := map[int64]*survey.Agency{}
	for _, a := range t.agencies {
		byID[a.ID] = a
		for x := range d.inSub[a.ID] {
			t.subtree[a.ID] = append(t.subtree[a.ID], x)
		}
		if t.total[a.ID] == nil {
			t.total[a.ID] = survey.NewBundle(d.in)
		}
	}
	for e := range d.edges {
		if c := byID[e[1]]; c != nil && byID[e[0]] != nil {
			t.children[e[0]] = append(t.children[e[0]], c)
		}
	}
	for _, ks := range t.children {
		sort.Slice(ks, func(i, j int) bool { return ks[i].Code < ks[j].Code })
	}
	// A row is partial when its unit was in the tree, elsewhere, on other
	// days of the period.
	for id, r := range t.rows {
		existed := 0
		for _, pc := range d.pieceDays {
			if h.existed(id, pc.day) {
				existed += pc.days
			}
		}
		r.partial = existed > r.days
	}
	t.volKids = map[int64][]*survey.Agency{}
	for _, a := range t.agencies {
		if a.ID != root {
			t.volKids[a.ParentID] = append(t.volKids[a.ParentID], a)
		}
	}
	// Volumes are not combined across a change of the tree, nor for an
	// index that holds predecessors' ratings (the root's or a row's).
	if hb := d.hist[root]; hb != nil && hb.Stats.N() > 0 {
		t.reorganised = true
	}
	for _, c := range t.children[root] {
		if hb := d.hist[c.ID]; hb != nil && hb.Stats.N() > 0 {
			t.reorganised = true
		}
	}
	return nil
}

// mergeInto adds b to m[id], creating it.
func mergeInto(m map[int64]*survey.Bundle, in *survey.Instrument, id int64, b *survey.Bundle) error {
	if m[id] == nil {
		m[id] = survey.NewBundle(in)
	}
	return m[id].Merge(b)
}

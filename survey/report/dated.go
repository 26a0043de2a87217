package report

import (
	"context"
	"fmt"
	"sort"
	"strings"

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
	as := order(h.all, q.Agency.ID, func(a *survey.Agency) (int64, bool) {
		if m, ok := h.merged[a.ID]; ok {
			return m.Into, true
		}
		return a.ParentID, a.ParentID != 0
	})
	t, err := s.loadTree(ctx, q, p, as)
	if err != nil {
		return nil, err
	}
	t.mode = AsCurrent
	// A unit that began after the period, carries no predecessors' history
	// and holds no ratings of it (none of its sub-units had any) did not
	// exist in it: no row.
	last := p.ToString()
	t.absent = map[int64]bool{}
	for _, a := range as {
		if sp := h.spans[a.ID]; len(sp) > 0 && sp[0].From > last && len(h.preds[a.ID]) == 0 && t.total[a.ID].Stats.N() == 0 {
			t.absent[a.ID] = true
		}
	}
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

// dated accumulates a tree over the segments of a period (AsDated).
type dated struct {
	t    *tree
	h    *history
	in   *survey.Instrument
	sums *adder
	root int64
	segs int
	// today is the root's subtree in today's tree: with the segments'
	// subtrees, the agencies whose history before a merger is read, among
	// the merge successors (by id).
	today      map[int64]bool
	successors []int64
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
	// merger, where it did not hold them already, and histAside their
	// set-aside count.
	hist      map[int64]*survey.Bundle
	histAside map[int64]int64
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
// where they were. Volumes are summed the same way, segment by segment.
func (s *Service) loadDated(ctx context.Context, q Query, p survey.Period, h *history) (*tree, error) {
	d := &dated{h: h, in: q.Instrument, sums: newAdder(q.Instrument), root: q.Agency.ID,
		t: &tree{root: q.Agency, children: map[int64][]*survey.Agency{}, total: map[int64]*survey.Bundle{},
			own: map[int64]*survey.Bundle{}, subtree: map[int64][]int64{}, weighted: map[int64]*weighted{},
			setAside: map[int64]int64{}, combined: map[int64][]string{}, real: map[int64]*survey.Bundle{},
			rows: map[int64]*row{}, vol: map[int64]*survey.Volume{}, subVol: map[int64]*survey.Volume{}, mode: AsDated},
		today: h.subtreeToday(q.Agency.ID), successors: h.successors(),
		parents: map[int64]map[int64]bool{}, pieces: map[int64]int{}, last: map[int64]int64{},
		inSub: map[int64]map[int64]bool{}, edges: map[[2]int64]bool{},
		hist: map[int64]*survey.Bundle{}, histAside: map[int64]int64{}}
	// The period is cut at the days the tree changed; pieces in which the
	// root's subtree and its successors' histories read the same are one
	// (a change elsewhere in the province cuts no month here).
	type part struct {
		seg survey.Period
		g   *segment
		sig string
	}
	var parts []part
	for _, seg := range h.segments(p) {
		g, err := newSegment(q.Instrument, d.sums, h, seg.FromString())
		if err != nil {
			return nil, err
		}
		sig := d.signature(g)
		if n := len(parts); n > 0 && parts[n-1].sig == sig {
			parts[n-1].seg.To = seg.To
			continue
		}
		parts = append(parts, part{seg: seg, g: g, sig: sig})
	}
	d.segs = len(parts)
	for _, pt := range parts {
		if err := pt.g.read(ctx, s, pt.seg); err != nil {
			return nil, err
		}
		if err := d.add(pt.g, pt.seg); err != nil {
			return nil, err
		}
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	return d.t, nil
}

// signature is what the counting of segment g depends on: the root's
// subtree (each member's parent, and whether it is part of its successor)
// and the histories of the successors in it.
func (d *dated) signature(g *segment) string {
	var b strings.Builder
	inSeg := map[int64]bool{}
	for _, id := range g.members(d.root) {
		inSeg[id] = true
		fmt.Fprintf(&b, "%d<%d,%t;", id, g.parent[id], g.absorbed(id))
	}
	for _, id := range d.successors {
		if !inSeg[id] && !d.today[id] {
			continue
		}
		for _, hs := range g.histSets(id) {
			fmt.Fprintf(&b, "%d+%d:%v;", id, hs.pred, hs.ids)
		}
	}
	return b.String()
}

// add counts one segment: the root's subtree on its first day, and each
// merge successor's predecessors before its merger.
func (d *dated) add(g *segment, seg survey.Period) error {
	t := d.t
	members := g.members(d.root)
	inSeg := make(map[int64]bool, len(members))
	for _, id := range members {
		inSeg[id] = true
		b, err := g.sum(id)
		if err != nil {
			return err
		}
		if err := d.sums.into(t.total, id, b); err != nil {
			return err
		}
		t.setAside[id] += g.aside[id]
		addVolume(t.subVol, id, g.subVol[id])
		pid := g.parent[id]
		// A merged agency is under its successor from its merger on (for
		// ratings recorded there late): part of the successor, not a
		// child of it; its own ratings and volume are the successor's own
		// (once: not its own as well).
		absorbed := g.absorbed(id)
		owner := id
		if absorbed && id != d.root {
			owner = pid
		}
		if o := g.own[id]; o != nil {
			if err := d.sums.into(t.own, owner, o); err != nil {
				return err
			}
		}
		addVolume(t.vol, owner, g.vols[id])
		if id != d.root && (!absorbed || d.last[id] == 0) {
			d.last[id] = pid
		}
		if id != d.root && !absorbed {
			d.edges[[2]int64{pid, id}] = true
			if pid == d.root {
				if err := d.addRow(id, b, g, seg); err != nil {
					return err
				}
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
	for _, id := range d.successors {
		if !inSeg[id] && !d.today[id] {
			continue // not in the root's subtree: nobody reads it
		}
		extra, named := g.before(id)
		if len(extra) == 0 {
			continue
		}
		hb, aside, vol, err := g.history(extra)
		if err != nil {
			return err
		}
		for _, c := range named {
			t.combined[id] = appendOnce(t.combined[id], c)
		}
		if err := d.sums.into(d.hist, id, hb); err != nil {
			return err
		}
		t.setAside[id] += aside
		d.histAside[id] += aside
		addVolume(t.subVol, id, vol)
	}
	return nil
}

// addRow counts segment g for the root's direct child id.
func (d *dated) addRow(id int64, b *survey.Bundle, g *segment, seg survey.Period) error {
	r := d.t.rows[id]
	if r == nil {
		r = &row{from: seg.FromString()}
		d.t.rows[id] = r
	}
	var err error
	if r.total, err = d.sums.plus(r.total, b); err != nil {
		return err
	}
	r.aside += g.aside[id]
	r.to = seg.ToString()
	r.days += g.days
	return nil
}

// finish adds the successors' histories, orders the agencies under the
// parent each had last, and decides whether the period was reorganised.
func (d *dated) finish() error {
	t, root, h := d.t, d.root, d.h
	for id, ps := range d.parents {
		if len(ps) > 1 || d.pieces[id] != d.segs {
			t.reorganised = true
		}
	}
	// plus leaves the totals without the history as they are: they are
	// the real ones.
	for id, hb := range d.hist {
		real := d.sums.share(d.sums.or(t.total[id]))
		t.real[id] = real
		var err error
		if t.total[id], err = d.sums.plus(real, hb); err != nil {
			return err
		}
		if r := t.rows[id]; r != nil {
			r.real = d.sums.share(d.sums.or(r.total))
			r.aside += d.histAside[id]
			if r.total, err = d.sums.plus(r.total, hb); err != nil {
				return err
			}
		}
	}
	for _, r := range t.rows {
		r.total = d.sums.or(r.total)
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
		t.total[a.ID] = d.sums.or(t.total[a.ID])
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

// addVolume adds v to m[id] (nothing when v is nil); the sum is unknown
// when any part is.
func addVolume(m map[int64]*survey.Volume, id int64, v *survey.Volume) {
	if v == nil {
		return
	}
	sum := m[id]
	if sum == nil {
		sum = &survey.Volume{Known: true}
		m[id] = sum
	}
	if sum.Add(v); !sum.Known {
		sum.Dossiers = 0
	}
}

package report

import (
	"context"
	"fmt"

	"github.com/sipas/sipas/survey"
)

// segment is the tree of one piece of a period in which it stayed the
// same, with the statistics and volumes of that piece.
type segment struct {
	in       *survey.Instrument
	add      *adder // shared with the report: sums are never modified
	h        *history
	day      string // its first day
	days     int
	own      map[int64]*survey.Bundle
	excluded map[int64]int64
	vols     map[int64]*survey.Volume // own volumes (nil: none known)
	kids     map[int64][]int64
	parent   map[int64]int64
	sums     map[int64]*survey.Bundle
	aside    map[int64]int64
	subVol   map[int64]*survey.Volume
	hist     map[int64][]histSet // memo of histSets
}

// newSegment is the tree of day (an agency's parent from its span, a
// merged agency's successor from its merger), without statistics yet.
func newSegment(in *survey.Instrument, add *adder, h *history, day string) (*segment, error) {
	g := &segment{in: in, add: add, h: h, day: day, kids: map[int64][]int64{}, sums: map[int64]*survey.Bundle{},
		aside: map[int64]int64{}, subVol: map[int64]*survey.Volume{}, hist: map[int64][]histSet{}}
	g.parent = survey.TreeOn(h.spans, h.merged, day)
	for _, a := range h.all { // in ListAgencies' order
		if pid, ok := g.parent[a.ID]; ok {
			g.kids[pid] = append(g.kids[pid], a.ID)
		}
	}
	if id, ok := survey.TreeLoop(g.parent); ok {
		// The store refuses a reorganisation that loops; a database that
		// holds one anyway is not read as a tree.
		return nil, fmt.Errorf("the tree of %s loops through agency %d", day, id)
	}
	return g, nil
}

// read reads the statistics and volumes of seg, the days g's tree holds.
func (g *segment) read(ctx context.Context, s *Service, seg survey.Period) error {
	var err error
	if g.own, err = s.Stats.OwnStats(ctx, g.in, seg); err != nil {
		return fmt.Errorf("read statistics: %w", err)
	}
	if g.excluded, err = s.Stats.ExcludedCounts(ctx, g.in, seg); err != nil {
		return fmt.Errorf("read excluded counts: %w", err)
	}
	if s.Volumes != nil {
		if g.vols, err = s.Volumes.Volumes(ctx, seg); err != nil {
			return fmt.Errorf("read volumes: %w", err)
		}
	}
	g.days = seg.Days()
	return nil
}

// absorbed reports whether agency id is part of its successor on the
// segment's days (it merged on or before its first day).
func (g *segment) absorbed(id int64) bool {
	m, ok := g.h.merged[id]
	return ok && g.day >= m.Day
}

// sum is the total of id's subtree in the segment (memoised), and sets
// g.aside[id] and g.subVol[id] (the subtree's volume, absent when nothing
// is recorded; unknown when a part with ratings has none).
func (g *segment) sum(id int64) (*survey.Bundle, error) {
	if b := g.sums[id]; b != nil {
		return b, nil
	}
	b := g.own[id] // shared until a sub-unit's sum is added
	n := g.excluded[id]
	vol, anyVol := &survey.Volume{Known: true}, false
	if v := g.vols[id]; v != nil {
		vol.Add(v)
		anyVol = true
	} else if o := g.own[id]; o != nil && o.Stats.N() > 0 {
		// Unknown, unless id is part of its successor by now: its ratings
		// are then the successor's own, counted with the successor's
		// volume (known, nothing of its own).
		vol.Known = g.absorbed(id) && g.vols[g.parent[id]] != nil
		anyVol = true
	}
	for _, k := range g.kids[id] {
		kb, err := g.sum(k)
		if err != nil {
			return nil, err
		}
		if b, err = g.add.plus(b, kb); err != nil {
			return nil, err
		}
		n += g.aside[k]
		switch kv := g.subVol[k]; {
		case kv != nil:
			vol.Add(kv)
			anyVol = true
		case kb.Stats.N() > 0:
			vol.Known, anyVol = false, true
		}
	}
	b = g.add.or(b)
	g.sums[id], g.aside[id] = b, n
	if anyVol && g.vols != nil {
		if !vol.Known {
			vol.Dossiers = 0
		}
		g.subVol[id] = vol
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

// histSet is what one predecessor brings to a successor's history: the
// agencies that went into it with the predecessor.
type histSet struct {
	pred int64
	ids  []int64
}

// histSets are the agencies whose ratings make agency id's history in the
// segment, by predecessor: for each predecessor that merges into it after
// the segment's first day, the agencies that went into it with the
// predecessor (history.absorbed) and, recursively, with their own
// predecessors; each once, and none of id's own subtree that day. A unit
// that left a predecessor before its merger is not part of the history:
// it did not become part of the successor.
func (g *segment) histSets(id int64) []histSet {
	if hs, ok := g.hist[id]; ok {
		return hs
	}
	seen := map[int64]bool{}
	for _, m := range g.members(id) {
		seen[m] = true
	}
	var out []histSet
	visited := map[int64]bool{}
	var add func(x int64)
	add = func(x int64) {
		if visited[x] {
			return
		}
		visited[x] = true
		var ids []int64
		for _, m := range g.h.absorbed[x] {
			if !seen[m] {
				seen[m] = true
				ids = append(ids, m)
			}
		}
		if len(ids) > 0 {
			out = append(out, histSet{pred: x, ids: ids})
		}
		for _, m := range g.h.absorbed[x] {
			for _, pr := range g.h.preds[m] {
				add(pr.id)
			}
		}
	}
	for _, pr := range g.h.preds[id] {
		if g.day < pr.day {
			add(pr.id)
		}
	}
	g.hist[id] = out
	return out
}

// before lists the agencies of id's history in the segment (histSets) and
// names the predecessors among them with ratings of their own (an
// intermediate successor that holds only its predecessors' is not named).
func (g *segment) before(id int64) (extra []int64, named []string) {
	for _, hs := range g.histSets(id) {
		rated := false
		for _, m := range hs.ids {
			if o := g.own[m]; o != nil && o.Stats.N() > 0 {
				rated = true
			}
		}
		if rated {
			named = append(named, g.h.code(hs.pred))
		}
		extra = append(extra, hs.ids...)
	}
	return extra, named
}

// history sums the ratings, set-aside counts and volumes of the agencies
// before lists (the volume nil when none is recorded).
func (g *segment) history(extra []int64) (*survey.Bundle, int64, *survey.Volume, error) {
	var b *survey.Bundle
	var aside int64
	var vol *survey.Volume
	for _, m := range extra {
		var err error
		if b, err = g.add.plus(b, g.own[m]); err != nil {
			return nil, 0, nil, err
		}
		aside += g.excluded[m]
		if g.vols == nil {
			continue
		}
		v := g.vols[m]
		if v == nil && (g.own[m] == nil || g.own[m].Stats.N() == 0) {
			continue
		}
		if vol == nil {
			vol = &survey.Volume{Known: true}
		}
		if v == nil {
			vol.Known = false
		} else {
			vol.Add(v)
		}
	}
	return g.add.or(b), aside, vol, nil
}

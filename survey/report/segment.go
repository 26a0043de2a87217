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
}

// readSegment reads the statistics and volumes of seg and the tree of its
// first day.
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
		kids: map[int64][]int64{}, sums: map[int64]*survey.Bundle{}, aside: map[int64]int64{},
		subVol: map[int64]*survey.Volume{}}
	if s.Volumes != nil {
		if g.vols, err = s.Volumes.Volumes(ctx, seg); err != nil {
			return nil, fmt.Errorf("read volumes: %w", err)
		}
	}
	g.parent = survey.TreeOn(h.spans, h.merged, g.day)
	for _, a := range h.all { // in ListAgencies' order
		if pid, ok := g.parent[a.ID]; ok {
			g.kids[pid] = append(g.kids[pid], a.ID)
		}
	}
	if id, ok := survey.TreeLoop(g.parent); ok {
		// The store refuses a reorganisation that loops; a database that
		// holds one anyway is not read as a tree.
		return nil, fmt.Errorf("the tree of %s loops through agency %d", g.day, id)
	}
	return g, nil
}

// sum is the total of id's subtree in the segment (memoised), and sets
// g.aside[id] and g.subVol[id] (the subtree's volume, absent when nothing
// is recorded; unknown when a part with ratings has none).
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
	vol, anyVol := &survey.Volume{Known: true}, false
	if v := g.vols[id]; v != nil {
		vol.Add(v)
		anyVol = true
	} else if o := g.own[id]; o != nil && o.Stats.N() > 0 {
		vol.Known, anyVol = false, true
	}
	for _, k := range g.kids[id] {
		kb, err := g.sum(k)
		if err != nil {
			return nil, err
		}
		if err := b.Merge(kb); err != nil {
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

// before is what agency id's history holds in the segment when the
// segment lies before the merger of some of its predecessors: the
// agencies of their subtrees (recursively through their own
// predecessors), each once and none of id's own subtree, and the
// predecessors named for it (those with ratings of their own among them;
// an intermediate successor that holds only its predecessors' is not).
func (g *segment) before(id int64) (extra []int64, named []string) {
	seen := map[int64]bool{}
	for _, m := range g.members(id) {
		seen[m] = true
	}
	var walk func(x int64)
	walk = func(x int64) {
		for _, pr := range g.h.preds[x] {
			if g.day >= pr.day {
				continue // merged already: its ratings are in x's subtree
			}
			rated := false
			for _, m := range g.members(pr.id) {
				if seen[m] {
					continue
				}
				seen[m] = true
				extra = append(extra, m)
				if o := g.own[m]; o != nil && o.Stats.N() > 0 {
					rated = true
				}
			}
			if rated {
				named = append(named, g.h.code(pr.id))
			}
			walk(pr.id)
		}
	}
	walk(id)
	return extra, named
}

// history sums the ratings, set-aside counts and volumes of the agencies
// before lists (the volume nil when none is recorded).
func (g *segment) history(extra []int64) (*survey.Bundle, int64, *survey.Volume, error) {
	b := survey.NewBundle(g.in)
	var aside int64
	var vol *survey.Volume
	for _, m := range extra {
		if o := g.own[m]; o != nil {
			if err := b.Merge(o); err != nil {
				return nil, 0, nil, err
			}
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
	return b, aside, vol, nil
}

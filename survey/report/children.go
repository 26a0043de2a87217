package report

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// Children is the league table of an agency's direct children: the JSON of
// GET /api/v1/scores/children and the dashboard overview. SetAside, of the
// parent and of each row, is as in Scores.
type Children struct {
	Agency          string           `json:"agency"`
	AgencyName      string           `json:"agency_name"`
	Instrument      string           `json:"instrument"`
	From            string           `json:"from"`
	To              string           `json:"to"`
	PreviousFrom    string           `json:"previous_from"`
	PreviousTo      string           `json:"previous_to"`
	ConfidenceLevel float64          `json:"confidence_level"`
	Adjust          string           `json:"adjust"`
	Overall         scoring.Estimate `json:"overall"`
	Respondents     int64            `json:"respondents"`
	SetAside        int64            `json:"set_aside"`
	Children        []Child          `json:"children"`
	// Ranks says how rank intervals were obtained, or why they are absent.
	Ranks RankInfo `json:"ranks"`
	// As is how the tree was read: AsDated or AsCurrent.
	As string `json:"as"`
	// Weights is the weighting of the parent's index and of every row,
	// comparison and rank.
	Weights
	Denominators
}

// Child is one row of the league table.
type Child struct {
	Code        string           `json:"code"`
	Name        string           `json:"name"`
	Closed      bool             `json:"closed"`
	Respondents int64            `json:"respondents"`
	SetAside    int64            `json:"set_aside"`
	Overall     scoring.Estimate `json:"overall"`
	Elements    []ElementBrief   `json:"elements"`
	// VsRest compares the child with the rest of its parent (the parent's
	// subtree without this child), adjusted across all children.
	VsRest scoring.Comparison `json:"vs_rest"`
	// Previous is the child in the previous period of the same length, and
	// Change the difference, adjusted across all children.
	Previous scoring.Estimate   `json:"previous"`
	Change   scoring.Comparison `json:"change"`
	// Rank is the rank interval among the reportable children, nil when the
	// child is not reportable or ranks are not available.
	Rank *Rank `json:"rank"`
	// Note says why there is no change when the previous period could not
	// be weighted as this one is.
	Note string `json:"note,omitempty"`
	// Combined (PreviousCombined) names the predecessors whose ratings the
	// row (its previous period) holds for the days before the unit's
	// merger; its comparison with the rest uses its own ratings only.
	Combined         []string `json:"combined_from,omitempty"`
	PreviousCombined []string `json:"previous_combined_from,omitempty"`
	// UnderFrom and UnderTo, set when the unit moved in or out of the
	// parent within the period, are the first and last day it was a direct
	// child: the row counts those days only (its ratings of the other days
	// are in the row of the parent it had then, or outside the table).
	UnderFrom string `json:"under_from,omitempty"`
	UnderTo   string `json:"under_to,omitempty"`
	Denominators
}

// ElementBrief is an element index in a league-table row.
type ElementBrief struct {
	Code string `json:"code"`
	scoring.Estimate
}

// Rank is a bootstrap rank interval: 1 is the best of Of ranked units.
type Rank struct {
	Point int `json:"point"`
	Low   int `json:"low"`
	High  int `json:"high"`
	Of    int `json:"of"`
}

// RankInfo describes the rank intervals of a league table.
type RankInfo struct {
	Method     string `json:"method"`
	Replicates int    `json:"replicates"`
	Seed       uint64 `json:"seed"`
	Status     string `json:"status"` // "ok", "pending" (still computing) or "none"
	// NormalAbove: a unit with more respondents than this is not resampled;
	// its replicates come from the normal limit of its index (its
	// linearized SE), to which the respondent bootstrap converges.
	NormalAbove int    `json:"normal_above"`
	ComputedAt  string `json:"computed_at,omitempty"`
}

// ChildrenOptions tune the league table.
type ChildrenOptions struct {
	// RankWait is how long to wait for rank intervals that are not cached
	// yet; 0 waits until they are computed. When it runs out the table is
	// returned with Ranks.Status "pending" and the computation goes on.
	RankWait time.Duration
	// Adjust overrides the service's multiplicity adjustment when set.
	Adjust string
}

// Children computes the league table of q.Agency's children.
func (s *Service) Children(ctx context.Context, q Query, o ChildrenOptions) (*Children, error) {
	h, err := s.loadHistory(ctx)
	if err != nil {
		return nil, err
	}
	prev := q.Period.Previous()
	t, pt, err := s.loadWithPrevious(ctx, q, prev, h)
	if err != nil {
		return nil, err
	}
	in := q.Instrument
	method := s.adjust()
	if o.Adjust == scoring.MethodBH || o.Adjust == scoring.MethodHolm {
		method = o.Adjust
	}
	parent := t.total[q.Agency.ID]
	pr := s.compute(in, parent)
	ws := s.weights(q, t, &pr)
	out := &Children{Weights: ws, Denominators: s.denominators(pr.Respondents, t.subVol[q.Agency.ID]),
		Agency: q.Agency.Code, AgencyName: q.Agency.Name, Instrument: in.ID,
		From: q.Period.FromString(), To: q.Period.ToString(), PreviousFrom: prev.FromString(), PreviousTo: prev.ToString(),
		ConfidenceLevel: s.Level(), Adjust: method, Overall: pr.Overall.Estimate, Respondents: pr.Respondents,
		SetAside: t.setAside[q.Agency.ID], As: t.mode,
		Children: []Child{},
	}
	// No row for a unit that no longer existed in the period.
	var kids []*survey.Agency
	for _, a := range t.children[q.Agency.ID] {
		if t.absent[a.ID] {
			continue
		}
		if a.ClosedAt == nil || a.ClosedAt.After(q.Period.From) || t.rowOf(q.Instrument, a.ID).total.Stats.N() > 0 {
			kids = append(kids, a)
		}
	}
	vsRest := make([]scoring.Comparison, len(kids))
	change := make([]scoring.Comparison, len(kids))
	for i, a := range kids {
		rw := t.rowOf(in, a.ID)
		cr := s.compute(in, rw.total)
		pooledN := cr.Respondents
		s.reweigh(q, t, a, ws.Weighting, &cr) // a child with ratings is weightable when its parent is
		prr := s.compute(in, pt.rowOf(in, a.ID).total)
		note := s.reweigh(q, pt, a, ws.Weighting, &prr)
		if ws.Weighting == WeightVolume {
			rest := s.compute(in, survey.NewBundle(in))
			rest.Overall.Estimate = s.restWeighted(in, t, q.Agency, a.ID, q.FPC)
			vsRest[i] = s.compare(in, ws.Weighting, cr, rest)
		} else {
			// Against the rest, the unit's own ratings of the period (not
			// its predecessors' before a merger, which the rest may hold),
			// and the rest is the parent's own subtree's (not its
			// predecessors' when it is a merge successor).
			real := rw.real
			rest := t.realTotal(q.Agency.ID).Clone()
			if err := rest.Sub(real); err != nil {
				return nil, fmt.Errorf("rest of %s: %w", q.Agency.Code, err)
			}
			vsRest[i] = s.compare(in, ws.Weighting, s.compute(in, real), s.compute(in, rest))
		}
		if note == "" {
			change[i] = s.compare(in, ws.Weighting, cr, prr)
		}
		c := Child{Code: a.Code, Name: a.Name, Closed: a.ClosedAt != nil, Respondents: pooledN, SetAside: rw.aside, Note: note,
			Combined: t.combined[a.ID], PreviousCombined: pt.combined[a.ID],
			Overall: cr.Overall.Estimate, Previous: prr.Overall.Estimate, Elements: []ElementBrief{}}
		if rw.partial {
			// The period's volumes are the unit's, not the row's days.
			c.UnderFrom, c.UnderTo = rw.from, rw.to
		} else {
			c.Denominators = s.denominators(pooledN, t.subVol[a.ID])
		}
		for _, e := range cr.Elements {
			c.Elements = append(c.Elements, ElementBrief{Code: e.Code, Estimate: e.Estimate})
		}
		out.Children = append(out.Children, c)
	}
	scoring.AdjustComparisons(vsRest, method, s.Level())
	scoring.AdjustComparisons(change, method, s.Level())
	for i := range out.Children {
		out.Children[i].VsRest, out.Children[i].Change = vsRest[i], change[i]
	}
	s.attachRanks(ctx, q, t, out, o)
	sort.SliceStable(out.Children, func(i, j int) bool { return out.Children[i].Code < out.Children[j].Code })
	return out, nil
}

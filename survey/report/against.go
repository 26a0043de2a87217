package report

import (
	"context"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// AgencyChange is one agency's subtree index in a period against a
// baseline period, both pooled by respondents (as All's).
type AgencyChange struct {
	AgencyID int64
	Code     string
	Name     string
	Current  scoring.Estimate
	Baseline scoring.Estimate
	// Change is Current − Baseline, unadjusted (PAdj as for a family of
	// one: the caller adjusts across its own family). It is empty unless
	// both indices are reportable: a change between indices that are not
	// shown is not shown either.
	Change scoring.Comparison
}

// AllAgainst computes, for every agency of q.Agency's subtree with ratings
// in q.Period or in base, its overall index in q.Period against its overall
// index in base: Newcombe's interval for a one-item instrument, the
// composite difference otherwise (as Scores compares with the previous
// period). The two periods must not overlap.
func (s *Service) AllAgainst(ctx context.Context, q Query, base survey.Period) ([]AgencyChange, error) {
	h, err := s.loadHistory(ctx)
	if err != nil {
		return nil, err
	}
	t, bt, err := s.loadWithPrevious(ctx, q, base, h)
	if err != nil {
		return nil, err
	}
	out := []AgencyChange{}
	for _, a := range t.agencies {
		cur, then := t.total[a.ID], bt.total[a.ID]
		if (cur == nil || cur.Stats.N() == 0) && (then == nil || then.Stats.N() == 0) {
			continue
		}
		if then == nil {
			then = survey.NewBundle(q.Instrument)
		}
		r, br := s.compute(q.Instrument, cur), s.compute(q.Instrument, then)
		c := AgencyChange{AgencyID: a.ID, Code: a.Code, Name: a.Name, Current: r.Overall.Estimate, Baseline: br.Overall.Estimate}
		if c.Current.Reportable && c.Baseline.Reportable {
			c.Change = s.compare(q.Instrument, WeightRespondents, r, br)
		}
		out = append(out, c)
	}
	return out, nil
}

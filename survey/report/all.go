package report

import (
	"context"

	"github.com/sipas/sipas/scoring"
)

// AgencyScore is one agency's subtree index: overall and elements, with
// its SetAside as in Scores.
type AgencyScore struct {
	Code        string                  `json:"code"`
	Name        string                  `json:"name"`
	Parent      string                  `json:"parent,omitempty"`
	Respondents int64                   `json:"respondents"`
	SetAside    int64                   `json:"set_aside"`
	Overall     scoring.Estimate        `json:"overall"`
	Elements    []scoring.ElementResult `json:"elements"`
}

// All computes the overall and element indices, with SE and CI, of every
// agency of q.Agency's subtree (each over its own subtree) for the period:
// the province-wide overview.
func (s *Service) All(ctx context.Context, q Query) ([]AgencyScore, error) {
	h, err := s.loadHistory(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.load(ctx, q, q.Period, h)
	if err != nil {
		return nil, err
	}
	out := make([]AgencyScore, 0, len(t.agencies))
	for _, a := range t.agencies {
		r := s.compute(q.Instrument, t.total[a.ID])
		out = append(out, AgencyScore{Code: a.Code, Name: a.Name, Parent: a.ParentCode, Respondents: r.Respondents,
			SetAside: t.setAside[a.ID], Overall: r.Overall.Estimate, Elements: r.Elements})
	}
	return out, nil
}

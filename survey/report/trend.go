package report

import (
	"context"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// Trend is the overall index month by month: the JSON of
// GET /api/v1/scores/trend.
type Trend struct {
	Agency          string       `json:"agency"`
	Instrument      string       `json:"instrument"`
	From            string       `json:"from"`
	To              string       `json:"to"`
	ConfidenceLevel float64      `json:"confidence_level"`
	Months          []TrendPoint `json:"months"`
}

// TrendPoint is one calendar month (clipped to the period).
type TrendPoint struct {
	Month       string           `json:"month"`
	From        string           `json:"from"`
	To          string           `json:"to"`
	Respondents int64            `json:"respondents"`
	Overall     scoring.Estimate `json:"overall"`
}

// Trend computes the monthly trend of q.Agency's subtree.
func (s *Service) Trend(ctx context.Context, q Query) (*Trend, error) {
	as, err := s.Agencies.ListAgencies(ctx, q.Agency.Code)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	byMonth, err := s.Stats.MonthlyStats(ctx, q.Instrument, ids, q.Period)
	if err != nil {
		return nil, err
	}
	out := &Trend{Agency: q.Agency.Code, Instrument: q.Instrument.ID, From: q.Period.FromString(), To: q.Period.ToString(),
		ConfidenceLevel: s.Level(), Months: []TrendPoint{}}
	p := q.Period
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, survey.Vietnam); !m.After(p.To); m = m.AddDate(0, 1, 0) {
		lo, hi := m, m.AddDate(0, 1, -1)
		if p.From.After(lo) {
			lo = p.From
		}
		if p.To.Before(hi) {
			hi = p.To
		}
		key := m.Format("2006-01")
		b := byMonth[key]
		if b == nil {
			b = survey.NewBundle(q.Instrument)
		}
		r := s.compute(q.Instrument, b)
		out.Months = append(out.Months, TrendPoint{Month: key, From: lo.Format("2006-01-02"), To: hi.Format("2006-01-02"),
			Respondents: r.Respondents, Overall: r.Overall.Estimate})
	}
	return out, nil
}

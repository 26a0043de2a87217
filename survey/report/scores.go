package report

import (
	"context"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// Scores is the full report of one agency's subtree for a period: the JSON
// of GET /api/v1/scores.
type Scores struct {
	Agency            string                  `json:"agency"`
	AgencyName        string                  `json:"agency_name"`
	Instrument        string                  `json:"instrument"`
	InstrumentVersion int                     `json:"instrument_version"`
	From              string                  `json:"from"`
	To                string                  `json:"to"`
	ConfidenceLevel   float64                 `json:"confidence_level"`
	Respondents       int64                   `json:"respondents"`
	Overall           scoring.OverallResult   `json:"overall"`
	Elements          []scoring.ElementResult `json:"elements"`
	Items             []scoring.ItemResult    `json:"items"`
	Followup          *Followup               `json:"followup,omitempty"`
	Previous          *Previous               `json:"previous"`
	Rules             scoring.Rules           `json:"rules"`
}

// Previous is the same agency in the period of the same length just before,
// and the change since.
type Previous struct {
	From    string             `json:"from"`
	To      string             `json:"to"`
	Overall scoring.Estimate   `json:"overall"`
	Change  scoring.Comparison `json:"change"`
}

// Followup is the distribution of the follow-up question's answers (the
// quick instrument's "số lần đi lại"), each share with a Wilson interval.
type Followup struct {
	Code       string           `json:"code"`
	Answered   int64            `json:"answered"`
	Unanswered int64            `json:"unanswered"`
	Options    []FollowupOption `json:"options"`
}

// FollowupOption is one option's count and share (percent) of those who
// answered.
type FollowupOption struct {
	Value  string   `json:"value"`
	Label  string   `json:"label"`
	Count  int64    `json:"count"`
	Share  *float64 `json:"share"`
	CILow  *float64 `json:"ci_low"`
	CIHigh *float64 `json:"ci_high"`
}

// Scores computes the report of q.
func (s *Service) Scores(ctx context.Context, q Query) (*Scores, error) {
	t, err := s.load(ctx, q, q.Period)
	if err != nil {
		return nil, err
	}
	b := t.total[q.Agency.ID]
	r := s.compute(q.Instrument, b)
	out := &Scores{
		Agency: q.Agency.Code, AgencyName: q.Agency.Name,
		Instrument: q.Instrument.ID, InstrumentVersion: q.Instrument.Version,
		From: q.Period.FromString(), To: q.Period.ToString(),
		ConfidenceLevel: s.Level(), Respondents: r.Respondents,
		Overall: r.Overall, Elements: r.Elements, Items: r.Items, Rules: s.rules(),
	}
	out.Followup = s.followup(q.Instrument, b)

	prev := q.Period.Previous()
	pt, err := s.load(ctx, q, prev)
	if err != nil {
		return nil, err
	}
	pr := s.compute(q.Instrument, pt.total[q.Agency.ID])
	out.Previous = &Previous{From: prev.FromString(), To: prev.ToString(), Overall: pr.Overall.Estimate, Change: s.compare(q.Instrument, r, pr)}
	return out, nil
}

func (s *Service) followup(in *survey.Instrument, b *survey.Bundle) *Followup {
	if in.Followup == nil {
		return nil
	}
	f := &Followup{Code: in.Followup.Code, Options: []FollowupOption{}}
	counts := make([]int64, len(in.Followup.Options)+1)
	copy(counts, b.Followups)
	for _, c := range counts[1:] {
		f.Answered += c
	}
	f.Unanswered = counts[0]
	for i, o := range in.Followup.Options {
		fo := FollowupOption{Value: o.Value, Label: o.VI, Count: counts[i+1]}
		if f.Answered > 0 {
			share := 100 * float64(fo.Count) / float64(f.Answered)
			ci := scoring.Wilson(fo.Count, f.Answered, s.Level())
			lo, hi := 100*ci.Low, 100*ci.High
			fo.Share, fo.CILow, fo.CIHigh = &share, &lo, &hi
		}
		f.Options = append(f.Options, fo)
	}
	return f
}

package report

import (
	"context"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// Scores is the full report of one agency's subtree for a period: the JSON
// of GET /api/v1/scores. SetAside, here and in every score object, is how
// many responses of the subtree dated in the period are left out of every
// index: flagged (honeypot, rate limit, integrity) and not accepted on
// review.
type Scores struct {
	Agency            string                  `json:"agency"`
	AgencyName        string                  `json:"agency_name"`
	Instrument        string                  `json:"instrument"`
	InstrumentVersion int                     `json:"instrument_version"`
	From              string                  `json:"from"`
	To                string                  `json:"to"`
	ConfidenceLevel   float64                 `json:"confidence_level"`
	Respondents       int64                   `json:"respondents"`
	SetAside          int64                   `json:"set_aside"`
	Overall           scoring.OverallResult   `json:"overall"`
	Elements          []scoring.ElementResult `json:"elements"`
	Items             []scoring.ItemResult    `json:"items"`
	Followup          *Followup               `json:"followup,omitempty"`
	Previous          *Previous               `json:"previous"`
	Rules             scoring.Rules           `json:"rules"`
	// As is how the tree was read (AsDated or AsCurrent); Combined names
	// the predecessors whose ratings the index holds for the days before
	// the agency's merger.
	As       string   `json:"as"`
	Combined []string `json:"combined_from,omitempty"`
	Weights
	Denominators
}

// Weights says how an index over several parts was combined: Weighting is
// WeightVolume or WeightRespondents, Note why volumes were not used when
// they were not, FPC whether the finite-population correction was applied
// and Coverage (volume weighting) the share of the dossiers in parts with
// enough ratings to be represented.
type Weights struct {
	Weighting string   `json:"weighting"`
	Note      string   `json:"weighting_note,omitempty"`
	Reason    *Reason  `json:"weighting_reason,omitempty"`
	FPC       bool     `json:"fpc"`
	Coverage  *float64 `json:"volume_coverage,omitempty"`
}

// Previous is the same agency in the period of the same length just before
// (with its own SetAside), and the change since.
type Previous struct {
	From     string             `json:"from"`
	To       string             `json:"to"`
	SetAside int64              `json:"set_aside"`
	Overall  scoring.Estimate   `json:"overall"`
	Change   scoring.Comparison `json:"change"`
	// Note says why there is no change when the previous period could not
	// be weighted as this one is.
	Note string `json:"note,omitempty"`
	// Combined names the predecessors whose ratings the previous period
	// holds (before the agency's merger).
	Combined []string `json:"combined_from,omitempty"`
	Denominators
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
	h, err := s.loadHistory(ctx)
	if err != nil {
		return nil, err
	}
	prev := q.Period.Previous()
	t, pt, err := s.loadWithPrevious(ctx, q, prev, h)
	if err != nil {
		return nil, err
	}
	b := t.total[q.Agency.ID]
	r := s.compute(q.Instrument, b)
	ws := s.weights(q, t, &r)
	out := &Scores{Weights: ws, Denominators: s.denominators(r.Respondents, t.subVol[q.Agency.ID]),
		Agency: q.Agency.Code, AgencyName: q.Agency.Name,
		Instrument: q.Instrument.ID, InstrumentVersion: q.Instrument.Version,
		From: q.Period.FromString(), To: q.Period.ToString(),
		ConfidenceLevel: s.Level(), Respondents: r.Respondents, SetAside: t.setAside[q.Agency.ID],
		Overall: r.Overall, Elements: r.Elements, Items: r.Items, Rules: s.rules(),
		As: t.mode, Combined: t.combined[q.Agency.ID],
	}
	out.Followup = s.followup(q.Instrument, b)

	pr := s.compute(q.Instrument, pt.total[q.Agency.ID])
	out.Previous = &Previous{From: prev.FromString(), To: prev.ToString(), SetAside: pt.setAside[q.Agency.ID], Denominators: s.denominators(pr.Respondents, pt.subVol[q.Agency.ID]),
		Combined: pt.combined[q.Agency.ID]}
	if note := s.reweigh(q, pt, q.Agency, ws.Weighting, &pr); note != "" {
		out.Previous.Note = note
	} else {
		out.Previous.Change = s.compare(q.Instrument, ws.Weighting, r, pr)
	}
	out.Previous.Overall = pr.Overall.Estimate
	return out, nil
}

// weights chooses the weighting of q.Agency's index and, for volume,
// puts the weighted estimates into r.
func (s *Service) weights(q Query, t *tree, r *scoring.Result) Weights {
	w, why := s.choose(q.Instrument, t, q.Agency, q.Weighting, q.FPC)
	out := Weights{Weighting: w, Reason: why, FPC: q.FPC && w == WeightVolume}
	if why != nil {
		out.Note = why.String()
	}
	if w == WeightVolume {
		vw := s.volumeWeighted(q.Instrument, t, q.Agency, q.FPC)
		vw.apply(r)
		c := vw.overall.Coverage
		out.Coverage = &c
	}
	return out
}

// reweigh puts into r, the result of agency a in tree t, the estimates
// under weighting w: nothing to do for respondents; for volume, the
// weighted ones, or (when t's volumes cannot weight a) an empty result and
// the reason, since a comparison across weightings would mean nothing.
func (s *Service) reweigh(q Query, t *tree, a *survey.Agency, w string, r *scoring.Result) string {
	if w != WeightVolume || r.Respondents == 0 {
		return ""
	}
	vw := s.volumeWeighted(q.Instrument, t, a, q.FPC)
	if !vw.ok {
		*r = s.compute(q.Instrument, survey.NewBundle(q.Instrument))
		return "not volume-weighted: " + vw.why.String()
	}
	vw.apply(r)
	return ""
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

package report

import (
	"context"
	"fmt"
	"slices"
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
	// Weights is the weighting of every month: volume only when every
	// month with ratings can be weighted by its volumes.
	Weights
}

// TrendPoint is one calendar month (clipped to the period), with its
// SetAside as in Scores.
type TrendPoint struct {
	Month       string           `json:"month"`
	From        string           `json:"from"`
	To          string           `json:"to"`
	Respondents int64            `json:"respondents"`
	SetAside    int64            `json:"set_aside"`
	Overall     scoring.Estimate `json:"overall"`
	// Combined names the predecessors whose ratings the month holds: the
	// agency did not exist yet, its index is theirs combined ("trước sáp
	// nhập: gộp từ 3 đơn vị cũ").
	Combined []string `json:"combined_from,omitempty"`
	// MergedOn is the day in the month on which predecessors merged into
	// the agency (the last, when several did): where its own history
	// begins.
	MergedOn string `json:"merged_on,omitempty"`
	Denominators
}

// Trend computes the monthly trend of q.Agency's subtree. With dossier
// volumes, each month is read as its own period (its volumes, its
// weighting); without, the months come from one read of the monthly
// statistics.
func (s *Service) Trend(ctx context.Context, q Query) (*Trend, error) {
	h, err := s.loadHistory(ctx)
	if err != nil {
		return nil, err
	}
	if s.Volumes != nil || h != nil {
		return s.trendByMonth(ctx, q, h)
	}
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
	excluded, err := s.Stats.ExcludedMonthly(ctx, q.Instrument, ids, q.Period)
	if err != nil {
		return nil, fmt.Errorf("read excluded counts: %w", err)
	}
	out := &Trend{Agency: q.Agency.Code, Instrument: q.Instrument.ID, From: q.Period.FromString(), To: q.Period.ToString(),
		ConfidenceLevel: s.Level(), Months: []TrendPoint{}, Weights: Weights{Weighting: WeightRespondents, Reason: &Reason{Code: ReasonNoVolumes}, Note: Reason{Code: ReasonNoVolumes}.String()}}
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
			Respondents: r.Respondents, SetAside: excluded[key], Overall: r.Overall.Estimate})
	}
	return out, nil
}

// trendByMonth computes the trend month by month from whole trees: the
// pooled and, when every month with ratings allows it, the volume-weighted
// index of each, with its denominators.
func (s *Service) trendByMonth(ctx context.Context, q Query, h *history) (*Trend, error) {
	out := &Trend{Agency: q.Agency.Code, Instrument: q.Instrument.ID, From: q.Period.FromString(), To: q.Period.ToString(),
		ConfidenceLevel: s.Level(), Months: []TrendPoint{}}
	// Each month's tree is dropped once its results are taken: kept for the
	// whole trend, the trees of a province's twelve months held hundreds of
	// MB at 10M responses. The months are read in parallel (a few at a
	// time); each keeps its pooled result and, when its own volumes allow
	// it, its volume-weighted one. The trend is volume-weighted when every
	// month with ratings allows it; the first that does not says why.
	type month struct {
		pooled, volume scoring.Result
		why            *Reason // nil: volume weighting is possible
	}
	as, err := s.Agencies.ListAgencies(ctx, q.Agency.Code)
	if err != nil {
		return nil, err
	}
	p := q.Period
	var spans []survey.Period
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, survey.Vietnam); !m.After(p.To); m = m.AddDate(0, 1, 0) {
		mp := survey.Period{From: m, To: m.AddDate(0, 1, -1)}
		if p.From.After(mp.From) {
			mp.From = p.From
		}
		if p.To.Before(mp.To) {
			mp.To = p.To
		}
		spans = append(spans, mp)
	}
	months := make([]month, len(spans))
	out.Months = make([]TrendPoint, len(spans))
	err = inParallel(len(spans), func(i int) error {
		mp := spans[i]
		var t *tree
		var err error
		if h != nil {
			t, err = s.load(ctx, q, mp, h) // the tree of each day of the month
		} else {
			t, err = s.loadTree(ctx, q, mp, as)
		}
		if err != nil {
			return err
		}
		r := s.compute(q.Instrument, t.total[q.Agency.ID])
		mo := month{pooled: r}
		if q.Weighting != WeightRespondents && r.Respondents > 0 {
			if w, why := s.choose(q.Instrument, t, q.Agency, WeightVolume, q.FPC); w != WeightVolume {
				mo.why = why
			}
		}
		if q.Weighting != WeightRespondents && mo.why == nil {
			mo.volume = r
			mo.volume.Elements, mo.volume.Items = slices.Clone(r.Elements), slices.Clone(r.Items) // reweigh writes into them
			s.reweigh(q, t, q.Agency, WeightVolume, &mo.volume)
		}
		months[i] = mo
		out.Months[i] = TrendPoint{Month: mp.From.Format("2006-01"), From: mp.FromString(), To: mp.ToString(),
			Respondents: r.Respondents, SetAside: t.setAside[q.Agency.ID], Denominators: s.denominators(r.Respondents, t.subVol[q.Agency.ID]),
			Combined: t.combined[q.Agency.ID], MergedOn: h.mergedInto(q.Agency.ID, mp)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	weighting := WeightVolume
	var reason *Reason
	month0 := ""
	if q.Weighting == WeightRespondents {
		weighting = WeightRespondents
	}
	for i, mo := range months {
		if weighting == WeightVolume && mo.why != nil {
			weighting, reason, month0 = WeightRespondents, mo.why, out.Months[i].Month
		}
	}
	out.Weights = Weights{Weighting: weighting, Reason: reason, FPC: q.FPC && weighting == WeightVolume}
	if reason != nil {
		out.Note = month0 + ": " + reason.String()
	}
	for i, m := range months {
		r := m.pooled
		if weighting == WeightVolume {
			r = m.volume
		}
		out.Months[i].Overall = r.Overall.Estimate
	}
	return out, nil
}

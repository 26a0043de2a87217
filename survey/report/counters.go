package report

import (
	"context"
	"fmt"
	"sort"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// CounterSource reads one agency's statistics per counter and channel
// group; it is survey.DashboardStore's CounterChannelStats.
type CounterSource interface {
	CounterChannelStats(ctx context.Context, in *survey.Instrument, agency string, p survey.Period) (map[survey.CounterChannel]*survey.Bundle, error)
}

// CounterSplit is one agency's counters with their dossier-bound ratings
// (from the QR code of a dossier's slip, one per dossier) and their open
// ratings (the counter's own QR code, kiosk or the API) side by side. A
// counter whose open ratings are much better than its dossier-bound ones
// is a warning sign: the open code can be used by anyone, its staff
// included.
type CounterSplit struct {
	Agency          string  `json:"agency"`
	Instrument      string  `json:"instrument"`
	ConfidenceLevel float64 `json:"confidence_level"`
	// Adjust is the multiplicity adjustment of the comparisons across the
	// agency's counters.
	Adjust string `json:"adjust"`
	// Rows has one row per counter with ratings, by counter id; the row of
	// CounterID 0 holds the dossier ratings without a counter.
	Rows []CounterSplitRow `json:"rows"`
}

// CounterSplitRow is one counter's two groups of ratings.
type CounterSplitRow struct {
	CounterID int64        `json:"counter_id"`
	Dossier   ChannelScore `json:"dossier"`
	Open      ChannelScore `json:"open"`
	// Diff is the open ratings' index minus the dossier ones' (percentage
	// points), two-sided at the report's level and adjusted across the
	// agency's counters. It is empty (no p-value, never significant) unless
	// both groups are reportable.
	Diff scoring.Comparison `json:"diff"`
}

// ChannelScore is the overall index of one group of ratings.
type ChannelScore struct {
	Respondents int64            `json:"respondents"`
	Overall     scoring.Estimate `json:"overall"`
}

// Row returns the row of a counter (0: dossier ratings without a
// counter); a counter without ratings has an empty, unreportable row.
func (c *CounterSplit) Row(counterID int64) CounterSplitRow {
	i := sort.Search(len(c.Rows), func(i int) bool { return c.Rows[i].CounterID >= counterID })
	if i < len(c.Rows) && c.Rows[i].CounterID == counterID {
		return c.Rows[i]
	}
	return CounterSplitRow{CounterID: counterID}
}

// CounterSplit computes the split of q.Agency's own counters for q's
// instrument and period, reading the statistics from src. The weighting of
// q does not apply: each group is one counter's respondents, pooled.
func (s *Service) CounterSplit(ctx context.Context, src CounterSource, q Query) (*CounterSplit, error) {
	in := q.Instrument
	bs, err := src.CounterChannelStats(ctx, in, q.Agency.Code, q.Period)
	if err != nil {
		return nil, fmt.Errorf("counter statistics: %w", err)
	}
	type pair struct{ dossier, open *survey.Bundle }
	byCounter := map[int64]*pair{}
	for k, b := range bs {
		p := byCounter[k.CounterID]
		if p == nil {
			p = &pair{}
			byCounter[k.CounterID] = p
		}
		if k.Dossier {
			p.dossier = b
		} else {
			p.open = b
		}
	}
	out := &CounterSplit{Agency: q.Agency.Code, Instrument: in.ID, ConfidenceLevel: s.Level(), Adjust: s.adjust(), Rows: []CounterSplitRow{}}
	diffs := make([]scoring.Comparison, 0, len(byCounter))
	for id, p := range byCounter {
		dr, or := s.compute(in, bundleOr(in, p.dossier)), s.compute(in, bundleOr(in, p.open))
		row := CounterSplitRow{CounterID: id,
			Dossier: ChannelScore{Respondents: dr.Respondents, Overall: dr.Overall.Estimate},
			Open:    ChannelScore{Respondents: or.Respondents, Overall: or.Overall.Estimate}}
		out.Rows = append(out.Rows, row)
		var d scoring.Comparison
		// The reporting rules first: a group that may not be published is
		// compared with nothing, and stays out of the family.
		if dr.Overall.Reportable && or.Overall.Reportable {
			d = s.compare(in, WeightRespondents, or, dr)
		}
		diffs = append(diffs, d)
	}
	scoring.AdjustComparisons(diffs, out.Adjust, s.Level())
	for i := range out.Rows {
		out.Rows[i].Diff = diffs[i]
	}
	sort.Slice(out.Rows, func(i, j int) bool { return out.Rows[i].CounterID < out.Rows[j].CounterID })
	return out, nil
}

// bundleOr is b, or an empty bundle of in when b is nil.
func bundleOr(in *survey.Instrument, b *survey.Bundle) *survey.Bundle {
	if b == nil {
		return survey.NewBundle(in)
	}
	return b
}

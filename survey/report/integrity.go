package report

import (
	"context"
	"fmt"
	"sort"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
)

// ReasonRateLimited is the by_reason key of the ratings set aside by the
// rate limit at submission (survey.FlagRateLimited); the other keys are the
// integrity signals (integrity.Signals).
const ReasonRateLimited = survey.FlagRateLimited

// IntegritySource reads what the integrity report needs of one agency's own
// ratings: how the integrity signals left them, and (CounterSource) the
// counted ones by channel.
type IntegritySource interface {
	CounterSource
	// IntegrityCounts returns one row per counter of the agency (its own
	// counters only; CounterID 0 holds its dossier ratings without a
	// counter) and instrument with ratings dated within p: all of them
	// when instrument is "", else only those of that instrument. The rows
	// are in counter id order. Returns ENOTFOUND (agency).
	IntegrityCounts(ctx context.Context, agency string, p survey.Period, instrument string) ([]*integrity.CounterCounts, error)
}

// Integrity is what the integrity signals set aside at one agency's own
// counters in a period: the JSON of GET /api/v1/integrity.
type Integrity struct {
	Agency     string `json:"agency"`
	AgencyName string `json:"agency_name"`
	From       string `json:"from"`
	To         string `json:"to"`
	// Instrument is the instrument asked for, "" for every counter with
	// its own.
	Instrument      string  `json:"instrument"`
	ConfidenceLevel float64 `json:"confidence_level"`
	// Adjust is the multiplicity adjustment of the channel comparisons
	// across the agency's counters.
	Adjust   string             `json:"adjust"`
	Counters []IntegrityCounter `json:"counters"`
}

// IntegrityCounter is one counter's row of the integrity report.
type IntegrityCounter struct {
	// Counter is the counter's code, "" for the dossier ratings without a
	// counter (Name "" too).
	Counter    string                 `json:"counter"`
	Name       string                 `json:"name"`
	Closed     bool                   `json:"closed"`
	Instrument string                 `json:"instrument"`
	Counted    int64                  `json:"counted"`
	SetAside   int64                  `json:"set_aside"`
	Accepted   int64                  `json:"accepted"`
	Bots       int64                  `json:"bots"`
	ByReason   map[string]int64       `json:"by_reason"`
	Windows    []integrity.WindowView `json:"windows"`
	Index      IntegrityIndex         `json:"index"`
	Channels   IntegrityChannels      `json:"channels"`
}

// IntegrityIndex is a counter's overall index computed with the set-aside
// ratings and without them (as published).
type IntegrityIndex struct {
	WithSetAside scoring.Estimate `json:"with_set_aside"`
	Without      scoring.Estimate `json:"without"`
}

// IntegrityChannels compares a counter's counted open ratings (its QR
// code, kiosk or the API) with its dossier-bound ones (CounterSplit): a
// signal to look at, never a reason to set a rating aside. Diff is empty
// unless both groups are reportable.
type IntegrityChannels struct {
	Dossier ChannelScore       `json:"dossier"`
	Open    ChannelScore       `json:"open"`
	Diff    scoring.Comparison `json:"diff"`
}

// Reasons returns the by_reason keys in the order they are shown: the
// integrity signals, then the rate limit.
func Reasons() []string { return append(append([]string{}, integrity.Signals...), ReasonRateLimited) }

// Integrity computes the integrity report of q.Agency's own counters for
// q.Period: every open counter and every counter with ratings in the
// period, of q.Instrument (nil: each counter with its own instrument), and
// the dossier ratings without a counter when there are any. Each index is
// the counter's respondents pooled; q's weighting does not apply.
func (s *Service) Integrity(ctx context.Context, src IntegritySource, q Query) (*Integrity, error) {
	instrument := ""
	if q.Instrument != nil {
		instrument = q.Instrument.ID
	}
	rows, err := src.IntegrityCounts(ctx, q.Agency.Code, q.Period, instrument)
	if err != nil {
		return nil, fmt.Errorf("integrity counts: %w", err)
	}
	counters, err := s.Agencies.ListCounters(ctx, q.Agency.Code)
	if err != nil {
		return nil, err
	}
	out := &Integrity{Agency: q.Agency.Code, AgencyName: q.Agency.Name, From: q.Period.FromString(), To: q.Period.ToString(),
		Instrument: instrument, ConfidenceLevel: s.Level(), Adjust: s.adjust(), Counters: []IntegrityCounter{}}
	byCounter := map[int64][]*integrity.CounterCounts{}
	for _, r := range rows {
		byCounter[r.CounterID] = append(byCounter[r.CounterID], r)
	}
	splits := map[string]*CounterSplit{}
	split := func(in *survey.Instrument) (*CounterSplit, error) {
		if sp := splits[in.ID]; sp != nil {
			return sp, nil
		}
		qq := q
		qq.Instrument = in
		sp, err := s.CounterSplit(ctx, src, qq)
		if err != nil {
			return nil, err
		}
		splits[in.ID] = sp
		return sp, nil
	}
	add := func(code, name string, closed bool, r *integrity.CounterCounts) error {
		sp, err := split(r.Instrument)
		if err != nil {
			return err
		}
		out.Counters = append(out.Counters, s.integrityRow(code, name, closed, r, sp.Row(r.CounterID)))
		return nil
	}
	sort.Slice(counters, func(i, j int) bool { return counters[i].Code < counters[j].Code })
	for _, cn := range counters {
		list := byCounter[cn.ID]
		if len(list) == 0 {
			if cn.ClosedAt != nil || (instrument != "" && cn.Instrument != instrument) {
				continue
			}
			in, err := s.Instruments.Current(cn.Instrument)
			if err != nil {
				return nil, err
			}
			list = []*integrity.CounterCounts{emptyCounts(cn.ID, in)}
		}
		for _, r := range list {
			if err := add(cn.Code, cn.Name, cn.ClosedAt != nil, r); err != nil {
				return nil, err
			}
		}
	}
	for _, r := range byCounter[0] {
		if err := add("", "", false, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// integrityRow scores one counter's row.
func (s *Service) integrityRow(code, name string, closed bool, r *integrity.CounterCounts, split CounterSplitRow) IntegrityCounter {
	in := r.Instrument
	row := IntegrityCounter{Counter: code, Name: name, Closed: closed, Instrument: in.ID,
		Counted: r.Counted, SetAside: r.SetAside, Accepted: r.Accepted, Bots: r.Bots,
		ByReason: map[string]int64{}, Windows: r.Windows,
		Index: IntegrityIndex{
			WithSetAside: s.compute(in, bundleOr(in, r.All)).Overall.Estimate,
			Without:      s.compute(in, bundleOr(in, r.Kept)).Overall.Estimate,
		},
		Channels: IntegrityChannels{Dossier: split.Dossier, Open: split.Open, Diff: split.Diff},
	}
	// A group without ratings is scored like any other empty one (the
	// split has no row for a counter without counted ratings).
	for _, g := range []*ChannelScore{&row.Channels.Dossier, &row.Channels.Open} {
		if g.Respondents == 0 {
			g.Overall = s.compute(in, survey.NewBundle(in)).Overall.Estimate
		}
	}
	for _, k := range Reasons() {
		row.ByReason[k] = 0
	}
	for k, n := range r.ByReason {
		row.ByReason[k] += n
	}
	if row.Windows == nil {
		row.Windows = []integrity.WindowView{}
	}
	return row
}

// emptyCounts is the row of a counter without ratings in the period.
func emptyCounts(counterID int64, in *survey.Instrument) *integrity.CounterCounts {
	return &integrity.CounterCounts{CounterID: counterID, Instrument: in, ByReason: map[string]int64{}}
}

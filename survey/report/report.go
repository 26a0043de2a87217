// Package report turns stored statistics into what officials read: the
// indices of an agency's subtree for a period, its children compared with
// the rest of their parent and with the previous period, rank intervals,
// and monthly trends. It joins the stores (package survey) and the
// statistics (package scoring); it knows neither SQL nor HTTP.
package report

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// Service computes reports.
type Service struct {
	Agencies survey.AgencyStore
	Stats    survey.StatsStore
	// Volumes reads dossier volumes; nil: none are known, and every index
	// pools its respondents.
	Volumes VolumeSource
	// Plans reads improvement plans and official results for periodic
	// reports; nil: reports list none.
	Plans survey.PlanStore
	// Reorg reads the tree's history (moves, mergers, splits); nil: the
	// tree is taken as it is today for every day.
	Reorg       ReorgSource
	Instruments *survey.Instruments
	// Options are the confidence level and reporting rules.
	Options scoring.Options
	// Adjust is the multiplicity adjustment: scoring.MethodHolm (default)
	// or scoring.MethodBH.
	Adjust string
	// Replicates and Seed drive the rank bootstrap (default 1000, 1).
	Replicates int
	Seed       uint64
	// RankTTL is how long rank intervals are cached (default 10 minutes).
	RankTTL time.Duration
	// BootstrapMaxN: units with more respondents than this (default 5000)
	// enter the rank bootstrap through the normal limit of their index
	// instead of being resampled (see scoring.Unit).
	BootstrapMaxN int

	// PublicTTL is how long a public report is kept (default 5 minutes,
	// as long as browsers may keep the page).
	PublicTTL time.Duration

	mu        sync.Mutex
	ranks     map[string]*rankEntry
	public    map[string]publicEntry
	rankSlots chan struct{} // limits concurrent rank computations
}

// Level returns the confidence level in use.
func (s *Service) Level() float64 {
	if s.Options.Level <= 0 || s.Options.Level >= 1 {
		return 0.95
	}
	return s.Options.Level
}

func (s *Service) rules() scoring.Rules {
	if s.Options.Rules == (scoring.Rules{}) {
		return scoring.DefaultRules()
	}
	return s.Options.Rules
}

// Query names what to report on.
type Query struct {
	Agency     *survey.Agency
	Instrument *survey.Instrument
	Period     survey.Period
	// Weighting is WeightVolume, WeightRespondents, or "" for volume when
	// every part with ratings has a volume, respondents otherwise.
	Weighting string
	// FPC applies the finite-population correction to volume-weighted
	// variances (off by default: self-selected ratings are no random
	// sample).
	FPC bool
	// As is the roll-up over a reorganised tree: AsDated ("", the
	// default) or AsCurrent.
	As string
}

// tree is the agencies of a subtree with their own and subtree bundles.
type tree struct {
	root     *survey.Agency
	agencies []*survey.Agency
	children map[int64][]*survey.Agency
	total    map[int64]*survey.Bundle // subtree totals, by agency id
	own      map[int64]*survey.Bundle // each agency's own responses (absent: none)
	subtree  map[int64][]int64        // agency ids of each subtree
	vol      map[int64]*survey.Volume // each agency's own dossier volume
	subVol   map[int64]*survey.Volume // each subtree's volume (absent: nothing recorded)
	weighted map[int64]*weighted      // memo of volumeWeighted
	// setAside is each subtree's count of responses left out of its
	// indices (flagged and not accepted), by agency id.
	setAside map[int64]int64
	// mode is AsDated or AsCurrent; reorganised is set when the tree
	// changed within the period or a total holds predecessors' ratings
	// (volume weighting is then not attempted).
	mode        string
	reorganised bool
	// combined names, for a merge successor, the predecessors whose
	// ratings its total holds for the days before its merger; real is its
	// total without them (AsDated only).
	combined map[int64][]string
	real     map[int64]*survey.Bundle
	// rows, when set (AsDated over a reorganised tree), are the league
	// table's rows of the root's children.
	rows map[int64]*row
	// absent are the agencies that did not exist in the period, read
	// under today's tree (AsCurrent): they get no row.
	absent map[int64]bool
}

// realTotal is the total of agency id's subtree without its predecessors'
// ratings.
func (t *tree) realTotal(id int64) *survey.Bundle {
	if b := t.real[id]; b != nil {
		return b
	}
	return t.total[id]
}

// ownN is the number of an agency's own respondents.
func (t *tree) ownN(id int64) int64 {
	if b := t.own[id]; b != nil {
		return b.Stats.N()
	}
	return 0
}

// ownBundle is an agency's own responses (empty when none).
func (t *tree) ownBundle(in *survey.Instrument, id int64) *survey.Bundle {
	if b := t.own[id]; b != nil {
		return b
	}
	return survey.NewBundle(in)
}

// load reads the subtree of q.Agency and sums its statistics bottom-up,
// over the tree's history h (nil: the tree never changed; see
// loadHistory, read once per report).
func (s *Service) load(ctx context.Context, q Query, p survey.Period, h *history) (*tree, error) {
	if h != nil {
		if q.As == AsCurrent {
			return s.loadCurrent(ctx, q, p, h)
		}
		return s.loadDated(ctx, q, p, h)
	}
	as, err := s.Agencies.ListAgencies(ctx, q.Agency.Code)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTree(ctx, q, p, as)
	if err == nil && q.As == AsCurrent {
		t.mode = AsCurrent // a tree that never changed is today's on every day
	}
	return t, err
}

// loadTree is load for the subtree as already listed (parents before
// children), so that a trend lists it once for all its months.
func (s *Service) loadTree(ctx context.Context, q Query, p survey.Period, as []*survey.Agency) (*tree, error) {
	own, err := s.Stats.OwnStats(ctx, q.Instrument, p)
	if err != nil {
		return nil, fmt.Errorf("read statistics: %w", err)
	}
	excluded, err := s.Stats.ExcludedCounts(ctx, q.Instrument, p)
	if err != nil {
		return nil, fmt.Errorf("read excluded counts: %w", err)
	}
	t := &tree{root: q.Agency, agencies: as, children: map[int64][]*survey.Agency{},
		total: map[int64]*survey.Bundle{}, own: own, subtree: map[int64][]int64{}, weighted: map[int64]*weighted{},
		setAside: map[int64]int64{}, mode: AsDated}
	for _, a := range as {
		t.subtree[a.ID] = []int64{a.ID}
		if a.ID != q.Agency.ID {
			t.children[a.ParentID] = append(t.children[a.ParentID], a)
		}
	}
	// Parents come before children: walk backwards, adding each agency's
	// total into its parent's.
	add := newAdder(q.Instrument)
	for i := len(as) - 1; i >= 0; i-- {
		a := as[i]
		if t.total[a.ID], err = add.plus(t.total[a.ID], own[a.ID]); err != nil {
			return nil, err
		}
		t.setAside[a.ID] += excluded[a.ID]
		if a.ID == q.Agency.ID {
			continue
		}
		if _, ok := t.subtree[a.ParentID]; ok {
			t.setAside[a.ParentID] += t.setAside[a.ID]
			if t.total[a.ParentID], err = add.plus(t.total[a.ParentID], t.total[a.ID]); err != nil {
				return nil, err
			}
			t.subtree[a.ParentID] = append(t.subtree[a.ParentID], t.subtree[a.ID]...)
		}
	}
	for _, a := range as {
		t.total[a.ID] = add.or(t.total[a.ID])
	}
	if err := s.loadVolumes(ctx, t, p); err != nil {
		return nil, err
	}
	return t, nil
}

// compute scores a bundle. For an instrument without elements and with a
// single item, the overall index is that item's, with its Wilson interval.
func (s *Service) compute(in *survey.Instrument, b *survey.Bundle) scoring.Result {
	r := scoring.Compute(in.Design(), b.Stats, scoring.Options{Level: s.Level(), Rules: s.rules()})
	if len(in.Elements) == 0 && len(r.Items) == 1 {
		r.Overall.Estimate = r.Items[0].Estimate
	}
	return r
}

// compare compares two independent results' overall indices: Newcombe for
// a single-item instrument pooled by respondents, the composite test
// otherwise (volume-weighted indices are not counts out of n).
func (s *Service) compare(in *survey.Instrument, weighting string, a, b scoring.Result) scoring.Comparison {
	if weighting != WeightVolume && len(in.Elements) == 0 && len(a.Items) == 1 && len(b.Items) == 1 {
		return scoring.CompareItems(a.Items[0], b.Items[0], s.Level())
	}
	return scoring.CompareEstimates(a.Overall.Estimate, b.Overall.Estimate, s.Level())
}

func (s *Service) adjust() string {
	if s.Adjust == scoring.MethodBH {
		return scoring.MethodBH
	}
	return scoring.MethodHolm
}

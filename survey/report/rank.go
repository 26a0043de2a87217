package report

import (
	"context"
	"fmt"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// rankEntry is a cached (or in-progress) rank computation.
type rankEntry struct {
	done    chan struct{}
	at      time.Time
	ranks   map[string]Rank
	err     error
	expires time.Time
}

func (s *Service) replicates() int {
	return max(s.Replicates, scoring.DefaultReplicates)
}

func (s *Service) seed() uint64 {
	if s.Seed == 0 {
		return 1
	}
	return s.Seed
}

// attachRanks fills the rank intervals of the reportable children, from the
// cache or by a respondent-level bootstrap (which needs every respondent of
// the subtree, so it is computed once per table and cached).
func (s *Service) attachRanks(ctx context.Context, q Query, t *tree, out *Children, o ChildrenOptions) {
	maxN := s.BootstrapMaxN
	if maxN <= 0 {
		maxN = 5000
	}
	out.Ranks = RankInfo{Method: "respondent-level bootstrap", Replicates: s.replicates(), Seed: s.seed(), Status: "none", NormalAbove: maxN}
	if t.reorganised {
		// A row's ratings come from the tree of each day; the bootstrap
		// reads respondents by subtree over the whole period, which would
		// not be the row's.
		out.Ranks.Status = "none"
		return
	}
	volume := out.Weighting == WeightVolume
	if volume {
		// A volume-weighted index is no mean over one pool of respondents:
		// every unit enters through the normal limit of its weighted index
		// and its SE.
		out.Ranks.Method, out.Ranks.NormalAbove = "normal limit of the volume-weighted index", 0
	}
	var eligible []*survey.Agency
	est := map[string]scoring.Estimate{}
	for _, a := range t.children[q.Agency.ID] {
		for _, c := range out.Children {
			if c.Code == a.Code && c.Overall.Reportable && !c.Closed {
				eligible = append(eligible, a)
				est[a.Code] = c.Overall
			}
		}
	}
	if len(eligible) < 2 {
		return
	}
	key := fmt.Sprintf("%d|%s|%d|%s|%s|%g|%d|%s|%v", q.Agency.ID, q.Instrument.ID, q.Instrument.Version, q.Period.FromString(), q.Period.ToString(),
		s.Level(), len(eligible), out.Weighting, out.FPC)
	ttl := s.RankTTL
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	s.mu.Lock()
	if s.ranks == nil {
		s.ranks = map[string]*rankEntry{}
		s.rankSlots = make(chan struct{}, maxRankJobs)
	}
	e := s.ranks[key]
	if e != nil && !e.expires.IsZero() && time.Now().After(e.expires) {
		e = nil
	}
	if e == nil && !s.makeRoomLocked() {
		// As many tables as the cache holds are being computed: answer
		// without ranks rather than queue more work.
		s.mu.Unlock()
		out.Ranks.Status = "pending"
		return
	}
	if e == nil {
		e = &rankEntry{done: make(chan struct{})}
		s.ranks[key] = e
		// Only the subtrees' ids go to the background: the tree's bundles
		// are the request's, freed when it answers.
		go s.computeRanks(q, t.subtree, eligible, est, volume, e, ttl)
	}
	s.mu.Unlock()

	var timeout <-chan time.Time
	if o.RankWait > 0 {
		timer := time.NewTimer(o.RankWait)
		defer timer.Stop()
		timeout = timer.C
	}
	select {
	case <-e.done:
	case <-timeout:
		out.Ranks.Status = "pending"
		return
	case <-ctx.Done():
		out.Ranks.Status = "pending"
		return
	}
	if e.err != nil {
		out.Ranks.Status = "none"
		return
	}
	out.Ranks.Status = "ok"
	out.Ranks.ComputedAt = e.at.UTC().Format(time.RFC3339)
	for i := range out.Children {
		if r, ok := e.ranks[out.Children[i].Code]; ok {
			r := r
			out.Children[i].Rank = &r
		}
	}
}

// Bounds on the rank bootstrap, which any official can start by asking for
// a new period: at most maxRankJobs computations run at once, and the cache
// holds at most maxRankEntries tables.
const (
	maxRankJobs    = 2
	maxRankEntries = 256
)

// makeRoomLocked drops expired and, if needed, finished cache entries so
// that a new one fits; false when every entry is still being computed.
// s.mu must be held.
func (s *Service) makeRoomLocked() bool {
	now := time.Now()
	for k, e := range s.ranks {
		if !e.expires.IsZero() && now.After(e.expires) {
			delete(s.ranks, k)
		}
	}
	for k, e := range s.ranks {
		if len(s.ranks) < maxRankEntries {
			break
		}
		if !e.expires.IsZero() { // finished: computed at least once
			delete(s.ranks, k)
		}
	}
	return len(s.ranks) < maxRankEntries
}

func (s *Service) computeRanks(q Query, subtree map[int64][]int64, eligible []*survey.Agency, est map[string]scoring.Estimate, volume bool, e *rankEntry, ttl time.Duration) {
	defer close(e.done)
	s.rankSlots <- struct{}{}
	defer func() { <-s.rankSlots }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	maxN := s.BootstrapMaxN
	if maxN <= 0 {
		maxN = 5000
	}
	// One unit at a time (a few at once, one per core): a unit's answers
	// are read, resampled into its replicates and dropped, so the heap
	// holds replicates, not every unit's respondents.
	d, b := q.Instrument.Design(), s.replicates()
	rs := make([]scoring.Replicates, len(eligible))
	err := inParallel(len(eligible), func(i int) error {
		a := eligible[i]
		u := scoring.Unit{Key: a.Code}
		if ov := est[a.Code]; (volume || ov.N > int64(maxN)) && ov.Index != nil && ov.SE != nil {
			// Large unit: its normal limit, no resampling (see scoring.Unit).
			u.Normal = &scoring.NormalLimit{Index: *ov.Index / 100, SE: *ov.SE / 100}
		} else {
			answers, err := s.Stats.Respondents(ctx, q.Instrument, subtree[a.ID], q.Period)
			if err != nil {
				return err
			}
			u.Answers = answers
		}
		rs[i] = scoring.UnitReplicates(d, u, b, s.seed())
		return nil
	})
	if err != nil {
		e.err = err
		s.mu.Lock()
		e.expires = time.Now() // do not cache failures
		s.mu.Unlock()
		return
	}
	ri := scoring.RankReplicates(rs)
	ranks := map[string]Rank{}
	for _, r := range ri {
		if r.Rank > 0 {
			ranks[r.Key] = Rank{Point: r.Rank, Low: r.Low, High: r.High, Of: len(eligible)}
		}
	}
	s.mu.Lock()
	e.ranks, e.at, e.expires = ranks, time.Now(), time.Now().Add(ttl)
	s.mu.Unlock()
}

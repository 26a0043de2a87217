package report

import (
	"context"
	"fmt"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// Weightings of a parent's index over its parts.
const (
	// WeightVolume post-stratifies to the dossier volumes: each part (the
	// agency's own counters, each child's subtree) weighs as many people as
	// it served (statistics.md §6).
	WeightVolume = "volume"
	// WeightRespondents pools the respondents: each part weighs as many
	// people as rated it.
	WeightRespondents = "respondents"
)

// VolumeSource reads dossier volumes; it is survey.DossierStore's Volumes.
type VolumeSource interface {
	Volumes(ctx context.Context, p survey.Period) (map[int64]*survey.Volume, error)
}

// ValidWeighting reports whether w is a weighting a caller may ask for
// ("" lets the report choose).
func ValidWeighting(w string) bool { return w == "" || w == WeightVolume || w == WeightRespondents }

// Denominators are how many people an index stands for: the dossiers of
// the period, the share of them that rated, and how many dossiers returned
// in the period were on time.
type Denominators struct {
	// Dossiers is the volume of the period, nil when unknown.
	Dossiers *int64 `json:"dossiers"`
	// ResponseRate is respondents ÷ dossiers (a ratio, 0.05 = 5 %), nil when
	// the volume is unknown or zero.
	ResponseRate *float64 `json:"response_rate"`
	// OnTime is the on-time rate of the dossiers returned in the period
	// that had a due date, nil when none did.
	OnTime *OnTime `json:"on_time"`
}

// OnTime is an on-time rate in percent with its Wilson interval, over N
// returned dossiers.
type OnTime struct {
	Rate   float64 `json:"rate"`
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	N      int64   `json:"n"`
	OnTime int64   `json:"on_time"`
}

// denominators builds the denominators of respondents over v.
func (s *Service) denominators(respondents int64, v *survey.Volume) Denominators {
	var d Denominators
	if v == nil {
		return d
	}
	if v.Known {
		n := v.Dossiers
		d.Dossiers = &n
		if n > 0 {
			r := float64(respondents) / float64(n)
			d.ResponseRate = &r
		}
	}
	if v.Returned > 0 {
		ci := scoring.Wilson(v.OnTime, v.Returned, s.Level())
		d.OnTime = &OnTime{Rate: 100 * float64(v.OnTime) / float64(v.Returned), CILow: 100 * ci.Low, CIHigh: 100 * ci.High,
			N: v.Returned, OnTime: v.OnTime}
	}
	return d
}

// weighted is an agency's subtree result under volume weighting: the
// estimates of the overall index, each element and each criterion.
type weighted struct {
	ok       bool
	why      Reason // when !ok: why the volumes cannot weight this subtree
	parts    []part // the strata the estimates combine (see parts)
	overall  scoring.Weighted
	elements []scoring.Weighted
	items    []scoring.Weighted
}

// part is one stratum of an agency's index: its own responses, or one
// child's subtree.
type part struct {
	child  int64 // the child's agency id, 0 for the agency's own responses
	volume int64
	// corrected: the part was post-stratified with the finite-population
	// correction already (a child under fpc), so it is not applied again.
	corrected bool
	res       scoring.Result // the part's result (weighted, for a child under volume)
}

// volumeWeighted computes (once per tree) a's subtree result weighted to
// volumes, or why it cannot be: every part with ratings needs a known
// volume, and every child part must itself be weightable.
func (s *Service) volumeWeighted(in *survey.Instrument, t *tree, a *survey.Agency, fpc bool) *weighted {
	if w := t.weighted[a.ID]; w != nil {
		return w
	}
	w := &weighted{ok: true}
	t.weighted[a.ID] = w
	parts, why := s.parts(in, t, a, fpc)
	if why.Code != "" {
		w.ok, w.why = false, why
		return w
	}
	w.parts = parts
	w.overall, w.elements, w.items = s.combine(in, parts, fpc)
	if w.overall.Index == nil {
		w.ok, w.why = false, Reason{Code: ReasonNoDossiers, Agency: a.Code}
	}
	return w
}

// Reasons why an index is not volume-weighted.
const (
	// ReasonNoVolumes: no dossier volume is recorded in the subtree.
	ReasonNoVolumes = "no_volumes"
	// ReasonMissingVolume: Agency has ratings but no volume for the whole
	// period.
	ReasonMissingVolume = "missing_volume"
	// ReasonNoDossiers: the parts of Agency with ratings served no
	// recorded dossiers, or have too few ratings (fewer than two) to weigh.
	ReasonNoDossiers = "no_dossiers"
	// ReasonReorganised: the tree changed within the period, or an index
	// holds predecessors' ratings; their volumes are not combined.
	ReasonReorganised = "reorganised"
)

// Reason says why volume weighting was not possible: a code and the agency
// it concerns.
type Reason struct {
	Code   string `json:"code"`
	Agency string `json:"agency,omitempty"`
}

// String is the reason in English, for the API's weighting_note.
func (r Reason) String() string {
	switch r.Code {
	case ReasonNoVolumes:
		return "no dossier volumes are recorded for this period"
	case ReasonMissingVolume:
		return r.Agency + " has ratings but no dossier volume for the whole period"
	case ReasonNoDossiers:
		return "the units of " + r.Agency + " with ratings have no recorded dossiers or too few ratings to weigh"
	case ReasonReorganised:
		return "the agencies were reorganised within the period: respondents are pooled"
	}
	return r.Code
}

// parts returns the strata of a's index: its own responses and each
// child's subtree, each with its volume and (for children) its own weighted
// result; why says which volume is missing.
func (s *Service) parts(in *survey.Instrument, t *tree, a *survey.Agency, fpc bool) ([]part, Reason) {
	var out []part
	ownRes := s.compute(in, t.ownBundle(in, a.ID))
	if v := t.vol[a.ID]; ownRes.Respondents > 0 && (v == nil || !v.Known) {
		return nil, Reason{Code: ReasonMissingVolume, Agency: a.Code}
	}
	if v := t.vol[a.ID]; v != nil && v.Known {
		out = append(out, part{volume: v.Dossiers, res: ownRes})
	}
	for _, c := range t.children[a.ID] {
		sub := t.subVol[c.ID]
		n := t.total[c.ID].Stats.N()
		if n == 0 && (sub == nil || !sub.Known) {
			continue // neither ratings nor a volume: nothing to weigh
		}
		if sub == nil || !sub.Known {
			return nil, Reason{Code: ReasonMissingVolume, Agency: c.Code}
		}
		cw := s.volumeWeighted(in, t, c, fpc)
		if n > 0 && !cw.ok && cw.why.Code == ReasonMissingVolume {
			return nil, cw.why
		}
		cr := s.compute(in, t.total[c.ID])
		switch {
		case n > 0 && cw.ok:
			cw.apply(&cr)
		case n > 0:
			// Too few ratings to weigh (or no dossiers): the part carries
			// no estimate, and its volume shows as the coverage's gap.
			cr = s.compute(in, survey.NewBundle(in))
		}
		out = append(out, part{child: c.ID, volume: sub.Dossiers, res: cr, corrected: fpc})
	}
	return out, Reason{}
}

// combine post-stratifies the overall, element and criterion estimates of
// parts to their volumes.
func (s *Service) combine(in *survey.Instrument, parts []part, fpc bool) (scoring.Weighted, []scoring.Weighted, []scoring.Weighted) {
	level, rules := s.Level(), s.rules()
	strata := make([]scoring.Stratum, len(parts))
	pick := func(f func(r scoring.Result) scoring.Estimate) scoring.Weighted {
		for i, p := range parts {
			strata[i] = scoring.Stratum{Volume: p.volume, Estimate: f(p.res), Corrected: p.corrected}
		}
		return scoring.PostStratifyEstimates(strata, fpc, level, rules)
	}
	overall := pick(func(r scoring.Result) scoring.Estimate { return r.Overall.Estimate })
	elements := make([]scoring.Weighted, len(in.Elements))
	for e := range elements {
		elements[e] = pick(func(r scoring.Result) scoring.Estimate { return r.Elements[e].Estimate })
	}
	items := make([]scoring.Weighted, len(in.Items))
	for k := range items {
		items[k] = pick(func(r scoring.Result) scoring.Estimate { return r.Items[k].Estimate })
	}
	return overall, elements, items
}

// apply puts the weighted estimates into a pooled result: indices, SEs,
// intervals and n are the weighted ones; answer counts, means and alpha
// stay those of the pooled respondents.
func (w *weighted) apply(r *scoring.Result) {
	r.Overall.Estimate = w.overall.Estimate
	for e := range r.Elements {
		if e < len(w.elements) {
			r.Elements[e].Estimate = w.elements[e].Estimate
		}
	}
	for k := range r.Items {
		if k < len(w.items) {
			r.Items[k].Estimate = w.items[k].Estimate
		}
	}
}

// restWeighted is the volume-weighted overall index of a's parts other
// than the child skip: the "rest of the parent" a child is compared with.
// It reuses the parts volumeWeighted computed for a.
func (s *Service) restWeighted(in *survey.Instrument, t *tree, a *survey.Agency, skip int64, fpc bool) scoring.Estimate {
	w := s.volumeWeighted(in, t, a, fpc)
	if w.parts == nil {
		return scoring.Estimate{}
	}
	var strata []scoring.Stratum
	for _, p := range w.parts {
		if p.child != skip {
			strata = append(strata, scoring.Stratum{Volume: p.volume, Estimate: p.res.Overall.Estimate, Corrected: p.corrected})
		}
	}
	return scoring.PostStratifyEstimates(strata, fpc, s.Level(), s.rules()).Estimate
}

// choose decides the weighting of a's index: volume when asked for or by
// default and every part with ratings has a volume, else respondents with
// the reason. want is "" (choose), WeightVolume or WeightRespondents.
func (s *Service) choose(in *survey.Instrument, t *tree, a *survey.Agency, want string, fpc bool) (string, *Reason) {
	if want == WeightRespondents {
		return WeightRespondents, nil
	}
	if t.reorganised {
		return WeightRespondents, &Reason{Code: ReasonReorganised}
	}
	if s.Volumes == nil || t.subVol[a.ID] == nil || !t.anyVolume(a.ID) {
		return WeightRespondents, &Reason{Code: ReasonNoVolumes}
	}
	if t.total[a.ID].Stats.N() == 0 && t.subVol[a.ID].Known {
		return WeightVolume, nil // nothing rated: nothing to weigh, and nothing missing
	}
	w := s.volumeWeighted(in, t, a, fpc)
	if !w.ok {
		return WeightRespondents, &w.why
	}
	return WeightVolume, nil
}

// anyVolume reports whether any agency of id's subtree has a recorded
// volume: without one, the subtree has "no volumes" rather than one part
// missing its volume.
func (t *tree) anyVolume(id int64) bool {
	for _, x := range t.subtree[id] {
		if t.vol[x] != nil {
			return true
		}
	}
	return false
}

// loadVolumes reads the own volumes of the tree's agencies and sums them
// up the tree. A subtree's volume is known when every part of it with
// ratings (or with a recorded volume) has a known one.
func (s *Service) loadVolumes(ctx context.Context, t *tree, p survey.Period) error {
	t.vol, t.subVol = map[int64]*survey.Volume{}, map[int64]*survey.Volume{}
	if s.Volumes == nil {
		return nil
	}
	own, err := s.Volumes.Volumes(ctx, p)
	if err != nil {
		return fmt.Errorf("read volumes: %w", err)
	}
	as := t.agencies
	for _, a := range as {
		if v := own[a.ID]; v != nil {
			t.vol[a.ID] = v
		}
	}
	// Children come after parents: walk backwards.
	for i := len(as) - 1; i >= 0; i-- {
		a := as[i]
		sum := &survey.Volume{Known: true}
		any := false
		if v := t.vol[a.ID]; v != nil {
			sum.Add(v)
			any = true
		} else if t.ownN(a.ID) > 0 {
			sum.Known = false
			any = true
		}
		for _, c := range t.children[a.ID] {
			cv := t.subVol[c.ID]
			switch {
			case cv != nil:
				sum.Add(cv)
				any = true
			case t.total[c.ID].Stats.N() > 0:
				sum.Known = false
				any = true
			}
		}
		if any {
			if !sum.Known {
				sum.Dossiers = 0
			}
			t.subVol[a.ID] = sum
		}
	}
	return nil
}

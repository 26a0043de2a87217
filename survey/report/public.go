package report

import (
	"context"
	"strconv"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// PublicMonths is how many months the trend of a public report covers.
const PublicMonths = 12

// Public is what an agency publishes about itself (/p/{code} and the
// JSON of GET /api/v1/public/scores): for each period its overall index
// and elements, and its published children's overall indices, each with
// its interval and n, the figure only where the reporting rules allow;
// and the monthly trend. Nothing about counters, comments or single
// ratings.
type Public struct {
	Agency          string         `json:"agency"`
	AgencyName      string         `json:"agency_name"`
	Instrument      string         `json:"instrument"`
	ConfidenceLevel float64        `json:"confidence_level"`
	Periods         []PublicPeriod `json:"periods"`
	// Trend is the PublicMonths months up to the end of the latest period.
	Trend []PublicMonth `json:"trend"`
	// Months is the trend as the chart draws it (not published as such:
	// it holds the set-aside counts).
	Months []TrendPoint  `json:"-"`
	Rules  scoring.Rules `json:"rules"`
}

// PublicPeriod is one period of a public report.
type PublicPeriod struct {
	Period   string          `json:"period"` // e.g. "2026-11", "2026-Q3", "2025"
	Kind     string          `json:"kind"`   // survey.KindMonth …
	From     string          `json:"from"`
	To       string          `json:"to"`
	Overall  PublicEstimate  `json:"overall"`
	Elements []PublicElement `json:"elements"`
	// Children are the agency's direct children that are public
	// themselves, by code; the others are left out, unnamed.
	Children []PublicChild `json:"children"`
}

// PublicEstimate is an index as published: Index and its interval only
// when Reportable (n and width within the reporting rules), null
// otherwise ("chưa đủ dữ liệu"); N always.
type PublicEstimate struct {
	Index      *float64 `json:"index"`
	CILow      *float64 `json:"ci_low"`
	CIHigh     *float64 `json:"ci_high"`
	N          int64    `json:"n"`
	Reportable bool     `json:"reportable"`
}

// PublicElement is one element's index.
type PublicElement struct {
	Code string `json:"code"`
	Name string `json:"name"`
	PublicEstimate
}

// PublicChild is a published child's overall index.
type PublicChild struct {
	Code string `json:"code"`
	Name string `json:"name"`
	PublicEstimate
}

// PublicMonth is one month of the trend.
type PublicMonth struct {
	Month string `json:"month"`
	PublicEstimate
}

// published keeps an estimate's figures only where they are reportable.
func published(e scoring.Estimate) PublicEstimate {
	out := PublicEstimate{N: e.N, Reportable: e.Reportable && e.Index != nil}
	if out.Reportable {
		out.Index, out.CILow, out.CIHigh = e.Index, e.CILow, e.CIHigh
	}
	return out
}

// PublicAgency finds the agency of a public report: ENOTFOUND, with the
// same message, whether the code is unknown or the agency not published,
// so that the answer tells nothing about agencies that are not public.
func (s *Service) PublicAgency(ctx context.Context, code string) (*survey.Agency, error) {
	a, err := s.Agencies.FindAgency(ctx, code)
	if survey.ErrorCode(err) == survey.ENOTFOUND || err == nil && !a.Public {
		return nil, survey.Errorf(survey.ENOTFOUND, "no public results for this agency")
	}
	return a, err
}

// publicEntry is a public report as computed at a time.
type publicEntry struct {
	at  time.Time
	out *Public
}

// Public computes the public report of agency a (which must be public:
// see PublicAgency) for periods, each as GET /api/v1/scores computes it
// with the default weighting, and its trend. Anyone may ask for it, so
// it is kept for PublicTTL under the agency, its name, the periods and
// the children published, and shared: callers must not change it. The
// periods are complete, so only a late change to their ratings (a review
// of set-aside ones) waits for the TTL; publishing or withdrawing a child
// shows at once.
func (s *Service) Public(ctx context.Context, a *survey.Agency, in *survey.Instrument, periods []survey.ReportPeriod) (*Public, error) {
	if !a.Public {
		return nil, survey.Errorf(survey.ENOTFOUND, "no public results for this agency")
	}
	list, err := s.Agencies.ListAgencies(ctx, a.Code)
	if err != nil {
		return nil, err
	}
	key := a.Code + "\x00" + a.Name + "\x00" + in.ID + "\x00" + strconv.Itoa(in.Version)
	for _, p := range periods {
		key += "\x00" + p.Name
	}
	public := map[int64]bool{}
	for _, c := range list {
		if c.ParentID == a.ID && c.Public {
			public[c.ID] = true
			key += "\x00" + c.Code + "\x01" + c.Name
		}
	}
	ttl := s.PublicTTL
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	s.mu.Lock()
	e, ok := s.public[key]
	s.mu.Unlock()
	if ok && time.Since(e.at) < ttl {
		return e.out, nil
	}
	out, err := s.computePublic(ctx, a, in, periods, public)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.public == nil {
		s.public = map[string]publicEntry{}
	}
	if len(s.public) >= 256 { // published agencies × a few period sets: drop what has expired
		for k, e := range s.public {
			if now.Sub(e.at) >= ttl {
				delete(s.public, k)
			}
		}
	}
	s.public[key] = publicEntry{at: now, out: out}
	return out, nil
}

// computePublic is Public without the cache; public are the ids of the
// published children.
func (s *Service) computePublic(ctx context.Context, a *survey.Agency, in *survey.Instrument, periods []survey.ReportPeriod, public map[int64]bool) (*Public, error) {
	h, err := s.loadHistory(ctx)
	if err != nil {
		return nil, err
	}
	out := &Public{Agency: a.Code, AgencyName: a.Name, Instrument: in.ID, ConfidenceLevel: s.Level(),
		Periods: make([]PublicPeriod, len(periods)), Trend: []PublicMonth{}, Rules: s.rules()}
	var last time.Time
	err = inParallel(len(periods), func(i int) error {
		var err error
		out.Periods[i], err = s.publicPeriod(ctx, Query{Agency: a, Instrument: in, Period: periods[i].Period}, periods[i], h, public)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, p := range periods {
		if p.To.After(last) {
			last = p.To
		}
	}
	if last.IsZero() {
		return out, nil
	}
	from := time.Date(last.Year(), last.Month()-PublicMonths+1, 1, 0, 0, 0, 0, survey.Vietnam)
	tr, err := s.Trend(ctx, Query{Agency: a, Instrument: in, Period: survey.Period{From: from, To: last}})
	if err != nil {
		return nil, err
	}
	out.Months = tr.Months
	for _, m := range tr.Months {
		out.Trend = append(out.Trend, PublicMonth{Month: m.Month, PublicEstimate: published(m.Overall)})
	}
	return out, nil
}

// publicPeriod is one period of Public: the agency's index weighted as
// Scores weights it, and each public child's as Children does.
func (s *Service) publicPeriod(ctx context.Context, q Query, p survey.ReportPeriod, h *history, public map[int64]bool) (PublicPeriod, error) {
	out := PublicPeriod{Period: p.Name, Kind: p.Kind, From: p.FromString(), To: p.ToString(), Elements: []PublicElement{}, Children: []PublicChild{}}
	t, err := s.load(ctx, q, q.Period, h)
	if err != nil {
		return out, err
	}
	in := q.Instrument
	r := s.compute(in, t.total[q.Agency.ID])
	ws := s.weights(q, t, &r)
	out.Overall = published(r.Overall.Estimate)
	names := map[string]string{}
	for _, e := range in.Elements {
		names[e.Code] = e.Text.VI
	}
	for _, e := range r.Elements {
		out.Elements = append(out.Elements, PublicElement{Code: e.Code, Name: names[e.Code], PublicEstimate: published(e.Estimate)})
	}
	for _, c := range t.children[q.Agency.ID] {
		if !public[c.ID] || t.absent[c.ID] {
			continue
		}
		rw := t.rowOf(in, c.ID)
		if c.ClosedAt != nil && !c.ClosedAt.After(q.Period.From) && rw.total.Stats.N() == 0 {
			continue // closed before the period, nothing to show
		}
		cr := s.compute(in, rw.total)
		s.reweigh(q, t, c, ws.Weighting, &cr)
		out.Children = append(out.Children, PublicChild{Code: c.Code, Name: c.Name, PublicEstimate: published(cr.Overall.Estimate)})
	}
	return out, nil
}

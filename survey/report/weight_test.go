package report_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// withVolumes imports last-month volumes for the standard province's
// agencies (all but skip), and registers ten dossiers of D4 returned in
// that month, eight of them on time.
func withVolumes(t *testing.T, p *sqlitetest.Province, skip string) {
	t.Helper()
	ctx := context.Background()
	vols := map[string]int64{"D1": 4000, "C1": 500, "D2": 120, "D3": 900, "D4": 3000}
	var rows []*survey.VolumeRow
	for _, code := range []string{"D1", "C1", "D2", "D3", "D4"} {
		if code != skip {
			rows = append(rows, &survey.VolumeRow{AgencyCode: code, Month: sqlitetest.SeedLastMonth, Dossiers: vols[code]})
		}
	}
	if _, err := p.DB.ImportVolumes(ctx, rows, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	day, _ := time.ParseInLocation("2006-01-02", sqlitetest.SeedLastMonth+"-04", survey.Vietnam)
	for i := range 10 {
		received := day.Add(time.Duration(i) * time.Hour)
		due := received.Add(72 * time.Hour)
		returned := due.Add(-time.Hour)
		if i >= 8 {
			returned = due.Add(time.Hour)
		}
		r := &survey.DossierRegistration{Code: fmt.Sprintf("D4-%d", i), AgencyCode: "D4", ReceivedAt: received, DueAt: &due, ReturnedAt: &returned}
		if _, err := p.DB.RegisterDossier(ctx, p.Signer.DossierHash(r.Code), r, survey.Actor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestChildrenVolumeWeighted(t *testing.T) {
	p, q := newProvince(t)
	withVolumes(t, p, "")
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Volumes: p.DB, Instruments: p.Instruments}
	ch, err := svc.Children(context.Background(), q, report.ChildrenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Weighting != report.WeightVolume || ch.Reason != nil {
		t.Fatalf("weighting %q (%v), want volume", ch.Weighting, ch.Reason)
	}
	// The parent's index is Σ (N_h/N)·C_h over its children with the
	// children's own (here: pooled, one stratum each with ratings) indices
	// and SEs; C1's volume counts in D1's subtree but it has no sipas-2017
	// ratings, so D1 is represented by its own counters.
	vol := map[string]float64{"D1": 4500, "D2": 120, "D3": 900, "D4": 3000}
	var total, est, v float64
	for _, c := range ch.Children {
		total += vol[c.Code]
	}
	for _, c := range ch.Children {
		w := vol[c.Code] / total
		est += w * *c.Overall.Index
		v += w * w * *c.Overall.SE * *c.Overall.SE
		if c.Dossiers == nil || float64(*c.Dossiers) != vol[c.Code] {
			t.Fatalf("%s: dossiers %v, want %g", c.Code, c.Dossiers, vol[c.Code])
		}
		if want := float64(c.Respondents) / vol[c.Code]; c.ResponseRate == nil || math.Abs(*c.ResponseRate-want) > 1e-12 {
			t.Fatalf("%s: response rate %v, want %g", c.Code, c.ResponseRate, want)
		}
	}
	pooled := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments}
	pch, err := pooled.Children(context.Background(), q, report.ChildrenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(*ch.Overall.Index-est) > 1e-9 || math.Abs(*ch.Overall.SE-math.Sqrt(v)) > 1e-9 {
		t.Fatalf("parent: got %g ± %g, want %g ± %g", *ch.Overall.Index, *ch.Overall.SE, est, math.Sqrt(v))
	}
	if math.Abs(*ch.Overall.Index-*pch.Overall.Index) < 0.5 {
		t.Fatalf("weighted %g and pooled %g indices barely differ: the test shows nothing", *ch.Overall.Index, *pch.Overall.Index)
	}
	if ch.Dossiers == nil || *ch.Dossiers != 8520 || ch.Coverage == nil || math.Abs(*ch.Coverage-1) > 1e-12 {
		t.Fatalf("parent: dossiers %v, coverage %v; want 8520, 1", ch.Dossiers, ch.Coverage)
	}
	for _, c := range ch.Children {
		if c.Code == "D4" {
			if c.OnTime == nil || c.OnTime.N != 10 || c.OnTime.OnTime != 8 || c.OnTime.Rate != 80 || c.OnTime.CILow >= 80 || c.OnTime.CIHigh <= 80 {
				t.Fatalf("D4 on time: got %+v, want 8 of 10 with a Wilson interval", c.OnTime)
			}
		} else if c.OnTime != nil {
			t.Fatalf("%s: on time %+v, want none", c.Code, c.OnTime)
		}
	}
	if ch.Ranks.Status != "ok" || ch.Ranks.Method != "normal limit of the volume-weighted index" {
		t.Fatalf("ranks: %+v", ch.Ranks)
	}

	// Asking for respondents gives today's pooling back.
	q.Weighting = report.WeightRespondents
	rch, err := svc.Children(context.Background(), q, report.ChildrenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rch.Weighting != report.WeightRespondents || *rch.Overall.Index != *pch.Overall.Index {
		t.Fatalf("respondents: got %q %g, want pooled %g", rch.Weighting, *rch.Overall.Index, *pch.Overall.Index)
	}
}

// A child with ratings and no volume: the table pools respondents and
// says why.
func TestChildrenVolumeMissing(t *testing.T) {
	p, q := newProvince(t)
	withVolumes(t, p, "D3")
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Volumes: p.DB, Instruments: p.Instruments}
	for _, want := range []string{"", report.WeightVolume} {
		q.Weighting = want
		ch, err := svc.Children(context.Background(), q, report.ChildrenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if ch.Weighting != report.WeightRespondents || ch.Reason == nil || ch.Reason.Code != report.ReasonMissingVolume || ch.Reason.Agency != "D3" ||
			ch.Note != "D3 has ratings but no dossier volume for the whole period" {
			t.Fatalf("asked %q: got %q, %+v, %q", want, ch.Weighting, ch.Reason, ch.Note)
		}
		if ch.Dossiers != nil || ch.ResponseRate != nil {
			t.Fatalf("the parent's volume is unknown, got %v", ch.Dossiers)
		}
	}
}

// Scores and the trend use the same weighting, and the finite-population
// correction narrows the interval only when asked for.
func TestScoresTrendVolumeWeighted(t *testing.T) {
	p, q := newProvince(t)
	withVolumes(t, p, "")
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Volumes: p.DB, Instruments: p.Instruments}
	ctx := context.Background()
	sc, err := svc.Scores(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := svc.Children(ctx, q, report.ChildrenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Weighting != report.WeightVolume || *sc.Overall.Index != *ch.Overall.Index || sc.FPC {
		t.Fatalf("scores %q %g, children %g", sc.Weighting, *sc.Overall.Index, *ch.Overall.Index)
	}
	// The previous month has no volumes: no change is claimed across
	// weightings.
	if sc.Previous.Note == "" || sc.Previous.Change.Diff != nil {
		t.Fatalf("previous: %+v", sc.Previous)
	}
	q.FPC = true
	fc, err := svc.Scores(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !fc.FPC || *fc.Overall.SE >= *sc.Overall.SE || *fc.Overall.Index != *sc.Overall.Index {
		t.Fatalf("fpc: SE %g, without %g", *fc.Overall.SE, *sc.Overall.SE)
	}
	q.FPC = false
	q.Period.From = q.Period.From.AddDate(0, -1, 0)
	tr, err := svc.Trend(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Weighting != report.WeightRespondents || tr.Reason == nil || len(tr.Months) != 2 {
		t.Fatalf("trend over a month without volumes: %q %+v", tr.Weighting, tr.Reason)
	}
	if last := tr.Months[1]; last.Dossiers == nil || *last.Dossiers != 8520 || tr.Months[0].Dossiers != nil {
		t.Fatalf("trend dossiers: %v, %v", tr.Months[0].Dossiers, last.Dossiers)
	}
}

// With the finite-population correction, each lowest-level part's variance
// is corrected once: P's SE is §6's over its children's own responses,
// not corrected again at P.
func TestVolumeWeightedFPCOnce(t *testing.T) {
	p, q := newProvince(t)
	withVolumes(t, p, "")
	ctx := context.Background()
	pooled := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments}
	pq := q
	pq.Weighting = report.WeightRespondents
	pch, err := pooled.Children(ctx, pq, report.ChildrenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// D1's sipas-2017 ratings are all its own (C1 has the quick one): its
	// part weighs D1's own 4000 dossiers within D1, then 4500 within P.
	own := map[string]float64{"D1": 4000, "D2": 120, "D3": 900, "D4": 3000}
	vol := map[string]float64{"D1": 4500, "D2": 120, "D3": 900, "D4": 3000}
	var v float64
	for _, c := range pch.Children {
		w := vol[c.Code] / 8520
		f := max(0, 1-float64(c.Overall.N)/own[c.Code])
		v += w * w * f * *c.Overall.SE * *c.Overall.SE
	}
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Volumes: p.DB, Instruments: p.Instruments}
	q.FPC = true
	sc, err := svc.Scores(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(*sc.Overall.SE-math.Sqrt(v)) > 1e-9 {
		t.Fatalf("SE with fpc: got %g, want %g", *sc.Overall.SE, math.Sqrt(v))
	}
}

// A unit with a volume and a single rating cannot be weighed on its own; it
// leaves a gap in the coverage instead of turning the weighting off.
func TestVolumeWeightedTooFewRatings(t *testing.T) {
	p, q := newProvince(t)
	withVolumes(t, p, "")
	ctx := context.Background()
	by := survey.Actor{Name: "test"}
	if err := p.DB.CreateAgency(ctx, &survey.Agency{Code: "D5", Name: "Sở mới", ParentCode: "P"}, by); err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreateCounter(ctx, &survey.Counter{AgencyCode: "D5", Code: "Q1", Name: "Quầy 1", Instrument: "sipas-2017"}, by); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DB.ImportVolumes(ctx, []*survey.VolumeRow{{AgencyCode: "D5", Month: sqlitetest.SeedLastMonth, Dossiers: 480}}, by); err != nil {
		t.Fatal(err)
	}
	p.Seed(t, sqlitetest.Spec{Counter: "D5/Q1", Day: sqlitetest.SeedLastMonth + "-10", N: 1, Value: 5})
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Volumes: p.DB, Instruments: p.Instruments}
	sc, err := svc.Scores(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Weighting != report.WeightVolume || sc.Coverage == nil || math.Abs(*sc.Coverage-8520.0/9000) > 1e-12 {
		t.Fatalf("got %q (%s), coverage %v; want volume, 8520/9000", sc.Weighting, sc.Note, sc.Coverage)
	}
}

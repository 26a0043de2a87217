package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// rateDossiers registers n dossiers of D1 (at counter, "" for none) and
// stores one dossier-bound rating of each, every item answered value.
func rateDossiers(t *testing.T, p *sqlitetest.Province, counter string, n int, value uint8, day time.Time) {
	t.Helper()
	ctx := context.Background()
	in := p.Instrument(t, "sipas-2017")
	var subs []*survey.Submission
	for i := range n {
		r := &survey.DossierRegistration{Code: fmt.Sprintf("split-%s-%d-%d", counter, value, i), AgencyCode: "D1", CounterCode: counter,
			ReceivedAt: day.Add(time.Duration(i) * time.Minute)}
		saved, err := p.DB.RegisterDossier(ctx, p.Signer.DossierHash(r.Code), r, survey.Actor{Name: "test"})
		if err != nil {
			t.Fatal(err)
		}
		d := saved.Dossier
		ans := make([]uint8, len(in.Items))
		for k := range ans {
			ans[k] = value
		}
		subs = append(subs, &survey.Submission{SubmissionID: sqlitetest.SubmissionID(), CounterID: d.CounterID, AgencyID: d.AgencyID,
			Instrument: in, Answers: ans, Channel: survey.ChannelDossier, Lang: "vi", ReceivedAt: r.ReceivedAt.Add(time.Hour), DossierID: d.ID})
	}
	i := 0
	if _, err := p.DB.BulkLoad(ctx, func() (*survey.Submission, error) {
		if i == len(subs) {
			return nil, nil
		}
		i++
		return subs[i-1], nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestCounterSplit(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	day := time.Date(2026, 2, 3, 8, 0, 0, 0, survey.Vietnam)
	rateDossiers(t, p, "Q1", 40, 2, day)
	rateDossiers(t, p, "Q1", 20, 4, day)
	rateDossiers(t, p, "R1", 50, 4, day)
	rateDossiers(t, p, "", 5, 5, day)
	p.Seed(t,
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-05", N: 50, Value: 5}, sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-06", N: 10, Value: 3},
		sqlitetest.Spec{Counter: "D1/R1", Day: "2026-02-05", N: 25, Value: 5}, sqlitetest.Spec{Counter: "D1/R1", Day: "2026-02-06", N: 25, Value: 2},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-03-05", N: 30, Value: 1}, // outside the period
	)
	period, err := survey.ParsePeriod("2026-02-01", "2026-02-28")
	if err != nil {
		t.Fatal(err)
	}
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Instruments: p.Instruments}
	sp, err := svc.CounterSplit(context.Background(), p.DB, report.Query{Agency: p.Agency(t, "D1"), Instrument: p.Instrument(t, "sipas-2017"), Period: period})
	if err != nil {
		t.Fatal(err)
	}
	if sp.Adjust != "holm" || len(sp.Rows) != 3 {
		t.Fatalf("got adjust %q and %d rows, want holm and Q1, R1 and no counter", sp.Adjust, len(sp.Rows))
	}
	q1, r1, none := sp.Row(p.Counter(t, "D1/Q1").ID), sp.Row(p.Counter(t, "D1/R1").ID), sp.Row(0)
	if q1.Dossier.Respondents != 60 || q1.Open.Respondents != 60 || *q1.Dossier.Overall.Index > 34 || *q1.Open.Overall.Index < 83 {
		t.Fatalf("Q1: got %+v", q1)
	}
	// Q1's open ratings are far better than its dossier ones; R1's
	// differ by 50 points too, the other way round; both survive Holm.
	if q1.Diff.Significant != "higher" || r1.Diff.Significant != "lower" || q1.Diff.PAdj == nil || *q1.Diff.PAdj < *q1.Diff.P {
		t.Fatalf("diffs: Q1 %+v, R1 %+v", q1.Diff, r1.Diff)
	}
	// Five dossier ratings without a counter: not reportable, compared
	// with nothing, and left out of the family.
	if none.Dossier.Respondents != 5 || none.Dossier.Overall.Reportable || none.Diff.P != nil || none.Diff.Significant != "" {
		t.Fatalf("no counter: got %+v", none)
	}
	if z := sp.Row(p.Counter(t, "D1/Z1").ID); z.Dossier.Respondents != 0 || z.Open.Overall.Reportable {
		t.Fatalf("a counter without ratings: got %+v", z)
	}
	if _, err := svc.CounterSplit(context.Background(), p.DB, report.Query{Agency: &survey.Agency{Code: "ZZ"}, Instrument: p.Instrument(t, "sipas-2017"), Period: period}); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown agency: got %v, want ENOTFOUND", err)
	}
}

// With ratings but no volume recorded anywhere in the subtree, the reason
// is that there are no volumes, not that one unit lacks its own.
func TestChildrenNoVolumes(t *testing.T) {
	p, q := newProvince(t)
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Volumes: p.DB, Instruments: p.Instruments}
	ch, err := svc.Children(context.Background(), q, report.ChildrenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Weighting != report.WeightRespondents || ch.Reason == nil || ch.Reason.Code != report.ReasonNoVolumes {
		t.Fatalf("got %q, %+v; want respondents for no volumes", ch.Weighting, ch.Reason)
	}
}

func TestLowResponse(t *testing.T) {
	r := func(v float64) *float64 { return &v }
	tests := []struct {
		d         report.Denominators
		threshold float64
		want      bool
	}{
		{report.Denominators{}, 0.05, false},
		{report.Denominators{ResponseRate: r(0.049)}, 0.05, true},
		{report.Denominators{ResponseRate: r(0.05)}, 0.05, false},
		{report.Denominators{ResponseRate: r(0.1)}, 0.2, true},
		{report.Denominators{ResponseRate: r(0.04)}, 0, true}, // invalid threshold: the default
	}
	for _, tt := range tests {
		if got := tt.d.LowResponse(tt.threshold); got != tt.want {
			t.Errorf("%v below %g: got %v, want %v", tt.d.ResponseRate, tt.threshold, got, tt.want)
		}
	}
}

package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// Cases from a review of the reorganisation: each a way a rating could be
// lost or counted twice, on reorgScene (D3, D4 and D2 rated every month
// of the first half of 2026) with C1 (under D1, rated on the quick
// instrument) added where needed.

func reorganise(t *testing.T, p *sqlitetest.Province, events ...survey.Event) {
	t.Helper()
	for _, ev := range events {
		if _, err := p.DB.Reorganise(context.Background(), []survey.Event{ev}, survey.Actor{Name: "test"}); err != nil {
			t.Fatalf("%s: %v", ev.Kind, err)
		}
	}
}

func move(agency, parent, date string) survey.Event {
	return survey.Event{Kind: survey.EventMove, Move: &survey.Move{Agency: agency, Parent: parent, Date: date}}
}

func merge(into, date, parent string, from ...string) survey.Event {
	return survey.Event{Kind: survey.EventMerge, Merge: &survey.Merge{Into: into, From: from, Date: date, Name: into, Parent: parent}}
}

// quickMonths is monthly on the quick instrument.
func quickMonths(t *testing.T, svc *report.Service, p *sqlitetest.Province, code, as string) []int64 {
	t.Helper()
	h1, _ := survey.ParsePeriod("2026-01-01", "2026-06-30")
	tr, err := svc.Trend(context.Background(), report.Query{Agency: p.Agency(t, code), Instrument: p.Instrument(t, "quick"), Period: h1, As: as})
	if err != nil {
		t.Fatal(err)
	}
	var n []int64
	for _, m := range tr.Months {
		n = append(n, m.Respondents)
	}
	return n
}

// rateC1 rates C1 20 times a month on the quick instrument.
func rateC1(t *testing.T, p *sqlitetest.Province) {
	t.Helper()
	var specs []sqlitetest.Spec
	for m := 1; m <= 6; m++ {
		specs = append(specs, sqlitetest.Spec{Counter: "C1/Q1", Day: fmt.Sprintf("2026-%02d-12", m), N: 20, Value: 4})
	}
	p.Seed(t, specs...)
}

// A unit moved under a split successor stays in the province's months
// under today's tree.
func TestSplitSuccessorCurrentTree(t *testing.T) {
	p, svc := reorgScene(t)
	before, _ := monthly(t, svc, p, "P", "")
	reorganise(t, p,
		survey.Event{Kind: survey.EventSplit, Split: &survey.Split{From: "D3", Date: "2026-04-01",
			Into: []survey.SplitPart{{Code: "S1", Name: "S1", Counters: []string{"Q1"}}, {Code: "S2", Name: "S2"}}}},
		move("D2", "S1", "2026-05-01"))
	for _, as := range []string{report.AsDated, report.AsCurrent} {
		if after, _ := monthly(t, svc, p, "P", as); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("as %s: P's months %v, before %v", as, after, before)
		}
	}
	// S1 did not exist in the first quarter, but holds D2 today.
	q1 := childCodes(t, svc, p, "P", "2026-01-01", "2026-03-31", report.AsCurrent)
	if q1["S1"] != 90 || q1["D1"] != 0 {
		t.Errorf("P's children in Q1 under today's tree: %v, want S1 with D2's 90", q1)
	}
	if _, ok := q1["S2"]; ok {
		t.Errorf("S2 (created after Q1, no ratings) has a row: %v", q1)
	}
}

// A unit merged into its parent, which then merges on: the final
// successor holds the unit's ratings once.
func TestMergeIntoParentThenChain(t *testing.T) {
	p, svc := reorgScene(t)
	rateC1(t, p)
	before := quickMonths(t, svc, p, "P", "")
	reorganise(t, p, merge("D1", "2026-04-01", "", "C1"), merge("Y", "2026-05-01", "P", "D1", "D2"))
	if after := quickMonths(t, svc, p, "P", ""); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("P's quick months %v, before %v", after, before)
	}
	if y := quickMonths(t, svc, p, "Y", ""); fmt.Sprint(y) != "[20 20 20 20 20 20]" {
		t.Errorf("Y's quick months %v, want C1's 20 each month", y)
	}
}

// A successor that was once under its predecessor does not get its own
// ratings back through the predecessor's.
func TestMergeIntoFormerChild(t *testing.T) {
	p, svc := reorgScene(t)
	rateC1(t, p)
	reorganise(t, p, move("C1", "P", "2026-03-01"), merge("C1", "2026-04-01", "", "D1"))
	if c1 := quickMonths(t, svc, p, "C1", ""); fmt.Sprint(c1) != "[20 20 20 20 20 20]" {
		t.Errorf("C1's quick months %v, want its own 20 each month", c1)
	}
}

// In a league table of a merge successor, no predecessor is a row, and a
// row is not compared with its own ratings held in the successor's
// history.
func TestSuccessorLeagueTable(t *testing.T) {
	p, svc := reorgScene(t)
	rateC1(t, p)
	reorganise(t, p, move("C1", "D4", "2026-02-01"))
	if _, err := p.DB.Reorganise(context.Background(), []survey.Event{
		move("C1", "P", "2026-04-01"), merge("X", "2026-04-01", "P", "D3", "D4"), move("C1", "X", "2026-04-01"),
	}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	h1, _ := survey.ParsePeriod("2026-01-01", "2026-06-30")
	ch, err := svc.Children(context.Background(), report.Query{Agency: p.Agency(t, "X"), Instrument: p.Instrument(t, "quick"), Period: h1},
		report.ChildrenOptions{RankWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Children) != 1 || ch.Children[0].Code != "C1" {
		t.Fatalf("X's rows: %+v, want C1 only", ch.Children)
	}
	c := ch.Children[0]
	if c.Respondents != 60 || c.UnderFrom != "2026-04-01" || c.VsRest.Diff != nil {
		t.Errorf("C1 in X's table: n %d from %s, vs rest %+v; want April–June's 60 and nothing to compare with (X holds no other ratings of its own)",
			c.Respondents, c.UnderFrom, c.VsRest)
	}
}

// A merged unit's task is measured at its successor outside the plan's
// agency, without a comparison group, its ratings of every month kept.
func TestEffectSuccessorOutside(t *testing.T) {
	p, svc := reorgScene(t)
	rateC1(t, p)
	reorganise(t, p, merge("X", "2026-04-01", "P", "C1"))
	plan := &survey.Plan{ID: 1, AgencyCode: "D1", Year: 2026, Instrument: "quick"}
	task := &survey.Task{ID: 1, PlanID: 1, Responsible: "C1", Criteria: []string{"overall"}, Start: "2026-03-01", Due: "2026-04-30"}
	eff, err := svc.Effect(context.Background(), plan, task, day("2026-07-15"))
	if err != nil {
		t.Fatal(err)
	}
	c := eff.Criteria[0]
	if eff.Responsible != "X" || eff.NoComparison != report.NoRestUnitOutside || c.Rest != nil || c.Unit.Before.N != 40 || c.Unit.After.N != 40 {
		t.Errorf("effect: %s, why %q, rest %v, n %d → %d; want X, unit_outside, no rest, 40 → 40",
			eff.Responsible, eff.NoComparison, c.Rest, c.Unit.Before.N, c.Unit.After.N)
	}
	// The plan's agency merged itself: no error, the successor measured.
	reorganise(t, p, merge("Z", "2026-04-01", "P", "D3"))
	plan = &survey.Plan{ID: 2, AgencyCode: "D3", Year: 2026, Instrument: "sipas-2017"}
	task = &survey.Task{ID: 2, PlanID: 2, Responsible: "D3", Criteria: []string{"overall"}, Start: "2026-04-15", Due: "2026-05-31"}
	if eff, err = svc.Effect(context.Background(), plan, task, day("2026-07-15")); err != nil || eff.Criteria[0].Unit.After.N != 40 {
		t.Errorf("effect of merged D3's own plan: %+v, %v; want May's 40 at Z", eff, err)
	}
}

// A moved unit's dossiers count under the parent it had on each day, as
// its ratings do.
func TestVolumesFollowMoves(t *testing.T) {
	p, svc := reorgScene(t)
	svc.Volumes = p.DB
	var rows []*survey.VolumeRow
	for m := 1; m <= 6; m++ {
		for code, n := range map[string]int64{"D1": 200, "D2": 100, "D3": 100, "D4": 100} {
			rows = append(rows, &survey.VolumeRow{AgencyCode: code, Month: fmt.Sprintf("2026-%02d", m), Dossiers: n})
		}
	}
	if _, err := p.DB.ImportVolumes(context.Background(), rows, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	reorganise(t, p, move("D2", "D1", "2026-04-01"))
	h1, _ := survey.ParsePeriod("2026-01-01", "2026-06-30")
	sc, err := svc.Scores(context.Background(), report.Query{Agency: p.Agency(t, "D1"), Instrument: p.Instrument(t, "sipas-2017"), Period: h1})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Dossiers == nil || *sc.Dossiers != 6*200+3*100 || sc.Respondents != 90 {
		t.Errorf("D1 over H1: dossiers %v, n %d; want its own 1200 and D2's 300 from April, n 90", sc.Dossiers, sc.Respondents)
	}
}

// Ratings set aside at a predecessor are counted in its successor's
// history as its ratings are.
func TestSetAsideInHistory(t *testing.T) {
	p, svc := reorgScene(t)
	for range 3 {
		s := p.Submission(t, "D3/Q1", 3, time.Date(2026, 2, 3, 9, 0, 0, 0, survey.Vietnam))
		s.Flag = survey.FlagHoneypot
		if _, err := p.DB.StoreResponse(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	reorganise(t, p, merge("X", "2026-04-01", "P", "D3", "D4"))
	h1, _ := survey.ParsePeriod("2026-01-01", "2026-06-30")
	q := report.Query{Agency: p.Agency(t, "X"), Instrument: p.Instrument(t, "sipas-2017"), Period: h1}
	sc, err := svc.Scores(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := svc.Trend(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if sc.SetAside != 3 || tr.Months[1].SetAside != 3 {
		t.Errorf("X set aside: %d over H1, %d in February; want D3's 3", sc.SetAside, tr.Months[1].SetAside)
	}
	ch := childCodes(t, svc, p, "P", "2026-01-01", "2026-06-30", "")
	if ch["X"] != 480 {
		t.Errorf("P's row of X: %v", ch)
	}
}

// A change elsewhere in the province, mid-month, does not cut the months
// of a subtree it did not touch: their imported volumes stay known.
func TestVolumesUntouchedByChangeElsewhere(t *testing.T) {
	p, svc := reorgScene(t)
	svc.Volumes = p.DB
	importVolumes(t, p, map[string]int64{"D2": 100}, 1, 6)
	reorganise(t, p, move("C1", "P", "2026-03-15"))
	q1, _ := survey.ParsePeriod("2026-01-01", "2026-03-31")
	sc, err := svc.Scores(context.Background(), report.Query{Agency: p.Agency(t, "D2"), Instrument: p.Instrument(t, "sipas-2017"), Period: q1})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Dossiers == nil || *sc.Dossiers != 300 || sc.Weighting != report.WeightVolume {
		t.Errorf("D2 in Q1 after a move elsewhere: dossiers %v, weighting %s (%+v); want 300, volume", sc.Dossiers, sc.Weighting, sc.Reason)
	}
}

// importVolumes imports each agency's monthly dossiers for months from..to
// of 2026.
func importVolumes(t *testing.T, p *sqlitetest.Province, vols map[string]int64, from, to int) {
	t.Helper()
	var rows []*survey.VolumeRow
	for m := from; m <= to; m++ {
		for code, n := range vols {
			rows = append(rows, &survey.VolumeRow{AgencyCode: code, Month: fmt.Sprintf("2026-%02d", m), Dossiers: n})
		}
	}
	if _, err := p.DB.ImportVolumes(context.Background(), rows, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
}

// A successor's history holds the units that went into it, not those that
// had left its predecessor before: by day it reads as under today's tree.
func TestHistoryOfWhatWentIn(t *testing.T) {
	t.Run("merged elsewhere first", func(t *testing.T) {
		p, svc := reorgScene(t)
		rateC1(t, p)
		before := quickMonths(t, svc, p, "P", "")
		reorganise(t, p, merge("X", "2026-03-01", "P", "C1"), merge("Y", "2026-04-01", "P", "D1"))
		for code, want := range map[string]string{"X": "[20 20 20 20 20 20]", "Y": "[0 0 0 0 0 0]"} {
			for _, as := range []string{report.AsDated, report.AsCurrent} {
				if got := quickMonths(t, svc, p, code, as); fmt.Sprint(got) != want {
					t.Errorf("%s as %s: %v, want %s", code, as, got, want)
				}
			}
		}
		if after := quickMonths(t, svc, p, "P", ""); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("P's quick months %v, before %v", after, before)
		}
	})
	t.Run("a closed sub-agency goes with its parent", func(t *testing.T) {
		p, svc := reorgScene(t)
		rateC1(t, p)
		reorganise(t, p, survey.Event{Kind: survey.EventClose, Close: &survey.Close{Agency: "C1", Date: "2026-03-01"}},
			merge("Y", "2026-04-01", "P", "D1"))
		for _, as := range []string{report.AsDated, report.AsCurrent} {
			if got := quickMonths(t, svc, p, "Y", as); fmt.Sprint(got) != "[20 20 20 20 20 20]" {
				t.Errorf("Y as %s: %v, want C1's 20 each month (it went into Y with D1)", as, got)
			}
		}
	})
	t.Run("moved out on the day", func(t *testing.T) {
		p, svc := reorgScene(t)
		rateC1(t, p)
		if _, err := p.DB.Reorganise(context.Background(), []survey.Event{move("C1", "D2", "2026-04-01"), merge("X", "2026-04-01", "P", "D1")},
			survey.Actor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
		for _, as := range []string{report.AsDated, report.AsCurrent} {
			if got := quickMonths(t, svc, p, "X", as); fmt.Sprint(got) != "[0 0 0 0 0 0]" {
				t.Errorf("X as %s: %v, want none of C1's (it went to D2)", as, got)
			}
		}
	})
}

// Ratings still recorded at merged units after the merger (recorded late)
// are the successor's own, weighted by its volumes.
func TestLateMergerIsSuccessorsOwn(t *testing.T) {
	p, svc := reorgScene(t)
	svc.Volumes = p.DB
	importVolumes(t, p, map[string]int64{"D3": 200, "D4": 200, "D2": 100}, 1, 3)
	reorganise(t, p, merge("X", "2026-04-01", "P", "D3", "D4"))
	importVolumes(t, p, map[string]int64{"X": 400, "D2": 100}, 4, 6)
	q2, _ := survey.ParsePeriod("2026-04-01", "2026-06-30")
	sc, err := svc.Scores(context.Background(), report.Query{Agency: p.Agency(t, "X"), Instrument: p.Instrument(t, "sipas-2017"), Period: q2})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Weighting != report.WeightVolume || sc.Respondents != 240 || sc.Dossiers == nil || *sc.Dossiers != 1200 {
		t.Errorf("X in Q2: weighting %s (%+v), n %d, dossiers %v; want volume, 240, 1200", sc.Weighting, sc.Reason, sc.Respondents, sc.Dossiers)
	}
}

// A periodic report shows the numbers of its agency's subtree only: the
// effect of a task whose unit merged into a unit outside it carries its
// verdicts.
func TestPeriodicRedactsEffectOutside(t *testing.T) {
	p, svc := reorgScene(t)
	rateC1(t, p)
	svc.Plans = p.DB
	ctx, by := context.Background(), survey.Actor{Name: "test"}
	now := p.DB.Now
	p.DB.Now = func() time.Time { return day("2026-02-01") } // the plan is given before the period ends
	plan, err := survey.ParsePlan(survey.PlanInput{Agency: "D1", Year: 2026, Title: "Kế hoạch 2026", Instrument: "quick",
		Targets: []survey.PlanTarget{{Indicator: "overall", Target: 80}}}, p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreatePlan(ctx, plan, by); err != nil {
		t.Fatal(err)
	}
	tk, err := survey.ParseTask(plan, survey.TaskInput{Title: "Việc của C1", Responsible: "C1", Criteria: []string{"overall"}, Start: "2026-03-01", Due: "2026-04-30"}, p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreateTask(ctx, tk, by); err != nil {
		t.Fatal(err)
	}
	p.DB.Now = now
	reorganise(t, p, merge("X", "2026-04-01", "P", "C1", "D3"))
	h1, _ := survey.ParseReportPeriod("2026-H1")
	r, err := svc.Periodic(ctx, report.PeriodicQuery{Agency: p.Agency(t, "D1"), Instrument: p.Instrument(t, "quick"), Period: h1, Today: day("2026-07-15")})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Plans) != 1 || len(r.Plans[0].Effects) != 1 {
		t.Fatalf("plans %+v", r.Plans)
	}
	if e := r.Plans[0].Effects[0].Effect; e.Responsible != "X" || !e.Redacted {
		t.Errorf("D1's report: effect at %s, redacted %v; want X's, redacted", e.Responsible, e.Redacted)
	}
}

// A task's unit that moved out of the plan's agency is measured in its
// own tree, without a comparison group, and is not said to have merged.
func TestEffectUnitMovedOut(t *testing.T) {
	p, svc := reorgScene(t)
	rateC1(t, p)
	reorganise(t, p, move("C1", "P", "2026-04-01"))
	plan := &survey.Plan{ID: 1, AgencyCode: "D1", Year: 2026, Instrument: "quick"}
	task := &survey.Task{ID: 1, PlanID: 1, Responsible: "C1", Criteria: []string{"overall"}, Start: "2026-03-01", Due: "2026-04-30"}
	eff, err := svc.Effect(context.Background(), plan, task, day("2026-07-15"))
	if err != nil {
		t.Fatal(err)
	}
	if c := eff.Criteria[0]; eff.Responsible != "C1" || eff.MergedFrom != "" || eff.NoComparison != report.NoRestUnitOutside || c.Unit.After.N != 40 {
		t.Errorf("effect: %s (merged from %q), why %q, after n %d; want C1, not merged, unit_outside, 40", eff.Responsible, eff.MergedFrom, eff.NoComparison, c.Unit.After.N)
	}
	if note := report.TaskReorgNote(eff, "vi"); note != "" {
		t.Errorf("a move is not a merger or split: note %q", note)
	}
}

// A closed sub-agency's dossiers count in its parent's successor, with its
// late ratings.
func TestClosedSubAgencyVolumes(t *testing.T) {
	p, svc := reorgScene(t)
	rateC1(t, p)
	svc.Volumes = p.DB
	if _, err := p.DB.Reorganise(context.Background(), []survey.Event{
		{Kind: survey.EventClose, Close: &survey.Close{Agency: "C1", Date: "2026-04-01"}}, merge("X", "2026-04-01", "P", "D1"),
	}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	importVolumes(t, p, map[string]int64{"X": 400, "C1": 50}, 4, 6)
	q2, _ := survey.ParsePeriod("2026-04-01", "2026-06-30")
	sc, err := svc.Scores(context.Background(), report.Query{Agency: p.Agency(t, "X"), Instrument: p.Instrument(t, "quick"), Period: q2})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Dossiers == nil || *sc.Dossiers != 1350 || sc.Respondents != 60 {
		t.Errorf("X in Q2: dossiers %v, n %d; want X's 1200 and C1's 150, C1's 60 ratings", sc.Dossiers, sc.Respondents)
	}
}

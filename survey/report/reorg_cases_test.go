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
	if eff.Responsible != "X" || eff.NoComparison != report.NoRestSuccessorOutside || c.Rest != nil || c.Unit.Before.N != 40 || c.Unit.After.N != 40 {
		t.Errorf("effect: %s, why %q, rest %v, n %d → %d; want X, successor_outside, no rest, 40 → 40",
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

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

// reorgScene rates D2, D3 and D4 every month of the first half of 2026
// (D3 all 5, D4 all 2, D2 all 4; 40, 40 and 30 a month) before anything is
// reorganised, and returns the province and a report service over it.
func reorgScene(t *testing.T) (*sqlitetest.Province, *report.Service) {
	t.Helper()
	p := sqlitetest.New(t, sqlite.Options{})
	var specs []sqlitetest.Spec
	for m := 1; m <= 6; m++ {
		day := fmt.Sprintf("2026-%02d-10", m)
		specs = append(specs,
			sqlitetest.Spec{Counter: "D3/Q1", Day: day, N: 40, Value: 5},
			sqlitetest.Spec{Counter: "D4/Q1", Day: day, N: 40, Value: 2},
			sqlitetest.Spec{Counter: "D2/Q1", Day: day, N: 30, Value: 4})
	}
	p.Seed(t, specs...)
	p.DB.Now = func() time.Time { return day("2026-07-15") }
	return p, &report.Service{Agencies: p.DB, Stats: p.DB, Reorg: p.DB, Instruments: p.Instruments}
}

// monthly returns n of each month of the first half of 2026 at agency
// code, and which predecessors each month combines.
func monthly(t *testing.T, svc *report.Service, p *sqlitetest.Province, code, as string) ([]int64, [][]string) {
	t.Helper()
	h1, _ := survey.ParsePeriod("2026-01-01", "2026-06-30")
	tr, err := svc.Trend(context.Background(), report.Query{Agency: p.Agency(t, code), Instrument: p.Instrument(t, "sipas-2017"), Period: h1, As: as})
	if err != nil {
		t.Fatal(err)
	}
	var n []int64
	var from [][]string
	for _, m := range tr.Months {
		n = append(n, m.Respondents)
		from = append(from, m.Combined)
	}
	return n, from
}

func childCodes(t *testing.T, svc *report.Service, p *sqlitetest.Province, code, from, to, as string) map[string]int64 {
	t.Helper()
	per, _ := survey.ParsePeriod(from, to)
	ch, err := svc.Children(context.Background(), report.Query{Agency: p.Agency(t, code), Instrument: p.Instrument(t, "sipas-2017"), Period: per, As: as},
		report.ChildrenOptions{RankWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, c := range ch.Children {
		out[c.Code] = c.Respondents
	}
	return out
}

// After D3 and D4 merge into a new X on 1 April 2026 and D2 moves under D1
// the same day, every month of the province counts what it counted before
// (nothing lost, nothing twice); X's trend runs back through the merger,
// its first three months combined from D3 and D4; each roll-up counts a
// unit under the parent it had on the day, or (as=current) under today's
// tree.
func TestReorganisedRollups(t *testing.T) {
	p, svc := reorgScene(t)
	before, _ := monthly(t, svc, p, "P", "")
	_, err := p.DB.Reorganise(context.Background(), []survey.Event{
		{Kind: survey.EventMerge, Merge: &survey.Merge{Into: "X", From: []string{"D3", "D4"}, Date: "2026-04-01", Name: "Sở mới"}},
		{Kind: survey.EventMove, Move: &survey.Move{Agency: "D2", Parent: "D1", Date: "2026-04-01"}},
	}, survey.Actor{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, as := range []string{report.AsDated, report.AsCurrent} {
		after, _ := monthly(t, svc, p, "P", as)
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("as %s: the province's months %v, before the reorganisation %v", as, after, before)
		}
	}
	n, from := monthly(t, svc, p, "X", "")
	for i := range n {
		if n[i] != 80 {
			t.Errorf("X month %d: n %d, want 80 (D3's and D4's)", i+1, n[i])
		}
		if want := i < 3; (len(from[i]) == 2) != want {
			t.Errorf("X month %d: combined from %v, want D3 and D4 only before April", i+1, from[i])
		}
	}
	// D1 holds D2 from April (the day it moved), not before; as=current,
	// the whole half-year.
	d1, _ := monthly(t, svc, p, "D1", "")
	if d1[2] != 0 || d1[3] != 30 {
		t.Errorf("D1 by day: %v, want D2's 30 from April only", d1)
	}
	d1c, _ := monthly(t, svc, p, "D1", report.AsCurrent)
	if d1c[0] != 30 || d1c[5] != 30 {
		t.Errorf("D1 as today's tree: %v, want D2's 30 every month", d1c)
	}
	// League tables: no row for a unit that did not exist in the period.
	for _, tt := range []struct {
		from, to, as string
		want         map[string]int64
	}{
		{"2026-01-01", "2026-03-31", "", map[string]int64{"D1": 0, "D2": 90, "D3": 120, "D4": 120}},
		{"2026-04-01", "2026-06-30", "", map[string]int64{"D1": 90, "X": 240}},
		{"2026-01-01", "2026-06-30", report.AsCurrent, map[string]int64{"D1": 180, "X": 480}},
		// D2 is a row for the days it was P's child, and in D1's after:
		// no rating in two rows.
		{"2026-01-01", "2026-06-30", "", map[string]int64{"D1": 90, "D2": 90, "D3": 120, "D4": 120, "X": 480}},
	} {
		got := childCodes(t, svc, p, "P", tt.from, tt.to, tt.as)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("P's children %s..%s as %q: %v, want %v", tt.from, tt.to, tt.as, got, tt.want)
		}
	}
	h1, _ := survey.ParsePeriod("2026-01-01", "2026-06-30")
	ch, err := svc.Children(context.Background(), report.Query{Agency: p.Agency(t, "P"), Instrument: p.Instrument(t, "sipas-2017"), Period: h1},
		report.ChildrenOptions{RankWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ch.Children {
		want := [2]string{}
		if c.Code == "D2" {
			want = [2]string{"2026-01-01", "2026-03-31"}
		}
		if got := [2]string{c.UnderFrom, c.UnderTo}; got != want {
			t.Errorf("P's row %s in H1 under %v, want %v", c.Code, got, want)
		}
	}
	// X's second quarter is compared with its predecessors' first.
	q2, _ := survey.ParsePeriod("2026-04-01", "2026-06-30")
	sc, err := svc.Scores(context.Background(), report.Query{Agency: p.Agency(t, "X"), Instrument: p.Instrument(t, "sipas-2017"), Period: q2})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Previous.Overall.N != 240 || len(sc.Previous.Combined) != 2 || sc.As != report.AsDated || sc.Respondents != 240 {
		t.Errorf("X in Q2: n %d (as %s), previous n %d combined from %v; want 240, and 240 from D3 and D4", sc.Respondents, sc.As, sc.Previous.Overall.N, sc.Previous.Combined)
	}
	// Volume weighting is not attempted across a reorganisation.
	ps, err := svc.Scores(context.Background(), report.Query{Agency: p.Agency(t, "P"), Instrument: p.Instrument(t, "sipas-2017"), Period: h1})
	if err != nil {
		t.Fatal(err)
	}
	if ps.Weighting != report.WeightRespondents || ps.Reason == nil || ps.Reason.Code != report.ReasonReorganised {
		t.Errorf("P over the reorganisation: weighting %s (%+v)", ps.Weighting, ps.Reason)
	}
}

// A task of a unit that merged follows its successor: its effect is
// measured at the successor, whose history before the merger is the
// unit's with its partners'.
func TestEffectFollowsSuccessor(t *testing.T) {
	p, svc := reorgScene(t)
	if _, err := p.DB.Reorganise(context.Background(), []survey.Event{
		{Kind: survey.EventMerge, Merge: &survey.Merge{Into: "X", From: []string{"D3", "D4"}, Date: "2026-04-01", Name: "Sở mới"}},
	}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	plan := &survey.Plan{ID: 1, AgencyCode: "P", Year: 2026, Instrument: "sipas-2017"}
	task := &survey.Task{ID: 1, PlanID: 1, Responsible: "D3", Criteria: []string{"overall"}, Start: "2026-03-01", Due: "2026-04-30"}
	eff, err := svc.Effect(context.Background(), plan, task, day("2026-07-15"))
	if err != nil {
		t.Fatal(err)
	}
	c := eff.Criteria[0]
	if eff.Responsible != "X" || eff.MergedFrom != "D3" || eff.MergedOn != "2026-04-01" ||
		c.Unit.Before.N != 160 || c.Unit.After.N != 160 || c.Rest == nil || c.Rest.Before.N != 60 {
		t.Errorf("effect %+v: unit %d → %d, rest %+v; want X (from D3) with D3 and D4's 160 in January–February and 160 in March–April, D2's 60 as the rest", eff, c.Unit.Before.N, c.Unit.After.N, c.Rest)
	}
}

// A unit merged into the agency above it was counted there already: the
// agency's months stay as they were.
func TestMergeIntoParentCountsOnce(t *testing.T) {
	p, svc := reorgScene(t)
	before, _ := monthly(t, svc, p, "P", "")
	if _, err := p.DB.Reorganise(context.Background(), []survey.Event{
		{Kind: survey.EventMerge, Merge: &survey.Merge{Into: "P", From: []string{"D4"}, Date: "2026-04-01"}},
	}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	after, from := monthly(t, svc, p, "P", "")
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("P's months after D4 merged into it: %v (combined %v), before %v", after, from, before)
	}
}

// In a chain of mergers (D3 into X in April, X and D4 into Y in May), Y's
// months before April combine D3's ratings and D4's, not X's, which had
// none of its own then; nothing counts twice in the province.
func TestMergerChain(t *testing.T) {
	p, svc := reorgScene(t)
	before, _ := monthly(t, svc, p, "P", "")
	for _, ev := range []survey.Event{
		{Kind: survey.EventMerge, Merge: &survey.Merge{Into: "X", From: []string{"D3"}, Date: "2026-04-01", Name: "X"}},
		{Kind: survey.EventMerge, Merge: &survey.Merge{Into: "Y", From: []string{"X", "D4"}, Date: "2026-05-01", Name: "Y"}},
	} {
		if _, err := p.DB.Reorganise(context.Background(), []survey.Event{ev}, survey.Actor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := monthly(t, svc, p, "P", "")
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("P's months %v, before %v", after, before)
	}
	n, from := monthly(t, svc, p, "Y", "")
	for i := range n {
		if n[i] != 80 {
			t.Errorf("Y month %d: n %d, want D3's and D4's 80", i+1, n[i])
		}
	}
	if fmt.Sprint(from[0]) != "[D3 D4]" && fmt.Sprint(from[0]) != "[D4 D3]" {
		t.Errorf("Y in January combines %v, want D3 and D4", from[0])
	}
}

// A unit whose predecessors lay partly outside the plan's agency has no
// comparison group, and the effect says why.
func TestEffectPredecessorsOutside(t *testing.T) {
	p, svc := reorgScene(t)
	if _, err := p.DB.Reorganise(context.Background(), []survey.Event{
		{Kind: survey.EventMerge, Merge: &survey.Merge{Into: "C1", From: []string{"D3"}, Date: "2026-04-01"}},
	}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	plan := &survey.Plan{ID: 1, AgencyCode: "D1", Year: 2026, Instrument: "sipas-2017"}
	task := &survey.Task{ID: 1, PlanID: 1, Responsible: "C1", Criteria: []string{"overall"}, Start: "2026-03-01", Due: "2026-04-30"}
	eff, err := svc.Effect(context.Background(), plan, task, day("2026-07-15"))
	if err != nil {
		t.Fatal(err)
	}
	if eff.Comparison != "" || eff.NoComparison != report.NoRestOutside || eff.Criteria[0].Rest != nil {
		t.Errorf("effect of C1 (merged from D3, outside D1): comparison %q, why %q, rest %+v", eff.Comparison, eff.NoComparison, eff.Criteria[0].Rest)
	}
	self := &survey.Task{ID: 2, PlanID: 1, Responsible: "D1", Criteria: []string{"overall"}, Start: "2026-03-01", Due: "2026-04-30"}
	if eff, err = svc.Effect(context.Background(), plan, self, day("2026-07-15")); err != nil || eff.NoComparison != report.NoRestSelf {
		t.Errorf("effect of the plan's agency: why %q (%v)", eff.NoComparison, err)
	}
}

// A task of a unit that split stays with it: the effect names the
// successors and the day, and measures the unit's own ratings.
func TestEffectOfSplitUnit(t *testing.T) {
	p, svc := reorgScene(t)
	if _, err := p.DB.Reorganise(context.Background(), []survey.Event{
		{Kind: survey.EventSplit, Split: &survey.Split{From: "D3", Date: "2026-04-01", Into: []survey.SplitPart{
			{Code: "D3B", Name: "Sở B"}, {Code: "D3A", Name: "Sở A", Counters: []string{"Q1"}}}}},
	}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	plan := &survey.Plan{ID: 1, AgencyCode: "P", Year: 2026, Instrument: "sipas-2017"}
	task := &survey.Task{ID: 1, PlanID: 1, Responsible: "D3", Criteria: []string{"overall"}, Start: "2026-03-01", Due: "2026-04-30"}
	eff, err := svc.Effect(context.Background(), plan, task, day("2026-07-15"))
	if err != nil {
		t.Fatal(err)
	}
	if eff.Responsible != "D3" || fmt.Sprint(eff.SplitInto) != "[D3A D3B]" || eff.SplitOn != "2026-04-01" || eff.Comparison != "P" || eff.MergedFrom != "" {
		t.Errorf("effect of split D3: %+v", eff)
	}
	if c := eff.Criteria[0]; c.Unit.Before.N != 80 || c.Unit.After.N != 80 {
		t.Errorf("D3's own ratings: before n %d, after n %d; want January–February's 80 and March–April's 80 (rated at D3's counter before the split was recorded)", c.Unit.Before.N, c.Unit.After.N)
	}
	want := "Đơn vị phụ trách đã chia tách thành D3A, D3B ngày 01/04/2026: nhiệm vụ vẫn thuộc đơn vị cũ; chỉ số là số liệu của chính đơn vị cũ, không gồm các đơn vị mới."
	if got := report.TaskReorgNote(eff, "vi"); got != want {
		t.Errorf("note: got %q, want %q", got, want)
	}
}

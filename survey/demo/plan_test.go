package demo_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/demo"
	"github.com/sipas/sipas/survey/instruments"
)

// The demo plan passes the domain's checks, has a task of each kind (done,
// in progress, overdue, due soon) at units that exist today, and lifts
// only the done task's criteria.
func TestNewPlan(t *testing.T) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	l := demo.NewLayout(60, rand.New(rand.NewPCG(1, 0xdec0de)))
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, survey.Vietnam)
	s := demo.NewPlan(l.Current, now)
	today := map[string]bool{}
	for _, a := range l.Current.Agencies {
		today[a.Code] = true
	}
	plan, err := survey.ParsePlan(s.Plan, reg)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Year != 2026 || plan.AgencyCode != "DEMO" || len(plan.Targets) != 4 {
		t.Fatalf("plan %+v", plan)
	}
	if len(s.Tasks) != 4 {
		t.Fatalf("%d tasks, want 4", len(s.Tasks))
	}
	status := map[string]int{}
	overdue, soon := 0, 0
	for _, ts := range s.Tasks {
		task, err := survey.ParseTask(plan, ts.Task, reg)
		if err != nil {
			t.Fatalf("%s: %v", ts.Task.Title, err)
		}
		if !today[task.Responsible] || task.Responsible[0] == 'H' {
			t.Errorf("%s: at %s, which is not a unit of today", task.Title, task.Responsible)
		}
		task.Status = survey.TaskTodo
		last := time.Time{}
		for _, pr := range ts.Progress {
			if !pr.At.After(last) || pr.At.After(now) {
				t.Errorf("%s: progress at %v out of order or in the future", task.Title, pr.At)
			}
			last, task.Status = pr.At, pr.Status
		}
		status[task.Status]++
		if task.Overdue(now) {
			overdue++
		}
		if !task.Overdue(now) && task.Status != survey.TaskDone && task.Due <= now.AddDate(0, 0, 14).Format("2006-01-02") {
			soon++
		}
	}
	if status[survey.TaskDone] != 1 || overdue != 1 || soon != 1 {
		t.Errorf("statuses %v, %d overdue, %d due within 14 days; want one done, one overdue, one due soon", status, overdue, soon)
	}
	if len(s.Lifts) != 1 || s.Lifts[0].Agency != s.Tasks[0].Task.Responsible {
		t.Errorf("lifts %+v, want the done task's unit only", s.Lifts)
	}
	if len(s.Official) != 3 || s.Official[0].Score != 85.54 || *s.Official[0].Rank != 48 || *s.Official[0].Of != 63 {
		t.Errorf("official results %+v", s.Official)
	}
	for _, r := range s.Official {
		if _, err := survey.ParseOfficialResult(r); err != nil {
			t.Error(err)
		}
	}
}

// A lift raises the lifted criteria of its agency from its date on, and
// nothing else: the same seed gives the same answers elsewhere.
func TestGeneratorLift(t *testing.T) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	p := demo.NewProvince(10, rand.New(rand.NewPCG(1, 2)))
	for i, c := range p.Counters {
		c.ID, c.AgencyID = int64(i+1), int64(i+1)
	}
	end := time.Date(2026, 12, 2, 12, 0, 0, 0, survey.Vietnam)
	from := end.AddDate(0, 0, -100)
	in, _ := reg.Current("sipas-2017")
	tt1, _ := in.ItemIndex("TT1")
	cc1, _ := in.ItemIndex("CC1")
	sums := func(lift bool) (after, other, rest float64) {
		g, err := demo.NewGenerator(p.Counters, reg, end, 365, 3)
		if err != nil {
			t.Fatal(err)
		}
		if lift {
			g.Lift(demo.Lift{Agency: "S01", From: from, To: end.AddDate(0, 0, 1), Items: []string{"TT1"}, Shift: 1})
		}
		for range 20000 {
			s := g.Next()
			c := p.Counters[s.CounterID-1]
			if c.Instrument != "sipas-2017" || s.Answers[tt1] > 5 || s.Answers[cc1] > 5 {
				continue
			}
			switch {
			case c.AgencyCode == "S01" && !s.ReceivedAt.Before(from):
				after += float64(s.Answers[tt1])
				other += float64(s.Answers[cc1])
			default:
				rest += float64(s.Answers[tt1])
			}
		}
		return after, other, rest
	}
	a0, o0, r0 := sums(false)
	a1, o1, r1 := sums(true)
	if a1 <= a0 || o1 != o0 || r1 != r0 {
		t.Errorf("lifted TT1 after %v → %v, CC1 %v → %v, elsewhere %v → %v", a0, a1, o0, o1, r0, r1)
	}
}

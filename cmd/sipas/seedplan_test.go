package main

import (
	"context"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// checkDemoPlan checks that the demo of make run (seeded at path, see
// TestSeedDemo) has a plan whose first task shows a significant
// improvement and whose second shows none, one task overdue, tasks only at
// units open today, and Cần Thơ's 2021 official results.
func checkDemoPlan(t *testing.T, path string) {
	db, err := openDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	plans, err := db.ListPlans(ctx, survey.PlanFilter{})
	if err != nil || len(plans) != 1 {
		t.Fatalf("plans %v, %v; want the demo plan", plans, err)
	}
	tasks, err := db.ListTasks(ctx, survey.TaskFilter{PlanID: plans[0].ID})
	if err != nil || len(tasks) != 4 {
		t.Fatalf("tasks %v, %v; want 4", tasks, err)
	}
	svc := &report.Service{Agencies: db, Stats: db, Volumes: db, Plans: db, Reorg: db, Instruments: db.Instruments()}
	now := time.Now()
	verdicts := map[int64][]string{}
	overdue := 0
	for _, tk := range tasks {
		full, err := db.FindTask(ctx, plans[0].ID, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := db.FindAgency(ctx, tk.Responsible); err != nil || a.ClosedAt != nil {
			t.Errorf("task %q at %s: %+v, %v; want a unit open today", tk.Title, tk.Responsible, a, err)
		}
		for i := 1; i < len(full.Progress); i++ {
			if full.Progress[i].At.Before(full.Progress[i-1].At) {
				t.Errorf("task %q: progress entry %d (%v) before entry %d (%v)", tk.Title, i+1, full.Progress[i].At, i, full.Progress[i-1].At)
			}
		}
		if len(full.Progress) > 0 && full.Progress[0].At.Before(plans[0].CreatedAt) {
			t.Errorf("task %q entered before its plan", tk.Title)
		}
		eff, err := svc.Effect(ctx, plans[0], tk, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range eff.Criteria {
			verdicts[tk.ID] = append(verdicts[tk.ID], c.Verdict)
		}
		if tk.Overdue(now) {
			overdue++
		}
	}
	first, second := tasks[0].ID, tasks[1].ID
	for _, tk := range tasks {
		if tk.Responsible == "S01" {
			first = tk.ID
		}
		if tk.Responsible == "S02" {
			second = tk.ID
		}
	}
	if len(verdicts[first]) != 2 || len(verdicts[second]) != 3 {
		t.Errorf("verdicts %v of the first task, %v of the second; want one for each of their 2 and 3 criteria", verdicts[first], verdicts[second])
	}
	for _, v := range verdicts[first] {
		if v != report.EffectImproved {
			t.Errorf("the task that worked: verdicts %v, want improved", verdicts[first])
		}
	}
	for _, v := range verdicts[second] {
		if v == report.EffectImproved || v == report.NotEnoughData {
			t.Errorf("the task not yet showing: verdicts %v, want no significant change", verdicts[second])
		}
	}
	if overdue != 1 {
		t.Errorf("%d overdue tasks, want 1", overdue)
	}
	off, err := db.OfficialResults(ctx, "DEMO")
	if err != nil || len(off) != 3 || report.OfficialText(off[0], "vi") != "SIPAS 2021: 85,54 %, hạng 48/63" {
		t.Fatalf("official results %v, %v", off, err)
	}
}

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/demo"
	"github.com/sipas/sipas/survey/sqlite"
)

// seedPlan stores the demo plan, its tasks and their progress (each entry
// dated as the plan says, by moving the store's clock) and the official
// results; it says what it stored.
func seedPlan(ctx context.Context, db *sqlite.DB, s *demo.PlanSeed) (string, error) {
	clock := db.Now
	defer func() { db.Now = clock }()
	plan, err := survey.ParsePlan(s.Plan, db.Instruments())
	if err != nil {
		return "", fmt.Errorf("demo plan: %w", err)
	}
	year := time.Date(plan.Year, 1, 5, 9, 0, 0, 0, survey.Vietnam)
	db.Now = func() time.Time { return year }
	if err := db.CreatePlan(ctx, plan, cliActor); err != nil {
		return "", fmt.Errorf("demo plan: %w", err)
	}
	for _, ts := range s.Tasks {
		t, err := survey.ParseTask(plan, ts.Task, db.Instruments())
		if err != nil {
			return "", fmt.Errorf("demo task %q: %w", ts.Task.Title, err)
		}
		// Entered a week before it starts (the plan's date at the
		// earliest), before its first progress entry.
		created, _ := time.ParseInLocation("2006-01-02", t.Start, survey.Vietnam)
		created = created.AddDate(0, 0, -7).Add(9 * time.Hour)
		if created.Before(year) {
			created = year
		}
		db.Now = func() time.Time { return created }
		if err := db.CreateTask(ctx, t, cliActor); err != nil {
			return "", fmt.Errorf("demo task %q: %w", ts.Task.Title, err)
		}
		for _, pr := range ts.Progress {
			at, status := pr.At, pr.Status
			db.Now = func() time.Time { return at }
			if _, err := db.UpdateTask(ctx, plan.ID, t.ID, survey.TaskUpdate{Status: &status, Note: pr.Note}, cliActor); err != nil {
				return "", fmt.Errorf("demo task %q: %w", ts.Task.Title, err)
			}
		}
	}
	db.Now = clock
	for _, r := range s.Official {
		or, err := survey.ParseOfficialResult(r)
		if err != nil {
			return "", fmt.Errorf("demo official result: %w", err)
		}
		if err := db.SetOfficialResult(ctx, or, cliActor); err != nil {
			return "", fmt.Errorf("demo official result: %w", err)
		}
	}
	return fmt.Sprintf("plans demo: plan %d %q with %d tasks (see /dashboard/plans/%d), %d official results of %d",
		plan.ID, plan.Title, len(s.Tasks), plan.ID, len(s.Official), 2021), nil
}

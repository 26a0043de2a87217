package main

import (
	"context"
	"fmt"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
)

// seedPublic publishes the demo province's results: its root and the
// root's open units, so that /p/{root} has something to show without
// signing in (an admin publishes a real agency on its dashboard page).
func seedPublic(ctx context.Context, db *sqlite.DB) (string, error) {
	all, err := db.ListAgencies(ctx, "")
	if err != nil {
		return "", err
	}
	isRoot := map[string]bool{}
	for _, a := range all {
		isRoot[a.Code] = a.ParentCode == ""
	}
	var roots []string
	units := 0
	yes := true
	for _, a := range all {
		top := a.ParentCode == ""
		if a.ClosedAt != nil || (!top && !isRoot[a.ParentCode]) {
			continue
		}
		if _, err := db.UpdateAgency(ctx, a.Code, survey.AgencyUpdate{Public: &yes}, cliActor); err != nil {
			return "", fmt.Errorf("publish %s: %w", a.Code, err)
		}
		if top {
			roots = append(roots, a.Code)
		} else {
			units++
		}
	}
	if len(roots) == 0 {
		return "", nil
	}
	return fmt.Sprintf("public demo: /p/%s and its %d units published", roots[0], units), nil
}

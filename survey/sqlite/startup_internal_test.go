package sqlite

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
)

// TestStartupQueriesDoNotScanResponses asks the planner of the real driver
// how the instrument check at start-up runs: every step must be a search
// in the index made for it, never a scan of responses (25 s at 10M
// responses) or of stats_monthly, before and after ANALYZE (which gives
// the planner statistics to choose otherwise).
func TestStartupQueriesDoNotScanResponses(t *testing.T) {
	db := openInternal(t, Options{})
	ctx := context.Background()
	if err := db.CreateAgency(ctx, &survey.Agency{Code: "A", Name: "A"}, survey.Actor{}); err != nil {
		t.Fatal(err)
	}
	c := &survey.Counter{AgencyCode: "A", Code: "Q", Name: "Q", Instrument: "quick"}
	if err := db.CreateCounter(ctx, c, survey.Actor{}); err != nil {
		t.Fatal(err)
	}
	in, _ := db.Instruments().Current("quick")
	for i := 0; i < 200; i++ {
		flag := ""
		if i%10 == 0 {
			flag = "honeypot"
		}
		s := &survey.Submission{SubmissionID: fmt.Sprintf("startup-plan-%06d", i), CounterID: c.ID, AgencyID: c.AgencyID,
			Instrument: in, Answers: []uint8{uint8(1 + i%5)}, Channel: "web", Lang: "vi", Flag: flag}
		if _, err := db.StoreResponse(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	wantIndex := []string{"stats_monthly_version", "responses_flagged_version"}
	if len(versionQueries) != len(wantIndex) {
		t.Fatalf("got %d start-up queries, want %d", len(versionQueries), len(wantIndex))
	}
	for _, stage := range []string{"before ANALYZE", "after ANALYZE"} {
		if stage == "after ANALYZE" {
			if _, err := db.write.Exec(`ANALYZE`); err != nil {
				t.Fatal(err)
			}
		}
		for i, q := range versionQueries {
			plan := queryPlan(t, db, q, "", int64(math.MinInt64))
			if len(plan) == 0 {
				t.Fatalf("%s: no plan for %s", stage, q)
			}
			for _, step := range plan {
				if !strings.HasPrefix(step, "SEARCH ") || !strings.Contains(step, wantIndex[i]) {
					t.Errorf("%s: query %d: got step %q, want a SEARCH using %s (plan %q)", stage, i, step, wantIndex[i], plan)
				}
			}
		}
	}
	if err := db.checkInstruments(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
}

// queryPlan returns the detail column of EXPLAIN QUERY PLAN for q.
func queryPlan(tb testing.TB, db *DB, q string, args ...any) []string {
	tb.Helper()
	rows, err := db.read.Query(`EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			tb.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return plan
}

package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// mustOfficial checks a result with survey.ParseOfficialResult and records
// it.
func mustOfficial(tb testing.TB, p *sqlitetest.Province, r survey.OfficialResult, by survey.Actor) *survey.OfficialResult {
	tb.Helper()
	out, err := survey.ParseOfficialResult(r)
	if err != nil {
		tb.Fatalf("parse %+v: %v", r, err)
	}
	if err := p.DB.SetOfficialResult(context.Background(), out, by); err != nil {
		tb.Fatalf("set %+v: %v", r, err)
	}
	return out
}

// officialText is a result as "YEAR INDEX score rank/of by user".
func officialText(r *survey.OfficialResult) string {
	s := fmt.Sprintf("%d %s %g", r.Year, r.Index, r.Score)
	if r.Rank != nil {
		s += fmt.Sprintf(" %d", *r.Rank)
	}
	if r.Of != nil {
		s += fmt.Sprintf("/%d", *r.Of)
	}
	return s + " by " + r.RecordedBy
}

func TestOfficialResults(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	now := planTime
	p.DB.Now = func() time.Time { return now }
	from := maxID(t, p, "audit_log")

	// Recorded out of order: the list is by year, then SIPAS, PAR INDEX,
	// PAPI (not alphabetical).
	first := mustOfficial(t, p, survey.OfficialResult{Agency: "D1", Index: survey.IndexSIPAS, Year: 2026, Score: 82.5, Rank: ptr(3), Of: ptr(20)}, testActor)
	mustOfficial(t, p, survey.OfficialResult{Agency: "D1", Index: survey.IndexPAPI, Year: 2026, Score: 42.1}, testActor)
	mustOfficial(t, p, survey.OfficialResult{Agency: "D1", Index: survey.IndexPAR, Year: 2026, Score: 88, Rank: ptr(5)}, testActor)
	mustOfficial(t, p, survey.OfficialResult{Agency: "D1", Index: survey.IndexSIPAS, Year: 2025, Score: 80}, testActor)
	mustOfficial(t, p, survey.OfficialResult{Agency: "D2", Index: survey.IndexSIPAS, Year: 2026, Score: 70}, testActor)
	d1 := p.Agency(t, "D1")
	if first.AgencyID != d1.ID || first.RecordedBy != "tester" || !first.RecordedAt.Equal(planTime) {
		t.Fatalf("recorded %+v", first)
	}

	// Recording the same agency, index and year again replaces the result.
	now = planTime.Add(24 * time.Hour)
	again := mustOfficial(t, p, survey.OfficialResult{Agency: "D1", Index: survey.IndexSIPAS, Year: 2026, Score: 84}, survey.Actor{Name: "admin"})
	if !again.RecordedAt.Equal(now) || again.RecordedBy != "admin" {
		t.Fatalf("replaced %+v", again)
	}
	if n := p.Count(t, `SELECT count(*) FROM official_results`); n != 5 {
		t.Fatalf("got %d rows, want 5", n)
	}

	tests := []struct {
		agency string
		want   []string
	}{
		{"D1", []string{"2025 SIPAS 80 by tester", "2026 SIPAS 84 by admin", "2026 PAR INDEX 88 5 by tester", "2026 PAPI 42.1 by tester"}},
		{"D2", []string{"2026 SIPAS 70 by tester"}},
		{"D3", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.agency, func(t *testing.T) {
			rs, err := p.DB.OfficialResults(ctx, tt.agency)
			if err != nil {
				t.Fatal(err)
			}
			if rs == nil {
				t.Fatal("got nil, want an empty list")
			}
			got := []string{}
			for _, r := range rs {
				if r.Agency != tt.agency || r.AgencyID != p.Agency(t, tt.agency).ID || r.RecordedAt.Location() != time.UTC {
					t.Fatalf("listed %+v", r)
				}
				got = append(got, officialText(r))
			}
			wantLines(t, "results", got, tt.want)
		})
	}

	audit := auditSince(t, p, from)
	wantLines(t, "audit", audit[len(audit)-2:], []string{
		"official.set by tester: D2 SIPAS 2026: 70",
		"official.set by admin: D1 SIPAS 2026: 84, was 82.5 (rank 3 of 20)",
	})
	if len(audit) != 6 || audit[0] != "official.set by tester: D1 SIPAS 2026: 82.5 (rank 3 of 20)" {
		t.Fatalf("audit %q", audit)
	}

	if err := p.DB.SetOfficialResult(ctx, &survey.OfficialResult{Agency: "NOPE", Index: survey.IndexSIPAS, Year: 2026, Score: 1}, testActor); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("set for an unknown agency: got %v, want ENOTFOUND", err)
	}
	if _, err := p.DB.OfficialResults(ctx, "NOPE"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("results of an unknown agency: got %v, want ENOTFOUND", err)
	}
	if n := p.Count(t, `SELECT count(*) FROM official_results`); n != 5 {
		t.Fatalf("got %d rows after refusals, want 5", n)
	}
}

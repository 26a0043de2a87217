package sqlite_test

import (
	"fmt"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// A list's subtree holds today's subtree and, recursively, what went into
// its agencies by a merger (a predecessor with the closed sub-agencies it
// still holds), each row once; never an agency its official may not see
// (survey.CanSee). A unit that merged elsewhere first is not: when C1
// merges into X and then its parent D1 into Y, Y's lists hold D1's
// comments but not C1's (they are X's).
func TestListsHoldOnlyWhatTheOfficialSees(t *testing.T) {
	seed := func(counter, day string, n int) sqlitetest.Spec {
		return sqlitetest.Spec{Counter: counter, Day: day, N: n, Value: 4, Comment: "Góp ý " + counter}
	}
	tests := []struct {
		name   string
		before []sqlitetest.Spec // seeded before the events, at the counters of then
		events []survey.Event
		after  []sqlitetest.Spec
		want   map[string]string // root → rows by agency
		hidden map[string]string // root → an agency its official may not see
	}{
		{name: "a sub-agency merged away before its parent",
			before: []sqlitetest.Spec{seed("C1/Q1", "2026-02-10", 3), seed("D1/Q1", "2026-02-15", 2)},
			events: []survey.Event{
				mergeEv(survey.Merge{Into: "X", From: []string{"C1"}, Date: "2026-03-01", Name: "Phường X", Parent: "P"}),
				mergeEv(survey.Merge{Into: "Y", From: []string{"D1"}, Date: "2026-04-01", Name: "Sở Y"}),
			},
			after: []sqlitetest.Spec{seed("X/Q1", "2026-04-10", 1), seed("Y/Q1", "2026-04-12", 1)},
			// D1's own lists hold C1's rows: C1, closed, still lies beneath
			// it in today's tree, where D1's official sees it.
			want: map[string]string{
				"Y": "map[D1:2 Y:1]", "X": "map[C1:3 X:1]", "D1": "map[C1:3 D1:2]", "C1": "map[C1:3]",
				"P": "map[C1:3 D1:2 X:1 Y:1]",
			},
			hidden: map[string]string{"Y": "C1", "X": "D1"}},
		{name: "a closed sub-agency goes with its parent",
			before: []sqlitetest.Spec{seed("C1/Q1", "2026-02-10", 3), seed("D1/Q1", "2026-02-15", 2)},
			events: []survey.Event{
				closeEv("C1", "2026-03-01"),
				mergeEv(survey.Merge{Into: "Y", From: []string{"D1"}, Date: "2026-04-01", Name: "Sở Y"}),
			},
			after: []sqlitetest.Spec{seed("Y/Q1", "2026-04-12", 1)},
			want:  map[string]string{"Y": "map[C1:3 D1:2 Y:1]", "D1": "map[C1:3 D1:2]"},
		},
		{name: "two into one",
			before: []sqlitetest.Spec{seed("D3/Q1", "2026-03-20", 3), seed("D4/Q1", "2026-03-25", 2), seed("D2/Q1", "2026-03-25", 1)},
			events: []survey.Event{mergeEv(survey.Merge{Into: "X", From: []string{"D3", "D4"}, Date: "2026-04-01", Name: "Sở mới"})},
			after:  []sqlitetest.Spec{seed("X/Q1", "2026-04-10", 1)},
			want: map[string]string{
				"X": "map[D3:3 D4:2 X:1]", "D3": "map[D3:3]", "D2": "map[D2:1]", "P": "map[D2:1 D3:3 D4:2 X:1]",
			}},
		{name: "a chain of mergers",
			before: []sqlitetest.Spec{seed("D3/Q1", "2026-02-20", 3), seed("D4/Q1", "2026-02-25", 2)},
			events: []survey.Event{
				mergeEv(survey.Merge{Into: "D4", From: []string{"D3"}, Date: "2026-03-01"}),
				mergeEv(survey.Merge{Into: "X", From: []string{"D4"}, Date: "2026-04-01", Name: "Sở mới"}),
			},
			after: []sqlitetest.Spec{seed("X/Q1", "2026-04-10", 1)},
			want:  map[string]string{"X": "map[D3:3 D4:2 X:1]", "D4": "map[D3:3 D4:2]", "P": "map[D3:3 D4:2 X:1]"},
		},
		{name: "a unit merged into its parent",
			before: []sqlitetest.Spec{seed("C1/Q1", "2026-02-10", 3), seed("D1/Q1", "2026-02-15", 2)},
			events: []survey.Event{mergeEv(survey.Merge{Into: "D1", From: []string{"C1"}, Date: "2026-03-01"})},
			after:  []sqlitetest.Spec{seed("D1/C1-Q1", "2026-04-10", 1)},
			want:   map[string]string{"D1": "map[C1:3 D1:3]", "P": "map[C1:3 D1:3]"},
		},
	}
	period, err := survey.ParsePeriod("2026-01-01", "2026-06-30")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sqlitetest.New(t, sqlite.Options{})
			ctx := t.Context()
			p.Seed(t, tt.before...)
			mustReorganise(t, p, tt.events...)
			p.Seed(t, tt.after...)
			for root, code := range tt.hidden {
				official := &survey.User{Name: "off-" + root, Role: survey.RoleOfficial, AgencyCode: root}
				if ok, err := survey.CanSee(ctx, p.DB, official, code); err != nil || ok {
					t.Fatalf("CanSee(official of %s, %s): got %v, %v; want false", root, code, ok, err)
				}
			}
			for root, want := range tt.want {
				official := &survey.User{Name: "off-" + root, Role: survey.RoleOfficial, AgencyCode: root}
				comments, total, err := p.DB.ListComments(ctx, survey.CommentFilter{Agency: root, Period: period, Limit: 500})
				if err != nil {
					t.Fatalf("%s's comments: %v", root, err)
				}
				listed := map[string]int{}
				for _, c := range comments {
					listed[c.AgencyCode]++
				}
				exported := map[string]int{}
				for _, in := range []string{"sipas-2017", "quick"} {
					err := p.DB.EachResponse(ctx, survey.ResponseFilter{Agency: root, Period: period, Instrument: in}, func(r *survey.Response) error {
						exported[r.AgencyCode]++
						return nil
					})
					if err != nil {
						t.Fatalf("%s's responses: %v", root, err)
					}
				}
				if got := fmt.Sprint(listed); got != want || total != len(comments) {
					t.Errorf("%s's comments by agency: got %s (total %d), want %s", root, got, total, want)
				}
				if got := fmt.Sprint(exported); got != want {
					t.Errorf("%s's responses by agency: got %s, want %s", root, got, want)
				}
				for code := range exported {
					ok, err := survey.CanSee(ctx, p.DB, official, code)
					if err != nil {
						t.Fatal(err)
					}
					if !ok {
						t.Errorf("%s's lists hold %s's rows, which its official may not see", root, code)
					}
				}
			}
		})
	}
}

package sqlite_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// Back-dated events are checked against every day they touch: moves that
// are each fine today but make D1 and D2 each other's parent in the second
// half of March are refused, with nothing changed.
func TestReorgPastLoopsRefused(t *testing.T) {
	move := func(agency, parent, date string) survey.Event {
		return survey.Event{Kind: survey.EventMove, Move: &survey.Move{Agency: agency, Parent: parent, Date: date}}
	}
	for _, tt := range []struct {
		name   string
		setup  []survey.Event
		event  survey.Event
		wantIn string
	}{
		{"a loop in the past", []survey.Event{move("D2", "D1", "2026-03-01"), move("D2", "P", "2026-04-01")},
			move("D1", "D2", "2026-03-15"), "would loop on 2026-03-15"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := sqlitetest.New(t, sqlite.Options{})
			for _, ev := range tt.setup {
				mustReorganise(t, p, ev)
			}
			before := reorgDump(t, p)
			tt.event.Line = 7
			err := p.DB.Reorganise(t.Context(), []survey.Event{tt.event}, testActor)
			var e *survey.Error
			if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(err.Error(), tt.wantIn) || !errors.As(err, &e) || e.Line != 7 {
				t.Fatalf("got %v, want EINVALID on line 7 containing %q", err, tt.wantIn)
			}
			if after := reorgDump(t, p); after != before {
				t.Fatalf("the tree changed:\n%s\n---\n%s", before, after)
			}
		})
	}
}

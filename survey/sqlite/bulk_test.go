package sqlite_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// A bulk load that fails, on a duplicate submission id or an error of
// next, returns the error and stores nothing of its last transaction:
// neither responses nor statistics.
func TestBulkLoadFails(t *testing.T) {
	errNext := errors.New("next failed")
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, survey.Vietnam)
	for _, tc := range []struct {
		name string
		at   int // where the load fails, of 100 responses
		dup  bool
		want error
	}{
		{"duplicate early", 5, true, nil},
		{"duplicate last", 99, true, nil},
		{"next fails", 70, false, errNext},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := sqlitetest.New(t, sqlite.Options{})
			var subs []*survey.Submission
			for i := range 100 {
				subs = append(subs, p.Submission(t, "D1/Q1", 4, at.Add(time.Duration(i)*time.Minute)))
			}
			if tc.dup {
				subs[tc.at].SubmissionID = subs[0].SubmissionID
			}
			i := 0
			n, err := p.DB.BulkLoad(t.Context(), func() (*survey.Submission, error) {
				switch {
				case !tc.dup && i == tc.at:
					return nil, errNext
				case i == len(subs):
					return nil, nil
				}
				i++
				return subs[i-1], nil
			})
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %d loaded, error %v; want an error %v", n, err, tc.want)
			}
			for _, q := range []string{`SELECT count(*) FROM responses`, `SELECT count(*) FROM stats_daily`, `SELECT count(*) FROM stats_monthly`} {
				var got int
				if err := p.RO.QueryRow(q).Scan(&got); err != nil || got != 0 {
					t.Errorf("%s: %d (%v), want 0", q, got, err)
				}
			}
		})
	}
}

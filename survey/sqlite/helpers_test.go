package sqlite_test

import (
	"context"
	"database/sql"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// The databases of these tests come from sqlitetest: New for the standard
// province, Empty for a tree of a test's own. Tests of Open itself open
// their files directly.

var testActor = survey.Actor{Name: "tester"}

func ptr[T any](v T) *T { return &v }

// mustStore stores s and fails the test on error.
func mustStore(tb testing.TB, db *sqlite.DB, s *survey.Submission) survey.Result {
	tb.Helper()
	res, err := db.StoreResponse(context.Background(), s)
	if err != nil {
		tb.Fatalf("store %s: %v", s.SubmissionID, err)
	}
	return res
}

// monthStats reads the stats_monthly row of an agency and month from disk.
func monthStats(tb testing.TB, p *sqlitetest.Province, agencyID int64, in *survey.Instrument, month string) (int64, *scoring.Stats) {
	tb.Helper()
	var n int64
	var data []byte
	err := p.RO.QueryRow(`SELECT respondents, data FROM stats_monthly WHERE agency_id = ? AND instrument = ? AND instrument_version = ? AND month = ?`,
		agencyID, in.ID, in.Version, month).Scan(&n, &data)
	if err != nil {
		return 0, nil
	}
	st := scoring.NewStats(in.Design())
	if err := st.UnmarshalBinary(data); err != nil {
		tb.Fatalf("decode stats: %v", err)
	}
	return n, st
}

// registryWith returns the embedded instruments plus the given extra files.
func registryWith(tb testing.TB, extra map[string]string) *survey.Instruments {
	tb.Helper()
	fsys := fstest.MapFS{}
	names, _ := fs.Glob(instruments.Files, "*.json")
	for _, n := range names {
		b, err := fs.ReadFile(instruments.Files, n)
		if err != nil {
			tb.Fatal(err)
		}
		fsys[n] = &fstest.MapFile{Data: b}
	}
	for n, body := range extra {
		fsys[n] = &fstest.MapFile{Data: []byte(body)}
	}
	reg, err := survey.LoadInstruments(fsys)
	if err != nil {
		tb.Fatalf("registry: %v", err)
	}
	return reg
}

// queryInt runs a query that returns one integer on a handle of its own
// (for files other than a Province's, such as a backup).
func queryInt(tb testing.TB, db *sql.DB, q string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
)

var testActor = survey.Actor{Name: "tester"}

// coreRegistry loads the embedded instruments.
func coreRegistry(tb testing.TB) *survey.Instruments {
	tb.Helper()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		tb.Fatalf("instruments: %v", err)
	}
	return reg
}

// openCoreDB opens a fresh database file in a temporary folder and closes it
// at the end of the test.
func openCoreDB(tb testing.TB, opt sqlite.Options) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "data", "sipas.db"), coreRegistry(tb), opt)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// coreFixture is a small province: P → D1 → C1, P → D2, with counters
// D1/Q1 (sipas-2017), D1/K1 (quick) and D2/Q1.
type coreFixture struct {
	db     *sqlite.DB
	sipas  *survey.Instrument
	quick  *survey.Instrument
	d1q1   *survey.Counter
	d1k1   *survey.Counter
	d2q1   *survey.Counter
	nextID atomic.Int64
}

func newCoreFixture(tb testing.TB, opt sqlite.Options) *coreFixture {
	tb.Helper()
	db := openCoreDB(tb, opt)
	ctx := context.Background()
	for _, a := range []*survey.Agency{
		{Code: "P", Name: "UBND tỉnh"},
		{Code: "D1", Name: "Sở Tư pháp", ParentCode: "P"},
		{Code: "D2", Name: "Huyện Phong Điền", ParentCode: "P"},
		{Code: "C1", Name: "Xã Nhơn Ái", ParentCode: "D1"},
	} {
		if err := db.CreateAgency(ctx, a, testActor); err != nil {
			tb.Fatalf("create agency %s: %v", a.Code, err)
		}
	}
	f := &coreFixture{db: db}
	var err error
	if f.sipas, err = db.Instruments().Current("sipas-2017"); err != nil {
		tb.Fatal(err)
	}
	if f.quick, err = db.Instruments().Current("quick"); err != nil {
		tb.Fatal(err)
	}
	mk := func(agency, code, inst string) *survey.Counter {
		c := &survey.Counter{AgencyCode: agency, Code: code, Name: "Quầy " + code, Instrument: inst}
		if err := db.CreateCounter(ctx, c, testActor); err != nil {
			tb.Fatalf("create counter %s/%s: %v", agency, code, err)
		}
		return c
	}
	f.d1q1 = mk("D1", "Q1", "sipas-2017")
	f.d1k1 = mk("D1", "K1", "quick")
	f.d2q1 = mk("D2", "Q1", "")
	return f
}

// submission returns a valid sipas-2017 submission for counter c with
// every answer v and a fresh submission id.
func (f *coreFixture) submission(c *survey.Counter, v uint8) *survey.Submission {
	in := f.sipas
	if c.Instrument == "quick" {
		in = f.quick
	}
	ans := make([]uint8, len(in.Items))
	for k := range ans {
		ans[k] = v
	}
	return &survey.Submission{
		SubmissionID: fmt.Sprintf("core-test-sub-%08d", f.nextID.Add(1)),
		CounterID:    c.ID, AgencyID: c.AgencyID, Instrument: in, Answers: ans,
		Channel: "web", Lang: "vi",
	}
}

// rawDB opens a second, independent connection to the database file, for
// checking what is really on disk.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		tb.Fatalf("raw open: %v", err)
	}
	tb.Cleanup(func() { raw.Close() })
	return raw
}

// queryInt runs a query that returns one integer.
func queryInt(tb testing.TB, db *sql.DB, q string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

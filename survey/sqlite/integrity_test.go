package sqlite_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func vnTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, survey.Vietnam)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// stuffedCounter stores 20 days of honest ratings at D1/Q1 (eight a day,
// varied answers, each from its own client), then on 2026-10-06 eight more
// and a burst of fifteen all-5 ratings from one client at 10:00. It
// returns the burst's response ids.
func stuffedCounter(t *testing.T, p *sqlitetest.Province) []int64 {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	honest := func(day time.Time) {
		s := p.Submission(t, "D1/Q1", 4, day.Add(time.Duration(7*60+rng.IntN(9*60))*time.Minute))
		for k := range s.Answers {
			s.Answers[k] = uint8(3 + rng.IntN(3))
		}
		s.Client = rng.Int64N(1<<40) + 1
		mustStore(t, p.DB, s)
	}
	start := vnTime(t, "2026-09-16 00:00")
	for d := 0; d < 21; d++ {
		day := start.AddDate(0, 0, d)
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		for i := 0; i < 8; i++ {
			honest(day)
		}
	}
	var burst []int64
	at := vnTime(t, "2026-10-06 10:00")
	for i := 0; i < 15; i++ {
		s := p.Submission(t, "D1/Q1", 5, at.Add(time.Duration(i)*40*time.Second))
		s.Client = 77
		burst = append(burst, mustStore(t, p.DB, s).ResponseID)
	}
	return burst
}

// checkCounted asserts that the indices count exactly the unflagged
// responses, item by item, and excluded_daily exactly the flagged ones.
func checkCounted(t *testing.T, p *sqlitetest.Province, in *survey.Instrument) {
	t.Helper()
	agency := p.Agency(t, "D1")
	for _, month := range []string{"2026-09", "2026-10"} {
		n, st := monthStats(t, p, agency.ID, in, month)
		want := scoring.NewStats(in.Design())
		rows, err := p.RO.Query(`SELECT answers FROM responses WHERE agency_id = ? AND flag = '' AND local_date LIKE ?`, agency.ID, month+"-%")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a []byte
			rows.Scan(&a)
			want.Add(survey.ScoringAnswers(a, nil))
		}
		rows.Close()
		if n != want.N() || (st != nil && st.N() != want.N()) {
			t.Fatalf("%s: stats_monthly counts %d, the unflagged responses %d", month, n, want.N())
		}
		for k := range in.Items {
			got, _ := st.ItemCounts(k)
			exp, _ := want.ItemCounts(k)
			if got != exp {
				t.Fatalf("%s item %d: stats %v, responses %v", month, k, got, exp)
			}
		}
	}
	if ex, fl := p.Count(t, `SELECT COALESCE(SUM(n), 0) FROM excluded_daily`), p.Count(t, `SELECT count(*) FROM responses WHERE flag != ''`); ex != fl {
		t.Fatalf("excluded_daily counts %d, the flagged responses %d", ex, fl)
	}
}

func TestIntegrityScanSetsAsideAndStaysConsistent(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	in := p.Instrument(t, p.Counter(t, "D1/Q1").Instrument)
	burst := stuffedCounter(t, p)
	now := vnTime(t, "2026-10-07 08:00")
	sc := &integrity.Scanner{Store: p.DB, Now: func() time.Time { return now }}
	res, err := sc.Scan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.SetAside != len(burst) || res.Windows != 1 {
		t.Fatalf("scan: %+v, want the %d ratings of the burst in one window", res, len(burst))
	}
	for _, id := range burst {
		r, err := p.DB.FindResponse(ctx, id)
		if err != nil || r.Flag != survey.FlagIntegrity {
			t.Fatalf("burst rating %d: %+v, %v", id, r, err)
		}
	}
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE flag != '' AND integrity_window IS NULL`); n != 0 {
		t.Errorf("%d set-aside ratings without a window", n)
	}
	if got := p.Count(t, `SELECT ratings FROM integrity_windows`); got != len(burst) {
		t.Errorf("window counts %d ratings", got)
	}
	var reasons string
	p.RO.QueryRow(`SELECT integrity_reasons FROM responses WHERE id = ?`, burst[0]).Scan(&reasons)
	if reasons == "" {
		t.Error("set-aside rating without reasons")
	}
	checkCounted(t, p, in)

	// Scanning again finds the same window and sets nothing more aside.
	if res, err := sc.Scan(ctx); err != nil || res.SetAside != 0 {
		t.Fatalf("second scan: %+v, %v", res, err)
	}
	if n := p.Count(t, `SELECT count(*) FROM integrity_windows`); n != 1 {
		t.Errorf("%d windows after a second scan, want 1", n)
	}

	// An admin accepts one back: counted again, and never set aside again.
	if _, err := p.DB.ReviewFlagged(ctx, burst[0], true, "", testActor); err != nil {
		t.Fatal(err)
	}
	checkCounted(t, p, in)
	if res, err := sc.Scan(ctx); err != nil || res.SetAside != 0 {
		t.Fatalf("scan after the review: %+v, %v", res, err)
	}
	if r, _ := p.DB.FindResponse(ctx, burst[0]); r.Flag != "" {
		t.Errorf("accepted rating flagged again: %q", r.Flag)
	}

	// Client hashes are kept integrity.KeepClientDays, then erased.
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE client IS NOT NULL AND local_date = '2026-10-06'`); n == 0 {
		t.Fatal("client hashes of yesterday erased too early")
	}
	now = vnTime(t, "2026-10-08 09:00")
	if _, err := sc.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE client IS NOT NULL AND local_date <= '2026-10-06'`); n != 0 {
		t.Errorf("%d client hashes older than %d days kept", n, integrity.KeepClientDays)
	}
}

func TestIntegrityHoursInheritAndHolidays(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	h, from, err := p.DB.AgencyHours(ctx, "D1")
	if err != nil || from != "" || len(h[time.Monday]) != 2 {
		t.Fatalf("default hours: %v from %q, %v", h.Map(), from, err)
	}
	sat, err := integrity.ParseHours(map[string][]string{"mon": {"07:00-11:30"}, "sat": {"07:30-11:30"}})
	if err != nil {
		t.Fatal(err)
	}
	root := p.Agency(t, "D1").ParentCode
	if err := p.DB.SetAgencyHours(ctx, root, &sat, testActor); err != nil {
		t.Fatal(err)
	}
	if _, from, _ := p.DB.AgencyHours(ctx, "D1"); from != root {
		t.Errorf("D1 takes its hours from %q, want its parent %q", from, root)
	}
	cal, err := p.DB.Calendar(ctx, p.Agency(t, "D1").ID)
	if err != nil || !cal.Open(vnTime(t, "2026-10-10 08:00"), 0) {
		t.Errorf("D1 open on Saturday morning by its parent's hours: %v", err)
	}
	if err := p.DB.SetAgencyHours(ctx, root, nil, testActor); err != nil {
		t.Fatal(err)
	}
	if _, from, _ := p.DB.AgencyHours(ctx, "D1"); from != "" {
		t.Errorf("after inherit, hours from %q", from)
	}
	if err := p.DB.SetHolidays(ctx, []integrity.Holiday{{Date: "2026-09-02", Name: "Quốc khánh"}}, testActor); err != nil {
		t.Fatal(err)
	}
	bad := []integrity.Holiday{{Date: "2026-13-01"}}
	if err := p.DB.SetHolidays(ctx, bad, testActor); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("bad holiday: %v", err)
	}
	list, _ := p.DB.Holidays(ctx)
	if len(list) != 1 || list[0].Name != "Quốc khánh" {
		t.Errorf("holidays after a refused change: %v", list)
	}
	if _, _, err := p.DB.AgencyHours(ctx, "NOPE"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown agency: %v", err)
	}
}

// A window that cannot be recorded is left out whole; the others of the
// same pass are recorded all the same, and the error names it.
func TestSetAsideIsolatesABadWindow(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	in := p.Instrument(t, p.Counter(t, "D1/Q1").Instrument)
	c := p.Counter(t, "D1/Q1")
	at := vnTime(t, "2026-10-06 10:00")
	var good []int64
	for i := 0; i < 3; i++ {
		good = append(good, mustStore(t, p.DB, p.Submission(t, "D1/Q1", 5, at.Add(time.Duration(i)*time.Minute))).ResponseID)
	}
	windows := []integrity.Window{
		{Unit: c.ID, Agency: c.AgencyID, Date: "2026-10-06", From: at, To: at.Add(10 * time.Minute), Reasons: []string{integrity.SignalDevice}, Ratings: []int64{good[0], 999999}},
		{Unit: c.ID, Agency: c.AgencyID, Date: "2026-10-06", From: at.Add(time.Hour), To: at.Add(70 * time.Minute), Reasons: []string{integrity.SignalBurst}, Ratings: good[1:]},
	}
	n, err := p.DB.SetAside(ctx, windows, at, testActor)
	if err == nil || n != 2 {
		t.Fatalf("SetAside = %d, %v; want the second window's 2 and an error for the first", n, err)
	}
	if r, _ := p.DB.FindResponse(ctx, good[0]); r.Flag != "" {
		t.Errorf("the bad window's good rating was set aside: %q", r.Flag)
	}
	if n := p.Count(t, `SELECT count(*) FROM integrity_windows`); n != 1 {
		t.Errorf("%d windows stored, want 1", n)
	}
	checkCounted(t, p, in)
}

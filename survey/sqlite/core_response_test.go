package sqlite_test

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
)

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
func monthStats(tb testing.TB, f *coreFixture, agencyID int64, in *survey.Instrument, month string) (int64, *scoring.Stats) {
	tb.Helper()
	raw := rawDB(tb, f.db.Path)
	var n int64
	var data []byte
	err := raw.QueryRow(`SELECT respondents, data FROM stats_monthly WHERE agency_id = ? AND instrument = ? AND instrument_version = ? AND month = ?`,
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

func TestStoreResponse(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	ctx := context.Background()
	s := f.submission(f.d1q1, 4)
	s.Answers[1] = survey.AnswerNA
	s.Comment = "Cán bộ nhiệt tình"
	// 23:30 UTC on 31 March is already 1 April in Vietnam.
	s.ReceivedAt = time.Date(2024, 3, 31, 23, 30, 0, 0, time.UTC)
	res := mustStore(t, f.db, s)
	if res.ResponseID == 0 || res.Replay {
		t.Fatalf("got %+v, want a new response", res)
	}
	r, err := f.db.FindResponse(ctx, res.ResponseID)
	if err != nil {
		t.Fatal(err)
	}
	want := survey.Response{
		ID: res.ResponseID, SubmissionID: s.SubmissionID, CounterID: f.d1q1.ID, CounterCode: "Q1",
		AgencyID: f.d1q1.AgencyID, AgencyCode: "D1", InstrumentID: "sipas-2017", InstrumentVersion: 1,
		Comment: "Cán bộ nhiệt tình", Channel: "web", LocalDate: "2024-04-01",
	}
	got := *r
	got.Answers, got.SubmittedAt = nil, time.Time{}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	if !r.SubmittedAt.Equal(s.ReceivedAt) || string(r.Answers) != string(s.Answers) {
		t.Fatalf("got time %v answers %v, want %v %v", r.SubmittedAt, r.Answers, s.ReceivedAt, s.Answers)
	}
	if _, err := f.db.FindResponse(ctx, res.ResponseID+100); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find unknown: got %v, want ENOTFOUND", err)
	}

	// The month of the statistics is the Vietnamese one too.
	if n, _ := monthStats(t, f, f.d1q1.AgencyID, f.sipas, "2024-03"); n != 0 {
		t.Fatalf("March has %d respondents, want 0", n)
	}
	n, st := monthStats(t, f, f.d1q1.AgencyID, f.sipas, "2024-04")
	if n != 1 || st == nil || st.N() != 1 {
		t.Fatalf("April: got %d respondents (stats %v), want 1", n, st)
	}
	counts, na := st.ItemCounts(0)
	if counts[3] != 1 {
		t.Fatalf("TC1 counts: got %v, want one 4", counts)
	}
	if _, na = st.ItemCounts(1); na != 1 {
		t.Fatalf("TC2 no-opinion: got %d, want 1", na)
	}

	// A replay returns the original id and stores nothing.
	again := *s
	again.Answers = append([]uint8(nil), s.Answers...)
	again.Answers[0] = 1
	rep := mustStore(t, f.db, &again)
	if rep.ResponseID != res.ResponseID || !rep.Replay {
		t.Fatalf("replay: got %+v, want id %d with Replay", rep, res.ResponseID)
	}
	raw := rawDB(t, f.db.Path)
	if n := queryInt(t, raw, `SELECT count(*) FROM responses`); n != 1 {
		t.Fatalf("got %d rows after a replay, want 1", n)
	}
	if n, _ := monthStats(t, f, f.d1q1.AgencyID, f.sipas, "2024-04"); n != 1 {
		t.Fatalf("replay changed the statistics: %d respondents", n)
	}
	if r, _ := f.db.FindResponse(ctx, res.ResponseID); r.Answers[0] != 4 {
		t.Fatalf("replay overwrote the answers: %v", r.Answers)
	}
}

func TestStoreResponseUsesClockWhenNoTime(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	f.db.Now = func() time.Time { return time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC) }
	res := mustStore(t, f.db, f.submission(f.d2q1, 5))
	r, err := f.db.FindResponse(context.Background(), res.ResponseID)
	if err != nil || r.LocalDate != "2025-07-01" {
		t.Fatalf("got %+v, %v; want local date 2025-07-01", r, err)
	}
}

func TestStoreResponseInvalid(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	ctx := context.Background()
	short := f.submission(f.d1q1, 3)
	short.Answers = short.Answers[:5]
	badID := f.submission(f.d1q1, 3)
	badID.SubmissionID = "short"
	noInst := f.submission(f.d1q1, 3)
	noInst.Instrument = nil
	for name, s := range map[string]*survey.Submission{"wrong answer count": short, "bad submission id": badID, "no instrument": noInst} {
		if _, err := f.db.StoreResponse(ctx, s); survey.ErrorCode(err) != survey.EINVALID {
			t.Fatalf("%s: got %v, want EINVALID", name, err)
		}
	}
	// A submission the database refuses (no such counter) fails alone:
	// nothing of it is stored, statistics included.
	ghost := f.submission(f.d1q1, 3)
	ghost.CounterID = 99999
	if _, err := f.db.StoreResponse(ctx, ghost); err == nil {
		t.Fatalf("stored a response of a counter that does not exist")
	}
	raw := rawDB(t, f.db.Path)
	if n := queryInt(t, raw, `SELECT count(*) FROM responses`) + queryInt(t, raw, `SELECT count(*) FROM stats_monthly`); n != 0 {
		t.Fatalf("got %d rows after refused submissions, want 0", n)
	}
}

func TestFlaggedStoredButNotCounted(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	at := time.Date(2024, 5, 10, 3, 0, 0, 0, time.UTC)
	ok := f.submission(f.d1q1, 5)
	ok.ReceivedAt = at
	mustStore(t, f.db, ok)
	flagged := f.submission(f.d1q1, 1)
	flagged.ReceivedAt = at
	flagged.Flag = "honeypot"
	res := mustStore(t, f.db, flagged)
	r, err := f.db.FindResponse(context.Background(), res.ResponseID)
	if err != nil || r.Flag != "honeypot" {
		t.Fatalf("got %+v, %v; want the flagged response stored", r, err)
	}
	n, st := monthStats(t, f, f.d1q1.AgencyID, f.sipas, "2024-05")
	if n != 1 || st.N() != 1 {
		t.Fatalf("got %d respondents, want 1 (the flagged one left out)", n)
	}
	if counts, _ := st.ItemCounts(0); counts[0] != 0 || counts[4] != 1 {
		t.Fatalf("TC1 counts: got %v, want only the 5", counts)
	}
	// Only a flagged response in a month: no statistics row at all.
	lone := f.submission(f.d2q1, 2)
	lone.ReceivedAt = at
	lone.Flag = "burst"
	mustStore(t, f.db, lone)
	if n, _ := monthStats(t, f, f.d2q1.AgencyID, f.sipas, "2024-05"); n != 0 {
		t.Fatalf("got %d respondents for a month of flagged responses only, want 0", n)
	}
}

func TestConcurrentStoreResponseExactlyOnce(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{MaxBatch: 16})
	const n = 120
	at := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	subs := make([]*survey.Submission, n)
	for i := range subs {
		c := []*survey.Counter{f.d1q1, f.d2q1, f.d1k1}[i%3]
		subs[i] = f.submission(c, uint8(1+i%5))
		subs[i].ReceivedAt = at
		if c == f.d1k1 {
			subs[i].Followup = 1 + (i/3)%3
		}
	}
	// Every submission is sent twice, from two goroutines, as a double tap.
	results := make([][2]survey.Result, n)
	errs := make(chan error, 2*n)
	var wg sync.WaitGroup
	for i := range subs {
		for k := 0; k < 2; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cp := *subs[i]
				res, err := f.db.StoreResponse(context.Background(), &cp)
				if err != nil {
					errs <- err
					return
				}
				results[i][k] = res
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("store: %v", err)
	}
	ids := map[int64]bool{}
	for i, r := range results {
		if r[0].ResponseID == 0 || r[0].ResponseID != r[1].ResponseID || r[0].Replay == r[1].Replay {
			t.Fatalf("submission %d: got %+v, want one id, exactly one of them a replay", i, r)
		}
		if ids[r[0].ResponseID] {
			t.Fatalf("response id %d given to two submissions", r[0].ResponseID)
		}
		ids[r[0].ResponseID] = true
	}
	raw := rawDB(t, f.db.Path)
	if got := queryInt(t, raw, `SELECT count(*) FROM responses`); got != n {
		t.Fatalf("got %d rows, want %d", got, n)
	}
	total := queryInt(t, raw, `SELECT COALESCE(sum(respondents), 0) FROM stats_monthly`)
	if total != n {
		t.Fatalf("got %d respondents in stats_monthly, want %d", total, n)
	}
	qn, _ := monthStats(t, f, f.d1k1.AgencyID, f.quick, "2024-07")
	if qn != n/3 {
		t.Fatalf("got %d quick respondents, want %d", qn, n/3)
	}
	var fu string
	if err := raw.QueryRow(`SELECT followups FROM stats_monthly WHERE instrument = 'quick'`).Scan(&fu); err != nil {
		t.Fatal(err)
	}
	if fu != "[0,14,13,13]" {
		t.Fatalf("got follow-up counts %s, want [0,14,13,13]", fu)
	}
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

func extraInstrument(version int) string {
	return fmt.Sprintf(`{"id": "extra", "version": %d, "title": {"vi": "Thử"}, "elements": [],
		"items": [{"code": "X1", "vi": "Câu %d"}], "allow_no_opinion": false, "require_all": true, "comment": false}`, version, version)
}

func TestOpenRefusesUnknownInstrumentVersion(t *testing.T) {
	tests := []struct {
		name string
		flag string
	}{{"counted response", ""}, {"flagged response only", "honeypot"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sipas.db")
			both := registryWith(t, map[string]string{"extra.v1.json": extraInstrument(1), "extra.v2.json": extraInstrument(2)})
			db, err := sqlite.Open(path, both, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := db.CreateAgency(ctx, &survey.Agency{Code: "A", Name: "A"}, testActor); err != nil {
				t.Fatal(err)
			}
			c := &survey.Counter{AgencyCode: "A", Code: "Q", Name: "Q", Instrument: "extra"}
			if err := db.CreateCounter(ctx, c, testActor); err != nil {
				t.Fatal(err)
			}
			v2, _ := both.Current("extra")
			if v2.Version != 2 {
				t.Fatalf("got version %d, want 2", v2.Version)
			}
			s := &survey.Submission{SubmissionID: "refuse-unknown-version-1", CounterID: c.ID, AgencyID: c.AgencyID,
				Instrument: v2, Answers: []uint8{5}, Channel: "api", Lang: "vi", Flag: tt.flag}
			mustStore(t, db, s)
			db.Close()

			// A build that knows the version opens it; one that only knows v1 refuses.
			if db, err := sqlite.Open(path, both, sqlite.Options{}); err != nil {
				t.Fatalf("reopen with v2 known: %v", err)
			} else {
				db.Close()
			}
			older := registryWith(t, map[string]string{"extra.v1.json": extraInstrument(1)})
			db, err = sqlite.Open(path, older, sqlite.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("opened a database holding extra v2 with a build that has only v1")
			}
			if !strings.Contains(err.Error(), "extra v2") {
				t.Fatalf("got %q, want it to name extra v2", err)
			}
		})
	}
}

func TestBackupAndIntegrityCheck(t *testing.T) {
	f := newCoreFixture(t, sqlite.Options{})
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		mustStore(t, f.db, f.submission(f.d1q1, uint8(1+i%5)))
	}
	s1, err := f.db.TokenSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "backup.db")
	if err := f.db.Backup(ctx, target); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if res, err := sqlite.IntegrityCheck(ctx, target); err != nil || res != "ok" {
		t.Fatalf("integrity check: got %q, %v", res, err)
	}
	if err := f.db.Backup(ctx, target); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second backup to the same file: got %v, want 'already exists'", err)
	}
	raw := rawDB(t, target)
	if n := queryInt(t, raw, `SELECT count(*) FROM responses`); n != 20 {
		t.Fatalf("backup has %d responses, want 20", n)
	}
	// The copy opens as a database in its own right, with the same secret.
	b, err := sqlite.Open(target, coreRegistry(t), sqlite.Options{})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer b.Close()
	s2, _ := b.TokenSecret(ctx)
	if string(s1) != string(s2) {
		t.Fatalf("backup has another token secret: QR codes would break after a restore")
	}
	if _, err := sqlite.IntegrityCheck(ctx, filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Fatalf("integrity check of a missing file: got no error")
	}
}

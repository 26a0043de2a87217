package sqlite_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestStoreResponse(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	d1q1, sipas := p.Counter(t, "D1/Q1"), p.Instrument(t, "sipas-2017")
	// 23:30 UTC on 31 March is already 1 April in Vietnam.
	s := p.Submission(t, "D1/Q1", 4, time.Date(2024, 3, 31, 23, 30, 0, 0, time.UTC))
	s.Answers[1] = survey.AnswerNA
	s.Comment = "Cán bộ nhiệt tình"
	res := mustStore(t, p.DB, s)
	if res.ResponseID == 0 || res.Replay {
		t.Fatalf("got %+v, want a new response", res)
	}
	r, err := p.DB.FindResponse(ctx, res.ResponseID)
	if err != nil {
		t.Fatal(err)
	}
	want := survey.Response{
		ID: res.ResponseID, SubmissionID: s.SubmissionID, CounterID: d1q1.ID, CounterCode: "Q1",
		AgencyID: d1q1.AgencyID, AgencyCode: "D1", InstrumentID: "sipas-2017", InstrumentVersion: 1,
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
	if _, err := p.DB.FindResponse(ctx, res.ResponseID+100); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find unknown: got %v, want ENOTFOUND", err)
	}

	// The month of the statistics is the Vietnamese one too.
	if n, _ := monthStats(t, p, d1q1.AgencyID, sipas, "2024-03"); n != 0 {
		t.Fatalf("March has %d respondents, want 0", n)
	}
	n, st := monthStats(t, p, d1q1.AgencyID, sipas, "2024-04")
	if n != 1 || st == nil || st.N() != 1 {
		t.Fatalf("April: got %d respondents (stats %v), want 1", n, st)
	}
	counts, na := st.ItemCounts(0)
	if counts[3] != 1 || na != 0 {
		t.Fatalf("TC1 counts: got %v and %d no-opinion, want one 4 and none", counts, na)
	}
	if _, na = st.ItemCounts(1); na != 1 {
		t.Fatalf("TC2 no-opinion: got %d, want 1", na)
	}

	// A replay (the same rating sent again, later and by another channel)
	// returns the original id and stores nothing.
	again := *s
	again.Answers = append([]uint8(nil), s.Answers...)
	again.ReceivedAt, again.Channel = s.ReceivedAt.Add(time.Minute), "api"
	rep := mustStore(t, p.DB, &again)
	if rep.ResponseID != res.ResponseID || !rep.Replay {
		t.Fatalf("replay: got %+v, want id %d with Replay", rep, res.ResponseID)
	}
	if n := p.Responses(t); n != 1 {
		t.Fatalf("got %d rows after a replay, want 1", n)
	}
	if n, _ := monthStats(t, p, d1q1.AgencyID, sipas, "2024-04"); n != 1 {
		t.Fatalf("replay changed the statistics: %d respondents", n)
	}
}

// TestStoreResponseConflict: a submission id already stored, sent with
// another counter or other answers, is ECONFLICT and changes nothing. The
// review found such a submission answered "stored" and dropped.
func TestStoreResponseConflict(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	at := time.Date(2024, 5, 10, 3, 0, 0, 0, time.UTC)
	first := p.Submission(t, "D1/Q1", 4, at)
	first.Comment = "Cán bộ nhiệt tình"
	res := mustStore(t, p.DB, first)
	other := func(counter string, change func(*survey.Submission)) *survey.Submission {
		s := p.Submission(t, counter, 4, at.Add(time.Minute))
		s.SubmissionID, s.Comment = first.SubmissionID, first.Comment
		change(s)
		return s
	}
	tests := []struct {
		name string
		sub  *survey.Submission
	}{
		{"other counter, same answers", other("D2/Q1", func(*survey.Submission) {})},
		{"other counter of the same agency", other("D1/R1", func(*survey.Submission) {})},
		{"other answers", other("D1/Q1", func(s *survey.Submission) { s.Answers[3] = 5 })},
		{"other comment", other("D1/Q1", func(s *survey.Submission) { s.Comment = "Chờ lâu" })},
		{"no comment", other("D1/Q1", func(s *survey.Submission) { s.Comment = "" })},
		{"other instrument", other("D1/K1", func(*survey.Submission) {})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.DB.StoreResponse(ctx, tt.sub)
			if survey.ErrorCode(err) != survey.ECONFLICT {
				t.Fatalf("got %+v, %v; want ECONFLICT", got, err)
			}
		})
	}
	if n := p.Responses(t); n != 1 {
		t.Fatalf("got %d rows after conflicts, want 1", n)
	}
	if r, _ := p.DB.FindResponse(ctx, res.ResponseID); r.CounterCode != "Q1" || r.Answers[3] != 4 || r.Comment != first.Comment {
		t.Fatalf("a conflict changed the stored response: %+v", r)
	}
	if n := p.Count(t, `SELECT COALESCE(sum(respondents), 0) FROM stats_monthly`); n != 1 {
		t.Fatalf("conflicts changed the statistics: %d respondents", n)
	}

	// A quick rating completed on the thank-you page, then sent again as
	// first tapped (a retry of the tap), is a replay; with another
	// follow-up it is a conflict.
	tap := p.Submission(t, "D1/K1", 2, time.Time{})
	tapped := mustStore(t, p.DB, tap)
	if err := p.DB.AddFollowup(ctx, tap.SubmissionID, tap.CounterID, 2, "Phải đi lại", time.Hour); err != nil {
		t.Fatal(err)
	}
	retry := *tap
	if got := mustStore(t, p.DB, &retry); !got.Replay || got.ResponseID != tapped.ResponseID {
		t.Fatalf("retry of a completed tap: got %+v, want a replay of %d", got, tapped.ResponseID)
	}
	retry.Followup = 1
	if _, err := p.DB.StoreResponse(ctx, &retry); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("tap with another follow-up: got %v, want ECONFLICT", err)
	}
}

// TestStoreResponseConflictInBatch: conflicts sharing a transaction with
// new responses fail alone; the others are stored, each once.
func TestStoreResponseConflictInBatch(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{MaxBatch: 64})
	at := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	taken := p.Submission(t, "D1/Q1", 5, at)
	mustStore(t, p.DB, taken)
	const n = 60
	subs := make([]*survey.Submission, n)
	for i := range subs {
		subs[i] = p.Submission(t, "D2/Q1", uint8(1+i%5), at)
		if i%3 == 0 {
			subs[i].SubmissionID = taken.SubmissionID // another counter: a conflict
		}
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = p.DB.StoreResponse(context.Background(), subs[i])
		}()
	}
	wg.Wait()
	for i, err := range errs {
		want := ""
		if i%3 == 0 {
			want = survey.ECONFLICT
		}
		if survey.ErrorCode(err) != want {
			t.Fatalf("submission %d: got %v, want code %q", i, err, want)
		}
	}
	if got, want := p.Responses(t), 1+n-n/3; got != want {
		t.Fatalf("got %d rows, want %d", got, want)
	}
	if got := p.Count(t, `SELECT COALESCE(sum(respondents), 0) FROM stats_monthly`); got != 1+n-n/3 {
		t.Fatalf("got %d respondents in stats_monthly, want %d", got, 1+n-n/3)
	}
}

func TestStoreResponseUsesClockWhenNoTime(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.DB.Now = func() time.Time { return time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC) }
	res := mustStore(t, p.DB, p.Submission(t, "D2/Q1", 5, time.Time{}))
	r, err := p.DB.FindResponse(context.Background(), res.ResponseID)
	if err != nil || r.LocalDate != "2025-07-01" {
		t.Fatalf("got %+v, %v; want local date 2025-07-01", r, err)
	}
}

func TestStoreResponseInvalid(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	short := p.Submission(t, "D1/Q1", 3, time.Time{})
	short.Answers = short.Answers[:5]
	badID := p.Submission(t, "D1/Q1", 3, time.Time{})
	badID.SubmissionID = "short"
	noInst := p.Submission(t, "D1/Q1", 3, time.Time{})
	noInst.Instrument = nil
	for name, s := range map[string]*survey.Submission{"wrong answer count": short, "bad submission id": badID, "no instrument": noInst} {
		if _, err := p.DB.StoreResponse(ctx, s); survey.ErrorCode(err) != survey.EINVALID {
			t.Fatalf("%s: got %v, want EINVALID", name, err)
		}
	}
	// A submission the database refuses (no such counter) fails alone:
	// nothing of it is stored, statistics included.
	ghost := p.Submission(t, "D1/Q1", 3, time.Time{})
	ghost.CounterID = 99999
	if _, err := p.DB.StoreResponse(ctx, ghost); err == nil {
		t.Fatalf("stored a response of a counter that does not exist")
	}
	if n := p.Responses(t) + p.Count(t, `SELECT count(*) FROM stats_monthly`); n != 0 {
		t.Fatalf("got %d rows after refused submissions, want 0", n)
	}
}

func TestFlaggedStoredButNotCounted(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	d1q1, d2q1, sipas := p.Counter(t, "D1/Q1"), p.Counter(t, "D2/Q1"), p.Instrument(t, "sipas-2017")
	at := time.Date(2024, 5, 10, 3, 0, 0, 0, time.UTC)
	mustStore(t, p.DB, p.Submission(t, "D1/Q1", 5, at))
	flagged := p.Submission(t, "D1/Q1", 1, at)
	flagged.Flag = "honeypot"
	res := mustStore(t, p.DB, flagged)
	r, err := p.DB.FindResponse(context.Background(), res.ResponseID)
	if err != nil || r.Flag != "honeypot" {
		t.Fatalf("got %+v, %v; want the flagged response stored", r, err)
	}
	n, st := monthStats(t, p, d1q1.AgencyID, sipas, "2024-05")
	if n != 1 || st.N() != 1 {
		t.Fatalf("got %d respondents, want 1 (the flagged one left out)", n)
	}
	if counts, _ := st.ItemCounts(0); counts[0] != 0 || counts[4] != 1 {
		t.Fatalf("TC1 counts: got %v, want only the 5", counts)
	}
	// Only a flagged response in a month: no statistics row at all.
	lone := p.Submission(t, "D2/Q1", 2, at)
	lone.Flag = "burst"
	mustStore(t, p.DB, lone)
	if n, _ := monthStats(t, p, d2q1.AgencyID, sipas, "2024-05"); n != 0 {
		t.Fatalf("got %d respondents for a month of flagged responses only, want 0", n)
	}
}

func TestConcurrentStoreResponseExactlyOnce(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{MaxBatch: 16})
	const n = 120
	at := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	subs := make([]*survey.Submission, n)
	for i := range subs {
		c := []string{"D1/Q1", "D2/Q1", "D1/K1"}[i%3]
		subs[i] = p.Submission(t, c, uint8(1+i%5), at)
		if c == "D1/K1" {
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
				res, err := p.DB.StoreResponse(context.Background(), &cp)
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
	if got := p.Responses(t); got != n {
		t.Fatalf("got %d rows, want %d", got, n)
	}
	total := p.Count(t, `SELECT COALESCE(sum(respondents), 0) FROM stats_monthly`)
	if total != n {
		t.Fatalf("got %d respondents in stats_monthly, want %d", total, n)
	}
	qn, _ := monthStats(t, p, p.Counter(t, "D1/K1").AgencyID, p.Instrument(t, "quick"), "2024-07")
	if qn != n/3 {
		t.Fatalf("got %d quick respondents, want %d", qn, n/3)
	}
	var fu string
	if err := p.RO.QueryRow(`SELECT followups FROM stats_monthly WHERE instrument = 'quick'`).Scan(&fu); err != nil {
		t.Fatal(err)
	}
	if fu != "[0,14,13,13]" {
		t.Fatalf("got follow-up counts %s, want [0,14,13,13]", fu)
	}
}

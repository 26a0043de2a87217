package sqlitetest

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

// SubmissionID returns a valid submission id unique across tests and
// processes (random, so no counter is shared between tests).
func SubmissionID() string { return "sqlitetest-" + rand.Text() }

// Submission returns a valid submission to a counter ("D1/Q1") answering
// every item of its instrument value (1..5, or survey.AnswerNA where the
// instrument allows no opinion), received at at (zero: the database's clock
// decides), through the web in Vietnamese. Change its fields before
// storing it for anything else.
func (p *Province) Submission(tb testing.TB, counter string, value uint8, at time.Time) *survey.Submission {
	tb.Helper()
	c := p.Counter(tb, counter)
	in := p.Instrument(tb, c.Instrument)
	return &survey.Submission{
		SubmissionID: SubmissionID(), CounterID: c.ID, AgencyID: c.AgencyID, Instrument: in,
		Answers: answers(tb, in, value), Channel: "web", Lang: "vi", ReceivedAt: at,
	}
}

// answers returns one value for every item of in, failing the test when
// in does not accept it.
func answers(tb testing.TB, in *survey.Instrument, value uint8) []uint8 {
	tb.Helper()
	if (value < 1 || value > 5) && (value != survey.AnswerNA || !in.AllowNoOpinion) {
		tb.Fatalf("answer %d is not valid for %s", value, in.ID)
	}
	ans := make([]uint8, len(in.Items))
	for k := range ans {
		ans[k] = value
	}
	return ans
}

// Count runs a query returning one number on RO.
func (p *Province) Count(tb testing.TB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := p.RO.QueryRow(query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

// Responses returns how many responses are stored, flagged ones included.
func (p *Province) Responses(tb testing.TB) int {
	tb.Helper()
	return p.Count(tb, `SELECT count(*) FROM responses`)
}

// LastResponse returns the newest stored response; the test fails when
// there is none.
func (p *Province) LastResponse(tb testing.TB) *survey.Response {
	tb.Helper()
	id := p.Count(tb, `SELECT COALESCE(max(id), 0) FROM responses`)
	if id == 0 {
		tb.Fatalf("no response stored")
	}
	r, err := p.DB.FindResponse(tb.Context(), int64(id))
	if err != nil {
		tb.Fatalf("find response %d: %v", id, err)
	}
	return r
}

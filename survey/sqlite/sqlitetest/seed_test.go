package sqlitetest_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestSeed(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Seed(t,
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-10", N: 70, Value: 5},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-11", N: 30, Value: survey.AnswerNA},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-03-01", N: 5, Value: 2},
		sqlitetest.Spec{Counter: "C1/Q1", Day: "2026-03-31", N: 2, Value: 4, Comment: "Rất tốt"},
	)
	if n := p.Responses(t); n != 107 {
		t.Fatalf("got %d responses, want 107", n)
	}
	tests := []struct {
		agency, month string
		want          int
	}{{"D1", "2026-02", 100}, {"D2", "2026-03", 5}, {"C1", "2026-03", 2}, {"D1", "2026-03", 0}}
	for _, tt := range tests {
		n := p.Count(t, `SELECT COALESCE(sum(s.respondents), 0) FROM stats_monthly s JOIN agencies a ON a.id = s.agency_id WHERE a.code = ? AND s.month = ?`, tt.agency, tt.month)
		if n != tt.want {
			t.Fatalf("stats_monthly %s %s: got %d respondents, want %d", tt.agency, tt.month, n, tt.want)
		}
	}
	last := p.LastResponse(t)
	want := time.Date(2026, 3, 31, 8, 0, 106, 0, survey.Vietnam)
	if last.AgencyCode != "C1" || last.CounterCode != "Q1" || last.InstrumentID != "quick" || last.Comment != "Rất tốt" ||
		last.LocalDate != "2026-03-31" || !last.SubmittedAt.Equal(want) || string(last.Answers) != "\x04" || last.Channel != "web" {
		t.Fatalf("last response: got %+v, want C1/Q1 quick at %v answering 4 with the comment", last, want)
	}
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE local_date = '2026-02-11' AND answers = ?`, []byte(strings.Repeat("\x06", 22))); n != 30 {
		t.Fatalf("got %d all-no-opinion responses, want 30", n)
	}
	// Seeding again adds as many, with other submission ids.
	p.Seed(t, sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-03-01", N: 5, Value: 2})
	if n := p.Count(t, `SELECT count(DISTINCT submission_id) FROM responses`); n != 112 {
		t.Fatalf("got %d distinct submissions, want 112", n)
	}
}

// monthMeans returns the mean answer (no opinion left out) of each
// agency's responses in a month.
func monthMeans(tb testing.TB, p *sqlitetest.Province, month string) map[string]float64 {
	tb.Helper()
	rows, err := p.RO.Query(`SELECT a.code, r.answers FROM responses r JOIN agencies a ON a.id = r.agency_id WHERE substr(r.local_date, 1, 7) = ?`, month)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	sum, n := map[string]float64{}, map[string]float64{}
	for rows.Next() {
		var code string
		var ans []byte
		if err := rows.Scan(&code, &ans); err != nil {
			tb.Fatal(err)
		}
		for _, v := range ans {
			if v >= 1 && v <= 5 {
				sum[code] += float64(v)
				n[code]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	for code := range sum {
		sum[code] /= n[code]
	}
	return sum
}

func TestSeedMonths(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.SeedMonths(t)
	const open, months = 7, 6
	if n := p.Responses(t); n != open*months*sqlitetest.SeedPerMonth {
		t.Fatalf("got %d responses, want %d", n, open*months*sqlitetest.SeedPerMonth)
	}
	if n := p.Count(t, `SELECT sum(respondents) FROM stats_monthly`); n != open*months*sqlitetest.SeedPerMonth {
		t.Fatalf("stats_monthly counts %d respondents, want every response", n)
	}
	// Every open counter, every month, nothing at the closed one.
	rows := p.Count(t, `SELECT count(*) FROM (SELECT counter_id, substr(local_date, 1, 7) m, count(*) n FROM responses GROUP BY 1, 2 HAVING n = ?)`, sqlitetest.SeedPerMonth)
	if rows != open*months {
		t.Fatalf("got %d counter-months of %d responses, want %d", rows, sqlitetest.SeedPerMonth, open*months)
	}
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE counter_id = ?`, p.Counter(t, "D1/Z1").ID); n != 0 {
		t.Fatalf("closed counter got %d responses", n)
	}
	first := p.Count(t, `SELECT count(*) FROM responses WHERE local_date < ?`, sqlitetest.SeedFirstMonth+"-01")
	last := p.Count(t, `SELECT count(*) FROM responses WHERE local_date > ?`, sqlitetest.SeedLastMonth+"-31")
	if first+last != 0 {
		t.Fatalf("got %d responses before %s and %d after %s", first, sqlitetest.SeedFirstMonth, last, sqlitetest.SeedLastMonth)
	}
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE followup > 0`); n == 0 {
		t.Fatalf("no quick response answers the follow-up")
	}
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE comment != ''`); n == 0 {
		t.Fatalf("no comment")
	}
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE instr(answers, char(6)) > 0`); n == 0 {
		t.Fatalf("no 'no opinion' answer")
	}

	// The documented order of the agencies, and D2's improvement.
	may := monthMeans(t, p, sqlitetest.SeedLastMonth)
	for _, pair := range [][2]string{{"D1", "C1"}, {"C1", "D3"}, {"D3", "D2"}, {"D2", "D4"}} {
		if may[pair[0]] <= may[pair[1]] {
			t.Fatalf("in %s %s's mean %.2f is not above %s's %.2f", sqlitetest.SeedLastMonth, pair[0], may[pair[0]], pair[1], may[pair[1]])
		}
	}
	if dec := monthMeans(t, p, sqlitetest.SeedFirstMonth); may["D2"]-dec["D2"] < 0.3 {
		t.Fatalf("D2's mean went from %.2f to %.2f, want a rise of about 0.5", dec["D2"], may["D2"])
	}

	// The same responses every time.
	q := sqlitetest.New(t, sqlite.Options{})
	q.SeedMonths(t)
	digest := func(p *sqlitetest.Province) string {
		var s string
		if err := p.RO.QueryRow(`SELECT group_concat(x, ';') FROM (SELECT submission_id || hex(answers) || followup || comment || submitted_at AS x FROM responses ORDER BY submission_id)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if digest(p) != digest(q) {
		t.Fatalf("two SeedMonths differ")
	}
}

func TestSubmission(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ids := map[string]bool{}
	for range 1000 {
		id := sqlitetest.SubmissionID()
		if !survey.ValidSubmissionID(id) || ids[id] {
			t.Fatalf("submission id %q: invalid or repeated", id)
		}
		ids[id] = true
	}
	at := time.Date(2026, 4, 1, 10, 0, 0, 0, survey.Vietnam)
	for _, tt := range []struct {
		counter string
		value   uint8
		items   int
	}{{"D1/Q1", 3, 22}, {"D1/K1", 5, 1}, {"D2/Q1", survey.AnswerNA, 22}} {
		s := p.Submission(t, tt.counter, tt.value, at)
		if len(s.Answers) != tt.items || s.Answers[len(s.Answers)-1] != tt.value {
			t.Fatalf("%s: got answers %v, want %d × %d", tt.counter, s.Answers, tt.items, tt.value)
		}
		res, err := p.DB.StoreResponse(t.Context(), s)
		if err != nil || res.Replay {
			t.Fatalf("%s: store: %+v, %v", tt.counter, res, err)
		}
		r := p.LastResponse(t)
		if r.ID != res.ResponseID || fmt.Sprint(r.AgencyCode, "/", r.CounterCode) != tt.counter || !r.SubmittedAt.Equal(at) {
			t.Fatalf("%s: stored %+v", tt.counter, r)
		}
	}
	if n := p.Responses(t); n != 3 {
		t.Fatalf("got %d responses, want 3", n)
	}
}

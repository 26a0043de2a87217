package sqlitetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

// Spec asks Seed for N responses at a counter on a day, every item
// answered Value, optionally with a comment.
type Spec struct {
	Counter string // key, "D1/Q1"
	Day     string // YYYY-MM-DD, Vietnam time
	N       int
	Value   uint8 // 1..5, or survey.AnswerNA where the instrument allows it
	Comment string
}

// Seed stores the responses the specs ask for through DB.BulkLoad, which
// keeps stats_monthly as StoreResponse would. They arrive through the web
// in Vietnamese, in the order given, one second apart from 08:00 on their
// day (the clock goes back to 08:00 after ten hours, so that a day never
// runs over).
func (p *Province) Seed(tb testing.TB, specs ...Spec) {
	tb.Helper()
	var subs []*survey.Submission
	for _, sp := range specs {
		day, err := time.ParseInLocation("2006-01-02", sp.Day, survey.Vietnam)
		if err != nil {
			tb.Fatalf("seed %s: day %q: %v", sp.Counter, sp.Day, err)
		}
		c := p.Counter(tb, sp.Counter)
		in := p.Instrument(tb, c.Instrument)
		ans := answers(tb, in, sp.Value)
		for range sp.N {
			subs = append(subs, &survey.Submission{
				SubmissionID: SubmissionID(), CounterID: c.ID, AgencyID: c.AgencyID, Instrument: in,
				Answers: ans, Comment: sp.Comment, Channel: "web", Lang: "vi",
				ReceivedAt: day.Add(8*time.Hour + time.Duration(len(subs)%36000)*time.Second),
			})
		}
	}
	p.bulkLoad(tb, subs)
}

// SeedFirstMonth, SeedLastMonth and SeedPerMonth say what SeedMonths
// stores: SeedPerMonth responses at every open counter of the standard
// province in each month from SeedFirstMonth to SeedLastMonth.
const (
	SeedFirstMonth = "2025-12"
	SeedLastMonth  = "2026-05"
	SeedPerMonth   = 120
)

// seedMean is the mean answer at an agency's counters in month m (0 for
// SeedFirstMonth) of SeedMonths.
func seedMean(agency string, m int) float64 {
	switch agency {
	case "D1":
		return 4.3
	case "C1":
		return 4.0
	case "D2":
		return 3.0 + 0.1*float64(m)
	case "D3":
		return 3.8
	default: // D4
		return 2.6
	}
}

// SeedMonths stores a standard spread of responses for report and trend
// tests: SeedPerMonth responses at each of the seven open counters in
// each of the six months SeedFirstMonth to SeedLastMonth (5 040 in all),
// on days 1 to 28 between 08:00 and 10:00 Vietnam time, through BulkLoad.
// Each answer is drawn around its agency's mean (a rounded normal, SD 1):
// D1 4.3, C1 4.0, D3 3.8, D4 2.6, and D2 3.0 in the first month rising by
// 0.1 a month to 3.5. Where the instrument allows it about one answer in
// twenty is "no opinion"; quick responses answer the follow-up (or skip
// it) and one response in thirty has a comment. The same seed gives the
// same responses every time; call it once per database.
func (p *Province) SeedMonths(tb testing.TB) {
	tb.Helper()
	first, err := time.ParseInLocation("2006-01", SeedFirstMonth, survey.Vietnam)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2017, 2026))
	comments := []string{"Cán bộ hướng dẫn tận tình", "Phải chờ lâu", "Thủ tục còn rườm rà"}
	var subs []*survey.Submission
	for m := 0; ; m++ {
		month := first.AddDate(0, m, 0)
		if month.Format("2006-01") > SeedLastMonth {
			break
		}
		for _, cs := range standardCounters() {
			if cs.closed {
				continue
			}
			c := p.Counter(tb, cs.agency+"/"+cs.code)
			in := p.Instrument(tb, c.Instrument)
			mean := seedMean(cs.agency, m)
			for i := range SeedPerMonth {
				s := &survey.Submission{
					SubmissionID: fmt.Sprintf("seedmonths-%s-%s-%s-%04d", cs.agency, cs.code, month.Format("200601"), i),
					CounterID:    c.ID, AgencyID: c.AgencyID, Instrument: in, Answers: make([]uint8, len(in.Items)),
					Channel: "web", Lang: "vi",
					ReceivedAt: month.AddDate(0, 0, i%28).Add(8*time.Hour + time.Duration(i)*time.Minute),
				}
				for k := range s.Answers {
					if in.AllowNoOpinion && rng.IntN(20) == 0 {
						s.Answers[k] = survey.AnswerNA
						continue
					}
					s.Answers[k] = uint8(math.Max(1, math.Min(5, math.Round(mean+rng.NormFloat64()))))
				}
				if in.Followup != nil {
					s.Followup = rng.IntN(len(in.Followup.Options) + 1) // 0: skipped
				}
				if in.Comment && i%30 == 0 {
					s.Comment = comments[rng.IntN(len(comments))]
				}
				subs = append(subs, s)
			}
		}
	}
	p.bulkLoad(tb, subs)
}

// bulkLoad stores subs through DB.BulkLoad.
func (p *Province) bulkLoad(tb testing.TB, subs []*survey.Submission) {
	tb.Helper()
	i := 0
	n, err := p.DB.BulkLoad(tb.Context(), func() (*survey.Submission, error) {
		if i == len(subs) {
			return nil, nil
		}
		i++
		return subs[i-1], nil
	})
	if err != nil {
		tb.Fatalf("bulk load: %v", err)
	}
	if n != len(subs) {
		tb.Fatalf("bulk load stored %d responses, want %d", n, len(subs))
	}
}

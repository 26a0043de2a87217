package survey

import (
	"context"
	"time"

	"github.com/sipas/sipas/scoring"
)

// Bundle is the mergeable summary of a set of responses to one instrument:
// the scoring sufficient statistics plus the counts of the follow-up
// question's options (index 0 = not answered).
type Bundle struct {
	Stats     *scoring.Stats
	Followups []int64
}

// NewBundle returns an empty bundle for instrument in.
func NewBundle(in *Instrument) *Bundle {
	var st *scoring.Stats
	if in.empty != nil {
		st = in.empty.Clone()
	} else {
		st = scoring.NewStats(in.Design()) // an instrument not loaded through its validation (tests)
	}
	b := &Bundle{Stats: st}
	if in.Followup != nil {
		b.Followups = make([]int64, len(in.Followup.Options)+1)
	}
	return b
}

// Merge adds o into b.
func (b *Bundle) Merge(o *Bundle) error {
	if err := b.Stats.Merge(o.Stats); err != nil {
		return err
	}
	b.AddFollowups(o.Followups)
	return nil
}

// AddFollowups adds counts of the follow-up question's answers (index 0:
// unanswered) to b's.
func (b *Bundle) AddFollowups(counts []int64) { b.Followups = AddCounts(b.Followups, counts) }

// AddCounts adds b to a element by element, extending a as needed, and
// returns a: how follow-up counts are summed wherever they are kept.
func AddCounts(a, b []int64) []int64 {
	for len(a) < len(b) {
		a = append(a, 0)
	}
	for i, v := range b {
		a[i] += v
	}
	return a
}

// Sub removes o (a subset of b) from b.
func (b *Bundle) Sub(o *Bundle) error {
	if err := b.Stats.Sub(o.Stats); err != nil {
		return err
	}
	for i, v := range o.Followups {
		if i < len(b.Followups) {
			b.Followups[i] -= v
		}
	}
	return nil
}

// Clone returns a deep copy of b.
func (b *Bundle) Clone() *Bundle {
	return &Bundle{Stats: b.Stats.Clone(), Followups: append([]int64(nil), b.Followups...)}
}

// Period is a range of calendar dates in Vietnam, both ends inclusive.
type Period struct {
	From, To time.Time // midnight in Vietnam
}

// MaxPeriodDays caps a period at ten years.
const MaxPeriodDays = 3653

// ParsePeriod parses YYYY-MM-DD dates and checks the range.
func ParsePeriod(from, to string) (Period, error) {
	f, err1 := time.ParseInLocation("2006-01-02", from, Vietnam)
	t, err2 := time.ParseInLocation("2006-01-02", to, Vietnam)
	switch {
	case from == "" || to == "":
		return Period{}, Errorf(EINVALID, "from and to are required (YYYY-MM-DD)")
	case err1 != nil:
		return Period{}, Errorf(EINVALID, "from: %q is not a date YYYY-MM-DD", from)
	case err2 != nil:
		return Period{}, Errorf(EINVALID, "to: %q is not a date YYYY-MM-DD", to)
	case f.After(t):
		return Period{}, Errorf(EINVALID, "from (%s) is after to (%s)", from, to)
	case t.Sub(f).Hours()/24 >= MaxPeriodDays:
		return Period{}, Errorf(EINVALID, "the period is longer than 10 years")
	}
	return Period{From: f, To: t}, nil
}

// Days returns the number of days in the period.
func (p Period) Days() int { return int(p.To.Sub(p.From).Hours()/24+0.5) + 1 }

// Previous returns the period to compare p with: for whole calendar months
// (a month, a quarter, a year), the same number of whole months just
// before; otherwise the same number of days just before.
func (p Period) Previous() Period {
	if months := p.wholeMonths(); months > 0 {
		from := p.From.AddDate(0, -months, 0)
		return Period{From: from, To: p.From.AddDate(0, 0, -1)}
	}
	to := p.From.AddDate(0, 0, -1)
	return Period{From: to.AddDate(0, 0, -(p.Days() - 1)), To: to}
}

// wholeMonths returns how many calendar months p spans when it starts on
// the first of a month and ends on the last day of one, else 0.
func (p Period) wholeMonths() int {
	if p.From.Day() != 1 || p.To.AddDate(0, 0, 1).Day() != 1 {
		return 0
	}
	return (p.To.Year()-p.From.Year())*12 + int(p.To.Month()-p.From.Month()) + 1
}

// FromString and ToString format the ends as YYYY-MM-DD.
func (p Period) FromString() string { return p.From.Format("2006-01-02") }

// ToString formats the end date as YYYY-MM-DD.
func (p Period) ToString() string { return p.To.Format("2006-01-02") }

// StatsStore reads the stored statistics that scoring needs.
type StatsStore interface {
	// OwnStats returns, per agency id, the bundle of the agency's own
	// responses (not its sub-agencies') to instrument in, of every version
	// projected onto in's design, dated within p. Flagged responses are
	// left out. Agencies without responses are absent.
	OwnStats(ctx context.Context, in *Instrument, p Period) (map[int64]*Bundle, error)
	// MonthlyStats returns, per month (YYYY-MM) within p, the bundle of the
	// responses of the given agencies (clipped to p at both ends).
	MonthlyStats(ctx context.Context, in *Instrument, agencies []int64, p Period) (map[string]*Bundle, error)
	// Respondents returns the answer vectors (scoring coding, in's item
	// order) of the unflagged responses of the given agencies to in within
	// p, one vector after another in one slice (len(in.Items) answers each;
	// see scoring.Unit.Answers), for the respondent-level bootstrap.
	Respondents(ctx context.Context, in *Instrument, agencies []int64, p Period) ([]uint8, error)
	// ExcludedCounts returns, per agency id, how many of the agency's own
	// responses (not its sub-agencies') to instrument in.ID, of every
	// version, dated within p are set aside: flagged (honeypot, rate
	// limit, integrity) and not accepted on review, so pending and rejected
	// ones alike. Agencies with none are absent.
	ExcludedCounts(ctx context.Context, in *Instrument, p Period) (map[int64]int64, error)
	// ExcludedMonthly returns, per month (YYYY-MM) within p, how many
	// responses of the given agencies are set aside as ExcludedCounts
	// counts them (clipped to p at both ends). Months with none are absent.
	ExcludedMonthly(ctx context.Context, in *Instrument, agencies []int64, p Period) (map[string]int64, error)
}

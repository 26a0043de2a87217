package survey

import (
	"strings"
	"time"
)

// Public periods: the last complete month, quarter, half-year or year,
// named by these words in ?period= of the public scores.
const (
	PublicMonth   = "month"
	PublicQuarter = "quarter"
	PublicHalf    = "half"
	PublicYear    = "year"
)

// LastComplete returns the last period of kind (KindMonth, KindQuarter,
// KindHalf or KindYear) that ended before the day of today in Vietnam:
// on 2 December 2026, 2026-11, 2026-Q3, 2026-H1 and 2025.
func LastComplete(kind string, today time.Time) ReportPeriod {
	y, m, _ := today.In(Vietnam).Date()
	p := ReportPeriod{Kind: kind}
	n := p.months()
	first := time.Month(int(m) - (int(m)-1)%n)
	return reportPeriodOf(kind, time.Date(y, first, 1, 0, 0, 0, 0, Vietnam), n).Prior()
}

// ParsePublicPeriod reads the period of a public report: "" or "month"
// (the last complete month), "quarter", "half", "year", or a period of
// ParseReportPeriod that has ended before today. Anything else, and a
// period not over yet, is EINVALID: public figures are of whole periods
// only, so that they do not move once published.
func ParsePublicPeriod(s string, today time.Time) (ReportPeriod, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", PublicMonth:
		return LastComplete(KindMonth, today), nil
	case PublicQuarter:
		return LastComplete(KindQuarter, today), nil
	case PublicHalf:
		return LastComplete(KindHalf, today), nil
	case PublicYear:
		return LastComplete(KindYear, today), nil
	}
	p, err := ParseReportPeriod(s)
	if err != nil && strings.IndexAny(strings.TrimSpace(s), "0123456789") == 0 {
		return ReportPeriod{}, err // an explicit period, wrong: its own message
	} else if err != nil {
		return ReportPeriod{}, fieldError("period", "period %q is not month, quarter, half, year, YYYY, YYYY-H1, YYYY-H2, YYYY-Q1..Q4 or YYYY-MM", strings.TrimSpace(s))
	}
	if !p.Complete(today) {
		return ReportPeriod{}, fieldError("period", "period %s is not over yet: public results are of complete periods", p.Name)
	}
	return p, nil
}

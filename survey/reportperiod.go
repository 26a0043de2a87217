package survey

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kinds of the periods of periodic reports (báo cáo định kỳ).
const (
	KindMonth   = "month"
	KindQuarter = "quarter"
	KindHalf    = "half"
	KindYear    = "year"
)

// ReportPeriod is the period of a periodic report: a month (YYYY-MM), a
// quarter (YYYY-Qn), a half-year (YYYY-H1, YYYY-H2) or a year (YYYY).
type ReportPeriod struct {
	// Name is the canonical form, e.g. "2027-Q2".
	Name string
	Kind string
	Period
}

var reportPeriodRE = regexp.MustCompile(`^(\d{4})(?:-(?:(\d{2})|Q(\d)|H(\d)))?$`)

// ParseReportPeriod parses a report period (q and h in either case). A
// quarter outside 1–4, a half outside 1–2 or a month outside 01–12 is
// EINVALID.
func ParseReportPeriod(s string) (ReportPeriod, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	m := reportPeriodRE.FindStringSubmatch(s)
	if m == nil {
		return ReportPeriod{}, fieldError("period", "period %q is not YYYY, YYYY-H1, YYYY-H2, YYYY-Q1..Q4 or YYYY-MM", s)
	}
	y, _ := strconv.Atoi(m[1])
	if y < MinPlanYear || y > MaxPlanYear {
		return ReportPeriod{}, fieldError("period", "period %q: the year must be between %d and %d", s, MinPlanYear, MaxPlanYear)
	}
	first, months, kind := 1, 12, KindYear
	switch {
	case m[2] != "":
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return ReportPeriod{}, fieldError("period", "period %q: there is no month %s", s, m[2])
		}
		first, months, kind = mo, 1, KindMonth
	case m[3] != "":
		q, _ := strconv.Atoi(m[3])
		if q < 1 || q > 4 {
			return ReportPeriod{}, fieldError("period", "period %q: a quarter is Q1 to Q4", s)
		}
		first, months, kind = 3*(q-1)+1, 3, KindQuarter
	case m[4] != "":
		h, _ := strconv.Atoi(m[4])
		if h < 1 || h > 2 {
			return ReportPeriod{}, fieldError("period", "period %q: a half-year is H1 or H2", s)
		}
		first, months, kind = 6*(h-1)+1, 6, KindHalf
	}
	from := time.Date(y, time.Month(first), 1, 0, 0, 0, 0, Vietnam)
	return reportPeriodOf(kind, from, months), nil
}

func reportPeriodOf(kind string, from time.Time, months int) ReportPeriod {
	p := ReportPeriod{Kind: kind, Period: Period{From: from, To: from.AddDate(0, months, -1)}}
	y, mo := from.Year(), int(from.Month())
	switch kind {
	case KindMonth:
		p.Name = fmt.Sprintf("%04d-%02d", y, mo)
	case KindQuarter:
		p.Name = fmt.Sprintf("%04d-Q%d", y, (mo-1)/3+1)
	case KindHalf:
		p.Name = fmt.Sprintf("%04d-H%d", y, (mo-1)/6+1)
	default:
		p.Name = fmt.Sprintf("%04d", y)
	}
	return p
}

func (p ReportPeriod) months() int {
	switch p.Kind {
	case KindMonth:
		return 1
	case KindQuarter:
		return 3
	case KindHalf:
		return 6
	}
	return 12
}

// Prior returns the period of the same kind just before p (2027-Q1 for
// 2027-Q2, 2026-H2 for 2027-H1).
func (p ReportPeriod) Prior() ReportPeriod {
	n := p.months()
	return reportPeriodOf(p.Kind, p.From.AddDate(0, -n, 0), n)
}

// YearBefore returns the same period a year before.
func (p ReportPeriod) YearBefore() ReportPeriod {
	return reportPeriodOf(p.Kind, p.From.AddDate(-1, 0, 0), p.months())
}

// Year is the calendar year of p.
func (p ReportPeriod) Year() int { return p.From.Year() }

// Complete reports whether p has ended before the day of today in Vietnam.
func (p ReportPeriod) Complete(today time.Time) bool {
	y, m, d := today.In(Vietnam).Date()
	return p.To.Before(time.Date(y, m, d, 0, 0, 0, 0, Vietnam))
}

// Clip returns p ended at today (in Vietnam) when it is not over yet, and
// false when it has not begun.
func (p ReportPeriod) Clip(today time.Time) (Period, bool) {
	y, m, d := today.In(Vietnam).Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, Vietnam)
	if t.Before(p.From) {
		return p.Period, false
	}
	out := p.Period
	if t.Before(out.To) {
		out.To = t
	}
	return out, true
}

package mail

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// NotEnough is what an index or a change too uncertain to show says.
const NotEnough = "chưa đủ dữ liệu"

// num writes a percent-point figure the Vietnamese way: one decimal, a
// decimal comma.
func num(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
}

// date writes a day as dd/mm/yyyy.
func date(t time.Time) string { return t.In(survey.Vietnam).Format("02/01/2006") }

// IndexRow is one index of a digest: its period, the estimate with its
// interval and n, and the change against the period before.
type IndexRow struct {
	Period     string // "Tuần 24/11/2026 – 30/11/2026"
	Instrument string
	Reportable bool
	Index      string // "82,4"
	Interval   string // "79,1 – 85,7"
	N          int64
	Level      string // "95%"
	Change     string // "tăng 3,2 điểm (KTC 95%: 1,1 đến 5,3)", "không thay đổi đáng kể" or NotEnough
}

// indexRow turns a report into a row, showing only what its intervals
// support: the index where it is reportable, and a change only where both
// periods are and the change is significant.
func indexRow(period, instrument string, s *report.Scores) IndexRow {
	level := strconv.FormatFloat(s.ConfidenceLevel*100, 'f', -1, 64) + "%"
	row := IndexRow{Period: period, Instrument: instrument, N: s.Overall.N, Level: level, Change: NotEnough}
	e := s.Overall.Estimate
	if !e.Reportable || e.Index == nil || e.CILow == nil || e.CIHigh == nil {
		return row
	}
	row.Reportable = true
	row.Index = num(*e.Index)
	row.Interval = num(*e.CILow) + " – " + num(*e.CIHigh)
	if s.Previous == nil || s.Previous.Note != "" || !s.Previous.Overall.Reportable {
		return row
	}
	row.Change = change(s.Previous.Change, level)
	return row
}

// change words a comparison with the period before.
func change(c scoring.Comparison, level string) string {
	if c.Diff == nil || c.CILow == nil || c.CIHigh == nil {
		return NotEnough
	}
	switch c.Significant {
	case "higher", "lower":
		word := "tăng"
		if c.Significant == "lower" {
			word = "giảm"
		}
		d := *c.Diff
		if d < 0 {
			d = -d
		}
		return fmt.Sprintf("%s %s điểm so với kỳ trước (KTC %s: %s đến %s)", word, num(d), level, num(*c.CILow), num(*c.CIHigh))
	}
	return "không thay đổi đáng kể so với kỳ trước"
}

// isoWeek names the ISO week of t in Vietnam, "2026-W49".
func isoWeek(t time.Time) string {
	y, w := t.In(survey.Vietnam).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// weekStart is 00:00 on the Monday of t's week in Vietnam.
func weekStart(t time.Time) time.Time {
	t = t.In(survey.Vietnam)
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, survey.Vietnam)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

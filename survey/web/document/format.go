package document

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// periodName names a report period as documents do: "Quý II/2027",
// "6 tháng đầu năm 2027", "Năm 2027", "Tháng 5/2027" (English: "Q2 2027",
// "First half of 2027", "Year 2027", "May 2027"). A name that does not
// parse is returned as it is.
func periodName(name, lang string) string {
	rp, err := survey.ParseReportPeriod(name)
	if err != nil {
		return name
	}
	y, m := rp.From.Year(), int(rp.From.Month())
	en := lang == "en"
	switch rp.Kind {
	case survey.KindMonth:
		if en {
			return fmt.Sprintf("%s %d", rp.From.Month(), y)
		}
		return fmt.Sprintf("Tháng %d/%d", m, y)
	case survey.KindQuarter:
		q := (m-1)/3 + 1
		if en {
			return fmt.Sprintf("Q%d %d", q, y)
		}
		return fmt.Sprintf("Quý %s/%d", [...]string{"I", "II", "III", "IV"}[q-1], y)
	case survey.KindHalf:
		first := m == 1
		switch {
		case en && first:
			return fmt.Sprintf("First half of %d", y)
		case en:
			return fmt.Sprintf("Second half of %d", y)
		case first:
			return fmt.Sprintf("6 tháng đầu năm %d", y)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", y)
	}
	if en {
		return fmt.Sprintf("Year %d", y)
	}
	return fmt.Sprintf("Năm %d", y)
}

// day formats a YYYY-MM-DD date as the reader writes it: 30/06/2027, or
// 30 Jun 2027 in English. Anything else is returned as it is.
func day(s, lang string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	if lang == "en" {
		return d.Format("2 Jan 2006")
	}
	return d.Format("02/01/2006")
}

// span formats a range of dates.
func span(from, to, lang string) string { return day(from, lang) + " – " + day(to, lang) }

// levelText formats a confidence level (0.95) as "95%", with up to two
// decimals: a simultaneous level 1 − 0.05/3 is "98,33%".
func levelText(level float64, lang string) string {
	v := math.Round(10000*level) / 100
	dec := 0
	switch {
	case math.Abs(v*10-math.Round(v*10)) > 1e-9:
		dec = 2
	case math.Abs(v-math.Round(v)) > 1e-9:
		dec = 1
	}
	return report.Number(v, dec, lang) + "%"
}

// count formats a whole number with the reader's thousands separator.
func count(n int64, lang string) string { return report.Number(float64(n), 0, lang) }

// estView is an estimate as a report prints it: never an index or an
// interval that the reporting rules do not allow.
type estView struct {
	Index, CI, N, Note string
	OK                 bool
}

func estOf(e scoring.Estimate, t *texts, lang string) estView {
	v := estView{Index: report.Shown(e, lang), CI: "–", N: count(e.N, lang), OK: e.Reportable}
	if e.Reportable {
		v.CI = report.Interval(e.CILow, e.CIHigh, lang)
	}
	var notes []string
	for _, f := range e.Flags {
		switch {
		case f == scoring.FlagCIWide:
			notes = append(notes, t.Wide)
		case strings.HasPrefix(f, "n<"):
			notes = append(notes, t.Caution)
		}
	}
	if e.Reportable {
		v.Note = strings.Join(notes, "; ")
	}
	return v
}

// pText formats an adjusted p-value.
func pText(p *float64, lang string) string {
	switch {
	case p == nil:
		return "–"
	case *p < 0.001:
		return "< " + report.Number(0.001, 3, lang)
	}
	return report.Number(*p, 3, lang)
}

// Verdict classes, for the stylesheet.
const (
	classUp     = "v-up"
	classDown   = "v-down"
	classNone   = "v-none"
	classNoData = "v-nodata"
)

// compareWords is the verdict of a comparison decided after adjustment:
// only when both sides may be reported.
func compareWords(c scoring.Comparison, enough bool, t *texts, lang string) (words, class string) {
	if !enough || c.Diff == nil {
		return report.NotEnough(lang), classNoData
	}
	switch c.Significant {
	case "higher":
		return t.Higher, classUp
	case "lower":
		return t.Lower, classDown
	}
	return t.NoDiff, classNone
}

// adjustName names a multiplicity adjustment.
func adjustName(method string, t *texts) string {
	if method == scoring.MethodBH {
		return t.AdjustBH
	}
	return t.AdjustHolm
}

// indicatorName names an indicator of in: the overall index, an element,
// or a criterion with its code.
func indicatorName(in *survey.Instrument, code string, t *texts, lang string) string {
	if code == survey.IndicatorOverall {
		return t.Overall
	}
	if in == nil {
		return code
	}
	for _, e := range in.Elements {
		if e.Code == code {
			return e.In(lang)
		}
	}
	if k, ok := in.ItemIndex(code); ok && k < len(in.Items) {
		return code + " " + in.Items[k].In(lang)
	}
	return code
}

// itemText is a criterion's wording, or "" when in does not have it.
func itemText(in *survey.Instrument, code, lang string) string {
	if in == nil {
		return ""
	}
	if k, ok := in.ItemIndex(code); ok && k < len(in.Items) {
		return in.Items[k].In(lang)
	}
	return ""
}

package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sipas/sipas/scoring"
)

// Number formats a number with two decimals in the reader's language:
// Vietnamese uses a decimal comma and dots between thousands (1.234,56),
// English the reverse (1,234.56).
func Number(v float64, decimals int, lang string) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	thou, dec := ".", ","
	if lang == "en" {
		thou, dec = ",", "."
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// Percent formats an index as published: "85,54%" in Vietnamese. A nil
// index gives "–".
func Percent(v *float64, lang string) string {
	if v == nil {
		return "–"
	}
	return Number(*v, 2, lang) + "%"
}

// Interval formats a confidence interval: "[82,10 – 88,40]".
func Interval(lo, hi *float64, lang string) string {
	if lo == nil || hi == nil {
		return "–"
	}
	return "[" + Number(*lo, 2, lang) + " – " + Number(*hi, 2, lang) + "]"
}

// Signed formats a difference in percentage points with its sign: "+1,40".
func Signed(v *float64, lang string) string {
	if v == nil {
		return "–"
	}
	s := Number(*v, 2, lang)
	if *v > 0 {
		s = "+" + s
	}
	return s
}

// NotEnough is what is shown instead of an index below the reporting
// threshold.
func NotEnough(lang string) string {
	if lang == "en" {
		return "not enough data"
	}
	return "chưa đủ dữ liệu"
}

// Shown returns the index text of an estimate as it may be published: the
// percentage when reportable, "chưa đủ dữ liệu" otherwise.
func Shown(e scoring.Estimate, lang string) string {
	if !e.Reportable {
		return NotEnough(lang)
	}
	return Percent(e.Index, lang)
}

// CombinedNote says, in the reader's language, that an index holds the
// ratings of the predecessors named, before the agency's merger: "trước
// sáp nhập: gộp từ 3 đơn vị cũ (A, B, C)"; "" when codes is empty.
func CombinedNote(codes []string, lang string) string {
	if len(codes) == 0 {
		return ""
	}
	return CombinedText(len(codes), lang) + " (" + strings.Join(codes, ", ") + ")"
}

// CombinedText is CombinedNote without the codes: "trước sáp nhập: gộp
// từ 3 đơn vị cũ".
func CombinedText(n int, lang string) string {
	if lang == "en" {
		return fmt.Sprintf("before the merger: combined from %d former units", n)
	}
	return fmt.Sprintf("trước sáp nhập: gộp từ %d đơn vị cũ", n)
}

// UnderNote says, in the reader's language, that a league-table row counts
// only the days its unit was under the table's agency (it moved within the
// period): "chỉ tính thời gian trực thuộc đơn vị này: 01/01/2026 –
// 31/03/2026"; "" for a row of the whole period.
func UnderNote(c *Child, lang string) string {
	if c.UnderFrom == "" {
		return ""
	}
	from, to := DayText(c.UnderFrom), DayText(c.UnderTo)
	if lang == "en" {
		return fmt.Sprintf("counts only its days under this unit: %s – %s", from, to)
	}
	return fmt.Sprintf("chỉ tính thời gian trực thuộc đơn vị này: %s – %s", from, to)
}

// DayText is a YYYY-MM-DD day as reports print it (DD/MM/YYYY); anything
// else is returned as it is.
func DayText(d string) string {
	if t, err := parseDay(d); err == nil {
		return t.Format("02/01/2006")
	}
	return d
}

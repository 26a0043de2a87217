// Package chart draws the dashboard's charts as inline SVG, with no
// dependency on HTTP.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey/report"
)

// Charts are drawn on the server as inline SVG: readable without
// JavaScript and in print, with a <title> and <desc> for screen readers,
// text labels beside every mark, and presentation attributes only (the CSP
// forbids inline style). All text is escaped here, since the result is
// trusted by the templates.

// svgBuilder accumulates SVG markup.
type svgBuilder struct{ b strings.Builder }

func (s *svgBuilder) f(format string, a ...any) { fmt.Fprintf(&s.b, format, a...) }

func esc(v string) string { return html.EscapeString(v) }

// open starts an <svg> with a title and a description, labelled by them.
// It is as wide as its container and as high as the viewBox's aspect ratio
// makes it: no size in pixels.
func (s *svgBuilder) open(id, class string, w, h float64, title, desc string) {
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" class="%s" viewBox="0 0 %g %g" width="100%%" role="img" aria-labelledby="%s-t %s-d" preserveAspectRatio="xMinYMin meet">`,
		esc(class), w, h, esc(id), esc(id))
	s.f(`<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

func (s *svgBuilder) html() template.HTML {
	s.b.WriteString(`</svg>`)
	return template.HTML(s.b.String())
}

// truncate shortens a label to n runes with an ellipsis.
func truncate(v string, n int) string {
	if utf8.RuneCountInString(v) <= n {
		return v
	}
	r := []rune(v)
	return string(r[:n-1]) + "…"
}

// Colours with at least 4.5:1 contrast against white for marks and text.
const (
	inkColor   = "#1a1a1a"
	markColor  = "#0b4f8a"
	gridColor  = "#8a949e"
	bandColor  = "#9cc3e6"
	trackColor = "#e8edf2"
)

// CIBar draws one index with its interval on a 0–100 scale, small enough
// for a table cell. Its accessible title is title followed by the index
// and its interval; desc describes the drawing.
func CIBar(id, title, desc string, e scoring.Estimate, lang string) template.HTML {
	var s svgBuilder
	label := report.Shown(e, lang)
	if e.Reportable {
		label += " " + report.Interval(e.CILow, e.CIHigh, lang)
	}
	s.open(id, "cibar", 100, 14, title+": "+label, desc)
	s.f(`<rect x="0" y="5" width="100" height="4" fill="%s"/>`, trackColor)
	for _, x := range []float64{0, 50, 100} {
		s.f(`<line x1="%g" y1="2" x2="%g" y2="12" stroke="%s" stroke-width="0.4"/>`, x, x, gridColor)
	}
	if e.Reportable && e.Index != nil && e.CILow != nil && e.CIHigh != nil {
		s.f(`<rect x="%.2f" y="3.5" width="%.2f" height="7" fill="%s" opacity="0.55"/>`, *e.CILow, max(*e.CIHigh-*e.CILow, 0.4), markColor)
		s.f(`<circle cx="%.2f" cy="7" r="2.4" fill="%s"/>`, *e.Index, markColor)
	}
	return s.html()
}

// Row is one labelled estimate of an error-bar chart.
type Row struct {
	Label string
	Est   scoring.Estimate
}

// A chart is drawn twice, for a wide and a narrow column, and the
// stylesheet shows one of them by the width of the screen (.chart-wide,
// .chart-narrow). An SVG scales its text with its width, so one drawing
// cannot fill a desktop column and stay legible on a 390 px phone: text
// of 13 units in a 360-unit viewBox is 13 px on a phone but 40 px across
// 1100 px. Only the wide drawing carries the id asked for; the other gets
// id+"-n". The hidden one is display:none, so screen readers meet one.
type chartLayout struct {
	suffix, class string
	w             float64 // viewBox width
	font, tick    float64 // label and tick font sizes, in viewBox units
	lineH         float64 // line height of a label
	perLine       int     // runes per label line
}

var (
	wideLayout   = chartLayout{suffix: "", class: "chart chart-wide", w: 960, font: 15, tick: 14, lineH: 18, perLine: 48}
	narrowLayout = chartLayout{suffix: "-n", class: "chart chart-narrow", w: 360, font: 13, tick: 12, lineH: 16, perLine: 48}
)

// textWidth estimates the width of v at a font size in the sans-serif
// fonts of the stylesheet, generously, so that a label placed by it is
// never cut: digits 0.64 em, "%" 0.95 em, other runes 0.56 em.
func textWidth(v string, size float64) float64 {
	em := 0.0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			em += 0.64
		case r == '%':
			em += 0.95
		default:
			em += 0.56
		}
	}
	return em * size
}

// anchorAt places a label of width tw centred on x, or flush with the
// edge of [0, w] it would cross, so that no tick label is clipped. It
// returns the x to draw at and the text-anchor.
func anchorAt(x, tw, w float64) (float64, string) {
	switch {
	case x-tw/2 < 1:
		return max(x-tw/2, 1), "start"
	case x+tw/2 > w-1:
		return min(x+tw/2, w-1), "end"
	}
	return x, "middle"
}

// wrapLabel breaks v at spaces into at most maxLines lines of at most n
// runes; a word longer than a line is cut, and what does not fit ends the
// last line with an ellipsis.
func wrapLabel(v string, n, maxLines int) []string {
	var lines []string
	cur := ""
	words := strings.Fields(v)
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case cur == "" && utf8.RuneCountInString(w) > n:
			r := []rune(w)
			cur, words[i] = string(r[:n]), string(r[n:])
			i--
		case cur == "":
			cur = w
			continue
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= n:
			cur += " " + w
			continue
		default:
			i--
		}
		lines = append(lines, cur)
		cur = ""
		if len(lines) == maxLines {
			rest := strings.Join(words[i+1:], " ")
			if rest != "" {
				lines[maxLines-1] = truncate(lines[maxLines-1]+" "+rest, n)
			}
			return lines
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// label writes a text of up to two lines starting at (x, y), the first
// baseline at y, with the whole text in its <title> so it shows on hover
// and is read out even when cut.
func (s *svgBuilder) label(x, y float64, l chartLayout, v string) {
	s.f(`<text x="%g" y="%g" font-size="%g" fill="%s"><title>%s</title>`, x, y, l.font, inkColor, esc(v))
	for i, line := range wrapLabel(v, l.perLine, 2) {
		s.f(`<tspan x="%g" y="%g">%s</tspan>`, x, y+float64(i)*l.lineH, esc(line))
	}
	s.b.WriteString(`</text>`)
}

// ErrorBars draws estimates as dots with interval whiskers on a
// 0–100% axis, one row each, in a wide and a narrow drawing (see
// chartLayout).
func ErrorBars(id, title, desc string, rows []Row, lang string) template.HTML {
	return errorBars(id, title, desc, rows, lang, wideLayout) + errorBars(id, title, desc, rows, lang, narrowLayout)
}

// errorBars draws one layout of errorBarChart. Wide: the label on the
// left, the mark and its value on the right of the same row. Narrow: the
// label above, the mark and its value below.
func errorBars(id, title, desc string, rows []Row, lang string, l chartLayout) template.HTML {
	const top, pad = 6.0, 8.0
	wide := l.suffix == ""
	// Room on the right for the value, right-aligned, up to "chưa đủ dữ liệu".
	scaleX, scaleW := 4.0, 236.0
	if wide {
		scaleX, scaleW = 400, 420
	}
	x := func(v float64) float64 { return scaleX + scaleW*v/100 }
	// Row heights and the position of each row's mark.
	ys, marks := make([]float64, len(rows)), make([]float64, len(rows))
	y := top
	for i, r := range rows {
		lines := float64(len(wrapLabel(r.Label, l.perLine, 2)))
		ys[i] = y
		if wide {
			h := max(lines*l.lineH, 2*l.font) + pad
			marks[i] = y + h/2
			y += h
		} else {
			marks[i] = y + lines*l.lineH + 10
			y = marks[i] + 8 + pad
		}
	}
	axisY := y
	h := axisY + l.tick + 10
	var s svgBuilder
	s.open(id+l.suffix, l.class, l.w, h, title, desc)
	for _, g := range []float64{0, 25, 50, 75, 100} {
		s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="0.5" stroke-dasharray="2 2"/>`, x(g), top, x(g), axisY, gridColor)
		lbl := report.Number(g, 0, lang) + "%"
		tx, anchor := anchorAt(x(g), textWidth(lbl, l.tick), l.w)
		s.f(`<text x="%.1f" y="%g" font-size="%g" text-anchor="%s" fill="%s">%s</text>`, tx, axisY+l.tick+4, l.tick, anchor, inkColor, esc(lbl))
	}
	for i, r := range rows {
		s.f(`<g><title>%s</title>`, esc(r.Label+": "+report.Shown(r.Est, lang)+" "+report.Interval(r.Est.CILow, r.Est.CIHigh, lang)+fmt.Sprintf(" n=%d", r.Est.N)))
		my := marks[i]
		if wide {
			lines := float64(len(wrapLabel(r.Label, l.perLine, 2)))
			// Baseline of the first line so that the block is centred on the mark.
			s.label(4, my-(lines-1)*l.lineH/2+l.font*0.35, l, r.Label)
		} else {
			s.label(4, ys[i]+l.font, l, r.Label)
		}
		s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="1"/>`, x(0), my, x(100), my, trackColor)
		if r.Est.Reportable && r.Est.Index != nil && r.Est.CILow != nil && r.Est.CIHigh != nil {
			lo, hi := x(*r.Est.CILow), x(*r.Est.CIHigh)
			s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="2"/>`, lo, my, hi, my, markColor)
			s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="2"/>`, lo, my-5, lo, my+5, markColor)
			s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="2"/>`, hi, my-5, hi, my+5, markColor)
			s.f(`<circle cx="%.1f" cy="%g" r="4" fill="%s"/>`, x(*r.Est.Index), my, markColor)
		}
		s.f(`<text x="%g" y="%g" font-size="%g" text-anchor="end" fill="%s">%s</text></g>`, l.w-2, my+l.font*0.35, l.font, inkColor, esc(report.Shown(r.Est, lang)))
	}
	return s.html()
}

// Fills of the five answer levels and "no opinion", each with the colour
// of the count written on it (contrast ≥ 4.5:1).
var levelFill = [6][2]string{
	{"#8e1b2b", "#ffffff"}, {"#f1a27f", "#1a1a1a"}, {"#dcdcdc", "#1a1a1a"},
	{"#8fc1e3", "#1a1a1a"}, {"#1d5a99", "#ffffff"}, {"#ffffff", "#1a1a1a"},
}

// StackedBar draws the answer counts of one criterion as a 100% bar, each
// segment labelled with its count (and titled with its level), so the
// levels are not told apart by colour alone.
func StackedBar(id, title string, counts []int64, labels []string) template.HTML {
	const w, h = 400.0, 22.0
	var total int64
	for _, c := range counts {
		total += c
	}
	var s svgBuilder
	var parts []string
	for i, c := range counts {
		parts = append(parts, fmt.Sprintf("%s: %d", labels[i], c))
	}
	s.open(id, "stack", w, h, title, strings.Join(parts, "; "))
	s.f(`<rect x="0" y="0" width="%g" height="%g" fill="#ffffff" stroke="%s" stroke-width="1"/>`, w, h, gridColor)
	if total == 0 {
		return s.html()
	}
	x := 0.0
	for i, c := range counts {
		if c == 0 {
			continue
		}
		segW := w * float64(c) / float64(total)
		fill := levelFill[min(i, 5)]
		s.f(`<g><title>%s: %d</title><rect x="%.2f" y="0" width="%.2f" height="%g" fill="%s" stroke="%s" stroke-width="0.5"/>`,
			esc(labels[i]), c, x, segW, h, fill[0], gridColor)
		if lbl := fmt.Sprint(c); segW >= float64(len(lbl))*7+4 {
			s.f(`<text x="%.2f" y="15" font-size="11" text-anchor="middle" fill="%s">%s</text>`, x+segW/2, fill[1], lbl)
		}
		s.b.WriteString(`</g>`)
		x += segW
	}
	return s.html()
}

// Trend draws the monthly overall index as a line with its interval
// as a band, in a wide and a narrow drawing (see chartLayout); months that
// are not reportable are left out.
func Trend(id, title, desc string, months []report.TrendPoint, lang string) template.HTML {
	return trend(id, title, desc, months, lang, wideLayout, 320, 12) + trend(id, title, desc, months, lang, narrowLayout, 230, 6)
}

// trend draws one layout of trendChart, h units high, with at most
// maxLabels month labels.
func trend(id, title, desc string, months []report.TrendPoint, lang string, l chartLayout, h float64, maxLabels int) template.HTML {
	w := l.w
	// The left margin holds "100%"; the right one half a month label, so
	// that the last one is not cut.
	left, right := textWidth("100%", l.tick)+8, textWidth("00/00", l.tick)/2+4
	top, bottom := 10.0, l.tick+16
	plotW, plotH := w-left-right, h-top-bottom
	var s svgBuilder
	s.open(id+l.suffix, l.class+" trend", w, h, title, desc)
	lo, hi := 100.0, 0.0
	for _, m := range months {
		e := m.Overall
		if e.Reportable && e.CILow != nil && e.CIHigh != nil {
			lo, hi = min(lo, *e.CILow), max(hi, *e.CIHigh)
		}
	}
	if lo > hi {
		lo, hi = 0, 100
	}
	lo, hi = max(0, float64(int(lo/10))*10), min(100, float64(int(hi/10))*10+10)
	if hi-lo < 20 {
		lo = max(0, hi-20)
		hi = min(100, lo+20)
	}
	y := func(v float64) float64 { return top + plotH*(hi-v)/(hi-lo) }
	n := len(months)
	x := func(i int) float64 {
		if n <= 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(n-1)
	}
	for g := lo; g <= hi+0.01; g += 10 {
		s.f(`<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="%s" stroke-width="0.5" stroke-dasharray="2 3"/>`, left, y(g), w-right, y(g), gridColor)
		s.f(`<text x="%g" y="%.1f" font-size="%g" text-anchor="end" fill="%s">%s%%</text>`, left-4, y(g)+l.tick*0.35, l.tick, inkColor, report.Number(g, 0, lang))
	}
	var upper, lower, line []string
	step := (n + maxLabels - 1) / maxLabels
	for i, m := range months {
		// Every step-th month is labelled, and the last one when it is not
		// too close to the one before.
		if i%step == 0 || i == n-1 && (step == 1 || i%step >= step/2+1) {
			lbl := m.Month[5:7] + "/" + m.Month[2:4]
			tx, anchor := anchorAt(x(i), textWidth(lbl, l.tick), w)
			s.f(`<text x="%.1f" y="%g" font-size="%g" text-anchor="%s" fill="%s">%s</text>`, tx, h-bottom+l.tick+6, l.tick, anchor, inkColor, esc(lbl))
		}
		e := m.Overall
		if !e.Reportable || e.Index == nil || e.CILow == nil || e.CIHigh == nil {
			continue
		}
		upper = append(upper, fmt.Sprintf("%.1f,%.1f", x(i), y(*e.CIHigh)))
		lower = append([]string{fmt.Sprintf("%.1f,%.1f", x(i), y(*e.CILow))}, lower...)
		line = append(line, fmt.Sprintf("%.1f,%.1f", x(i), y(*e.Index)))
	}
	if len(upper) > 0 {
		s.f(`<polygon points="%s" fill="%s" opacity="0.6"/>`, strings.Join(append(upper, lower...), " "), bandColor)
		// Months that hold predecessors' ratings are drawn dashed, up to
		// the first month of the agency's own.
		solid, dashed := line, []string(nil)
		if k := combinedPoints(months); k > 0 {
			dashed, solid = line[:min(k+1, len(line))], line[k:]
		}
		if len(dashed) > 1 {
			s.f(`<polyline class="combined" points="%s" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`, strings.Join(dashed, " "), markColor)
		}
		if len(solid) > 1 || len(dashed) == 0 {
			s.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(solid, " "), markColor)
		}
	}
	if i, frac, ok := mergerAt(months); ok && n > 1 {
		// A vertical rule on the day the agency's own history begins
		// (month i spans half a step either side of its point), labelled
		// in words.
		d := plotW / float64(n-1)
		mx := max(left, min(w-right, x(i)-d/2+d*frac))
		lbl := mergerLabel(lang)
		tx, anchor := anchorAt(mx+4, textWidth(lbl, l.tick), w)
		if anchor == "middle" {
			anchor = "start"
		}
		s.f(`<g class="merger"><title>%s</title><line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="1.5" stroke-dasharray="4 3"/>`,
			esc(lbl+": "+report.DayText(months[i].MergedOn)), mx, top, mx, h-bottom, inkColor)
		s.f(`<text x="%.1f" y="%g" font-size="%g" text-anchor="%s" fill="%s">%s</text></g>`, tx, top+l.tick, l.tick, anchor, inkColor, esc(lbl))
	}
	for i, m := range months {
		e := m.Overall
		if !e.Reportable || e.Index == nil {
			continue
		}
		tip := fmt.Sprintf("%s: %s %s, n=%d", m.Month, report.Percent(e.Index, lang), report.Interval(e.CILow, e.CIHigh, lang), e.N)
		fill := markColor
		if len(m.Combined) > 0 {
			// Hollow: told apart by shape, not colour alone.
			tip += " (" + combinedLabel(len(m.Combined), lang) + ": " + strings.Join(m.Combined, ", ") + ")"
			fill = "#ffffff"
		}
		s.f(`<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s" stroke="%s" stroke-width="1.5"><title>%s</title></circle>`, x(i), y(*e.Index), fill, markColor, esc(tip))
	}
	s.f(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="1"/>`, left, h-bottom, w-right, h-bottom, inkColor)
	return s.html()
}

// combinedPoints is the number of drawn (reportable) months at the start
// of months that hold predecessors' ratings.
func combinedPoints(months []report.TrendPoint) int {
	k := 0
	for _, m := range months {
		e := m.Overall
		if !e.Reportable || e.Index == nil || e.CILow == nil || e.CIHigh == nil {
			continue
		}
		if len(m.Combined) == 0 {
			break
		}
		k++
	}
	return k
}

// mergerAt is the month of the last merger into the agency that follows a
// month (or days) holding predecessors' ratings, and how far into the
// month its day lies (0 on the 1st); false when there is none.
func mergerAt(months []report.TrendPoint) (int, float64, bool) {
	at, frac, combined := -1, 0.0, false
	for i, m := range months {
		combined = combined || len(m.Combined) > 0
		if m.MergedOn == "" || !combined {
			continue
		}
		day, err := time.Parse("2006-01-02", m.MergedOn)
		if err != nil || day.Day() == 1 && i == 0 {
			continue // before the first month drawn
		}
		days := time.Date(day.Year(), day.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		at, frac = i, float64(day.Day()-1)/float64(days)
	}
	return at, frac, at >= 0
}

// mergerLabel is the label of the merger's rule.
func mergerLabel(lang string) string {
	if lang == "en" {
		return "merger"
	}
	return "sáp nhập"
}

// combinedLabel says that a month's index is n predecessors' combined.
func combinedLabel(n int, lang string) string { return report.CombinedText(n, lang) }

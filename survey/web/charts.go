package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"
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
func (s *svgBuilder) open(id, class string, w, h float64, title, desc string) {
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" class="%s" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" preserveAspectRatio="xMinYMin meet">`,
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

// ciBar draws one index with its interval on a 0–100 scale, small enough
// for a table cell.
func ciBar(id string, e scoring.Estimate, lang string) template.HTML {
	t := dtr(lang)
	var s svgBuilder
	label := report.Shown(e, lang)
	if e.Reportable {
		label += " " + report.Interval(e.CILow, e.CIHigh, lang)
	}
	s.open(id, "cibar", 100, 14, t.ChartCI+": "+label, t.ChartCIDesc)
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

// barRow is one labelled estimate of an error-bar chart.
type barRow struct {
	Label string
	Est   scoring.Estimate
}

// errorBarChart draws estimates as dots with interval whiskers on a
// 0–100% axis, one row each: the label on one line, the mark and its value
// below, so it stays legible when scaled down to a phone.
func errorBarChart(id, title, desc string, rows []barRow, lang string) template.HTML {
	const (
		w      = 400.0
		left   = 4.0
		scaleW = 280.0
		rowH   = 38.0
		top    = 6.0
	)
	h := top + rowH*float64(len(rows)) + 22
	var s svgBuilder
	s.open(id, "chart", w, h, title, desc)
	x := func(v float64) float64 { return left + scaleW*v/100 }
	axisY := top + rowH*float64(len(rows))
	for _, g := range []float64{0, 25, 50, 75, 100} {
		s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="0.5" stroke-dasharray="2 2"/>`, x(g), top, x(g), axisY, gridColor)
		s.f(`<text x="%.1f" y="%g" font-size="10" text-anchor="middle" fill="%s">%s%%</text>`, x(g), axisY+14, inkColor, report.Number(g, 0, lang))
	}
	for i, r := range rows {
		y := top + rowH*float64(i)
		s.f(`<g><title>%s</title>`, esc(r.Label+": "+report.Shown(r.Est, lang)+" "+report.Interval(r.Est.CILow, r.Est.CIHigh, lang)+fmt.Sprintf(" n=%d", r.Est.N)))
		s.f(`<text x="%g" y="%g" font-size="12" fill="%s">%s</text>`, left, y+12, inkColor, esc(truncate(r.Label, 60)))
		my := y + 25
		s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="1"/>`, x(0), my, x(100), my, trackColor)
		if r.Est.Reportable && r.Est.Index != nil && r.Est.CILow != nil && r.Est.CIHigh != nil {
			lo, hi := x(*r.Est.CILow), x(*r.Est.CIHigh)
			s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="2"/>`, lo, my, hi, my, markColor)
			s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="2"/>`, lo, my-5, lo, my+5, markColor)
			s.f(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="2"/>`, hi, my-5, hi, my+5, markColor)
			s.f(`<circle cx="%.1f" cy="%g" r="4" fill="%s"/>`, x(*r.Est.Index), my, markColor)
		}
		s.f(`<text x="%g" y="%g" font-size="12" fill="%s">%s</text></g>`, left+scaleW+10, my+4, inkColor, esc(report.Shown(r.Est, lang)))
	}
	return s.html()
}

// Fills of the five answer levels and "no opinion", each with the colour
// of the count written on it (contrast ≥ 4.5:1).
var levelFill = [6][2]string{
	{"#8e1b2b", "#ffffff"}, {"#f1a27f", "#1a1a1a"}, {"#dcdcdc", "#1a1a1a"},
	{"#8fc1e3", "#1a1a1a"}, {"#1d5a99", "#ffffff"}, {"#ffffff", "#1a1a1a"},
}

// stackedBar draws the answer counts of one criterion as a 100% bar, each
// segment labelled with its count (and titled with its level), so the
// levels are not told apart by colour alone.
func stackedBar(id, title string, counts []int64, labels []string) template.HTML {
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

// trendChart draws the monthly overall index as a line with its interval
// as a band; months that are not reportable are left out.
func trendChart(id, title, desc string, months []report.TrendPoint, lang string) template.HTML {
	const (
		w, h         = 400.0, 200.0
		left, right  = 40.0, 18.0
		top, bottom  = 10.0, 30.0
		plotW, plotH = w - left - right, h - top - bottom
	)
	var s svgBuilder
	s.open(id, "chart trend", w, h, title, desc)
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
		s.f(`<text x="%g" y="%.1f" font-size="12" text-anchor="end" fill="%s">%s%%</text>`, left-4, y(g)+4, inkColor, report.Number(g, 0, lang))
	}
	var upper, lower, line []string
	for i, m := range months {
		lbl := m.Month[5:7] + "/" + m.Month[2:4]
		// At most about six month labels fit on a phone.
		if step := (n + 5) / 6; i%step == 0 || i == n-1 && n <= 6 {
			s.f(`<text x="%.1f" y="%g" font-size="12" text-anchor="middle" fill="%s">%s</text>`, x(i), h-bottom+18, inkColor, lbl)
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
		s.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(line, " "), markColor)
	}
	for i, m := range months {
		e := m.Overall
		if !e.Reportable || e.Index == nil {
			continue
		}
		s.f(`<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s: %s %s, n=%d</title></circle>`, x(i), y(*e.Index), markColor,
			esc(m.Month), esc(report.Percent(e.Index, lang)), esc(report.Interval(e.CILow, e.CIHigh, lang)), e.N)
	}
	s.f(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="1"/>`, left, h-bottom, w-right, h-bottom, inkColor)
	return s.html()
}

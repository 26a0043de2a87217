package chart

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey/report"
)

func TestWrapLabel(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want []string
	}{
		{"fits", "Tiếp cận dịch vụ", 20, []string{"Tiếp cận dịch vụ"}},
		{"two lines", "TC2 Trang thiết bị phục vụ người dân", 20, []string{"TC2 Trang thiết bị", "phục vụ người dân"}},
		{"cut after two lines", "GY4 Cơ quan thông báo kết quả xử lý góp ý, phản ánh, kiến nghị kịp thời", 20,
			[]string{"GY4 Cơ quan thông", "báo kết quả xử lý g…"}},
		{"a word longer than a line", "Khônggianchờrấtrộngrãi và sạch", 10, []string{"Khônggianc", "hờrấtrộng…"}},
		{"empty", "", 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapLabel(tt.in, tt.n, 2)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for _, l := range got {
				if n := len([]rune(l)); n > tt.n {
					t.Errorf("line %q has %d runes, want at most %d", l, n, tt.n)
				}
			}
		})
	}
}

func TestAnchorAt(t *testing.T) {
	tests := []struct {
		x, tw, w   float64
		wantX      float64
		wantAnchor string
	}{
		{x: 4, tw: 20, w: 360, wantX: 1, wantAnchor: "start"},
		{x: 180, tw: 20, w: 360, wantX: 180, wantAnchor: "middle"},
		{x: 355, tw: 40, w: 360, wantX: 359, wantAnchor: "end"},
	}
	for _, tt := range tests {
		x, a := anchorAt(tt.x, tt.tw, tt.w)
		if x != tt.wantX || a != tt.wantAnchor {
			t.Errorf("anchorAt(%g, %g, %g): got %g %s, want %g %s", tt.x, tt.tw, tt.w, x, a, tt.wantX, tt.wantAnchor)
		}
	}
}

// svgText is one line of text of a chart: a <text> or one of its <tspan>s.
type svgText struct {
	x, size float64
	anchor  string
	text    string
}

// svgChart is what checkChart reads from one <svg>.
type svgChart struct {
	attrs  map[string]string
	w, h   float64
	texts  []svgText
	titles []string // the <title> of every <text>, in order
}

func attrMap(se xml.StartElement) map[string]string {
	m := map[string]string{}
	for _, a := range se.Attr {
		m[a.Name.Local] = a.Value
	}
	return m
}

func svgNum(t *testing.T, v string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("number %q: %v", v, err)
	}
	return f
}

// parseCharts reads the <svg> elements of a chart's markup; it fails on
// markup that is not well-formed, on a style attribute or element, and on
// text outside a <text>.
func parseCharts(t *testing.T, markup string) []svgChart {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader("<root>" + markup + "</root>"))
	var charts []svgChart
	var cur *svgChart
	var stack []string
	var text *svgText // the <text> being read
	var textAttrs map[string]string
	var buf strings.Builder
	flush := func() {
		if text != nil && strings.TrimSpace(buf.String()) != "" {
			l := *text
			l.text = buf.String()
			cur.texts = append(cur.texts, l)
		}
		buf.Reset()
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart markup is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			a := attrMap(tok)
			if _, ok := a["style"]; ok || tok.Name.Local == "style" {
				t.Fatalf("<%s> has inline style, which the CSP forbids", tok.Name.Local)
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, tok.Name.Local)
			switch tok.Name.Local {
			case "svg":
				vb := strings.Fields(a["viewBox"])
				if len(vb) != 4 {
					t.Fatalf("svg without a viewBox: %v", a)
				}
				charts = append(charts, svgChart{attrs: a, w: svgNum(t, vb[2]), h: svgNum(t, vb[3])})
				cur = &charts[len(charts)-1]
			case "text":
				textAttrs = a
				anchor := a["text-anchor"]
				if anchor == "" {
					anchor = "start"
				}
				text = &svgText{x: svgNum(t, a["x"]), size: svgNum(t, a["font-size"]), anchor: anchor}
			case "tspan":
				flush()
				l := *text
				l.x = svgNum(t, a["x"])
				text = &l
			case "title":
				if parent == "text" {
					flush()
				}
			}
		case xml.EndElement:
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch {
			case name == "title" && len(stack) > 0 && stack[len(stack)-1] == "text":
				cur.titles = append(cur.titles, buf.String())
				buf.Reset()
			case name == "tspan":
				flush()
				l := *text
				l.x = svgNum(t, textAttrs["x"])
				text = &l
			case name == "text":
				flush()
				text = nil
			}
		case xml.CharData:
			if text != nil {
				buf.Write(tok)
			}
		}
	}
	return charts
}

// checkInside fails when a line of text would reach outside the viewBox,
// by the generous width estimate the charts are laid out with.
func checkInside(t *testing.T, c svgChart) {
	t.Helper()
	for _, l := range c.texts {
		tw := textWidth(l.text, l.size)
		x0 := l.x
		switch l.anchor {
		case "middle":
			x0 -= tw / 2
		case "end":
			x0 -= tw
		}
		if x0 < 0 || x0+tw > c.w {
			t.Errorf("%s: text %q spans x %.1f–%.1f, outside the viewBox 0–%g", c.attrs["class"], l.text, x0, x0+tw, c.w)
		}
	}
}

// checkLegible fails when text of a drawing is smaller than min px or
// larger than max px once the drawing is width px wide.
func checkLegible(t *testing.T, c svgChart, width, minPx, maxPx float64) {
	t.Helper()
	for _, l := range c.texts {
		if px := l.size * width / c.w; px < minPx || px > maxPx {
			t.Errorf("%s at %g px: %q is %.1f px, want %g–%g", c.attrs["class"], width, l.text, px, minPx, maxPx)
		}
	}
}

func fp(v float64) *float64 { return &v }

func estimate(index, lo, hi float64, n int64) scoring.Estimate {
	return scoring.Estimate{Index: fp(index), CILow: fp(lo), CIHigh: fp(hi), N: n, Reportable: true}
}

// The two drawings of a chart: the wide one fills a desktop column of
// 900–1100 px, the narrow one a 390 px phone (358 px inside the page's
// padding) up to its 32rem cap, with text of 11–21 px.
var drawings = []struct {
	class          string
	minW, maxW     float64
	minPx, maxPx   float64
	idSuffix, name string
}{
	{class: "chart chart-wide", minW: 900, maxW: 1120, minPx: 12, maxPx: 19, idSuffix: "", name: "wide"},
	{class: "chart chart-narrow", minW: 358, maxW: 512, minPx: 11, maxPx: 21, idSuffix: "-n", name: "narrow"},
}

func checkDrawings(t *testing.T, id string, charts []svgChart) {
	t.Helper()
	if len(charts) != len(drawings) {
		t.Fatalf("got %d drawings, want %d", len(charts), len(drawings))
	}
	for i, dr := range drawings {
		c := charts[i]
		if !strings.HasPrefix(c.attrs["class"], dr.class) {
			t.Errorf("drawing %d: class %q, want %q", i, c.attrs["class"], dr.class)
		}
		if want := id + dr.idSuffix + "-t " + id + dr.idSuffix + "-d"; c.attrs["aria-labelledby"] != want {
			t.Errorf("%s: aria-labelledby %q, want %q", dr.name, c.attrs["aria-labelledby"], want)
		}
		if c.attrs["width"] != "100%" || c.attrs["height"] != "" || c.attrs["preserveAspectRatio"] == "" {
			t.Errorf("%s: width %q height %q preserveAspectRatio %q, want 100%%, none and set", dr.name, c.attrs["width"], c.attrs["height"], c.attrs["preserveAspectRatio"])
		}
		checkInside(t, c)
		checkLegible(t, c, dr.minW, dr.minPx, dr.maxPx)
		checkLegible(t, c, dr.maxW, dr.minPx, dr.maxPx)
	}
}

func TestErrorBarChart(t *testing.T) {
	long := "GY4 Cơ quan thông báo kết quả xử lý góp ý, phản ánh, kiến nghị kịp thời và đầy đủ cho người dân, tổ chức"
	rows := []Row{
		{Label: "Tiếp cận dịch vụ", Est: estimate(0.5, 0, 3, 40)},
		{Label: "TC2 Trang thiết bị phục vụ người dân, tổ chức đầy đủ", Est: estimate(100, 96.5, 100, 80)},
		{Label: long, Est: estimate(62.5, 55, 70, 90)},
		{Label: "KQ1 Kết quả nhận được đúng quy định", Est: scoring.Estimate{N: 3}},
	}
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			markup := string(ErrorBars("chart-items", "Chỉ số", "Mô tả", rows, lang))
			charts := parseCharts(t, markup)
			checkDrawings(t, "chart-items", charts)
			for _, c := range charts {
				// Every label carries its whole text in its <title>.
				if len(c.titles) != len(rows) {
					t.Fatalf("%s: got %d label titles, want %d", c.attrs["class"], len(c.titles), len(rows))
				}
				for i, r := range rows {
					if c.titles[i] != r.Label {
						t.Errorf("%s: label title %q, want %q", c.attrs["class"], c.titles[i], r.Label)
					}
				}
				var lines []string
				for _, l := range c.texts {
					if strings.HasPrefix(l.text, "GY4") || len(lines) == 1 {
						lines = append(lines, l.text)
					}
				}
				if len(lines) != 2 || !strings.HasSuffix(lines[1], "…") {
					t.Errorf("%s: the long label is drawn as %q, want two lines, the second cut with …", c.attrs["class"], lines)
				}
				if !strings.Contains(markup, report.NotEnough(lang)) {
					t.Errorf("the estimate that is not reportable is not labelled %q", report.NotEnough(lang))
				}
			}
		})
	}
}

func TestTrendChart(t *testing.T) {
	for _, n := range []int{1, 2, 5, 6, 7, 12, 13, 24} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var months []report.TrendPoint
			for i := range n {
				m := fmt.Sprintf("20%02d-%02d", 25+(i+11)/12, (i+11)%12+1)
				months = append(months, report.TrendPoint{Month: m, Overall: estimate(80+float64(i%5), 75, 90, 100)})
			}
			charts := parseCharts(t, string(Trend("chart-trend", "Xu hướng", "Mô tả", months, "vi")))
			checkDrawings(t, "chart-trend", charts)
			for i, c := range charts {
				var labels []string
				for _, l := range c.texts {
					if strings.Contains(l.text, "/") {
						labels = append(labels, l.text)
					}
				}
				maxLabels := []int{12, 6}[i]
				if len(labels) == 0 || len(labels) > maxLabels+1 {
					t.Errorf("%s: month labels %q, want 1–%d", c.attrs["class"], labels, maxLabels+1)
				}
				if labels[0] != "12/25" {
					t.Errorf("%s: first month label %q, want 12/25", c.attrs["class"], labels[0])
				}
				last := months[n-1].Month[5:7] + "/" + months[n-1].Month[2:4]
				if n <= maxLabels && labels[len(labels)-1] != last {
					t.Errorf("%s: last month label %q, want %q", c.attrs["class"], labels[len(labels)-1], last)
				}
			}
		})
	}
}

// A merge successor's months before its merger are drawn dashed with
// hollow dots, and a labelled rule stands where its own months begin.
func TestTrendChartMerger(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			var months []report.TrendPoint
			for i := range 6 {
				p := report.TrendPoint{Month: fmt.Sprintf("2026-%02d", i+1), Overall: estimate(70+float64(i), 65, 80, 100)}
				if i < 3 {
					p.Combined = []string{"D3", "D4"}
				}
				if i == 3 {
					p.MergedOn = "2026-04-01"
				}
				months = append(months, p)
			}
			markup := string(Trend("chart-trend", "Xu hướng", "Mô tả", months, lang))
			checkDrawings(t, "chart-trend", parseCharts(t, markup))
			wide, _, _ := strings.Cut(markup, "</svg>")
			if n := strings.Count(wide, `<g class="merger">`); n != 1 {
				t.Errorf("merger rules: got %d, want 1", n)
			}
			if !strings.Contains(wide, ">"+mergerLabel(lang)+"</text>") {
				t.Errorf("the rule is not labelled %q", mergerLabel(lang))
			}
			if n := strings.Count(wide, `class="combined"`); n != 1 {
				t.Errorf("dashed segments: got %d, want 1", n)
			}
			if n := strings.Count(wide, `fill="#ffffff" stroke=`); n != 3 {
				t.Errorf("hollow dots: got %d, want 3 (the combined months)", n)
			}
			if !strings.Contains(wide, combinedLabel(2, lang)+": D3, D4") {
				t.Errorf("the combined months' titles do not name the predecessors")
			}
			// The rule stands halfway between March and April.
			x := regexp.MustCompile(`<g class="merger"><title>[^<]*</title><line x1="([0-9.]+)"`).FindStringSubmatch(wide)
			pts := regexp.MustCompile(`<circle cx="([0-9.]+)"`).FindAllStringSubmatch(wide, -1)
			if x == nil || len(pts) != 6 {
				t.Fatalf("rule %v, dots %d", x, len(pts))
			}
			rule, mar, apr := parseF(t, x[1]), parseF(t, pts[2][1]), parseF(t, pts[3][1])
			if math.Abs(rule-(mar+apr)/2) > 0.1 {
				t.Errorf("rule at %g, want halfway between March (%g) and April (%g)", rule, mar, apr)
			}
			// A merger on 16 April: April holds both, and the rule stands
			// at its middle, on April's point.
			months[3].Combined, months[3].MergedOn = []string{"D3", "D4"}, "2026-04-16"
			wide, _, _ = strings.Cut(string(Trend("chart-trend", "Xu hướng", "Mô tả", months, lang)), "</svg>")
			x = regexp.MustCompile(`<g class="merger"><title>[^<]*16/04/2026</title><line x1="([0-9.]+)"`).FindStringSubmatch(wide)
			if x == nil || math.Abs(parseF(t, x[1])-apr) > 0.1 {
				t.Errorf("rule of 16 April: %v, want at April's point %g", x, apr)
			}
		})
	}
	// Without predecessors: no rule, no dashes, filled dots.
	months := []report.TrendPoint{{Month: "2026-01", Overall: estimate(70, 65, 75, 100)}, {Month: "2026-02", Overall: estimate(72, 66, 78, 100)}}
	markup := string(Trend("chart-trend", "Xu hướng", "Mô tả", months, "vi"))
	if strings.Contains(markup, "merger") || strings.Contains(markup, `class="combined"`) || strings.Contains(markup, `fill="#ffffff" stroke=`) {
		t.Errorf("a trend without predecessors is marked")
	}
}

func parseF(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

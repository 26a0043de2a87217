package document_test

import (
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/document"
)

// reportDay is the day the test reports are made on: 2026-Q2 is over, and
// sqlitetest.SeedMonths rated December 2025 to May 2026.
var reportDay = time.Date(2026, 7, 15, 10, 0, 0, 0, survey.Vietnam)

// newReport builds the 2026-Q2 report of the standard province P from a
// real database: SeedMonths' ratings, a plan of P with three targets and
// three tasks (D2's overdue, D4's done, D3's not started by the end of the
// quarter), and P's official SIPAS result for 2025.
func newReport(t *testing.T) (*report.Periodic, *survey.Instrument) {
	t.Helper()
	p := sqlitetest.New(t, sqlite.Options{})
	p.SeedMonths(t)
	ctx, by := t.Context(), survey.Actor{Name: "test"}
	// The plan is entered in February and D4's task done in June: a report
	// tells the tasks as they stood at the end of its period.
	clock := time.Date(2026, 2, 20, 9, 0, 0, 0, survey.Vietnam)
	p.DB.Now = func() time.Time { return clock }
	plan, err := survey.ParsePlan(survey.PlanInput{Agency: "P", Year: 2026, Title: "Kế hoạch cải thiện Chỉ số SIPAS năm 2026",
		Instrument: "sipas-2017", Targets: []survey.PlanTarget{
			{Indicator: survey.IndicatorOverall, Target: 90}, {Indicator: "TT", Target: 50}, {Indicator: "CC3", Target: 70},
		}}, p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreatePlan(ctx, plan, by); err != nil {
		t.Fatal(err)
	}
	for _, in := range []survey.TaskInput{
		{Title: "Niêm yết đầy đủ thủ tục tại quầy", Responsible: "D2", Criteria: []string{"TT1", "TT2"}, Start: "2026-03-01", Due: "2026-05-31"},
		{Title: "Tập huấn kỹ năng giao tiếp", Responsible: "D4", Criteria: []string{"CC3"}, Start: "2026-03-01", Due: "2026-06-30"},
		{Title: "Số hoá hồ sơ lưu trữ", Responsible: "D3", Criteria: []string{"KQ1"}, Start: "2026-09-01", Due: "2026-12-31"},
	} {
		task, err := survey.ParseTask(plan, in, p.Instruments)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.DB.CreateTask(ctx, task, by); err != nil {
			t.Fatal(err)
		}
		if in.Responsible == "D4" {
			clock = time.Date(2026, 6, 20, 9, 0, 0, 0, survey.Vietnam)
			done := survey.TaskDone
			if _, err := p.DB.UpdateTask(ctx, plan.ID, task.ID, survey.TaskUpdate{Status: &done, Note: "xong"}, by); err != nil {
				t.Fatal(err)
			}
		}
	}
	rank, of := 48, 63
	if err := p.DB.SetOfficialResult(ctx, &survey.OfficialResult{Agency: "P", Index: survey.IndexSIPAS, Year: 2025, Score: 85.54, Rank: &rank, Of: &of}, by); err != nil {
		t.Fatal(err)
	}
	rp, err := survey.ParseReportPeriod("2026-Q2")
	if err != nil {
		t.Fatal(err)
	}
	in := p.Instrument(t, "sipas-2017")
	svc := &report.Service{Agencies: p.DB, Stats: p.DB, Volumes: p.DB, Plans: p.DB, Instruments: p.Instruments}
	r, err := svc.Periodic(ctx, report.PeriodicQuery{Agency: p.Agency(t, "P"), Instrument: in, Period: rp, Today: reportDay, Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	return r, in
}

// checkBalanced fails when an element other than a void one is not closed
// in order, or when the markup has a script or an inline style.
func checkBalanced(t *testing.T, doc string) {
	t.Helper()
	void := map[string]bool{"br": true, "meta": true, "link": true, "img": true, "hr": true, "input": true, "col": true, "wbr": true}
	z := html.NewTokenizer(strings.NewReader(doc))
	var stack []string
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("tokenize: %v", z.Err())
			}
			if len(stack) > 0 {
				t.Fatalf("unclosed elements at the end: %v", stack)
			}
			return
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			name := tok.Data
			if tt != html.EndTagToken {
				for _, a := range tok.Attr {
					if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
						t.Fatalf("<%s> has the attribute %s", name, a.Key)
					}
				}
				if name == "script" {
					t.Fatal("the report has a script")
				}
			}
			// SVG elements close themselves (<circle/>): the tokenizer
			// says so. Void HTML elements never close.
			if tt == html.SelfClosingTagToken || tt == html.StartTagToken && void[name] {
				continue
			}
			if tt == html.StartTagToken {
				stack = append(stack, name)
				continue
			}
			if len(stack) == 0 || stack[len(stack)-1] != name {
				t.Fatalf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
}

var (
	viIndex    = regexp.MustCompile(`\d{1,3},\d\d%`)
	viInterval = regexp.MustCompile(`\[\d{1,3},\d\d – \d{1,3},\d\d\]`)
)

func TestBodyDocument(t *testing.T) {
	r, in := newReport(t)
	body, err := document.Body(r, in, "vi")
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	for _, want := range []string{
		"<h1>", "1. Kết quả chung", "2. So sánh", "3. Đơn vị trực thuộc", "4. Năm tiêu chí thấp nhất",
		"5. Kế hoạch cải thiện", "6. Kết quả chính thức",
		"Quý II/2026", "01/04/2026 – 30/06/2026", "Mức tin cậy", "95%", "Đánh giá sự hài lòng", // heading
		"Chỉ số chung", "Phiếu tách riêng", "rpt-elements", "rpt-trend", // section 1
		"So với kỳ trước: Quý I/2026", "So với cùng kỳ năm trước: Quý II/2025", "Holm", // section 2
		"Sở Tư pháp (D1)", "So với các đơn vị còn lại", // section 3
		"có khoảng tin cậy chồng lên nhau", // section 4
		"Kế hoạch cải thiện Chỉ số SIPAS năm 2026", "Nhiệm vụ quá hạn", "Niêm yết đầy đủ thủ tục tại quầy",
		"UBND huyện Phong Điền (D2)", "31/05/2026", "chưa bắt đầu", "Khác biệt kép", // section 5
		"SIPAS 2025: 85,54 %, hạng 48/63", "không so sánh trực tiếp", // section 6
		"chưa đủ dữ liệu", // the year before has no ratings
	} {
		if !strings.Contains(s, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if !viIndex.MatchString(s) || !viInterval.MatchString(s) {
		t.Error("body has no index or interval in the Vietnamese format")
	}
	// Every target has a status label and every effect a verdict label.
	for _, ps := range r.Plans {
		for _, tg := range ps.Targets {
			if !strings.Contains(s, ">"+report.TargetLabel(tg.Status, "vi")+"<") {
				t.Errorf("target %s: no status %q", tg.Indicator, report.TargetLabel(tg.Status, "vi"))
			}
		}
		for _, e := range ps.Effects {
			for _, c := range e.Effect.Criteria {
				if !strings.Contains(s, ">"+report.VerdictLabel(c.Verdict, "vi")+"<") {
					t.Errorf("task %d %s: no verdict %q", e.Task.ID, c.Indicator, report.VerdictLabel(c.Verdict, "vi"))
				}
			}
		}
	}
	// The year before is not reportable: its rows say so, with this
	// period's index and interval but no change, interval or p.
	yb := regexp.MustCompile(`(?s)So với cùng kỳ năm trước.*?</table>`).FindString(s)
	for _, row := range regexp.MustCompile(`<tr><th scope="row">.*?</tr>`).FindAllString(yb, -1) {
		if !strings.Contains(row, `<td class="num">chưa đủ dữ liệu<br><span class="rpt-n">n = 0</span></td>`) ||
			!strings.Contains(row, `<td class="num">–</td><td class="num">–</td><td class="num">–</td><td class="v-nodata">chưa đủ dữ liệu`) {
			t.Errorf("a year-before row should say chưa đủ dữ liệu with no change:\n%s", row)
		}
	}
	if !strings.Contains(yb, "<tr><th scope=\"row\">") {
		t.Errorf("no year-before rows:\n%s", yb)
	}
	checkBalanced(t, s)
}

func TestBodyEnglish(t *testing.T) {
	r, in := newReport(t)
	body, err := document.Body(r, in, "en")
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	for _, want := range []string{"1. Overall results", "2. Comparisons", "3. Units beneath", "4. The five weakest criteria",
		"5. Improvement plans", "6. Official results", "Q2 2026", "not enough data", "SIPAS 2025: 85.54 %, rank 48/63"} {
		if !strings.Contains(s, want) {
			t.Errorf("English body lacks %q", want)
		}
	}
	if !regexp.MustCompile(`\d{1,3}\.\d\d%`).MatchString(s) {
		t.Error("English body has no index with a decimal point")
	}
	checkBalanced(t, s)
}

func TestHTMLDocument(t *testing.T) {
	r, in := newReport(t)
	var b bytes.Buffer
	if err := document.HTML(&b, r, in, "vi"); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if !strings.HasPrefix(s, "<!doctype html>") {
		t.Fatalf("document starts with %q", s[:min(len(s), 40)])
	}
	for _, want := range []string{`<html lang="vi">`, `<meta charset="utf-8">`, "<title>Báo cáo định kỳ", "<style>", "@page",
		`counter(pages)`, "break-inside: avoid", "1. Kết quả chung", "6. Kết quả chính thức"} {
		if !strings.Contains(s, want) {
			t.Errorf("document lacks %q", want)
		}
	}
	checkBalanced(t, s)
	// The inline stylesheet is static/report.css as it is.
	css, err := document.Style()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s, "<style>"+css+"</style>") {
		t.Error("the inline style is not static/report.css as it is")
	}
}

// numeric reports whether a cell holds a number.
func numeric(t *testing.T, f *excelize.File, sheet, ref string) bool {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	_, perr := strconv.ParseFloat(v, 64)
	return (typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber) && v != "" && perr == nil
}

// findRow returns the 1-based row whose first cell is first, or 0.
func findRow(t *testing.T, f *excelize.File, sheet, first string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == first {
			return i + 1
		}
	}
	return 0
}

func TestXLSXWorkbook(t *testing.T) {
	r, in := newReport(t)
	var b bytes.Buffer
	if err := document.XLSX(&b, r, in, "vi"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := strings.Join(f.GetSheetList(), "|")
	for _, want := range []string{"Tổng hợp", "So sánh", "Đơn vị trực thuộc", "Tiêu chí thấp nhất", "Mục tiêu", "Nhiệm vụ", "Kết quả chính thức"} {
		if !strings.Contains("|"+sheets+"|", "|"+want+"|") {
			t.Errorf("sheets %s lack %q", sheets, want)
		}
	}
	if f.GetSheetList()[0] != "Tổng hợp" {
		t.Errorf("first sheet %q", f.GetSheetList()[0])
	}
	// The summary's heading names the agency, the period, the dates and
	// the level; then the overall row has numbers.
	for _, c := range []struct{ ref, want string }{{"B2", "P"}, {"C2", "UBND tỉnh Demo"}, {"B3", "Quý II/2026"}, {"B4", "2026-04-01"}, {"B5", "2026-06-30"}} {
		if v, _ := f.GetCellValue("Tổng hợp", c.ref); v != c.want {
			t.Errorf("Tổng hợp %s: got %q, want %q", c.ref, v, c.want)
		}
	}
	if lv := findRow(t, f, "Tổng hợp", "Mức tin cậy"); lv == 0 || !numeric(t, f, "Tổng hợp", "B"+strconv.Itoa(lv)) {
		t.Error("Tổng hợp: no numeric confidence level")
	}
	ov := findRow(t, f, "Tổng hợp", survey.IndicatorOverall)
	if ov == 0 {
		t.Fatal("Tổng hợp: no overall row")
	}
	for _, col := range []string{"C", "D", "E", "F"} {
		if !numeric(t, f, "Tổng hợp", col+strconv.Itoa(ov)) {
			t.Errorf("Tổng hợp %s%d is not a number", col, ov)
		}
	}
	// So sánh: the prior period's overall has a change, interval and p_adj;
	// the year before has n = 0 and words only.
	rows, _ := f.GetRows("So sánh")
	if len(rows) != 1+len(r.Changes) {
		t.Fatalf("So sánh: %d rows, want %d", len(rows), 1+len(r.Changes))
	}
	for _, col := range []string{"G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S"} {
		if !numeric(t, f, "So sánh", col+"2") {
			t.Errorf("So sánh %s2 is not a number", col)
		}
	}
	last := strconv.Itoa(len(rows))
	if v, _ := f.GetCellValue("So sánh", "T"+last); v != "chưa đủ dữ liệu" {
		t.Errorf("So sánh T%s: got %q, want chưa đủ dữ liệu", last, v)
	}
	if v, _ := f.GetCellValue("So sánh", "G"+last); v != "" {
		t.Errorf("So sánh G%s: got %q for a period without ratings", last, v)
	}
	for _, c := range []struct{ sheet, ref string }{
		{"Đơn vị trực thuộc", "C2"}, {"Đơn vị trực thuộc", "F2"}, {"Tiêu chí thấp nhất", "D2"}, {"Tiêu chí thấp nhất", "G2"},
		{"Mục tiêu", "H2"}, {"Mục tiêu", "I2"}, {"Mục tiêu", "L2"}, {"Kết quả chính thức", "C2"}, {"Kết quả chính thức", "D2"},
		{"Nhiệm vụ theo đơn vị", "D2"},
	} {
		if !numeric(t, f, c.sheet, c.ref) {
			v, _ := f.GetCellValue(c.sheet, c.ref)
			t.Errorf("%s %s is not a number: %q", c.sheet, c.ref, v)
		}
	}
	if v, _ := f.GetCellValue("Kết quả chính thức", "C2"); v != "85.54" {
		t.Errorf("official score: got %q", v)
	}
	// Nhiệm vụ: statuses and verdicts in words.
	tasks, _ := f.GetRows("Nhiệm vụ")
	all := ""
	for _, r := range tasks {
		all += strings.Join(r, "|") + "\n"
	}
	for _, want := range []string{"Niêm yết đầy đủ thủ tục tại quầy", "hoàn thành", "chưa thực hiện", "TT1", "chưa đủ dữ liệu"} {
		if !strings.Contains(all, want) {
			t.Errorf("Nhiệm vụ lacks %q:\n%s", want, all)
		}
	}
}

// A report with nothing in it (no scores, trend, children, plans or
// official results) renders in every format.
func TestDocumentHandBuiltReport(t *testing.T) {
	in := sqlitetest.Instruments(t)
	inst, err := in.Current("sipas-2017")
	if err != nil {
		t.Fatal(err)
	}
	empty := scoring.Estimate{N: 3, Reason: "n<30", Flags: []string{}}
	for name, r := range map[string]*report.Periodic{
		"zero": {},
		"thin": {Agency: "X", AgencyName: "Xã X", Period: "2027-05", Kind: survey.KindMonth, From: "2027-05-01", To: "2027-05-20",
			AsOf: "2027-05-20", Instrument: "sipas-2017", InstrumentVersion: 1, ConfidenceLevel: 0.95, Adjust: scoring.MethodBH,
			Scores:   &report.Scores{Overall: scoring.OverallResult{Estimate: empty}, Elements: []scoring.ElementResult{{Code: "TC", Estimate: empty}}},
			Children: &report.Children{}, Changes: []report.PeriodChange{{Against: report.AgainstPrior, Period: "2027-04", Indicator: "overall", Current: empty, Then: empty}},
			Plans: []report.PlanSummary{{Effects: []report.TaskEffect{{Task: &survey.Task{Title: "T"}}}}},
		},
	} {
		for _, lang := range []string{"vi", "en"} {
			for _, in := range []*survey.Instrument{inst, nil} {
				body, err := document.Body(r, in, lang)
				if err != nil {
					t.Fatalf("%s %s: %v", name, lang, err)
				}
				checkBalanced(t, string(body))
				if !strings.Contains(string(body), report.NotEnough(lang)) {
					t.Errorf("%s %s: no %q", name, lang, report.NotEnough(lang))
				}
				if err := document.HTML(io.Discard, r, in, lang); err != nil {
					t.Fatalf("%s %s html: %v", name, lang, err)
				}
				var b bytes.Buffer
				if err := document.XLSX(&b, r, in, lang); err != nil {
					t.Fatalf("%s %s xlsx: %v", name, lang, err)
				}
				if _, err := excelize.OpenReader(&b); err != nil {
					t.Fatalf("%s %s: reopen: %v", name, lang, err)
				}
			}
		}
	}
	if name := "Tháng 5/2027"; !strings.Contains(mustBody(t, &report.Periodic{Period: "2027-05", Complete: false, AsOf: "2027-05-20"}), name) {
		t.Errorf("no %q", name)
	}
	if _, err := document.Body(nil, inst, "vi"); err == nil {
		t.Error("nil report: no error")
	}
}

func mustBody(t *testing.T, r *report.Periodic) string {
	t.Helper()
	b, err := document.Body(r, nil, "vi")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDocumentPeriodNames(t *testing.T) {
	for _, c := range []struct{ period, lang, want string }{
		{"2027-Q2", "vi", "Quý II/2027"}, {"2027-Q4", "vi", "Quý IV/2027"}, {"2027-H1", "vi", "6 tháng đầu năm 2027"},
		{"2027-H2", "vi", "6 tháng cuối năm 2027"}, {"2027", "vi", "Năm 2027"}, {"2027-05", "vi", "Tháng 5/2027"},
		{"2027-Q2", "en", "Q2 2027"}, {"2027-H1", "en", "First half of 2027"}, {"2027-05", "en", "May 2027"}, {"2027", "en", "Year 2027"},
	} {
		s := mustBodyLang(t, &report.Periodic{Period: c.period, Complete: true}, c.lang)
		if !strings.Contains(s, "<dd>"+c.want+"</dd>") {
			t.Errorf("%s %s: no %q", c.period, c.lang, c.want)
		}
	}
	// An unfinished period says up to which day.
	s := mustBodyLang(t, &report.Periodic{Period: "2027-Q2", From: "2027-04-01", To: "2027-05-20", AsOf: "2027-05-20"}, "vi")
	if !strings.Contains(s, "số liệu đến ngày") || !strings.Contains(s, "20/05/2027") {
		t.Error("an unfinished period does not say up to which day")
	}
}

func mustBodyLang(t *testing.T, r *report.Periodic, lang string) string {
	t.Helper()
	b, err := document.Body(r, nil, lang)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ptr(v float64) *float64 { return &v }

// est is a reportable estimate with its interval and n.
func est(index, lo, hi float64, n int64) scoring.Estimate {
	return scoring.Estimate{Index: ptr(index), SE: ptr(1), CILow: ptr(lo), CIHigh: ptr(hi), N: n, Reportable: true, Flags: []string{}}
}

// thin is an estimate below the reporting rules.
var thin = scoring.Estimate{Index: ptr(61.5), SE: ptr(9), CILow: ptr(40), CIHigh: ptr(80), N: 12, Reason: "n<30", Flags: []string{}}

func diff(d, lo, hi float64) scoring.Comparison {
	return scoring.Comparison{Diff: ptr(d), CILow: ptr(lo), CIHigh: ptr(hi), P: ptr(0.01), PAdj: ptr(0.01)}
}

// effectReport is a hand-built 2026-Q2 report of province P with one plan
// and three tasks: D2's with three criteria measured at D2 and at the rest
// of P (the third criterion's rest after the start is not reportable, yet
// the effect claims an improvement), P's own task (no comparison group),
// and a target whose status claims "đạt" from an index that may not be
// reported.
func effectReport() *report.Periodic {
	level3 := scoring.SimultaneousLevel(0.95, 3)
	d2 := &survey.Task{ID: 11, Title: "Niêm yết thủ tục", Responsible: "D2", ResponsibleName: "Huyện D2",
		Criteria: []string{"TT1", "TT2", "TT3"}, Start: "2026-03-01", Due: "2026-05-31", Status: survey.TaskDoing}
	own := &survey.Task{ID: 12, Title: "Đường dây nóng của tỉnh", Responsible: "P", ResponsibleName: "Tỉnh P",
		Criteria: []string{"GY1"}, Start: "2026-03-01", Due: "2026-06-30", Status: survey.TaskDoing}
	return &report.Periodic{Agency: "P", AgencyName: "Tỉnh P", Period: "2026-Q2", Kind: survey.KindQuarter,
		From: "2026-04-01", To: "2026-06-30", Complete: true, AsOf: "2026-06-30", Instrument: "sipas-2017", InstrumentVersion: 1,
		ConfidenceLevel: 0.95, Adjust: scoring.MethodHolm,
		Changes: []report.PeriodChange{{Against: report.AgainstPrior, Period: "2026-Q1", From: "2026-01-01", To: "2026-03-31",
			Indicator: survey.IndicatorOverall, Current: est(81.25, 79.5, 83, 400), Then: est(77.75, 75.25, 80.5, 380), Change: diff(3.5, 0.5, 6.5)}},
		Plans: []report.PlanSummary{{
			Plan: &survey.Plan{ID: 7, Title: "Kế hoạch cải thiện 2026", AgencyCode: "P", AgencyName: "Tỉnh P", Year: 2026, Instrument: "sipas-2017"},
			Targets: []report.TargetStatus{
				{PlanTarget: survey.PlanTarget{Indicator: "CC3", Instrument: "sipas-2017", Target: 50}, From: "2026-01-01", To: "2026-06-30",
					Current: thin, Status: report.TargetMet},
				{PlanTarget: survey.PlanTarget{Indicator: survey.IndicatorOverall, Instrument: "sipas-2017", Target: 90}, From: "2026-01-01", To: "2026-06-30",
					Current: est(81.25, 79.5, 83, 400), Status: report.TargetNotMet},
			},
			Effects: []report.TaskEffect{
				{Task: d2, Effect: &report.Effect{Plan: 7, Task: 11, Responsible: "D2", ResponsibleName: "Huyện D2", Comparison: "P", ComparisonName: "Tỉnh P",
					Before: report.Span{From: "2025-12-01", To: "2026-02-28"}, After: report.Span{From: "2026-03-01", To: "2026-05-31"}, Started: true,
					ConfidenceLevel: 0.95, DifferenceLevel: level3, Criteria: []report.CriterionEffect{
						{Indicator: "TT1", Unit: report.Change{Before: est(79.41, 62.11, 89.63, 34), After: est(59.62, 46.05, 71.86, 52), Difference: diff(-19.79, -38.4, 0.9)},
							Rest:        &report.Change{Before: est(80.5, 78.25, 82.5, 900), After: est(81.75, 79.5, 83.75, 950), Difference: diff(1.25, -1.6, 4.1)},
							DiffOfDiffs: diff(-21.04, -40.2, -0.5), Verdict: report.EffectDeclined},
						{Indicator: "TT2", Unit: report.Change{Before: est(70, 60, 78, 60), After: est(72, 62, 80, 64), Difference: diff(2, -9, 13)},
							Rest:        &report.Change{Before: est(75, 73, 77, 900), After: est(76, 74, 78, 950), Difference: diff(1, -2, 4)},
							DiffOfDiffs: diff(1, -10.5, 12.5), Verdict: report.EffectNone},
						{Indicator: "TT3", Unit: report.Change{Before: est(50, 40, 60, 90), After: est(75, 66, 82, 95), Difference: diff(25, 12, 37)},
							Rest:        &report.Change{Before: est(60, 58, 62, 900), After: thin, Difference: diff(1.5, -20, 23)},
							DiffOfDiffs: diff(23.5, 5.25, 41.75), Verdict: report.EffectImproved},
					}}},
				{Task: own, Effect: &report.Effect{Plan: 7, Task: 12, Responsible: "P", ResponsibleName: "Tỉnh P",
					Before: report.Span{From: "2025-11-29", To: "2026-02-28"}, After: report.Span{From: "2026-03-01", To: "2026-05-31"}, Started: true,
					ConfidenceLevel: 0.95, DifferenceLevel: 0.95, Criteria: []report.CriterionEffect{
						{Indicator: "GY1", Unit: report.Change{Before: est(66.5, 63.25, 69.5, 800), After: est(71.5, 68.5, 74.25, 850), Difference: diff(5, 0.75, 9.25)},
							DiffOfDiffs: diff(5, 0.75, 9.25), Verdict: report.EffectImproved},
					}}},
			},
		}},
	}
}

// section returns the part of s from the first from up to the next until.
func section(t *testing.T, s, from, until string) string {
	t.Helper()
	i := strings.Index(s, from)
	if i < 0 {
		t.Fatalf("no %q", from)
	}
	s = s[i:]
	if j := strings.Index(s, until); j >= 0 {
		s = s[:j]
	}
	return s
}

// The effect table prints every index with its interval and n, for the
// unit and the rest, the task's periods, and the simultaneous level of
// its differences.
func TestEffectTableIntervals(t *testing.T) {
	in := sqlitetest.Instruments(t)
	inst, err := in.Current("sipas-2017")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang string
		want []string
	}{
		{"vi", []string{
			"79,41%<br><span class=\"rpt-n\">[62,11 – 89,63]</span><br><span class=\"rpt-n\">n = 34</span>",
			"59,62%<br><span class=\"rpt-n\">[46,05 – 71,86]</span><br><span class=\"rpt-n\">n = 52</span>",
			"80,50%<br><span class=\"rpt-n\">[78,25 – 82,50]</span><br><span class=\"rpt-n\">n = 900</span>",
			"81,75%<br><span class=\"rpt-n\">[79,50 – 83,75]</span><br><span class=\"rpt-n\">n = 950</span>",
			"-21,04<br><span class=\"rpt-n\">[-40,20 – -0,50]</span>",
			"Trước: 01/12/2025 – 28/02/2026; sau: 01/03/2026 – 31/05/2026.",
			"khoảng tin cậy đồng thời 98,33% cho 3 tiêu chí",
		}},
		{"en", []string{
			"79.41%<br><span class=\"rpt-n\">[62.11 – 89.63]</span><br><span class=\"rpt-n\">n = 34</span>",
			"Before: 1 Dec 2025 – 28 Feb 2026; after: 1 Mar 2026 – 31 May 2026.",
			"simultaneous 98.33% confidence intervals for 3 criteria",
		}},
	} {
		body, err := document.Body(effectReport(), inst, c.lang)
		if err != nil {
			t.Fatal(err)
		}
		s := string(body)
		checkBalanced(t, s)
		eff := section(t, s, `<table class="rpt rpt-effects">`, "</table>")
		for _, w := range c.want {
			if !strings.Contains(eff, w) {
				t.Errorf("%s: the effect table lacks %q:\n%s", c.lang, w, eff)
			}
		}
		if strings.Contains(eff, "→") {
			t.Errorf("%s: the effect table still prints before → after without intervals", c.lang)
		}
		// The second task's differences are at the report's level: no
		// simultaneous note for it.
		own := section(t, eff, "Đường dây nóng", "</tbody>")
		if strings.Contains(own, "98") || strings.Contains(own, "Bonferroni") {
			t.Errorf("%s: a one-criterion task says its level is simultaneous:\n%s", c.lang, own)
		}
	}
}

// Every index the real report's effect table shows has its interval and n.
func TestEffectTableRealReport(t *testing.T) {
	r, in := newReport(t)
	body, err := document.Body(r, in, "vi")
	if err != nil {
		t.Fatal(err)
	}
	eff := section(t, string(body), `<table class="rpt rpt-effects">`, "</table>")
	cell := regexp.MustCompile(`<td class="num">(\d{1,3},\d\d%|chưa đủ dữ liệu)(.*?)</td>`)
	cells := cell.FindAllStringSubmatch(eff, -1)
	if len(cells) == 0 {
		t.Fatalf("the effect table shows no index:\n%s", eff)
	}
	for _, m := range cells {
		if !strings.Contains(m[2], "n = ") {
			t.Errorf("index %s without n: %s", m[1], m[0])
		}
		if m[1] != "chưa đủ dữ liệu" && !viInterval.MatchString(m[2]) {
			t.Errorf("index %s without its interval: %s", m[1], m[0])
		}
		if m[1] == "chưa đủ dữ liệu" && viInterval.MatchString(m[2]) {
			t.Errorf("an index that may not be reported has an interval: %s", m[0])
		}
	}
	for _, want := range []string{"Trước: ", "; sau: "} {
		if !strings.Contains(eff, want) {
			t.Errorf("the effect table lacks the periods (%q)", want)
		}
	}
}

// A task of the plan's agency itself has no comparison group, and the
// document says that its change is not corrected for a province-wide trend.
func TestEffectNoComparisonGroup(t *testing.T) {
	for _, c := range []struct{ lang, want string }{
		{"vi", "Đơn vị chủ trì là chính cơ quan lập kế hoạch nên không có nhóm so sánh"},
		{"en", "agency itself, so there is no comparison group"},
	} {
		body, err := document.Body(effectReport(), nil, c.lang)
		if err != nil {
			t.Fatal(err)
		}
		eff := section(t, string(body), `<table class="rpt rpt-effects">`, "</table>")
		own := section(t, eff, "Đường dây nóng", "</tbody>")
		if !strings.Contains(own, c.want) {
			t.Errorf("%s: the agency's own task does not say it has no comparison group:\n%s", c.lang, own)
		}
		if !strings.Contains(own, "trend") && !strings.Contains(own, "xu hướng chung") {
			t.Errorf("%s: no word of the trend it is not corrected for", c.lang)
		}
		// The unit's change is shown with its interval, the rest is "–".
		if !strings.Contains(own, "5,00") && !strings.Contains(own, "5.00") || strings.Count(own, `<td class="num">–</td>`) != 2 {
			t.Errorf("%s: the agency's own task should show its change and no rest:\n%s", c.lang, own)
		}
		// D2's task has a comparison group: no such sentence.
		if d2 := section(t, eff, "Niêm yết thủ tục", "</tbody>"); strings.Contains(d2, c.want) {
			t.Errorf("%s: a task with a comparison group says it has none", c.lang)
		}
	}
}

// No verdict is shown when an index it rests on may not be reported,
// whatever the report says: the effect on TT3 (the rest after the start
// is thin) and the target on CC3 (its index is thin).
func TestDocumentNoVerdictWithoutReportableSides(t *testing.T) {
	body, err := document.Body(effectReport(), nil, "vi")
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	tt3 := section(t, section(t, s, `<table class="rpt rpt-effects">`, "</table>"), "<th scope=\"row\">TT3", "</tr>")
	if strings.Contains(tt3, "cải thiện") || strings.Contains(tt3, "+23,50") {
		t.Errorf("TT3 shows a verdict or a difference its rest does not support:\n%s", tt3)
	}
	if !strings.Contains(tt3, `class="v-nodata">chưa đủ dữ liệu<`) {
		t.Errorf("TT3's verdict should be chưa đủ dữ liệu:\n%s", tt3)
	}
	cc3 := section(t, section(t, s, "<caption>Mục tiêu</caption>", "</table>"), "<th scope=\"row\">CC3", "</tr>")
	if strings.Contains(cc3, ">đạt<") || !strings.Contains(cc3, ">chưa đủ dữ liệu<") {
		t.Errorf("CC3's target shows a status its index does not support:\n%s", cc3)
	}
	// The comparison with the prior period prints both indices with their
	// intervals and n.
	ch := section(t, s, "So với kỳ trước", "</table>")
	for _, want := range []string{"77,75%", "[75,25 – 80,50]", "n = 380", "81,25%", "[79,50 – 83,00]", "n = 400"} {
		if !strings.Contains(ch, want) {
			t.Errorf("the change table lacks %q:\n%s", want, ch)
		}
	}
	// So does the workbook.
	var b bytes.Buffer
	if err := document.XLSX(&b, effectReport(), nil, "vi"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tasks := sheetMap(t, f, "Nhiệm vụ")
	for _, r := range tasks {
		if r["Mã tiêu chí"] == "TT3" {
			if r["Kết luận"] != "chưa đủ dữ liệu" || r["Khác biệt kép (điểm %)"] != "" {
				t.Errorf("Nhiệm vụ TT3: verdict %q, difference %q", r["Kết luận"], r["Khác biệt kép (điểm %)"])
			}
			if r["Phần còn lại, sau: Chỉ số"] != "" || r["Phần còn lại, sau: n"] != "12" {
				t.Errorf("Nhiệm vụ TT3: the thin rest shows %q (n %q)", r["Phần còn lại, sau: Chỉ số"], r["Phần còn lại, sau: n"])
			}
		}
	}
	for _, r := range sheetMap(t, f, "Mục tiêu") {
		if r["Mã chỉ tiêu"] == "CC3" && r["Trạng thái"] != "chưa đủ dữ liệu" {
			t.Errorf("Mục tiêu CC3: status %q", r["Trạng thái"])
		}
	}
	ch2 := sheetMap(t, f, "So sánh")
	if len(ch2) != 1 || ch2[0]["Kỳ so sánh: KTC dưới"] != "75.25" || ch2[0]["Kỳ này: KTC trên"] != "83.00" {
		t.Errorf("So sánh: the indices' intervals are missing: %v", ch2)
	}
}

// sheetMap returns a sheet's rows below its header, as maps from header
// to cell, failing when two columns have the same header or one has none.
func sheetMap(t *testing.T, f *excelize.File, sheet string) []map[string]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no header", sheet)
	}
	head := rows[0]
	seen := map[string]bool{}
	for i, h := range head {
		if h == "" || seen[h] {
			t.Errorf("%s: column %d header %q is empty or repeated (%q)", sheet, i+1, h, head)
		}
		seen[h] = true
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range head {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		out = append(out, m)
	}
	return out
}

// The workbook's plan sheets name every column distinctly and meaningfully,
// and the tasks sheet carries the effect's periods, every index's interval
// and n, and the level of the differences' intervals.
func TestXLSXPlanSheets(t *testing.T) {
	for _, c := range []struct {
		lang, targets, tasks, planTitle string
		cols                            []string
	}{
		{"vi", "Mục tiêu", "Nhiệm vụ", "Tên kế hoạch", []string{"Trước: từ ngày", "Trước: đến ngày", "Sau: từ ngày", "Sau: đến ngày",
			"Đơn vị chủ trì, trước: KTC dưới", "Đơn vị chủ trì, sau: KTC trên", "Phần còn lại, trước: n", "Phần còn lại, sau: KTC dưới",
			"Mức tin cậy của khoảng khác biệt kép", "Mã tiêu chí", "Mã đơn vị chủ trì"}},
		{"en", "Targets", "Tasks", "Plan title", []string{"Before: from", "After: to", "Unit, before: CI low", "Rest, after: n",
			"Level of the difference intervals"}},
	} {
		var b bytes.Buffer
		if err := document.XLSX(&b, effectReport(), nil, c.lang); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		// Every sheet but the summary starts with its header.
		for _, sh := range f.GetSheetList()[1:] {
			sheetMap(t, f, sh)
		}
		tg := sheetMap(t, f, c.targets)
		if len(tg) != 2 || tg[0][c.planTitle] != "Kế hoạch cải thiện 2026" {
			t.Errorf("%s %s: no %q column with the plan's title: %v", c.lang, c.targets, c.planTitle, tg)
		}
		if h, _ := f.GetCellValue(c.targets, "B1"); h == "Báo cáo định kỳ về sự hài lòng của người dân" || h == "Periodic report on citizen satisfaction" {
			t.Errorf("%s: the plan-title column is headed by the document's title", c.lang)
		}
		rows := sheetMap(t, f, c.tasks)
		for _, col := range c.cols {
			if _, ok := rows[0][col]; !ok {
				t.Errorf("%s %s: no column %q", c.lang, c.tasks, col)
			}
		}
		if c.lang != "vi" {
			f.Close()
			continue
		}
		tt1 := rows[0]
		for col, want := range map[string]string{
			"Mã tiêu chí": "TT1", "Trước: từ ngày": "2025-12-01", "Trước: đến ngày": "2026-02-28", "Sau: từ ngày": "2026-03-01", "Sau: đến ngày": "2026-05-31",
			"Đơn vị chủ trì, trước: Chỉ số": "79.41", "Đơn vị chủ trì, trước: KTC dưới": "62.11", "Đơn vị chủ trì, trước: KTC trên": "89.63", "Đơn vị chủ trì, trước: n": "34",
			"Đơn vị chủ trì, sau: KTC dưới": "46.05", "Đơn vị chủ trì, sau: n": "52",
			"Phần còn lại, trước: KTC dưới": "78.25", "Phần còn lại, sau: KTC trên": "83.75", "Phần còn lại, sau: n": "950",
			"Khác biệt kép (điểm %)": "-21.04", "Khác biệt kép: KTC dưới": "-40.20", "Khác biệt kép: KTC trên": "-0.50",
			"Mức tin cậy của khoảng khác biệt kép": "0.9833", "Nhóm so sánh": "Phần còn lại Tỉnh P (P)", "Kết luận": "giảm có ý nghĩa",
		} {
			if tt1[col] != want {
				t.Errorf("Nhiệm vụ TT1 %q: got %q, want %q", col, tt1[col], want)
			}
		}
		own := rows[len(rows)-1]
		if own["Mã tiêu chí"] != "GY1" || own["Mức tin cậy của khoảng khác biệt kép"] != "0.9500" || own["Phần còn lại, trước: n"] != "" ||
			!strings.Contains(own["Nhóm so sánh"], "không có") || !strings.Contains(own["Ghi chú"], "xu hướng chung") {
			t.Errorf("Nhiệm vụ GY1 (no comparison group): %v", own)
		}
		f.Close()
	}
}

// The page numbers of the printed document are in its language: @page
// cannot select by language, so an English report is put on a named page
// that numbers in English.
func TestHTMLPageNumbersFollowLanguage(t *testing.T) {
	css, err := document.Style()
	if err != nil {
		t.Fatal(err)
	}
	named := regexp.MustCompile(`@page\s+([\w-]+)\s*\{[^@]*@bottom-right\s*\{\s*content:\s*"Page "\s*counter\(page\)`).FindStringSubmatch(css)
	if named == nil {
		t.Fatal("report.css has no named page numbering in English")
	}
	use := regexp.MustCompile(`([^{}]*)\{\s*page:\s*` + regexp.QuoteMeta(named[1]) + `\s*;?\s*\}`).FindStringSubmatch(css)
	if use == nil || !strings.Contains(use[1], "body.report-doc:lang(en)") || !strings.Contains(use[1], ".report:lang(en)") {
		t.Fatalf("no rule puts an English report on the page %s: %v", named[1], use)
	}
	if !regexp.MustCompile(`@page\s*\{[^}]*@bottom-right\s*\{\s*content:\s*"Trang "`).MatchString(css) {
		t.Error("the default page does not number in Vietnamese")
	}
	r, in := effectReport(), (*survey.Instrument)(nil)
	for lang, want := range map[string]string{"en": `<html lang="en">`, "vi": `<html lang="vi">`} {
		var b bytes.Buffer
		if err := document.HTML(&b, r, in, lang); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		if !strings.Contains(s, want) || !strings.Contains(s, `<body class="report-doc">`) || !strings.Contains(s, `<article class="report" lang="`+lang+`">`) {
			t.Errorf("%s: the document's root does not carry its language", lang)
		}
	}
}

// A month that holds a successor's predecessors' ratings says so in the
// trend table.
func TestDocumentTrendMarksMerger(t *testing.T) {
	est := scoring.Estimate{N: 3, Reason: "n<30", Flags: []string{}}
	r := &report.Periodic{Agency: "X", AgencyName: "Phường Mới", Period: "2025", Kind: survey.KindYear, From: "2025-01-01", To: "2025-12-31",
		AsOf: "2025-12-31", Instrument: "sipas-2017", ConfidenceLevel: 0.95,
		Scores: &report.Scores{Overall: scoring.OverallResult{Estimate: est}}, Children: &report.Children{},
		Trend: &report.Trend{Months: []report.TrendPoint{
			{Month: "2025-06", Overall: est, Combined: []string{"X-A", "X-B", "X-C"}},
			{Month: "2025-07", Overall: est},
		}}}
	body, err := document.Body(r, nil, "vi")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(body), "trước sáp nhập: gộp từ 3 đơn vị cũ (X-A, X-B, X-C)"); n != 1 {
		t.Errorf("the merger note appears %d times, want once (June only)", n)
	}
}

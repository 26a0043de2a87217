package document_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
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
	// The year before is not reportable: its row says so, with no change.
	yb := regexp.MustCompile(`(?s)So với cùng kỳ năm trước.*?</table>`).FindString(s)
	if !strings.Contains(yb, "chưa đủ dữ liệu") || viInterval.MatchString(yb) {
		t.Errorf("year-before table should say chưa đủ dữ liệu with no interval:\n%s", yb)
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
	// The inline stylesheet is the one CSP allows.
	css, err := document.Style()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s, "<style>"+css+"</style>") {
		t.Error("the inline style is not static/report.css as it is")
	}
	csp, err := document.CSP()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(css))
	if !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("CSP %q does not allow the stylesheet", csp)
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
	for _, col := range []string{"H", "I", "J", "K", "L", "M", "N", "O"} {
		if !numeric(t, f, "So sánh", col+"2") {
			t.Errorf("So sánh %s2 is not a number", col)
		}
	}
	last := strconv.Itoa(len(rows))
	if v, _ := f.GetCellValue("So sánh", "P"+last); v != "chưa đủ dữ liệu" {
		t.Errorf("So sánh P%s: got %q, want chưa đủ dữ liệu", last, v)
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

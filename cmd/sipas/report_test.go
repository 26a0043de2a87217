package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// TestCLIReport reports 2026-Q2 of the province P of sqlitetest's standard
// spread of responses (SeedMonths: December 2025 to May 2026) with a plan
// of one task, as JSON, XLSX and HTML.
func TestCLIReport(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.SeedMonths(t)
	// Planned in January: the task is in the report of Q2 (a task planned
	// after the quarter would not be).
	p.DB.Now = func() time.Time { return time.Date(2026, 1, 10, 9, 0, 0, 0, survey.Vietnam) }
	plan, err := survey.ParsePlan(survey.PlanInput{Agency: "P", Year: 2026, Title: "Kế hoạch 2026",
		Targets: []survey.PlanTarget{{Indicator: survey.IndicatorOverall, Target: 90}}}, p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreatePlan(t.Context(), plan, cliActor); err != nil {
		t.Fatal(err)
	}
	task, err := survey.ParseTask(plan, survey.TaskInput{Title: "Niêm yết thủ tục", Responsible: "D2", Criteria: []string{"TT1"},
		Start: "2026-03-01", Due: "2026-05-31"}, p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreateTask(t.Context(), task, cliActor); err != nil {
		t.Fatal(err)
	}
	p.Close(t)
	db := p.Path
	args := []string{"report", "--db", db, "--agency", "P", "--period", "2026-Q2"}

	var js struct {
		Agency, Period, Kind, From, To string
		Complete                       bool
		ConfidenceLevel                float64 `json:"confidence_level"`
		Scores                         struct {
			Respondents int64
			Overall     struct {
				Index *float64
				N     int64
			}
		}
		Changes  []struct{ Against, Indicator string }
		Children struct{ Children []struct{ Code string } }
		Weakest  []struct{ Code string }
		Plans    []struct {
			Targets []struct{ Status string }
			Tasks   struct{ Total, Overdue int }
			Overdue []struct{ Title string }
		}
		Official []json.RawMessage
	}
	if err := json.Unmarshal([]byte(mustCLI(t, "", args...)), &js); err != nil {
		t.Fatal(err)
	}
	if js.Agency != "P" || js.Period != "2026-Q2" || js.Kind != survey.KindQuarter || js.From != "2026-04-01" || js.To != "2026-06-30" ||
		!js.Complete || js.ConfidenceLevel != 0.95 || js.Scores.Overall.Index == nil || js.Scores.Respondents != 2*5*sqlitetest.SeedPerMonth {
		t.Fatalf("json: got %+v", js)
	}
	if len(js.Changes) != 2*6 || len(js.Children.Children) != 4 || len(js.Weakest) != 5 || len(js.Plans) != 1 ||
		len(js.Plans[0].Targets) != 1 || js.Plans[0].Tasks.Total != 1 || js.Plans[0].Tasks.Overdue != 1 || len(js.Plans[0].Overdue) != 1 {
		t.Fatalf("json: got %+v", js)
	}

	dir := t.TempDir()
	xlsx := filepath.Join(dir, "bao-cao.xlsx")
	if out := mustCLI(t, "", append(args, "--format", "xlsx", "--out", xlsx)...); out != "" {
		t.Fatalf("xlsx to a file printed %q", out)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	sheets := strings.Join(f.GetSheetList(), "|")
	f.Close()
	for _, want := range []string{"Tổng hợp", "So sánh", "Đơn vị trực thuộc", "Tiêu chí thấp nhất", "Mục tiêu", "Nhiệm vụ", "Kết quả chính thức"} {
		if !strings.Contains(sheets, want) {
			t.Errorf("xlsx sheets %s lack %q", sheets, want)
		}
	}

	html := mustCLI(t, "", append(args, "--format", "html")...)
	if !strings.HasPrefix(html, "<!doctype html>") {
		t.Fatalf("html starts with %q", html[:min(len(html), 40)])
	}
	for _, want := range []string{"Quý II/2026", "1. Kết quả chung", "2. So sánh", "3. Đơn vị trực thuộc", "4. Năm tiêu chí thấp nhất",
		"5. Kế hoạch cải thiện", "6. Kết quả chính thức", "Niêm yết thủ tục", "chưa đủ dữ liệu"} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	en := mustCLI(t, "", append(args, "--format", "html", "--lang", "en")...)
	if !strings.Contains(en, `<html lang="en">`) || !strings.Contains(en, "1. Overall results") {
		t.Error("--lang en: not an English document")
	}

	// A failed report leaves --out as it was.
	keep := filepath.Join(dir, "keep.html")
	if err := os.WriteFile(keep, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--agency", "P", "--period", "2026-Q2", "--format", "pdf"}, "--format"},
		{[]string{"--period", "2026-Q2"}, "--agency is required"},
		{[]string{"--agency", "P"}, "--period is required"},
		{[]string{"--agency", "P", "--period", "2026-Q5"}, "a quarter is Q1 to Q4"},
		{[]string{"--agency", "P", "--period", "2026-H3"}, "a half-year is H1 or H2"},
		{[]string{"--agency", "P", "--period", "2026-13"}, "there is no month"},
		{[]string{"--agency", "P", "--period", "Q2-2026"}, "is not YYYY"},
		{[]string{"--agency", "P", "--period", "2099-Q1", "--out", keep}, "has not begun"},
		{[]string{"--agency", "NOPE", "--period", "2026-Q2", "--out", keep}, ""},
		{[]string{"--agency", "P", "--period", "2026-Q2", "--lang", "fr"}, "--lang"},
		{[]string{"--agency", "P", "--period", "2026-Q2", "--instrument", "nope"}, ""},
		{[]string{"--agency", "P", "--period", "2026-Q2", "--adjust", "bonferroni"}, "--adjust"},
		{[]string{"--agency", "P", "--period", "2026-Q2", "extra"}, "unexpected argument"},
		{[]string{"--agency", "P", "--period", "2026-Q2", "--format", "html", "--out", filepath.Join(dir, "no", "such", "dir.html")}, "--out"},
	} {
		out, err := runCLI(t, "", append([]string{"report", "--db", db}, c.args...)...)
		if err == nil {
			t.Errorf("report %v: got no error", c.args)
			continue
		}
		if c.want != "" && !strings.Contains(err.Error(), c.want) {
			t.Errorf("report %v: error %q lacks %q (%s)", c.args, err, c.want, out)
		}
	}
	if b, _ := os.ReadFile(keep); string(b) != "old" {
		t.Errorf("--out after a failed report: %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

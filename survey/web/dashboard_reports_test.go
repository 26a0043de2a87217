package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestDashboardReportPeriod(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	for _, tc := range []struct{ period, want string }{
		{"2027-Q5", "Kỳ báo cáo không hợp lệ"},
		{"2026-H3", "Kỳ báo cáo không hợp lệ"},
		{"2026-13", "Kỳ báo cáo không hợp lệ"},
		{"quý 2", "Kỳ báo cáo không hợp lệ"},
		{"2027-Q2", "Kỳ báo cáo 2027-Q2 chưa bắt đầu."},
	} {
		w := b.Get("/dashboard/reports/D1?period=" + url.QueryEscape(tc.period))
		body := w.Body.String()
		if w.Code != http.StatusBadRequest {
			t.Errorf("%s: got %d, want 400", tc.period, w.Code)
			continue
		}
		if msg := between(body, `id="form-error">`, "<"); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: message %q, want %q", tc.period, msg, tc.want)
		}
		if !strings.Contains(body, `id="rp-period" name="period" value="`+tc.period+`"`) {
			t.Errorf("%s: the period typed is not kept", tc.period)
		}
		if strings.Contains(body, `id="report-xlsx"`) {
			t.Errorf("%s: an XLSX link for a bad period", tc.period)
		}
	}
	if w := b.Get("/dashboard/reports/D1/report.xlsx?period=2027-Q5"); w.Code != http.StatusBadRequest {
		t.Errorf("xlsx of 2027-Q5: got %d, want 400", w.Code)
	}
	if w := b.Get("/dashboard/reports/D2?period=2026-Q1"); w.Code != http.StatusForbidden {
		t.Errorf("report of D2 by off: got %d, want 403", w.Code)
	}
	if w := b.Get("/dashboard/reports/NOPE"); w.Code != http.StatusNotFound {
		t.Errorf("unknown agency: got %d, want 404", w.Code)
	}
}

func TestDashboardReportPage(t *testing.T) {
	e := webtest.New(t)
	e.Seed(t,
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-10", N: 60, Value: 4},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-03-10", N: 60, Value: 5},
	)
	b := e.Client(t)
	b.Login("off")
	id := createPlan(t, b, "D1", "Kế hoạch quý", "overall 80")
	createTask(t, e, b, id, taskForm("Việc quá hạn", "D1", "TT1", "2026-01-05", "2026-03-15"))
	// No period: the last complete quarter (2026-Q1 on 2026-04-15).
	w := b.Get("/dashboard/reports/D1")
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("report: got %d: %.500s", w.Code, body)
	}
	if !strings.Contains(body, `value="2026-Q1"`) || !strings.Contains(body, `data-period="2026-Q1"`) {
		t.Errorf("default period: want 2026-Q1")
	}
	if !strings.Contains(body, `href="/static/report.css"`) || !strings.Contains(body, `<header class="top noprint">`) {
		t.Errorf("no print stylesheet, or the header prints")
	}
	if !strings.Contains(body, `href="/dashboard/reports/D1/report.xlsx?period=2026-Q1"`) || !strings.Contains(body, "In báo cáo") {
		t.Errorf("no XLSX link or print hint")
	}
	if !strings.Contains(body, "Kế hoạch quý") || !strings.Contains(body, "Việc quá hạn") {
		t.Errorf("the report does not list the plan and its overdue task")
	}
	if strings.Contains(body, "<script") {
		t.Errorf("the page has a script")
	}

	x := b.Get("/dashboard/reports/D1/report.xlsx?period=2026-Q1")
	if x.Code != http.StatusOK {
		t.Fatalf("xlsx: got %d: %.300s", x.Code, x.Body)
	}
	if cd := x.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, `filename="bao-cao-D1-2026-Q1.xlsx"`) {
		t.Errorf("Content-Disposition: %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	if n := len(f.GetSheetList()); n < 2 {
		t.Errorf("sheets: got %d, want one per section", n)
	}
}

func TestDashboardOfficialResults(t *testing.T) {
	e := webtest.New(t)
	a := e.Client(t)
	a.Login("admin")
	form := url.Values{"index": {"SIPAS"}, "year": {"2021"}, "score": {"85,54"}, "rank": {"48"}, "of": {"63"}}
	w := a.Post("/dashboard/agency/P/official", form)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/dashboard/agency/P") {
		t.Fatalf("record: got %d to %q: %.300s", w.Code, w.Header().Get("Location"), w.Body)
	}
	body := a.Get(w.Header().Get("Location")).Body.String()
	block := between(body, `<section aria-labelledby="official-h" id="official">`, "</section>")
	if !strings.Contains(block, "SIPAS 2021: 85,54 %, hạng 48/63") {
		t.Errorf("the official result is not shown: %s", block)
	}
	if !strings.Contains(block, "không so sánh trực tiếp") || !strings.Contains(block, `id="official-set"`) {
		t.Errorf("no note, or no admin form: %s", block)
	}
	// Bad input: a 400 page saying why, nothing stored.
	bad := url.Values{"index": {"SIPAS"}, "year": {"2021"}, "score": {"120"}}
	if w := a.Post("/dashboard/agency/P/official", bad); w.Code != http.StatusBadRequest ||
		!strings.Contains(w.Body.String(), "Điểm của SIPAS phải từ 0 đến 100.") {
		t.Errorf("score 120: got %d: %.400s", w.Code, w.Body)
	}
	if n := e.Count(t, `SELECT count(*) FROM official_results`); n != 1 {
		t.Errorf("official results stored: got %d, want 1", n)
	}
	// An official reads them but may not record any.
	b := e.Client(t)
	b.Login("off")
	if w := b.Post("/dashboard/agency/D1/official", form); w.Code != http.StatusForbidden {
		t.Errorf("record by an official: got %d, want 403", w.Code)
	}
	if n := e.Count(t, `SELECT count(*) FROM official_results`); n != 1 {
		t.Errorf("official results after the official's post: got %d, want 1", n)
	}
	if strings.Contains(b.Get("/dashboard/agency/D1").Body.String(), `id="official-set"`) {
		t.Errorf("an official sees the admins' form")
	}
}

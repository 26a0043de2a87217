package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/survey"
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
	// The plan and its task are entered in the quarter reported on: a
	// report of a past quarter leaves out tasks created after it.
	e.SetNow(time.Date(2026, 1, 5, 9, 0, 0, 0, survey.Vietnam))
	b := e.Client(t)
	b.Login("off")
	id := createPlan(t, b, "D1", "Kế hoạch quý", "overall 80")
	createTask(t, e, b, id, taskForm("Việc quá hạn", "D1", "TT1", "2026-01-05", "2026-03-15"))
	e.SetNow(webtest.Start())
	b.Login("off")
	// No period: the last complete quarter (2026-Q1 on 2026-04-15).
	w := b.Get("/dashboard/reports/D1")
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("report: got %d: %.500s", w.Code, body)
	}
	if !strings.Contains(body, `value="2026-Q1"`) || !strings.Contains(body, `data-period="2026-Q1"`) {
		t.Errorf("default period: want 2026-Q1")
	}
	// A period typed in lower case reads as survey.ParseReportPeriod reads it.
	if w := b.Get("/dashboard/reports/D1?period=2026-q1"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `data-period="2026-Q1"`) {
		t.Errorf("period 2026-q1: got %d, want the report of 2026-Q1", w.Code)
	}
	if !strings.Contains(body, `href="/static/report.css"`) || !strings.Contains(body, `<header class="top no-print">`) {
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
	// Bad input: the agency page again (422) with the form as typed and
	// the reason, nothing stored.
	for _, tc := range []struct {
		name, lang, index, score, rank, of, want string
	}{
		{"score above 100", "", "SIPAS", "120", "48", "63", "Điểm của SIPAS phải từ 0 đến 100."},
		{"papi above 80", "", "PAPI", "85,54", "", "", "Điểm của PAPI phải từ 0 đến 80."},
		{"score not a number", "", "PAR INDEX", "abc", "51", "63", "Điểm “abc” không phải là một số (ví dụ 85,54)."},
		{"score NaN", "", "SIPAS", "NaN", "", "", "Điểm “NaN” không phải là một số (ví dụ 85,54)."},
		{"score not a number (en)", "?lang=en", "SIPAS", "abc", "", "", "The score “abc” is not a number (e.g. 85.54)."},
		{"no score", "", "SIPAS", " ", "", "", "Chưa nhập điểm."},
		{"rank not a number", "", "SIPAS", "85,54", "x", "63", "Thứ hạng “x” không phải là một số nguyên."},
		{"of not a number", "", "SIPAS", "85,54", "48", "6a", "Tổng số đơn vị xếp hạng “6a” không phải là một số nguyên."},
		{"of not a number (en)", "?lang=en", "SIPAS", "85.54", "48", "6a", "The number of units ranked “6a” is not a whole number."},
		{"rank beyond of", "", "SIPAS", "85,54", "64", "63", "Thứ hạng 64 lớn hơn tổng số 63."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{"index": {tc.index}, "year": {"2020"}, "score": {tc.score}, "rank": {tc.rank}, "of": {tc.of}}
			w := a.Post("/dashboard/agency/P/official"+tc.lang, f)
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422: %.400s", w.Code, body)
			}
			if msg := between(body, `id="official-error">`, "<"); msg != tc.want {
				t.Errorf("message %q, want %q", msg, tc.want)
			}
			form := between(body, `<form id="official-set"`, "</form>")
			for _, want := range []string{`<option value="` + tc.index + `" selected>`, `name="year" value="2020"`,
				`name="score" value="` + tc.score + `"`, `name="rank" value="` + tc.rank + `"`, `name="of" value="` + tc.of + `"`} {
				if !strings.Contains(form, want) {
					t.Errorf("the form lost the input: no %s in %s", want, form)
				}
			}
			if !strings.Contains(body, `id="overall-index"`) {
				t.Errorf("not the agency page")
			}
		})
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

// cssRule is one rule of a stylesheet: its media ("" on screen), its
// selectors and its declarations.
type cssRule struct {
	media     string
	selectors []string
	decls     map[string]string
}

// cssRules reads a plain stylesheet (rules and @media blocks, comments).
func cssRules(css string) []cssRule {
	css = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(css, "")
	var out []cssRule
	var walk func(s, media string)
	walk = func(s, media string) {
		for {
			open := strings.IndexByte(s, '{')
			if open < 0 {
				return
			}
			prelude := strings.TrimSpace(s[:open])
			depth, end := 0, open
			for ; end < len(s); end++ {
				if s[end] == '{' {
					depth++
				} else if s[end] == '}' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			body := s[open+1 : end]
			switch {
			case strings.HasPrefix(prelude, "@media"):
				walk(body, strings.TrimSpace(strings.TrimPrefix(prelude, "@media")))
			case strings.HasPrefix(prelude, "@"):
			default:
				r := cssRule{media: media, decls: map[string]string{}}
				for _, sel := range strings.Split(prelude, ",") {
					r.selectors = append(r.selectors, strings.TrimSpace(sel))
				}
				for _, d := range strings.Split(body, ";") {
					if k, v, ok := strings.Cut(d, ":"); ok {
						r.decls[strings.TrimSpace(k)] = strings.TrimSpace(v)
					}
				}
				out = append(out, r)
			}
			if end >= len(s) {
				return
			}
			s = s[end+1:]
		}
	}
	walk(css, "")
	return out
}

// matchesClasses reports whether sel is made only of class selectors
// (".top", ".top.no-print") among classes: a rule for the element itself.
func matchesClasses(sel string, classes map[string]bool) bool {
	if !strings.HasPrefix(sel, ".") {
		return false
	}
	for _, c := range strings.Split(sel[1:], ".") {
		if !classes[c] {
			return false
		}
	}
	return true
}

// The dashboard's blue top bar spans the window on screen: no rule of
// app.css for the header's classes narrows or boxes it (the posters'
// .noprint did, 210 mm wide and centred), and in print it is hidden.
func TestDashboardHeaderFullWidth(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	for _, path := range []string{"/dashboard/plans", "/dashboard/agency/D1", "/dashboard/reports/D1"} {
		body := b.Get(path).Body.String()
		m := regexp.MustCompile(`<header class="([^"]*)">`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no header", path)
		}
		classes := map[string]bool{}
		for _, c := range strings.Fields(m[1]) {
			classes[c] = true
		}
		w := b.Get("/static/app.css")
		if w.Code != http.StatusOK {
			t.Fatalf("app.css: got %d", w.Code)
		}
		hidden := false
		for _, r := range cssRules(w.Body.String()) {
			for _, sel := range r.selectors {
				if !matchesClasses(sel, classes) {
					continue
				}
				if r.media == "" {
					if v, ok := r.decls["max-width"]; ok && v != "none" {
						t.Errorf("%s: the header (class %q) gets max-width:%s from %s", path, m[1], v, sel)
					}
					if v, ok := r.decls["margin"]; ok && v != "0" {
						t.Errorf("%s: the header (class %q) gets margin:%s from %s", path, m[1], v, sel)
					}
				}
				if r.media == "print" && r.decls["display"] == "none" {
					hidden = true
				}
			}
		}
		if !hidden {
			t.Errorf("%s: the header (class %q) is not hidden in print", path, m[1])
		}
		if foot := between(body, `<footer class="`, `"`); !strings.Contains(foot, "no-print") {
			t.Errorf("%s: the footer (class %q) prints", path, foot)
		}
	}
}

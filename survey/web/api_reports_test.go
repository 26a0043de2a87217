package web_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/webtest"
)

// periodicJSON is the answer of GET /api/v1/reports, as far as the tests
// read it.
type periodicJSON struct {
	Agency, Period, Kind, From, To string
	AsOf                           string `json:"as_of"`
	Complete                       bool
	Instrument                     string
	Scores                         struct {
		Respondents int64
		Overall     estimateJSON
		Elements    []struct {
			Code string
			estimateJSON
		}
	}
	Changes []struct {
		Against, Period, Indicator string
		Change                     struct {
			Diff *float64
		}
	}
	Children struct {
		Children []struct{ Code string }
	}
	Weakest []struct {
		Code  string
		Index *float64
	}
	Plans []struct {
		Plan    struct{ ID int64 }
		Targets []struct{ Indicator, Status string }
		Tasks   struct{ Total, Todo, Doing, Done, Overdue int }
		ByUnit  []struct {
			Agency string
			Total  int
		} `json:"by_unit"`
		Overdue []taskJSON
		Effects []struct {
			Task   taskJSON
			Effect effectJSON
		}
	}
	Official []struct {
		Index, Text string
		Year        int
	}
}

// reportScene is the standard spread of ratings (December 2025 to May
// 2026), a plan of P for 2026 with three tasks (one overdue at the end of
// the first quarter, one done) and P's official SIPAS 2021.
func reportScene(t *testing.T) *webtest.Env {
	t.Helper()
	e := webtest.New(t)
	e.SeedMonths(t)
	// Planned at the start of the year, the third task done in February:
	// a report takes tasks as they stood at its period's end.
	e.SetNow(time.Date(2026, 1, 4, 9, 0, 0, 0, survey.Vietnam))
	plan := mustPlan(t, e, "admin", planBody("P"))
	mustTask(t, e, "admin", plan, taskBody("D2", "2026-01-05", "2026-03-15"))
	mustTask(t, e, "admin", plan, taskBody("D2", "2026-02-01", "2026-06-30"))
	done := mustTask(t, e, "admin", plan, taskBody("D3", "2026-01-05", "2026-02-28"))
	e.SetNow(time.Date(2026, 2, 20, 9, 0, 0, 0, survey.Vietnam))
	call(t, e, http.MethodPatch, "/api/v1/plans/1/tasks/3", "admin", `{"status": "done"}`, http.StatusOK, nil)
	e.SetNow(webtest.Start())
	if done.ID != 3 {
		t.Fatalf("task ids: %+v", done)
	}
	mustPlan(t, e, "off", planBody("D1"))
	call(t, e, http.MethodPost, "/api/v1/official-results", "admin", sipas2021, http.StatusCreated, nil)
	return e
}

func TestReportQuarter(t *testing.T) {
	e := reportScene(t)
	var r periodicJSON
	call(t, e, http.MethodGet, "/api/v1/reports?agency=P&period=2026-Q1", "admin", "", http.StatusOK, &r)
	if r.Agency != "P" || r.Period != "2026-Q1" || r.Kind != "quarter" || r.From != "2026-01-01" || r.To != "2026-03-31" ||
		!r.Complete || r.AsOf != "2026-03-31" || r.Instrument != "sipas-2017" {
		t.Fatalf("head: %+v", r)
	}
	// Three months of the six open sipas-2017 counters' 120 a month… and
	// the quick ones are another instrument.
	if r.Scores.Overall.Index == nil || !r.Scores.Overall.Reportable || r.Scores.Respondents == 0 || len(r.Scores.Elements) != 5 {
		t.Fatalf("scores: %+v", r.Scores)
	}
	against := map[string]string{}
	for _, c := range r.Changes {
		if c.Indicator == "overall" {
			against[c.Against] = c.Period
		}
	}
	if against["prior"] != "2025-Q4" || against["year_before"] != "2025-Q1" || len(r.Changes) != 12 {
		t.Errorf("changes: %v (%d rows), want overall and 5 elements against 2025-Q4 and 2025-Q1", against, len(r.Changes))
	}
	if len(r.Children.Children) != 4 || r.Children.Children[0].Code != "D1" {
		t.Errorf("children: %+v", r.Children.Children)
	}
	if len(r.Weakest) != 5 {
		t.Fatalf("weakest: %+v", r.Weakest)
	}
	for i := 1; i < len(r.Weakest); i++ {
		if *r.Weakest[i].Index < *r.Weakest[i-1].Index {
			t.Errorf("weakest not lowest first: %+v", r.Weakest)
		}
	}
	// The plans of P's subtree: P's and D1's.
	if len(r.Plans) != 2 {
		t.Fatalf("plans: %+v", r.Plans)
	}
	p := r.Plans[0]
	if p.Plan.ID != 1 || len(p.Targets) != 2 || p.Targets[0].Status == "" {
		t.Errorf("plan targets: %+v", p.Targets)
	}
	// D4 is at 2.6 and D1 at 4.3 on average: P as a whole is far from 90.
	if p.Targets[0].Indicator != "overall" || p.Targets[0].Status != "not_met" {
		t.Errorf("overall target of 90: %+v, want not_met", p.Targets[0])
	}
	if p.Tasks.Total != 3 || p.Tasks.Todo != 2 || p.Tasks.Done != 1 || p.Tasks.Overdue != 1 {
		t.Errorf("task counts: %+v", p.Tasks)
	}
	if len(p.ByUnit) != 2 || p.ByUnit[0].Agency != "D2" || p.ByUnit[0].Total != 2 || p.ByUnit[1].Agency != "D3" {
		t.Errorf("by unit: %+v", p.ByUnit)
	}
	if len(p.Overdue) != 1 || p.Overdue[0].ID != 1 || p.Overdue[0].Due != "2026-03-15" {
		t.Errorf("overdue: %+v", p.Overdue)
	}
	if len(p.Effects) != 3 || p.Effects[0].Effect.Task != p.Effects[0].Task.ID || len(p.Effects[0].Effect.Criteria) != 2 {
		t.Fatalf("effects: %+v", p.Effects)
	}
	for _, ef := range p.Effects {
		for _, c := range ef.Effect.Criteria {
			switch c.Verdict {
			case "improved", "no_change", "declined", "not_enough_data":
			default:
				t.Errorf("task %d, %s: verdict %q", ef.Task.ID, c.Indicator, c.Verdict)
			}
		}
	}
	if len(r.Official) != 1 || r.Official[0].Text != "SIPAS 2021: 85,54 %, hạng 48/63" {
		t.Errorf("official: %+v", r.Official)
	}
}

// TestReportScope: an official's report is of their scope by default; a
// period not over is reported up to today.
func TestReportScope(t *testing.T) {
	e := reportScene(t)
	var r periodicJSON
	call(t, e, http.MethodGet, "/api/v1/reports?period=2026-Q2", "off", "", http.StatusOK, &r)
	if r.Agency != "D1" || r.Complete || r.From != "2026-04-01" || r.To != "2026-04-15" || r.AsOf != "2026-04-15" {
		t.Fatalf("head: %+v", r)
	}
	if len(r.Plans) != 1 || r.Plans[0].Plan.ID != 2 || len(r.Official) != 0 {
		t.Errorf("D1's plans and results: %+v %+v", r.Plans, r.Official)
	}
	if len(r.Children.Children) != 1 || r.Children.Children[0].Code != "C1" {
		t.Errorf("children: %+v", r.Children)
	}
	for _, period := range []string{"2026", "2026-H1", "2026-04", "2025-12"} {
		call(t, e, http.MethodGet, "/api/v1/reports?agency=C1&period="+period, "off", "", http.StatusOK, &r)
		if r.Period != period {
			t.Errorf("period %s: got %q", period, r.Period)
		}
	}
	call(t, e, http.MethodGet, "/api/v1/reports?agency=D1&period=2026-Q1&instrument=quick&lang=en", "off", "", http.StatusOK, &r)
	if r.Instrument != "quick" {
		t.Errorf("instrument %q", r.Instrument)
	}
}

// TestReportBadInput: bad queries are 4xx JSON errors.
func TestReportBadInput(t *testing.T) {
	s := func(name, user, query string, status int, want string) webtest.Scenario {
		return webtest.Scenario{Name: name, URL: "/api/v1/reports" + query, User: user, WantStatus: status, WantContains: []string{want}}
	}
	webtest.Run(t, []webtest.Scenario{
		s("quarter 5", "admin", "?agency=P&period=2027-Q5", 400, "Q1 to Q4"),
		s("half 3", "admin", "?agency=P&period=2027-H3", 400, "H1 or H2"),
		s("month 13", "admin", "?agency=P&period=2026-13", 400, "no month 13"),
		s("not a period", "admin", "?agency=P&period=abc", 400, "is not YYYY"),
		s("no period", "admin", "?agency=P", 400, "period is required"),
		s("year 1999", "admin", "?agency=P&period=1999", 400, "between 2000"),
		s("not begun", "admin", "?agency=P&period=2026-Q3", 400, "has not begun"),
		s("unknown instrument", "admin", "?agency=P&period=2026-Q1&instrument=sipas-2099", 400, "unknown instrument"),
		s("unknown format", "admin", "?agency=P&period=2026-Q1&format=pdf", 400, "format must be"),
		s("admin without agency", "admin", "?period=2026-Q1", 400, "agency is required"),
		s("unknown agency", "admin", "?agency=NOPE&period=2026-Q1", 404, "not found"),
		s("agency outside the scope", "off", "?agency=P&period=2026-Q1", 403, "may not see"),
		s("sibling", "off2", "?agency=D1&period=2026-Q1", 403, "may not see"),
		s("integration account", "integ", "?agency=D1&period=2026-Q1", 403, "integration"),
		s("no credentials", "", "?agency=D1&period=2026-Q1", 401, "authentication required"),
	})
}

// TestReportXLSX: format=xlsx answers a workbook that opens, with sheets.
func TestReportXLSX(t *testing.T) {
	e := reportScene(t)
	w := e.Do(t, webtest.Request{URL: "/api/v1/reports?agency=P&period=2026-Q1&format=xlsx", User: "admin"})
	if w.Code != http.StatusOK {
		t.Fatalf("got %d: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="bao-cao-P-2026-Q1.xlsx"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) < 2 {
		t.Errorf("sheets: %v, want one per section", sheets)
	}
}

package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

// planJSON is a plan as the API answers it, as far as the tests read it.
type planJSON struct {
	ID           int64
	Agency       string
	Year         int
	Title        string
	Instrument   string
	Targets      []survey.PlanTarget
	TargetStatus []struct {
		Indicator, Instrument, Status string
		Target                        float64
		Current                       estimateJSON
	} `json:"target_status"`
	Tasks []taskJSON
}

// taskJSON is a task as the API answers it.
type taskJSON struct {
	ID          int64
	Plan        int64
	Title       string
	Responsible string
	Criteria    []string
	Start, Due  string
	Status      string
	Overdue     bool
	Progress    []survey.Progress
}

// planBody is the body of a plan of agency for 2026 with two targets.
func planBody(agency string) string {
	return `{"agency": "` + agency + `", "year": 2026, "title": "Kế hoạch cải thiện Chỉ số SIPAS năm 2026",
		"targets": [{"indicator": "overall", "instrument": "sipas-2017", "target": 90.0}, {"indicator": "TT", "target": 88.0}]}`
}

// taskBody is the body of a task of responsible unit from start to due.
func taskBody(responsible, start, due string) string {
	return `{"title": "Niêm yết đầy đủ thủ tục tại quầy", "responsible": "` + responsible + `", "criteria": ["TT1", "TT2"],
		"start": "` + start + `", "due": "` + due + `", "description": "Rà soát và niêm yết"}`
}

// call sends a JSON request as user and fails the test unless it answers
// want; v, when not nil, receives the answer.
func call(t *testing.T, e *webtest.Env, method, url, user, body string, want int, v any) *httptest.ResponseRecorder {
	t.Helper()
	w := e.Do(t, webtest.Request{Method: method, URL: url, User: user, Body: body})
	if w.Code != want {
		t.Fatalf("%s %s as %s: got %d, want %d: %s", method, url, user, w.Code, want, w.Body)
	}
	if v != nil {
		decodeInto(t, w, v)
	}
	return w
}

// mustPlan creates a plan as user and returns its id.
func mustPlan(t *testing.T, e *webtest.Env, user, body string) int64 {
	t.Helper()
	var p planJSON
	call(t, e, http.MethodPost, "/api/v1/plans", user, body, http.StatusCreated, &p)
	if p.ID <= 0 {
		t.Fatalf("created plan has no id: %+v", p)
	}
	return p.ID
}

// mustTask creates a task of a plan as user and returns it.
func mustTask(t *testing.T, e *webtest.Env, user string, plan int64, body string) taskJSON {
	t.Helper()
	var tk taskJSON
	call(t, e, http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/tasks", plan), user, body, http.StatusCreated, &tk)
	if tk.ID <= 0 || tk.Plan != plan {
		t.Fatalf("created task: %+v", tk)
	}
	return tk
}

// addOfficial creates an official of agency named name, with
// sqlitetest.Password.
func addOfficial(t *testing.T, e *webtest.Env, name, agency string) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(sqlitetest.Password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	u := &survey.User{Name: name, Role: survey.RoleOfficial, AgencyCode: agency, PasswordHash: string(hash)}
	if err := e.DB.CreateUser(t.Context(), u, survey.Actor{Name: "test"}); err != nil {
		t.Fatalf("official %s: %v", name, err)
	}
}

// planIDs returns the ids of a plan list.
func planIDs(t *testing.T, e *webtest.Env, url, user string) []int64 {
	t.Helper()
	var out struct{ Plans []planJSON }
	call(t, e, http.MethodGet, url, user, "", http.StatusOK, &out)
	ids := []int64{}
	for _, p := range out.Plans {
		ids = append(ids, p.ID)
	}
	return ids
}

func TestPlanCreateGetListPatch(t *testing.T) {
	e := webtest.New(t)
	pp := mustPlan(t, e, "admin", planBody("P"))
	d1 := mustPlan(t, e, "off", planBody("D1"))
	d2 := mustPlan(t, e, "off2", planBody("D2"))

	var p planJSON
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", d1), "off", "", http.StatusOK, &p)
	if p.Agency != "D1" || p.Year != 2026 || p.Instrument != "sipas-2017" || len(p.Targets) != 2 ||
		p.Targets[1] != (survey.PlanTarget{Indicator: "TT", Instrument: "sipas-2017", Target: 88}) {
		t.Fatalf("got %+v", p)
	}
	// The clock is in 2026: the targets are measured, but D1 has no
	// ratings yet.
	if len(p.TargetStatus) != 2 || p.TargetStatus[0].Status != "not_enough_data" || p.TargetStatus[0].Current.N != 0 {
		t.Fatalf("target status: %+v", p.TargetStatus)
	}
	if p.Tasks == nil || len(p.Tasks) != 0 {
		t.Fatalf("tasks: %+v, want []", p.Tasks)
	}

	// Lists: an official sees their subtree's plans and those above them;
	// an admin sees all.
	for _, c := range []struct {
		url, user string
		want      []int64
	}{
		{"/api/v1/plans", "admin", []int64{pp, d1, d2}},
		{"/api/v1/plans?agency=D2", "admin", []int64{pp, d2}},
		{"/api/v1/plans", "off", []int64{pp, d1}},
		{"/api/v1/plans", "off2", []int64{pp, d2}},
		{"/api/v1/plans?agency=P", "off", []int64{pp, d1}},
		{"/api/v1/plans?year=2027", "admin", []int64{}},
		{"/api/v1/plans?year=2026", "off", []int64{pp, d1}},
	} {
		if got := planIDs(t, e, c.url, c.user); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s as %s: got plans %v, want %v", c.url, c.user, got, c.want)
		}
	}
	call(t, e, http.MethodGet, "/api/v1/plans?agency=D2", "off", "", http.StatusForbidden, nil)
	call(t, e, http.MethodGet, "/api/v1/plans?agency=NOPE", "admin", "", http.StatusNotFound, nil)

	// A child unit's official reads the parent's plan; a sibling's does not.
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", pp), "off", "", http.StatusOK, nil)
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", d1), "off2", "", http.StatusForbidden, nil)
	call(t, e, http.MethodGet, "/api/v1/plans/999", "admin", "", http.StatusNotFound, nil)
	call(t, e, http.MethodGet, "/api/v1/plans/abc", "admin", "", http.StatusBadRequest, nil)

	// Patch the title and the targets.
	call(t, e, http.MethodPatch, fmt.Sprintf("/api/v1/plans/%d", d1), "off",
		`{"title": "  Kế hoạch mới  ", "targets": [{"indicator": "CC3", "target": 92.5}]}`, http.StatusOK, &p)
	if p.Title != "Kế hoạch mới" || len(p.Targets) != 1 || p.Targets[0] != (survey.PlanTarget{Indicator: "CC3", Instrument: "sipas-2017", Target: 92.5}) {
		t.Fatalf("patched: %+v", p)
	}
	call(t, e, http.MethodPatch, fmt.Sprintf("/api/v1/plans/%d", d1), "off", `{"title": "Chỉ đổi tên"}`, http.StatusOK, &p)
	if p.Title != "Chỉ đổi tên" || len(p.Targets) != 1 {
		t.Fatalf("title only: %+v", p)
	}
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", d1), "admin", "", http.StatusOK, &p)
	if p.Title != "Chỉ đổi tên" || len(p.TargetStatus) != 1 || p.TargetStatus[0].Indicator != "CC3" {
		t.Fatalf("after patches: %+v", p)
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action IN ('plan.create', 'plan.update')`); n != 5 {
		t.Errorf("got %d plan entries in the audit log, want 3 creations and 2 updates", n)
	}
}

// TestPlanNotBegun: a plan for a year that has not begun measures nothing.
func TestPlanNotBegun(t *testing.T) {
	e := webtest.New(t)
	id := mustPlan(t, e, "admin", `{"agency": "P", "year": 2027, "title": "KH 2027", "targets": [{"indicator": "overall", "target": 90}, {"indicator": "TT1", "target": 95}]}`)
	var p planJSON
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", id), "off", "", http.StatusOK, &p)
	if len(p.TargetStatus) != 2 {
		t.Fatalf("target status: %+v", p.TargetStatus)
	}
	for _, ts := range p.TargetStatus {
		if ts.Status != "not_enough_data" || ts.Current.Index != nil {
			t.Errorf("target %s: %+v, want not_enough_data without an index", ts.Indicator, ts)
		}
	}
}

// TestPlanPermissions: who may create, read and edit plans.
func TestPlanPermissions(t *testing.T) {
	e := webtest.New(t)
	addOfficial(t, e, "offc1", "C1")
	d1 := mustPlan(t, e, "off", planBody("D1"))
	// An official may not create a plan above or beside their agency.
	call(t, e, http.MethodPost, "/api/v1/plans", "off", planBody("P"), http.StatusForbidden, nil)
	call(t, e, http.MethodPost, "/api/v1/plans", "off", planBody("D2"), http.StatusForbidden, nil)
	// A sub-unit's official reads D1's plan but may not edit it.
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", d1), "offc1", "", http.StatusOK, nil)
	call(t, e, http.MethodPatch, fmt.Sprintf("/api/v1/plans/%d", d1), "offc1", `{"title": "Sửa trộm"}`, http.StatusForbidden, nil)
	call(t, e, http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/tasks", d1), "offc1", taskBody("C1", "2026-02-01", "2026-06-30"), http.StatusForbidden, nil)
	// A sibling's official neither.
	call(t, e, http.MethodPatch, fmt.Sprintf("/api/v1/plans/%d", d1), "off2", `{"title": "Sửa trộm"}`, http.StatusForbidden, nil)
	// Integration accounts are refused by the middleware.
	call(t, e, http.MethodGet, "/api/v1/plans", "integ", "", http.StatusForbidden, nil)
	call(t, e, http.MethodPost, "/api/v1/plans", "integ", planBody("D1"), http.StatusForbidden, nil)
	call(t, e, http.MethodGet, "/api/v1/plans", "", "", http.StatusUnauthorized, nil)

	if n := e.Count(t, `SELECT count(*) FROM plans`); n != 1 {
		t.Errorf("got %d plans, want 1", n)
	}
	if n := e.Count(t, `SELECT count(*) FROM plan_tasks`); n != 0 {
		t.Errorf("got %d tasks, want 0", n)
	}
	var p planJSON
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", d1), "admin", "", http.StatusOK, &p)
	if p.Title != "Kế hoạch cải thiện Chỉ số SIPAS năm 2026" {
		t.Errorf("title changed to %q", p.Title)
	}
}

// planStored counts what the plan tables hold.
func planStored(t *testing.T, e *webtest.Env) string {
	t.Helper()
	return fmt.Sprintf("plans %d, tasks %d, progress %d, official %d",
		e.Count(t, `SELECT count(*) FROM plans`), e.Count(t, `SELECT count(*) FROM plan_tasks`),
		e.Count(t, `SELECT count(*) FROM task_progress`), e.Count(t, `SELECT count(*) FROM official_results`))
}

// unchanged checks that the plan tables hold what the Before requests of
// the bad-input scenarios stored: one plan of D1 with its one task (one
// progress entry), and that the plan keeps its title and targets.
func unchanged(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
	t.Helper()
	if got, want := planStored(t, e), "plans 1, tasks 1, progress 1, official 0"; got != want {
		t.Fatalf("stored: %s, want %s", got, want)
	}
	var ae struct{ Error string }
	if err := json.Unmarshal(w.Body.Bytes(), &ae); err != nil || ae.Error == "" || ae.Error == "internal error" {
		t.Fatalf("error body %s", w.Body)
	}
	var p planJSON
	call(t, e, http.MethodGet, "/api/v1/plans/1", "admin", "", http.StatusOK, &p)
	if p.Title != "Kế hoạch cải thiện Chỉ số SIPAS năm 2026" || len(p.Targets) != 2 || len(p.Tasks) != 1 || p.Tasks[0].Status != "todo" {
		t.Fatalf("plan changed: %+v", p)
	}
}

// TestPlanBadInput: every bad request is a 4xx JSON error, and nothing is
// stored.
func TestPlanBadInput(t *testing.T) {
	before := []webtest.Request{
		{Method: http.MethodPost, URL: "/api/v1/plans", User: "admin", Body: planBody("D1")},
		{Method: http.MethodPost, URL: "/api/v1/plans/1/tasks", User: "admin", Body: taskBody("D1", "2026-02-01", "2026-06-30")},
	}
	target := func(t string) string {
		return `{"agency": "D1", "year": 2026, "title": "KH", "targets": [` + t + `]}`
	}
	bad := func(name, method, url, body string, status int, want string) webtest.Scenario {
		return webtest.Scenario{Name: name, Method: method, URL: url, User: "admin", Body: body, Before: before,
			WantStatus: status, WantContains: []string{want}, Check: unchanged}
	}
	post, patch := http.MethodPost, http.MethodPatch
	webtest.Run(t, []webtest.Scenario{
		bad("unknown indicator", post, "/api/v1/plans", target(`{"indicator": "XX9", "target": 90}`), 400, `XX9`),
		bad("unknown instrument", post, "/api/v1/plans", target(`{"indicator": "overall", "instrument": "sipas-2099", "target": 90}`), 400, `unknown instrument`),
		bad("target 101", post, "/api/v1/plans", target(`{"indicator": "overall", "target": 101}`), 400, `between 0 and 100`),
		bad("target -1", post, "/api/v1/plans", target(`{"indicator": "overall", "target": -1}`), 400, `between 0 and 100`),
		bad("indicator twice", post, "/api/v1/plans", target(`{"indicator": "TT", "target": 80}, {"indicator": "TT", "target": 90}`), 400, `twice`),
		bad("empty title", post, "/api/v1/plans", `{"agency": "D1", "year": 2026, "title": "  "}`, 400, `title is required`),
		bad("year 1999", post, "/api/v1/plans", `{"agency": "D1", "year": 1999, "title": "KH"}`, 400, `year must be between`),
		bad("unknown field", post, "/api/v1/plans", `{"agency": "D1", "year": 2026, "title": "KH", "owner": "x"}`, 400, `unknown field`),
		bad("wrong type", post, "/api/v1/plans", `{"agency": "D1", "year": "2026", "title": "KH"}`, 400, `wrong type`),
		bad("unknown agency", post, "/api/v1/plans", planBody("NOPE"), 404, `not found`),
		bad("patch empty title", patch, "/api/v1/plans/1", `{"title": ""}`, 400, `title is required`),
		bad("patch target 101", patch, "/api/v1/plans/1", `{"targets": [{"indicator": "overall", "target": 101}]}`, 400, `between 0 and 100`),
		bad("patch unknown indicator", patch, "/api/v1/plans/1", `{"title": "ok", "targets": [{"indicator": "XX9", "target": 1}]}`, 400, `XX9`),
		bad("patch nothing", patch, "/api/v1/plans/1", `{}`, 400, `give`),
		bad("patch unknown field", patch, "/api/v1/plans/1", `{"year": 2027}`, 400, `unknown field`),
		bad("patch non-numeric id", patch, "/api/v1/plans/x1", `{"title": "ok"}`, 400, `not a positive whole number`),
		bad("patch unknown plan", patch, "/api/v1/plans/99", `{"title": "ok"}`, 404, `not found`),
		bad("responsible outside the plan's subtree", post, "/api/v1/plans/1/tasks", taskBody("D2", "2026-02-01", "2026-06-30"), 400, `not D1 or beneath it`),
		bad("responsible unknown", post, "/api/v1/plans/1/tasks", taskBody("NOPE", "2026-02-01", "2026-06-30"), 400, `responsible`),
		bad("due before start", post, "/api/v1/plans/1/tasks", taskBody("C1", "2026-06-30", "2026-02-01"), 400, `before start`),
		bad("bad date", post, "/api/v1/plans/1/tasks", taskBody("C1", "2026-02-30", "2026-06-30"), 400, `not a date`),
		bad("unknown criterion", post, "/api/v1/plans/1/tasks", `{"title": "T", "responsible": "C1", "criteria": ["ZZ1"], "start": "2026-02-01", "due": "2026-03-01"}`, 400, `ZZ1`),
		bad("no criteria", post, "/api/v1/plans/1/tasks", `{"title": "T", "responsible": "C1", "criteria": [], "start": "2026-02-01", "due": "2026-03-01"}`, 400, `at least one criterion`),
		bad("task empty title", post, "/api/v1/plans/1/tasks", `{"title": "", "responsible": "C1", "criteria": ["TT1"], "start": "2026-02-01", "due": "2026-03-01"}`, 400, `title is required`),
		bad("task unknown field", post, "/api/v1/plans/1/tasks", `{"title": "T", "responsible": "C1", "criteria": ["TT1"], "start": "2026-02-01", "due": "2026-03-01", "status": "done"}`, 400, `unknown field`),
		bad("status finished", patch, "/api/v1/plans/1/tasks/1", `{"status": "finished", "note": "xong"}`, 400, `status must be`),
		bad("neither status nor note", patch, "/api/v1/plans/1/tasks/1", `{"note": "  "}`, 400, `give a status or a note`),
		bad("progress unknown field", patch, "/api/v1/plans/1/tasks/1", `{"status": "done", "by": "x"}`, 400, `unknown field`),
		bad("task of another plan", patch, "/api/v1/plans/2/tasks/1", `{"status": "done"}`, 404, `not found`),
		bad("unknown task", patch, "/api/v1/plans/1/tasks/7", `{"status": "done"}`, 404, `not found`),
		bad("not JSON", post, "/api/v1/plans", `agency=D1`, 400, `invalid JSON`),
	})
}

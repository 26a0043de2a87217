package web_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

// TestTaskProgress: tasks are created, listed and read; each change of
// progress is a dated entry, kept in order; overdue is derived from the
// clock.
func TestTaskProgress(t *testing.T) {
	e := webtest.New(t)
	addOfficial(t, e, "offc1", "C1")
	plan := mustPlan(t, e, "off", planBody("D1"))
	tk := mustTask(t, e, "off", plan, taskBody("C1", "2026-02-01", "2026-06-30"))
	if tk.Responsible != "C1" || tk.Status != "todo" || tk.Overdue || len(tk.Progress) != 1 ||
		tk.Progress[0].Status != "todo" || tk.Progress[0].By != "off" || fmt.Sprint(tk.Criteria) != "[TT1 TT2]" {
		t.Fatalf("created: %+v", tk)
	}
	early := mustTask(t, e, "admin", plan, taskBody("D1", "2026-01-05", "2026-03-31"))
	if !early.Overdue {
		t.Fatalf("a task due 2026-03-31 is overdue on 2026-04-15: %+v", early)
	}
	url := fmt.Sprintf("/api/v1/plans/%d/tasks/%d", plan, tk.ID)

	// Three changes, by the responsible unit's official and those above.
	steps := []struct {
		user, body, status, note string
	}{
		{"offc1", `{"status": "doing", "note": "Đã rà soát 40 thủ tục"}`, "doing", "Đã rà soát 40 thủ tục"},
		{"off", `{"note": "Chờ in bảng niêm yết"}`, "doing", "Chờ in bảng niêm yết"},
		{"admin", `{"status": "done", "note": "Hoàn thành"}`, "done", "Hoàn thành"},
	}
	for i, s := range steps {
		e.SetNow(webtest.Start().Add(time.Duration(i+1) * 24 * time.Hour))
		var got taskJSON
		call(t, e, http.MethodPatch, url, s.user, s.body, http.StatusOK, &got)
		if got.Status != s.status || len(got.Progress) != i+2 {
			t.Fatalf("step %d: %+v", i+1, got)
		}
	}
	var got taskJSON
	call(t, e, http.MethodGet, url, "offc1", "", http.StatusOK, &got)
	if len(got.Progress) != 4 {
		t.Fatalf("progress: %+v, want 4 entries", got.Progress)
	}
	for i, s := range steps {
		p := got.Progress[i+1]
		want := webtest.Start().Add(time.Duration(i+1) * 24 * time.Hour)
		if p.By != s.user || p.Status != s.status || p.Note != s.note || !p.At.Equal(want) {
			t.Errorf("entry %d: %+v, want %s %s %q at %v", i+2, p, s.user, s.status, s.note, want)
		}
	}
	if !got.Progress[0].At.Equal(webtest.Start()) || got.Progress[0].Note != "" {
		t.Errorf("first entry: %+v", got.Progress[0])
	}

	// Past the due date: the done task is not overdue, the other one is.
	e.SetNow(time.Date(2026, 7, 1, 9, 0, 0, 0, survey.Vietnam))
	var list struct{ Tasks []taskJSON }
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks", plan), "offc1", "", http.StatusOK, &list)
	if len(list.Tasks) != 2 || list.Tasks[0].ID != early.ID || !list.Tasks[0].Overdue || list.Tasks[1].Overdue || list.Tasks[1].Status != "done" {
		t.Fatalf("list on 2026-07-01: %+v", list.Tasks)
	}
	// On its due date a task is not yet overdue; the day after it is.
	e.SetNow(time.Date(2026, 3, 31, 23, 0, 0, 0, survey.Vietnam))
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/%d", plan, early.ID), "admin", "", http.StatusOK, &got)
	if got.Overdue {
		t.Errorf("overdue on its due date: %+v", got)
	}
	e.SetNow(time.Date(2026, 4, 1, 0, 30, 0, 0, survey.Vietnam))
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/%d", plan, early.ID), "admin", "", http.StatusOK, &got)
	if !got.Overdue {
		t.Errorf("not overdue the day after its due date: %+v", got)
	}
	var p planJSON
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", plan), "off", "", http.StatusOK, &p)
	if len(p.Tasks) != 2 || !p.Tasks[0].Overdue || p.Tasks[1].Status != "done" {
		t.Fatalf("plan's tasks: %+v", p.Tasks)
	}

	// A task is found under its own plan only.
	other := mustPlan(t, e, "admin", planBody("P"))
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/%d", other, tk.ID), "admin", "", http.StatusNotFound, nil)
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/x", plan), "admin", "", http.StatusBadRequest, nil)
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action LIKE 'task.%'`); n < 5 {
		t.Errorf("got %d task entries in the audit log, want 2 creations and 3 updates", n)
	}
}

// TestTaskPermissions: who may record progress on a task.
func TestTaskPermissions(t *testing.T) {
	e := webtest.New(t)
	addOfficial(t, e, "offc1", "C1")
	addOfficial(t, e, "offd3", "D3")
	plan := mustPlan(t, e, "admin", planBody("P"))
	d1 := mustTask(t, e, "admin", plan, taskBody("D1", "2026-02-01", "2026-06-30"))
	d2 := mustTask(t, e, "admin", plan, taskBody("D2", "2026-02-01", "2026-06-30"))
	url := func(tk taskJSON) string { return fmt.Sprintf("/api/v1/plans/%d/tasks/%d", plan, tk.ID) }
	done := `{"status": "done", "note": "xong"}`

	for _, c := range []struct {
		name, user string
		task       taskJSON
		want       int
	}{
		{"official of another unit", "off2", d1, http.StatusForbidden},
		{"official of a unit beneath the responsible one", "offc1", d1, http.StatusForbidden},
		{"official of an unrelated unit", "offd3", d2, http.StatusForbidden},
		{"integration account", "integ", d1, http.StatusForbidden},
		{"no credentials", "", d1, http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			call(t, e, http.MethodPatch, url(c.task), c.user, done, c.want, nil)
			var got taskJSON
			call(t, e, http.MethodGet, url(c.task), "admin", "", http.StatusOK, &got)
			if got.Status != "todo" || len(got.Progress) != 1 {
				t.Fatalf("refused update changed the task: %+v", got)
			}
		})
	}
	// Every official of P's subtree reads P's plan and its tasks, but only
	// the responsible unit (and above) records progress; nobody but P's
	// officials and admins adds tasks.
	call(t, e, http.MethodGet, url(d2), "offd3", "", http.StatusOK, nil)
	call(t, e, http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/tasks", plan), "off", taskBody("D1", "2026-02-01", "2026-06-30"), http.StatusForbidden, nil)
	var got taskJSON
	call(t, e, http.MethodPatch, url(d1), "off", done, http.StatusOK, &got)
	call(t, e, http.MethodPatch, url(d2), "off2", `{"status": "doing"}`, http.StatusOK, &got)
	if got.Status != "doing" || len(got.Progress) != 2 || got.Progress[1].By != "off2" {
		t.Fatalf("update by the responsible unit: %+v", got)
	}
	if n := e.Count(t, `SELECT count(*) FROM task_progress`); n != 4 {
		t.Errorf("got %d progress entries, want 4", n)
	}
	// A C1 task of D1's plan: C1's official records progress on it.
	d1plan := mustPlan(t, e, "off", planBody("D1"))
	c1 := mustTask(t, e, "off", d1plan, taskBody("C1", "2026-02-01", "2026-06-30"))
	call(t, e, http.MethodPatch, fmt.Sprintf("/api/v1/plans/%d/tasks/%d", d1plan, c1.ID), "offc1", `{"status": "doing"}`, http.StatusOK, nil)
	call(t, e, http.MethodPatch, fmt.Sprintf("/api/v1/plans/%d/tasks/%d", d1plan, c1.ID), "off2", `{"status": "done"}`, http.StatusForbidden, nil)
}

// effectJSON is the answer of GET …/effect, as far as the tests read it.
type effectJSON struct {
	Plan, Task              int64
	Responsible, Comparison string
	Before, After           struct{ From, To string }
	Started                 bool
	DifferenceLevel         float64 `json:"difference_level"`
	Criteria                []struct {
		Indicator string
		Unit      struct{ Before, After estimateJSON }
		Rest      *struct{ Before, After estimateJSON }
		Diff      struct {
			Diff   *float64
			CILow  *float64 `json:"ci_low"`
			CIHigh *float64 `json:"ci_high"`
		} `json:"diff_of_diffs"`
		Verdict string
	}
}

// TestTaskEffect: a strong rise at the responsible unit while the rest of
// the plan's agency stays flat is an improvement; a unit without ratings
// has not enough data; a task not yet started measures nothing.
func TestTaskEffect(t *testing.T) {
	e := webtest.New(t)
	// Before 1 March at D2 every answer is 2, after it 5; D3 and D4 stay
	// the same (half 3, half 4) on both sides.
	e.Seed(t,
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-02-10", N: 40, Value: 2},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-03-10", N: 40, Value: 5},
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-02-10", N: 20, Value: 3},
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-02-11", N: 20, Value: 4},
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-03-10", N: 20, Value: 3},
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-03-11", N: 20, Value: 4},
		sqlitetest.Spec{Counter: "D4/Q1", Day: "2026-02-10", N: 20, Value: 3},
		sqlitetest.Spec{Counter: "D4/Q1", Day: "2026-02-11", N: 20, Value: 4},
		sqlitetest.Spec{Counter: "D4/Q1", Day: "2026-03-10", N: 20, Value: 3},
		sqlitetest.Spec{Counter: "D4/Q1", Day: "2026-03-11", N: 20, Value: 4},
	)
	plan := mustPlan(t, e, "admin", planBody("P"))
	body := func(unit, start string) string {
		return `{"title": "Niêm yết", "responsible": "` + unit + `", "criteria": ["TT1", "overall"], "start": "` + start + `", "due": "2026-06-30"}`
	}
	strong := mustTask(t, e, "admin", plan, body("D2", "2026-03-01"))
	empty := mustTask(t, e, "admin", plan, body("D1", "2026-03-01"))
	later := mustTask(t, e, "admin", plan, body("D2", "2026-05-01"))
	effect := func(user string, tk taskJSON) effectJSON {
		t.Helper()
		var out effectJSON
		call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/%d/effect", plan, tk.ID), user, "", http.StatusOK, &out)
		return out
	}

	got := effect("off2", strong)
	// After: from the start to today (2026-04-15, before the due date),
	// 46 days; before: as many days just before the start.
	if got.Plan != plan || got.Task != strong.ID || got.Responsible != "D2" || got.Comparison != "P" || !got.Started ||
		got.After.From != "2026-03-01" || got.After.To != "2026-04-15" || got.Before.From != "2026-01-14" || got.Before.To != "2026-02-28" {
		t.Fatalf("effect: %+v", got)
	}
	if got.DifferenceLevel <= 0.95 || got.DifferenceLevel >= 1 {
		t.Errorf("difference level %v: want a simultaneous level above 0.95 for 2 criteria", got.DifferenceLevel)
	}
	if len(got.Criteria) != 2 {
		t.Fatalf("criteria: %+v", got.Criteria)
	}
	for _, c := range got.Criteria {
		u := c.Unit
		if u.Before.N != 40 || u.After.N != 40 || *u.Before.Index != 0 || *u.After.Index != 100 {
			t.Errorf("%s at D2: %+v", c.Indicator, u)
		}
		if c.Rest == nil || c.Rest.Before.N != 80 || c.Rest.After.N != 80 || *c.Rest.Before.Index != *c.Rest.After.Index {
			t.Errorf("%s at the rest of P: %+v", c.Indicator, c.Rest)
		}
		if c.Verdict != "improved" || c.Diff.CILow == nil || *c.Diff.CILow <= 0 {
			t.Errorf("%s: verdict %q, difference of differences %+v; want improved", c.Indicator, c.Verdict, c.Diff)
		}
	}
	if got.Criteria[0].Indicator != "TT1" || got.Criteria[1].Indicator != "overall" {
		t.Errorf("criteria out of order: %+v", got.Criteria)
	}

	got = effect("off", empty)
	for _, c := range got.Criteria {
		if c.Verdict != "not_enough_data" || c.Unit.After.N != 0 {
			t.Errorf("%s at D1 (no ratings): %+v", c.Indicator, c)
		}
	}
	got = effect("admin", later)
	if got.Started || len(got.Criteria) != 2 || got.Criteria[0].Verdict != "not_enough_data" {
		t.Errorf("a task starting 2026-05-01 on 2026-04-15: %+v", got)
	}
	// The effect is the plan's readers' to see.
	addOfficial(t, e, "offx", "C1")
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/%d/effect", plan, strong.ID), "offx", "", http.StatusOK, nil)
	d1plan := mustPlan(t, e, "off", planBody("D1"))
	d1task := mustTask(t, e, "off", d1plan, body("C1", "2026-03-01"))
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/%d/effect", d1plan, d1task.ID), "off2", "", http.StatusForbidden, nil)
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/%d/effect", plan, d1task.ID), "admin", "", http.StatusNotFound, nil)
}

// TestTaskEffectFewRatings: below the reporting rules the verdict is "not
// enough data", however large the change.
func TestTaskEffectFewRatings(t *testing.T) {
	e := webtest.New(t)
	e.Seed(t,
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-02-10", N: 10, Value: 1},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-03-10", N: 10, Value: 5},
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-02-10", N: 40, Value: 4},
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-03-10", N: 40, Value: 4},
	)
	plan := mustPlan(t, e, "admin", planBody("P"))
	tk := mustTask(t, e, "admin", plan, `{"title": "T", "responsible": "D2", "criteria": ["TT1"], "start": "2026-03-01", "due": "2026-06-30"}`)
	var got effectJSON
	call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/%d/effect", plan, tk.ID), "admin", "", http.StatusOK, &got)
	if len(got.Criteria) != 1 || got.Criteria[0].Verdict != "not_enough_data" || got.Criteria[0].Unit.After.N != 10 {
		t.Fatalf("got %+v, want not_enough_data on 10 ratings", got.Criteria)
	}
}

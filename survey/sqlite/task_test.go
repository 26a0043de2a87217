package sqlite_test

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// parseTask checks a task of pl with survey.ParseTask.
func parseTask(tb testing.TB, p *sqlitetest.Province, pl *survey.Plan, title, responsible, start, due string, criteria ...string) *survey.Task {
	tb.Helper()
	if len(criteria) == 0 {
		criteria = []string{"TC1"}
	}
	t, err := survey.ParseTask(pl, survey.TaskInput{Title: title, Responsible: responsible, Start: start, Due: due, Criteria: criteria}, p.Instruments)
	if err != nil {
		tb.Fatalf("parse task %q: %v", title, err)
	}
	return t
}

// mustTask checks a task of pl and stores it.
func mustTask(tb testing.TB, p *sqlitetest.Province, pl *survey.Plan, title, responsible, start, due string, criteria ...string) *survey.Task {
	tb.Helper()
	t := parseTask(tb, p, pl, title, responsible, start, due, criteria...)
	if err := p.DB.CreateTask(context.Background(), t, testActor); err != nil {
		tb.Fatalf("create task %q: %v", title, err)
	}
	return t
}

func TestCreateTask(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	p.DB.Now = func() time.Time { return planTime }
	pl := mustPlan(t, p, "D1", 2027, "Kế hoạch")
	from := maxID(t, p, "audit_log")

	tk := parseTask(t, p, pl, "Niêm yết thủ tục", "C1", "2027-03-01", "2027-06-30", "TC1", "TT2")
	tk.Description = "Niêm yết đủ thủ tục tại quầy"
	if err := p.DB.CreateTask(ctx, tk, survey.Actor{Name: "off"}); err != nil {
		t.Fatal(err)
	}
	c1 := p.Agency(t, "C1")
	first := []survey.Progress{{At: planTime, By: "off", Status: survey.TaskTodo}}
	if tk.ID == 0 || tk.PlanID != pl.ID || tk.ResponsibleID != c1.ID || tk.Responsible != "C1" || tk.ResponsibleName != c1.Name ||
		tk.Status != survey.TaskTodo || tk.CreatedBy != "off" || !tk.CreatedAt.Equal(planTime) || !tk.UpdatedAt.Equal(planTime) ||
		!reflect.DeepEqual(tk.Progress, first) {
		t.Fatalf("created %+v", tk)
	}
	got, err := p.DB.FindTask(ctx, pl.ID, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, tk) {
		t.Fatalf("found %+v\nwant  %+v", got, tk)
	}
	if !reflect.DeepEqual(got.Criteria, []string{"TC1", "TT2"}) || got.Start != "2027-03-01" || got.Due != "2027-06-30" {
		t.Fatalf("found %+v", got)
	}
	wantLines(t, "audit", auditSince(t, p, from), []string{
		"task.create by off: task " + itoa(tk.ID) + " of plan " + itoa(pl.ID) + ": Niêm yết thủ tục (C1, due 2027-06-30)",
	})

	other := mustPlan(t, p, "D1", 2028, "Kế hoạch khác")
	tests := []struct {
		name           string
		plan, task     int64
		wantCodeOrNone string
	}{
		{"the task", pl.ID, tk.ID, ""},
		{"another plan's", other.ID, tk.ID, survey.ENOTFOUND},
		{"unknown plan", 999, tk.ID, survey.ENOTFOUND},
		{"unknown task", pl.ID, 999, survey.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := p.DB.FindTask(ctx, tt.plan, tt.task); survey.ErrorCode(err) != tt.wantCodeOrNone {
				t.Fatalf("got %v, want %q", err, tt.wantCodeOrNone)
			}
		})
	}
}

// The unit responsible for a task is the plan's agency or one beneath it;
// any other is refused and nothing is stored.
func TestCreateTaskSubtree(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	pl := mustPlan(t, p, "D1", 2027, "Kế hoạch của D1")
	yes := true
	if _, err := p.DB.UpdateAgency(ctx, "D4", survey.AgencyUpdate{Closed: &yes}, testActor); err != nil {
		t.Fatal(err)
	}
	root := mustPlan(t, p, "P", 2027, "Kế hoạch của tỉnh")

	tests := []struct {
		name        string
		plan        int64
		responsible string
		wantCode    string
		wantIn      []string // in the message and Fields["responsible"]
	}{
		{"the plan's agency", pl.ID, "D1", "", nil},
		{"beneath it", pl.ID, "C1", "", nil},
		{"the root's plan, two levels down", root.ID, "C1", "", nil},
		{"a sibling", pl.ID, "D2", survey.EINVALID, []string{"D2", "D1"}},
		{"the parent", pl.ID, "P", survey.EINVALID, []string{"P", "D1"}},
		{"a closed unit", root.ID, "D4", survey.EINVALID, []string{"D4", "closed"}},
		{"unknown agency", pl.ID, "NOPE", survey.ENOTFOUND, nil},
		{"unknown plan", 999, "D1", survey.ENOTFOUND, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tasks, progress := p.Count(t, `SELECT count(*) FROM plan_tasks`), p.Count(t, `SELECT count(*) FROM task_progress`)
			from := maxID(t, p, "audit_log")
			tk := parseTask(t, p, pl, "Việc", tt.responsible, "2027-03-01", "2027-03-31")
			tk.PlanID = tt.plan
			err := p.DB.CreateTask(ctx, tk, testActor)
			if survey.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %q", err, tt.wantCode)
			}
			if tt.wantCode == "" {
				if n := p.Count(t, `SELECT count(*) FROM plan_tasks`); n != tasks+1 {
					t.Fatalf("got %d tasks, want %d", n, tasks+1)
				}
				return
			}
			if len(tt.wantIn) > 0 {
				e, ok := err.(*survey.Error)
				if !ok {
					t.Fatalf("got %T, want *survey.Error", err)
				}
				for _, s := range tt.wantIn {
					if !strings.Contains(e.Message, s) || !strings.Contains(e.Fields["responsible"], s) {
						t.Fatalf("got %q (fields %v), want it to mention %s", e.Message, e.Fields, s)
					}
				}
			}
			if tk.ID != 0 {
				t.Fatalf("refused task got id %d", tk.ID)
			}
			if n := p.Count(t, `SELECT count(*) FROM plan_tasks`); n != tasks {
				t.Fatalf("got %d tasks, want %d", n, tasks)
			}
			if n := p.Count(t, `SELECT count(*) FROM task_progress`); n != progress {
				t.Fatalf("got %d progress entries, want %d", n, progress)
			}
			if got := auditSince(t, p, from); len(got) != 0 {
				t.Fatalf("refusal audited: %q", got)
			}
		})
	}
}

// Every update appends an entry; none is changed, and the task's status is
// the latest entry's.
func TestUpdateTaskAppends(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	now := planTime
	p.DB.Now = func() time.Time { return now }
	pl := mustPlan(t, p, "D1", 2027, "Kế hoạch")
	tk := mustTask(t, p, pl, "Việc", "C1", "2027-03-01", "2027-04-30")
	from := maxID(t, p, "audit_log")

	steps := []struct {
		by     string
		status *string
		note   string
	}{
		{"off", ptr(survey.TaskDoing), "đã bắt đầu"},
		{"off", nil, "được nửa việc"},
		{"admin", ptr(survey.TaskDone), "xong"},
	}
	var got *survey.Task
	for i, s := range steps {
		now = planTime.Add(time.Duration(i+1) * time.Hour)
		u, err := survey.ParseTaskUpdate(survey.TaskUpdate{Status: s.status, Note: s.note})
		if err != nil {
			t.Fatal(err)
		}
		if got, err = p.DB.UpdateTask(ctx, pl.ID, tk.ID, u, survey.Actor{Name: s.by}); err != nil {
			t.Fatalf("update %d: %v", i+1, err)
		}
		if len(got.Progress) != i+2 {
			t.Fatalf("update %d: got %d entries, want %d", i+1, len(got.Progress), i+2)
		}
	}
	hour := func(n int) time.Time { return planTime.Add(time.Duration(n) * time.Hour) }
	want := []survey.Progress{
		{At: planTime, By: "tester", Status: survey.TaskTodo},
		{At: hour(1), By: "off", Status: survey.TaskDoing, Note: "đã bắt đầu"},
		{At: hour(2), By: "off", Status: survey.TaskDoing, Note: "được nửa việc"},
		{At: hour(3), By: "admin", Status: survey.TaskDone, Note: "xong"},
	}
	if !reflect.DeepEqual(got.Progress, want) {
		t.Fatalf("progress:\ngot  %+v\nwant %+v", got.Progress, want)
	}
	// updated_at moves with the status, not with a note alone.
	if got.Status != survey.TaskDone || !got.UpdatedAt.Equal(hour(3)) || !got.CreatedAt.Equal(planTime) {
		t.Fatalf("task %+v", got)
	}
	found, err := p.DB.FindTask(ctx, pl.ID, tk.ID)
	if err != nil || !reflect.DeepEqual(found, got) {
		t.Fatalf("found %+v, %v\nwant  %+v", found, err, got)
	}
	if n := p.Count(t, `SELECT count(*) FROM task_progress WHERE task_id = ?`, tk.ID); n != 4 {
		t.Fatalf("got %d rows on disk, want 4", n)
	}
	head := "task " + itoa(tk.ID) + " of plan " + itoa(pl.ID) + ": "
	wantLines(t, "audit", auditSince(t, p, from), []string{
		"task.progress by off: " + head + "todo → doing: đã bắt đầu",
		"task.progress by off: " + head + "doing: được nửa việc",
		"task.progress by admin: " + head + "doing → done: xong",
	})

	bad := "paused"
	other := mustPlan(t, p, "D1", 2028, "Khác")
	tests := []struct {
		name       string
		plan, task int64
		u          survey.TaskUpdate
		wantCode   string
	}{
		{"unknown task", pl.ID, 999, survey.TaskUpdate{Note: "x"}, survey.ENOTFOUND},
		{"another plan's task", other.ID, tk.ID, survey.TaskUpdate{Note: "x"}, survey.ENOTFOUND},
		{"unknown status", pl.ID, tk.ID, survey.TaskUpdate{Status: &bad}, survey.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := p.DB.UpdateTask(ctx, tt.plan, tt.task, tt.u, testActor); survey.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %s", err, tt.wantCode)
			}
		})
	}
	if n := p.Count(t, `SELECT count(*) FROM task_progress`); n != 4 {
		t.Fatalf("got %d entries after refusals, want 4", n)
	}
}

// The schema itself refuses to change or delete a progress entry.
func TestTaskProgressAppendOnly(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	pl := mustPlan(t, p, "D1", 2027, "Kế hoạch")
	mustTask(t, p, pl, "Việc", "D1", "2027-03-01", "2027-04-30")
	raw, err := sql.Open("sqlite3", "file:"+p.Path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`UPDATE task_progress SET note = 'rewritten'`, `DELETE FROM task_progress`} {
		if _, err := raw.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: got %v, want append-only refused", q, err)
		}
	}
	if n := p.Count(t, `SELECT count(*) FROM task_progress WHERE note = ''`); n != 1 {
		t.Fatalf("got %d untouched entries, want 1", n)
	}
}

// taskTitles names tasks by title, checking each carries its responsible
// unit and no progress.
func taskTitles(tb testing.TB, ts []*survey.Task) []string {
	tb.Helper()
	out := []string{}
	for _, t := range ts {
		if t.Responsible == "" || t.ResponsibleName == "" || t.ResponsibleID == 0 || t.Progress != nil {
			tb.Fatalf("listed %+v", t)
		}
		out = append(out, t.Title)
	}
	return out
}

func TestListTasks(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	d1 := mustPlan(t, p, "D1", 2027, "Kế hoạch D1")
	prov := mustPlan(t, p, "P", 2027, "Kế hoạch tỉnh")
	mustTask(t, p, d1, "a", "D1", "2027-01-01", "2027-03-31")
	mustTask(t, p, d1, "b", "C1", "2027-01-01", "2027-02-28")
	c := mustTask(t, p, d1, "c", "C1", "2027-01-01", "2027-06-30")
	mustTask(t, p, prov, "d", "D2", "2027-01-01", "2027-02-28")
	mustTask(t, p, prov, "e", "C1", "2027-01-01", "2027-03-31")
	if _, err := p.DB.UpdateTask(ctx, d1.ID, c.ID, survey.TaskUpdate{Status: ptr(survey.TaskDone)}, testActor); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		f    survey.TaskFilter
		want string
	}{
		{"all, by due then id", survey.TaskFilter{}, "b,d,a,e,c"},
		{"one plan", survey.TaskFilter{PlanID: d1.ID}, "b,a,c"},
		{"a subtree", survey.TaskFilter{Responsible: "D1"}, "b,a,e,c"},
		{"a leaf", survey.TaskFilter{Responsible: "C1"}, "b,e,c"},
		{"the root", survey.TaskFilter{Responsible: "P"}, "b,d,a,e,c"},
		{"open", survey.TaskFilter{Open: true}, "b,d,a,e"},
		{"due by", survey.TaskFilter{DueBy: "2027-02-28"}, "b,d"},
		{"due by, before all", survey.TaskFilter{DueBy: "2027-01-31"}, ""},
		{"everything at once", survey.TaskFilter{PlanID: prov.ID, Responsible: "C1", Open: true, DueBy: "2027-03-31"}, "e"},
		{"plan and open", survey.TaskFilter{PlanID: d1.ID, Open: true, DueBy: "2027-06-30"}, "b,a"},
		{"nobody's", survey.TaskFilter{Responsible: "D3"}, ""},
		{"unknown plan", survey.TaskFilter{PlanID: 999}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := p.DB.ListTasks(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if ts == nil {
				t.Fatal("got nil, want an empty list")
			}
			if got := strings.Join(taskTitles(t, ts), ","); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := p.DB.ListTasks(ctx, survey.TaskFilter{Responsible: "NOPE"}); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown responsible: got %v, want ENOTFOUND", err)
	}
	if _, err := p.DB.ListTasks(ctx, survey.TaskFilter{DueBy: "31/03/2027"}); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("bad due by: got %v, want EINVALID", err)
	}
	ts, err := p.DB.ListTasks(ctx, survey.TaskFilter{Responsible: "D2"})
	if err != nil || len(ts) != 1 {
		t.Fatalf("D2's tasks: %v, %v", ts, err)
	}
	if d2 := p.Agency(t, "D2"); ts[0].Responsible != "D2" || ts[0].ResponsibleName != d2.Name || ts[0].PlanID != prov.ID ||
		!reflect.DeepEqual(ts[0].Criteria, []string{"TC1"}) {
		t.Fatalf("listed %+v", ts[0])
	}
}

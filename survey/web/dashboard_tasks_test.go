package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

var taskLocation = regexp.MustCompile(`^/dashboard/plans/\d+`)

// taskForm is the add-task form of a plan's page.
func taskForm(title, responsible, criteria, start, due string) url.Values {
	return url.Values{"title": {title}, "responsible": {responsible}, "criteria": {criteria}, "start": {start}, "due": {due},
		"description": {"Niêm yết tại quầy"}}
}

// createTask adds a task to plan id through the form and returns the
// path of its page.
func createTask(tb testing.TB, e *webtest.Env, b *webtest.Client, id string, f url.Values) string {
	tb.Helper()
	w := b.Post("/dashboard/plans/"+id+"/tasks", f)
	if w.Code != http.StatusSeeOther || !taskLocation.MatchString(w.Header().Get("Location")) {
		tb.Fatalf("create task: got %d to %q: %.600s", w.Code, w.Header().Get("Location"), w.Body)
	}
	var tid string
	if err := e.RO.QueryRow(`SELECT max(id) FROM plan_tasks`).Scan(&tid); err != nil {
		tb.Fatalf("task id: %v", err)
	}
	return "/dashboard/plans/" + id + "/tasks/" + tid
}

func TestDashboardTaskCreate(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	id := createPlan(t, b, "D1", "Kế hoạch D1", "overall 90")
	task := createTask(t, e, b, id, taskForm("Niêm yết đầy đủ thủ tục", "C1", "TT1, TT2", "2026-02-01", "2026-06-30"))
	body := b.Get("/dashboard/plans/" + id).Body.String()
	r := between(body, `<tr data-task="`, "</tr>")
	for _, want := range []string{"Niêm yết đầy đủ thủ tục", "UBND xã Nhơn Ái (C1)", "TT1, TT2", "01/02/2026", "30/06/2026", "chưa thực hiện", `href="` + task + `"`} {
		if !strings.Contains(r, want) {
			t.Errorf("task row lacks %q: %s", want, r)
		}
	}
	// A unit outside the plan's subtree is refused, the form kept.
	w := b.Post("/dashboard/plans/"+id+"/tasks", taskForm("Việc của huyện", "D2", "TT1", "2026-02-01", "2026-06-30"))
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("responsible D2: got %d, want 422: %.400s", w.Code, w.Body)
	}
	if msg := between(w.Body.String(), `id="task-error">`, "<"); !strings.Contains(msg, "Đơn vị D2 không phải là D1 hay một đơn vị trực thuộc") {
		t.Errorf("message: got %q", msg)
	}
	if !strings.Contains(w.Body.String(), `value="Việc của huyện"`) || !strings.Contains(w.Body.String(), `value="2026-02-01"`) {
		t.Errorf("the input is not kept")
	}
	// Due before start, unknown criterion.
	for _, tc := range []struct{ name, criteria, due, want string }{
		{"due before start", "TT1", "2026-01-01", "Hạn hoàn thành (2026-01-01) trước ngày bắt đầu (2026-02-01)"},
		{"unknown criterion", "TT1, ZZ9", "2026-06-30", "“ZZ9” không phải là"},
		{"no criterion", "", "2026-06-30", "Ghi ít nhất một tiêu chí"},
	} {
		w := b.Post("/dashboard/plans/"+id+"/tasks", taskForm("Việc sai", "C1", tc.criteria, "2026-02-01", tc.due))
		if msg := between(w.Body.String(), `id="task-error">`, "<"); w.Code != http.StatusUnprocessableEntity || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: got %d %q, want 422 %q", tc.name, w.Code, msg, tc.want)
		}
	}
	if n := e.Count(t, `SELECT count(*) FROM plan_tasks`); n != 1 {
		t.Errorf("tasks stored: got %d, want 1", n)
	}
	// off2 may not add a task to D1's plan.
	o2 := e.Client(t)
	o2.Login("off2")
	if w := o2.Post("/dashboard/plans/"+id+"/tasks", taskForm("x", "D1", "TT1", "2026-02-01", "2026-06-30")); w.Code != http.StatusForbidden {
		t.Errorf("task by off2: got %d, want 403", w.Code)
	}
}

// provincePlan is a plan of P made by the admin, with a task for D1 on TT1
// from 2026-03-01 to due, and returns the task's page.
func provincePlan(tb testing.TB, e *webtest.Env, due string) string {
	tb.Helper()
	a := e.Client(tb)
	a.Login("admin")
	id := createPlan(tb, a, "P", "Kế hoạch của tỉnh", "overall 80")
	return createTask(tb, e, a, id, taskForm("Rút ngắn thời gian chờ", "D1", "TT1", "2026-03-01", due))
}

func TestDashboardTaskProgress(t *testing.T) {
	e := webtest.New(t)
	task := provincePlan(t, e, "2026-06-30")
	b := e.Client(t)
	b.Login("off")
	page := b.Get(task).Body.String()
	if !strings.Contains(page, `id="task-progress"`) {
		t.Fatalf("the responsible unit's official has no progress form")
	}
	w := b.Post(task, url.Values{"status": {"doing"}, "note": {"Đã niêm yết tại quầy hộ tịch"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("progress: got %d, want 303: %.400s", w.Code, w.Body)
	}
	body := b.Get(w.Header().Get("Location")).Body.String()
	entry := between(body, `<tr class="progress-entry">`, "</tr>") // newest first
	for _, want := range []string{"Đã niêm yết tại quầy hộ tịch", "đang thực hiện", ">off<", "15/04/2026 10:00"} {
		if !strings.Contains(entry, want) {
			t.Errorf("history entry lacks %q: %s", want, entry)
		}
	}
	if !strings.Contains(between(body, `id="task-status">`, "</dd>"), "đang thực hiện") {
		t.Errorf("the task's status did not change")
	}
	before := e.Count(t, `SELECT count(*) FROM task_progress`)
	// An official of another unit reads the province's plan but may not
	// record progress on D1's task.
	o2 := e.Client(t)
	o2.Login("off2")
	if p := o2.Get(task); p.Code != http.StatusOK || strings.Contains(p.Body.String(), `id="task-progress"`) {
		t.Errorf("off2 on the task page: got %d, want 200 without the form", p.Code)
	}
	if w := o2.Post(task, url.Values{"status": {"done"}, "note": {"xong"}}); w.Code != http.StatusForbidden {
		t.Errorf("progress by off2: got %d, want 403", w.Code)
	}
	// Neither a bad status nor an empty entry is stored.
	if w := b.Post(task, url.Values{"status": {"finished"}}); w.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(w.Body.String(), "Trạng thái không hợp lệ.") {
		t.Errorf("bad status: got %d: %.300s", w.Code, w.Body)
	}
	if w := b.Post(task, url.Values{"status": {"doing"}, "note": {" "}}); w.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(w.Body.String(), "Chọn trạng thái mới hoặc ghi chú.") {
		t.Errorf("empty entry: got %d: %.300s", w.Code, w.Body)
	}
	if after := e.Count(t, `SELECT count(*) FROM task_progress`); after != before {
		t.Errorf("progress entries: %d before, %d after refused posts", before, after)
	}
}

func TestDashboardTaskEffect(t *testing.T) {
	e := webtest.New(t)
	// Before the start (2026-03-01) D1 is rated 3, after it 5; the rest of
	// the province stays at 4: a significant improvement of D1's own.
	e.Seed(t,
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-10", N: 80, Value: 3},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-04-01", N: 80, Value: 5},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-02-10", N: 80, Value: 4},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-04-01", N: 80, Value: 4},
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-02-10", N: 80, Value: 2},
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-04-01", N: 80, Value: 4},
	)
	task := provincePlan(t, e, "2026-06-30")
	b := e.Client(t)
	b.Login("off")
	body := b.Get(task).Body.String()
	eff := between(body, `<article class="effect" data-criterion="TT1"`, "</article>")
	if !strings.Contains(eff, `data-verdict="improved"`) || !strings.Contains(eff, "cải thiện có ý nghĩa") {
		t.Errorf("verdict: want a significant improvement: %s", eff)
	}
	if !strings.Contains(body, "một mức tăng chung của cả UBND tỉnh Demo không bị tính là kết quả của riêng nhiệm vụ này") {
		t.Errorf("the panel does not say what it compares")
	}
	if !strings.Contains(body, "14/01/2026 – 28/02/2026") || !strings.Contains(body, "01/03/2026 – 15/04/2026") {
		t.Errorf("the before and after periods are not shown")
	}
	// D4 has no ratings: not enough data, and no difference shown.
	a := e.Client(t)
	a.Login("admin")
	id := strings.Split(task, "/")[3]
	t4 := createTask(t, e, a, id, taskForm("Việc của D4", "D4", "TT1", "2026-03-01", "2026-06-30"))
	eff = between(a.Get(t4).Body.String(), `<article class="effect" data-criterion="TT1"`, "</article>")
	if !strings.Contains(eff, `data-verdict="not_enough_data"`) || !strings.Contains(eff, "chưa đủ dữ liệu") ||
		!strings.Contains(eff, `<span class="diff-value">–</span>`) {
		t.Errorf("D4: want not enough data without a difference: %s", eff)
	}
}

func TestDashboardHomeDueTasks(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	if w := b.Get("/dashboard"); w.Code != http.StatusSeeOther {
		t.Fatalf("home without tasks: got %d, want 303 to the overview", w.Code)
	}
	task := provincePlan(t, e, "2026-04-20")
	w := b.Get("/dashboard")
	if w.Code != http.StatusOK {
		t.Fatalf("home with a task due: got %d, want 200", w.Code)
	}
	soon := between(w.Body.String(), `id="soon"`, "</section>")
	if !strings.Contains(soon, `href="`+task+`"`) || strings.Contains(w.Body.String(), `id="overdue"`) {
		t.Errorf("want the task under “Đến hạn trong 14 ngày” only: %.800s", w.Body)
	}
	e.SetNow(time.Date(2026, 4, 25, 9, 0, 0, 0, survey.Vietnam))
	b.Login("off") // the session ended after 8 hours without use
	w = b.Get("/dashboard")
	over := between(w.Body.String(), `id="overdue"`, "</section>")
	if !strings.Contains(over, `href="`+task+`"`) || !strings.Contains(over, "Quá hạn") || !strings.Contains(over, "quá hạn") {
		t.Errorf("want the task under “Quá hạn”: %.800s", w.Body)
	}
	// Not a task of D2's: off2's home is the overview.
	o2 := e.Client(t)
	o2.Login("off2")
	if w := o2.Get("/dashboard"); w.Code != http.StatusSeeOther {
		t.Errorf("off2's home: got %d, want 303", w.Code)
	}
	// Done, it is no longer listed.
	if w := b.Post(task, url.Values{"status": {"done"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("done: got %d", w.Code)
	}
	if w := b.Get("/dashboard"); w.Code != http.StatusSeeOther {
		t.Errorf("home after the task is done: got %d, want 303", w.Code)
	}
}

// An official who reads the province's plan but may not see the
// responsible unit gets each criterion's verdict and a note, no number:
// neither the unit's nor the rest of the province's.
func TestDashboardTaskEffectOutsideScope(t *testing.T) {
	e := webtest.New(t)
	e.Seed(t,
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-10", N: 80, Value: 3},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-04-01", N: 80, Value: 5},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-02-10", N: 80, Value: 4},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-04-01", N: 80, Value: 4},
	)
	task := provincePlan(t, e, "2026-06-30")
	const note = "Chỉ số của đơn vị phụ trách không thuộc phạm vi xem của tài khoản này"
	for _, tc := range []struct {
		user string
		see  bool
	}{{"admin", true}, {"off", true}, {"off2", false}} {
		b := e.Client(t)
		b.Login(tc.user)
		w := b.Get(task)
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("%s: got %d", tc.user, w.Code)
		}
		eff := between(body, `<article class="effect" data-criterion="TT1"`, "</article>")
		if !strings.Contains(eff, `data-verdict="improved"`) || !strings.Contains(eff, "cải thiện có ý nghĩa") {
			t.Errorf("%s: no verdict: %s", tc.user, eff)
		}
		numbers := strings.Contains(eff, `data-side="unit"`) || strings.Contains(eff, `data-side="rest"`) ||
			strings.Contains(eff, `class="diff-value"`) || strings.Contains(eff, `class="n"`) || strings.Contains(eff, "%")
		if numbers != tc.see {
			t.Errorf("%s: numbers shown %v, want %v: %s", tc.user, numbers, tc.see, eff)
		}
		if shown := strings.Contains(body, note); shown == tc.see {
			t.Errorf("%s: the note on hidden numbers shown %v, want %v", tc.user, shown, !tc.see)
		}
	}
}

// The history is newest first by the entries' times, even when they were
// recorded in another order (the server's clock set back in between).
func TestDashboardTaskHistoryOrder(t *testing.T) {
	e := webtest.New(t)
	task := provincePlan(t, e, "2026-06-30")
	b := e.Client(t)
	b.Login("off")
	if w := b.Post(task, url.Values{"status": {"doing"}, "note": {"ghi lúc 10 giờ"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("progress: got %d", w.Code)
	}
	e.SetNow(webtest.Start().Add(-time.Hour))
	if w := b.Post(task, url.Values{"note": {"ghi lúc 9 giờ"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("progress: got %d", w.Code)
	}
	e.SetNow(webtest.Start().Add(time.Hour))
	if w := b.Post(task, url.Values{"note": {"ghi lúc 11 giờ"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("progress: got %d", w.Code)
	}
	hist := between(b.Get(task).Body.String(), `<section aria-labelledby="history-h" id="history">`, "</section>")
	var got []string
	for _, r := range strings.Split(hist, `<tr class="progress-entry">`)[1:] {
		got = append(got, between(r, `<th scope="row" data-label="Thời điểm">`, "<")+" "+between(r, `class="note" data-label="Ghi chú">`, "<"))
	}
	want := []string{"15/04/2026 11:00 ghi lúc 11 giờ", "15/04/2026 10:00 ghi lúc 10 giờ",
		"15/04/2026 10:00 ", // the task's creation, recorded before the 10:00 entry
		"15/04/2026 09:00 ghi lúc 9 giờ"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("history:\n got %q\nwant %q", got, want)
	}
}

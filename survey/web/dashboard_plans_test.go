package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

// planForm is the create-plan form of the plans page.
func planForm(agency, title, targets string) url.Values {
	return url.Values{"agency": {agency}, "year": {"2026"}, "title": {title}, "instrument": {"sipas-2017"}, "targets": {targets}}
}

var planLocation = regexp.MustCompile(`^/dashboard/plans/(\d+)`)

// createPlan adds a plan through the form as b's user and returns its id.
func createPlan(tb testing.TB, b *webtest.Client, agency, title, targets string) string {
	tb.Helper()
	w := b.Post("/dashboard/plans", planForm(agency, title, targets))
	m := planLocation.FindStringSubmatch(w.Header().Get("Location"))
	if w.Code != http.StatusSeeOther || m == nil {
		tb.Fatalf("create plan: got %d to %q, want 303 to the plan: %.600s", w.Code, w.Header().Get("Location"), w.Body)
	}
	return m[1]
}

func TestDashboardPlanCreate(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	list := b.Get("/dashboard/plans")
	if list.Code != http.StatusOK || !strings.Contains(list.Body.String(), `id="plan-create"`) {
		t.Fatalf("plans page: got %d, want 200 with the create form: %.400s", list.Code, list.Body)
	}
	if !strings.Contains(list.Body.String(), "Chưa có kế hoạch nào.") {
		t.Errorf("an empty list does not say so")
	}
	const title = "Kế hoạch cải thiện Chỉ số SIPAS năm 2026"
	w := b.Post("/dashboard/plans", planForm("D1", title, "overall 90\nTT 88\n\nCC3 92,5"))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create: got %d, want 303: %.600s", w.Code, w.Body)
	}
	page := b.Get(w.Header().Get("Location"))
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, "<h1>"+title+"</h1>") {
		t.Fatalf("plan page: got %d: %.600s", page.Code, body)
	}
	if !strings.Contains(body, "Đã thêm kế hoạch.") {
		t.Errorf("no notice after the create")
	}
	for code, target := range map[string]string{"overall": "90%", "TT": "88%", "CC3": "92,5%"} {
		r := row(t, body, "data-target", code)
		if got := cellText(t, r, "target"); got != target {
			t.Errorf("target %s: got %q, want %q", code, got, target)
		}
		// No ratings: the status says so rather than guess.
		if !strings.Contains(r, "chưa đủ dữ liệu") {
			t.Errorf("target %s: status not “chưa đủ dữ liệu”: %s", code, r)
		}
	}
	if !strings.Contains(body, `href="/dashboard/reports/D1"`) {
		t.Errorf("no link to the agency's periodic report")
	}
	if n := e.Count(t, `SELECT count(*) FROM plans`); n != 1 {
		t.Errorf("plans stored: got %d, want 1", n)
	}
	list = b.Get("/dashboard/plans")
	if !strings.Contains(list.Body.String(), title) || !strings.Contains(list.Body.String(), "Năm 2026") {
		t.Errorf("the list does not show the plan under its year")
	}
	// Another official in the province does not see D1's plan.
	o2 := e.Client(t)
	o2.Login("off2")
	if strings.Contains(o2.Get("/dashboard/plans").Body.String(), title) {
		t.Errorf("off2 sees D1's plan")
	}
	if w := o2.Get(w.Header().Get("Location")); w.Code != http.StatusForbidden {
		t.Errorf("off2 on D1's plan: got %d, want 403", w.Code)
	}
}

func TestDashboardPlanCreateBadInput(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	const title = "Kế hoạch thử"
	for _, tc := range []struct {
		name, agency, targets, want string
	}{
		{"target above 100", "D1", "overall 90\nTT 120", "Dòng 2: mức chỉ tiêu phải từ 0 đến 100"},
		{"unknown indicator", "D1", "XX 90", "Dòng 1: “XX” không phải là “overall”, mã yếu tố hay mã tiêu chí"},
		{"unknown instrument", "D1", "\nnone:TT 90", "Dòng 2: không có bộ câu hỏi “none”"},
		{"twice", "D1", "TT 90\nTT 91", "Dòng 2: chỉ tiêu TT (sipas-2017) được đặt hai lần"},
		{"no number", "D1", "TT tám mươi", "Dòng 1: cần mã chỉ số rồi mức chỉ tiêu"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := b.Post("/dashboard/plans", planForm(tc.agency, title, tc.targets))
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422: %.400s", w.Code, body)
			}
			if msg := between(body, `id="form-error">`, "<"); !strings.Contains(msg, tc.want) {
				t.Errorf("message: got %q, want %q", msg, tc.want)
			}
			if !strings.Contains(body, `value="`+title+`"`) || !strings.Contains(body, ">"+strings.TrimPrefix(tc.targets, "\n")) &&
				!strings.Contains(body, ">"+tc.targets) {
				t.Errorf("the input is not kept")
			}
		})
	}
	// Above the official's agency: 403, whatever the form.
	if w := b.Post("/dashboard/plans", planForm("P", title, "overall 90")); w.Code != http.StatusForbidden {
		t.Errorf("plan of P by off: got %d, want 403", w.Code)
	}
	if n := e.Count(t, `SELECT count(*) FROM plans`); n != 0 {
		t.Errorf("plans stored: got %d, want 0", n)
	}
}

func TestDashboardPlanEdit(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	id := createPlan(t, b, "D1", "Kế hoạch cũ", "overall 90")
	path := "/dashboard/plans/" + id
	w := b.Post(path, url.Values{"title": {"Kế hoạch mới"}, "targets": {"overall 91\nTT1 85"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("edit: got %d, want 303: %.400s", w.Code, w.Body)
	}
	body := b.Get(path).Body.String()
	if !strings.Contains(body, "<h1>Kế hoạch mới</h1>") || cellText(t, row(t, body, "data-target", "TT1"), "target") != "85%" {
		t.Errorf("the edit did not show: %.600s", body)
	}
	// A bad edit keeps the input and changes nothing.
	w = b.Post(path, url.Values{"title": {"Kế hoạch sai"}, "targets": {"overall 900"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "mức chỉ tiêu phải từ 0 đến 100") ||
		!strings.Contains(w.Body.String(), `value="Kế hoạch sai"`) {
		t.Errorf("bad edit: got %d: %.600s", w.Code, w.Body)
	}
	if body := b.Get(path).Body.String(); !strings.Contains(body, "<h1>Kế hoạch mới</h1>") {
		t.Errorf("a refused edit changed the plan")
	}
	// off2 may not edit D1's plan.
	o2 := e.Client(t)
	o2.Login("off2")
	if w := o2.Post(path, url.Values{"title": {"x"}, "targets": {""}}); w.Code != http.StatusForbidden {
		t.Errorf("edit by off2: got %d, want 403", w.Code)
	}
	if w := b.Get(fmt.Sprintf("/dashboard/plans/%d", 999)); w.Code != http.StatusNotFound {
		t.Errorf("unknown plan: got %d, want 404", w.Code)
	}
}

// A targets line that does not read (three fields) is the form's own
// message: the edit form again with 422, the input kept, nothing changed.
func TestDashboardPlanEditMalformedLine(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")
	id := createPlan(t, b, "D1", "Kế hoạch cũ", "overall 90")
	path := "/dashboard/plans/" + id
	for _, tc := range []struct{ lang, want string }{
		{"", "Dòng 2: cần mã chỉ số rồi mức chỉ tiêu, ví dụ “TT 88”."},
		{"?lang=en", "Line 2: write an indicator then a target, e.g. “TT 88”."},
	} {
		w := b.Post(path+tc.lang, url.Values{"title": {"Kế hoạch mới"}, "targets": {"TT 88\noverall 10 20"}})
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("%q: got %d, want 422: %.400s", tc.lang, w.Code, body)
		}
		if msg := between(body, `id="edit-error">`, "<"); msg != tc.want {
			t.Errorf("%q: message %q, want %q", tc.lang, msg, tc.want)
		}
		if !strings.Contains(body, `value="Kế hoạch mới"`) || !strings.Contains(body, ">TT 88\noverall 10 20</textarea>") {
			t.Errorf("%q: the input is not kept: %.800s", tc.lang, between(body, `id="plan-edit"`, "</form>"))
		}
	}
	if body := b.Get(path).Body.String(); !strings.Contains(body, "<h1>Kế hoạch cũ</h1>") {
		t.Errorf("a refused edit changed the plan")
	}
}

// An official whose unit lies beneath a plan's agency reads the plan but
// not that agency's indices: each target's status, no index, interval or
// n, and a note saying why. Admins and the agency's own officials see the
// numbers.
func TestDashboardPlanNumbersOutsideScope(t *testing.T) {
	e := webtest.New(t)
	e.Seed(t,
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-10", N: 60, Value: 5},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-02-10", N: 60, Value: 4},
	)
	a := e.Client(t)
	a.Login("admin")
	id := createPlan(t, a, "P", "Kế hoạch của tỉnh", "overall 50")
	const note = "Chỉ số của đơn vị cấp trên không thuộc phạm vi xem của tài khoản này."
	for _, path := range []string{"/dashboard/plans", "/dashboard/plans/" + id} {
		body := a.Get(path).Body.String()
		r := row(t, body, "data-target", "overall")
		if got := cellText(t, r, "n"); got != "120" || !strings.Contains(r, "đạt") {
			t.Errorf("admin on %s: n %q, want 120 and the status: %s", path, got, r)
		}
		if strings.Contains(body, note) {
			t.Errorf("admin on %s: the note shows", path)
		}
		for _, name := range []string{"off", "off2"} {
			b := e.Client(t)
			b.Login(name)
			w := b.Get(path)
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("%s on %s: got %d", name, path, w.Code)
			}
			r := row(t, body, "data-target", "overall")
			if !strings.Contains(r, `class="status status-met"`) || !strings.Contains(r, ">đạt<") {
				t.Errorf("%s on %s: the status is not shown: %s", name, path, r)
			}
			if strings.Contains(r, `class="index"`) || strings.Contains(r, `class="n"`) || strings.Contains(r, "120") ||
				strings.Contains(between(body, `<table class="stack targets">`, "</thead>"), ">n<") {
				t.Errorf("%s on %s: P's numbers show: %s", name, path, r)
			}
			if !strings.Contains(body, note) {
				t.Errorf("%s on %s: no note on the hidden numbers", name, path)
			}
		}
	}
}

// The store's messages are translated by rules of their own, not by the
// field's generic message: a reworded store message fails here.
func TestDashboardPlanStoreErrors(t *testing.T) {
	e := webtest.New(t)
	a := e.Client(t)
	a.Login("admin")
	id := createPlan(t, a, "P", "Kế hoạch của tỉnh", "overall 80")
	b := e.Client(t)
	b.Login("off")
	d1 := createPlan(t, b, "D1", "Kế hoạch của D1", "overall 80")
	closed := true
	if _, err := e.DB.UpdateAgency(t.Context(), "D4", survey.AgencyUpdate{Closed: &closed}, survey.Actor{Name: "tester"}); err != nil {
		t.Fatal(err)
	}
	vi := dashboard.TextsIn("vi")
	field := vi.Plan().Field
	for _, tc := range []struct {
		name         string
		c            *webtest.Client
		path         string
		form         url.Values
		errID, field string
		want         string
	}{
		{"plan for a closed agency", a, "/dashboard/plans", planForm("D4", "Kế hoạch", "overall 80"), "form-error", "agency",
			"Đơn vị D4 đã ngừng hoạt động: không lập kế hoạch cho đơn vị này."},
		{"task for a closed unit", a, "/dashboard/plans/" + id + "/tasks", taskForm("Việc", "D4", "TT1", "2026-02-01", "2026-06-30"), "task-error", "responsible",
			"Đơn vị D4 đã ngừng hoạt động."},
		{"task outside the subtree", b, "/dashboard/plans/" + d1 + "/tasks", taskForm("Việc", "D2", "TT1", "2026-02-01", "2026-06-30"), "task-error", "responsible",
			"Đơn vị D2 không phải là D1 hay một đơn vị trực thuộc: nhiệm vụ của kế hoạch chỉ giao cho các đơn vị trong phạm vi đó."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.c.Post(tc.path, tc.form)
			msg := between(w.Body.String(), `id="`+tc.errID+`">`, "<")
			if w.Code != http.StatusUnprocessableEntity || msg != tc.want {
				t.Errorf("got %d %q, want 422 %q", w.Code, msg, tc.want)
			}
			if msg == field[tc.field] {
				t.Errorf("the store's message fell back to the field's generic %q", msg)
			}
		})
	}
	if strings.Contains(a.Get("/dashboard/plans").Body.String(), `<option value="D4"`) {
		t.Errorf("the plan form offers the closed agency D4")
	}
	if n := e.Count(t, `SELECT count(*) FROM plans`); n != 2 {
		t.Errorf("plans stored: got %d, want 2", n)
	}
	if n := e.Count(t, `SELECT count(*) FROM plan_tasks`); n != 0 {
		t.Errorf("tasks stored: got %d, want 0", n)
	}
}

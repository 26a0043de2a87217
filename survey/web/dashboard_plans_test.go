package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

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

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestAgencyPage(t *testing.T) {
	e := webtest.New(t)
	e.AddCounter(t, "C1/S1", "sipas-2017") // a sipas-2017 counter beneath D1, for the subtree's comments
	e.Seed(t,
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-10", N: 40, Value: 5},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-11", N: 1, Value: 1, Comment: `<script>alert("x")</script> chờ lâu`},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-12", N: 1, Value: 5, Comment: "Rất tốt"},
		sqlitetest.Spec{Counter: "C1/S1", Day: "2026-03-12", N: 1, Value: 2, Comment: "Quầy xã chậm"},
	)
	b := e.Client(t)
	b.Login("off")
	body := b.Get("/dashboard/agency/D1?" + q1).Body.String()
	if got := between(body, `id="overall-n">`, "<"); got != "43" {
		t.Errorf("overall n: got %q, want 43", got)
	}
	if got := between(body, `id="overall-index">`, "<"); !strings.HasSuffix(got, "%") {
		t.Errorf("overall index: got %q, want a percentage", got)
	}
	if strings.Contains(body, `<script>alert`) || !strings.Contains(body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; chờ lâu`) {
		t.Errorf("the comment is not escaped")
	}
	// Newest first, from the whole subtree.
	if i, j := strings.Index(body, "Quầy xã chậm"), strings.Index(body, "Rất tốt"); i < 0 || j < 0 || i > j {
		t.Errorf("comments not newest first (C1 at %d, D1 at %d)", i, j)
	}
	low := b.Get("/dashboard/agency/D1?" + q1 + "&low=1").Body.String()
	if strings.Contains(low, "Rất tốt") || !strings.Contains(low, "Quầy xã chậm") || !strings.Contains(low, "chờ lâu") {
		t.Errorf("low-rating filter: want only the low comments")
	}
	// Every criterion is there, with its distribution, and the charts.
	for _, code := range []string{"TC1", "TT5", "CC6", "KQ3", "GY4"} {
		r := row(t, body, "data-dist", code)
		if !strings.Contains(r, "<svg") {
			t.Errorf("%s: no distribution bar", code)
		}
	}
	for _, id := range []string{"chart-elements", "chart-items", "chart-trend"} {
		if !strings.Contains(body, `aria-labelledby="`+id+`-t `+id+`-d"`) {
			t.Errorf("chart %s missing or without title/desc", id)
		}
	}
	// Counters with their response counts and poster links.
	r := row(t, body, "data-counter", "Q1")
	if got := cellText(t, r, "n"); got != "42" {
		t.Errorf("Q1 responses: got %q, want 42", got)
	}
	if !strings.Contains(r, `class="poster-link" href="/s/`) {
		t.Errorf("Q1 lacks a poster link: %s", r)
	}
	if strings.Contains(body, `id="counter-create"`) {
		t.Errorf("an official sees the counter form")
	}
	// The quick instrument shows the follow-up distribution.
	quick := b.Get("/dashboard/agency/D1?" + q1 + "&instrument=quick").Body.String()
	if !strings.Contains(quick, `id="fu-h"`) {
		t.Errorf("quick: no follow-up section")
	}
	// Pages of comments.
	var specs []sqlitetest.Spec
	for i := 0; i < dashboard.CommentsPerPage+5; i++ {
		specs = append(specs, sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-01-05", N: 1, Value: 3, Comment: "góp ý số " + string(rune('A'+i))})
	}
	e.Seed(t, specs...)
	adm := e.Client(t)
	adm.Login("admin")
	p1 := adm.Get("/dashboard/agency/D2?" + q1).Body.String()
	p2 := adm.Get("/dashboard/agency/D2?" + q1 + "&page=2").Body.String()
	if strings.Count(p1, `<p class="text">`) != dashboard.CommentsPerPage || strings.Count(p2, `<p class="text">`) != 5 || !strings.Contains(p1, `rel="next"`) {
		t.Errorf("paging: got %d and %d comments, want %d and 5", strings.Count(p1, `<p class="text">`), strings.Count(p2, `<p class="text">`), dashboard.CommentsPerPage)
	}
}

func TestCounterForms(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("admin")
	page := "/dashboard/agency/D2?" + q1
	body := b.Get(page).Body.String()
	if !strings.Contains(body, `<form id="counter-create"`) {
		t.Fatalf("admin page lacks the counter form")
	}
	w := b.Post("/dashboard/agency/D2/counters?"+q1, url.Values{"code": {"K9"}, "name": {"Máy đánh giá"}, "instrument": {"quick"}})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/dashboard/agency/D2?") {
		t.Fatalf("create: got %d %q, want 303 to the agency page", w.Code, w.Header().Get("Location"))
	}
	body = b.Get(w.Header().Get("Location")).Body.String()
	if !strings.Contains(body, dashboard.TextsIn("vi").Created) || !strings.Contains(row(t, body, "data-counter", "K9"), "Máy đánh giá") {
		t.Fatalf("the new counter is not listed")
	}
	tests := []struct {
		name   string
		path   string
		form   url.Values
		want   int
		check  string // SQL that must give 1 afterwards
		errMsg string
	}{
		{"duplicate", "/dashboard/agency/D2/counters", url.Values{"code": {"K9"}, "name": {"Lại"}, "instrument": {"quick"}}, 409, `SELECT count(*) = 1 FROM counters WHERE code = 'K9'`, "already exists"},
		{"bad code", "/dashboard/agency/D2/counters", url.Values{"code": {"bad code!"}, "name": {"x"}}, 400, `SELECT count(*) = 0 FROM counters WHERE code = 'bad code!'`, "invalid code"},
		{"bad instrument", "/dashboard/agency/D2/counters", url.Values{"code": {"Z9"}, "name": {"x"}, "instrument": {"nope"}}, 400, `SELECT count(*) = 0 FROM counters WHERE code = 'Z9'`, "unknown instrument"},
		{"rename", "/dashboard/agency/D2/counters/K9", url.Values{"action": {"rename"}, "name": {"Máy mới"}}, 303, `SELECT count(*) = 1 FROM counters WHERE code = 'K9' AND name = 'Máy mới'`, ""},
		{"empty name", "/dashboard/agency/D2/counters/K9", url.Values{"action": {"rename"}, "name": {" "}}, 400, `SELECT count(*) = 1 FROM counters WHERE code = 'K9' AND name = 'Máy mới'`, "name is required"},
		{"rotate", "/dashboard/agency/D2/counters/K9", url.Values{"action": {"rotate"}}, 303, `SELECT token_version = 2 FROM counters WHERE code = 'K9'`, ""},
		{"close", "/dashboard/agency/D2/counters/K9", url.Values{"action": {"close"}}, 303, `SELECT closed_at IS NOT NULL FROM counters WHERE code = 'K9'`, ""},
		{"reopen", "/dashboard/agency/D2/counters/K9", url.Values{"action": {"reopen"}}, 303, `SELECT closed_at IS NULL FROM counters WHERE code = 'K9'`, ""},
		{"unknown action", "/dashboard/agency/D2/counters/K9", url.Values{"action": {"explode"}}, 400, `SELECT closed_at IS NULL FROM counters WHERE code = 'K9'`, "action must be"},
		{"unknown counter", "/dashboard/agency/D2/counters/NOPE", url.Values{"action": {"close"}}, 404, `SELECT 1`, ""},
	}
	for _, tt := range tests {
		w := b.Post(tt.path, tt.form)
		if w.Code != tt.want {
			t.Errorf("%s: got %d, want %d: %.300s", tt.name, w.Code, tt.want, w.Body)
			continue
		}
		if tt.errMsg != "" && (!strings.Contains(w.Body.String(), tt.errMsg) || !strings.Contains(w.Body.String(), `id="form-error"`)) {
			t.Errorf("%s: the page does not show %q", tt.name, tt.errMsg)
		}
		if tt.name == "bad code" && !strings.Contains(w.Body.String(), `value="bad code!"`) {
			t.Errorf("%s: the form lost the admin's input", tt.name)
		}
		if e.Count(t, tt.check) != 1 {
			t.Errorf("%s: %s is false", tt.name, tt.check)
		}
	}
	// The rotated poster link works; the old token does not.
	body = b.Get(page).Body.String()
	poster := between(row(t, body, "data-counter", "K9"), `class="poster-link" href="`, `"`)
	if w := b.Get(poster); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `class="qr"`) {
		t.Fatalf("poster %s: got %d", poster, w.Code)
	}
}

package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

// q1 is the custom period the tests' data falls in; its previous period
// is 2025-10-03 – 2025-12-31.
const q1 = "period=custom&from=2026-01-01&to=2026-03-31"

// seedLeague builds a league table under P for q1:
//
//	D1: 70% satisfied (n=100), the same in the previous period: no change;
//	D2: 50% satisfied (n=50): indistinguishable from the rest of P;
//	D3: 5 responses: below the reporting threshold;
//	D4: 10% satisfied (n=100), 70% in the previous period: clearly lower
//	    than the rest and fallen significantly.
func seedLeague(tb testing.TB, e *webtest.Env) {
	tb.Helper()
	type spec = sqlitetest.Spec
	e.Seed(tb,
		spec{Counter: "D1/Q1", Day: "2026-02-10", N: 70, Value: 5}, spec{Counter: "D1/Q1", Day: "2026-02-11", N: 30, Value: 3},
		spec{Counter: "D1/Q1", Day: "2025-11-10", N: 70, Value: 5}, spec{Counter: "D1/Q1", Day: "2025-11-11", N: 30, Value: 3},
		spec{Counter: "D2/Q1", Day: "2026-03-01", N: 25, Value: 4}, spec{Counter: "D2/Q1", Day: "2026-03-02", N: 25, Value: 2},
		spec{Counter: "D3/Q1", Day: "2026-03-01", N: 5, Value: 4},
		spec{Counter: "D4/Q1", Day: "2026-01-20", N: 10, Value: 4}, spec{Counter: "D4/Q1", Day: "2026-01-21", N: 90, Value: 2},
		spec{Counter: "D4/Q1", Day: "2025-11-20", N: 70, Value: 4}, spec{Counter: "D4/Q1", Day: "2025-11-21", N: 30, Value: 2},
	)
}

func TestOverviewTable(t *testing.T) {
	e := webtest.New(t)
	seedLeague(t, e)
	b := e.Client(t)
	b.Login("admin")
	w := b.Get("/dashboard/overview/P?" + q1)
	if w.Code != http.StatusOK {
		t.Fatalf("got %d, want 200", w.Code)
	}
	body := w.Body.String()
	tests := []struct {
		code, index, n, vsRest, change string
	}{
		{"D1", "70,00%", "100", "higher", ""},
		{"D2", "50,00%", "50", "", ""},
		{"D3", "chưa đủ dữ liệu", "5", "", ""},
		{"D4", "10,00%", "100", "lower", "lower"},
	}
	for _, tt := range tests {
		r := row(t, body, "data-agency", tt.code)
		if got := cellText(t, r, "index"); got != tt.index {
			t.Errorf("%s index: got %q, want %q", tt.code, got, tt.index)
		}
		if got := cellText(t, r, "n"); got != tt.n {
			t.Errorf("%s n: got %q, want %q", tt.code, got, tt.n)
		}
		if got := tdAttr(t, r, "vsrest", "data-sig"); got != tt.vsRest {
			t.Errorf("%s vs rest marker: got %q, want %q", tt.code, got, tt.vsRest)
		}
		if got := tdAttr(t, r, "change", "data-sig"); got != tt.change {
			t.Errorf("%s change marker: got %q, want %q", tt.code, got, tt.change)
		}
		if tt.vsRest == "" && strings.Contains(r, `class="sig`) && tt.change == "" {
			t.Errorf("%s: a significance marker where none is due: %s", tt.code, r)
		}
		if !strings.Contains(r, "<svg") {
			t.Errorf("%s: no CI bar", tt.code)
		}
	}
	if r := row(t, body, "data-agency", "D1"); !strings.Contains(r, `href="/dashboard/overview/D1?`) || !strings.Contains(r, `href="/dashboard/agency/D1?`) {
		t.Errorf("D1 (which has a child) lacks its overview or agency link: %s", r)
	}
	if r := row(t, body, "data-agency", "D2"); strings.Contains(r, `href="/dashboard/overview/D2`) {
		t.Errorf("D2 has no children but links to an overview: %s", r)
	}
	// Ranks, once computed, are intervals, never bare numbers.
	var rank string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		body = b.Get("/dashboard/overview/P?" + q1).Body.String()
		if rank = cellText(t, row(t, body, "data-agency", "D4"), "rank"); rank != "–" {
			break
		}
	}
	if !strings.Contains(rank, "–") || !strings.HasSuffix(rank, " / 3") {
		t.Errorf("D4 rank: got %q, want an interval of 3 ranked units", rank)
	}
	// Sorting by index puts the weakest first and non-reportable last; ties
	// go by code, names by their lower-case text.
	order := func(body string) string {
		var out []string
		for _, part := range strings.Split(body, `<tr data-agency="`)[1:] {
			out = append(out, part[:strings.Index(part, `"`)])
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct{ q, want string }{
		{"sort=index&dir=asc", "D4,D2,D1,D3"},
		{"sort=index&dir=desc", "D1,D2,D4,D3"},
		{"sort=n&dir=asc", "D3,D2,D1,D4"},
		{"sort=name&dir=asc", "D4,D1,D3,D2"}, // Sở Tài chính, Sở Tư pháp, Sở Xây dựng, UBND huyện Phong Điền
	} {
		if got := order(b.Get("/dashboard/overview/P?" + q1 + "&" + tt.q).Body.String()); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.q, got, tt.want)
		}
	}
	// English.
	en := b.Get("/dashboard/overview/P?" + q1 + "&lang=en").Body.String()
	if got := cellText(t, row(t, en, "data-agency", "D1"), "index"); got != "70.00%" || !strings.Contains(en, `<html lang="en">`) {
		t.Errorf("English index: got %q, want 70.00%% on an English page", got)
	}
}

// A malformed period, instrument, sort or page, an unknown agency and one
// outside the official's subtree: always a page in the dashboard's layout.
func TestDashboardBadInput(t *testing.T) {
	page := func(text string) []string { return []string{text, `<main id="main"`, `href="/dashboard`} }
	webtest.Run(t, []webtest.Scenario{
		{Name: "not a date", Session: "off", URL: "/dashboard/overview/D1?period=custom&from=2026-13-01&to=2026-03-31", WantStatus: 400, WantContains: page("is not a date")},
		{Name: "from after to", Session: "off", URL: "/dashboard/overview/D1?period=custom&from=2026-03-01&to=2026-01-31", WantStatus: 400, WantContains: page("is after")},
		{Name: "custom without dates", Session: "off", URL: "/dashboard/overview/D1?period=custom", WantStatus: 400, WantContains: page("from and to are required")},
		{Name: "unknown period", Session: "off", URL: "/dashboard/agency/D1?period=fortnight", WantStatus: 400, WantContains: page("fortnight")},
		{Name: "over ten years", Session: "off", URL: "/dashboard/agency/D1?from=2000-01-01&to=2026-01-01", WantStatus: 400, WantContains: page("10 years")},
		{Name: "unknown instrument", Session: "off", URL: "/dashboard/overview/D1?instrument=nope", WantStatus: 400, WantContains: page("nope")},
		{Name: "unknown sort", Session: "off", URL: "/dashboard/overview/D1?sort=colour", WantStatus: 400, WantContains: page(dashboard.TextsIn("vi").BadSort)},
		{Name: "bad page", Session: "off", URL: "/dashboard/agency/D1?page=-1", WantStatus: 400, WantContains: page(dashboard.TextsIn("vi").BadPage)},
		{Name: "unknown agency", Session: "off", URL: "/dashboard/overview/NOPE", WantStatus: 404, WantContains: page("NOPE")},
		{Name: "unknown agency's export", Session: "off", URL: "/dashboard/agency/NOPE/export.xlsx", WantStatus: 404, WantContains: page("NOPE")},
		{Name: "another agency", Session: "off", URL: "/dashboard/agency/D2?lang=en", WantStatus: 403, WantContains: page(dashboard.TextsIn("en").ForbiddenBody)},
	})
}

// switchRE finds the URL of the language switch to English.
var switchRE = regexp.MustCompile(`<a href="([^"]*)" lang="en"`)

// Dashboard pages echo only the query parameters they read: the language
// switch keeps those and drops anything else, which a BREACH-style attack
// would use to put its guesses beside the page's secrets.
func TestPagesEchoOnlyKnownParameters(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("admin")
	const evil = "evil=zq-injected-zq"
	tests := []struct {
		url, keep string
		status    int
	}{
		{"/dashboard/overview/P?period=year&" + evil, "period=year", http.StatusOK},
		{"/dashboard/agency/D1?" + q1 + "&low=1&" + evil, "from=2026-01-01", http.StatusOK},
		{"/dashboard/users?msg=created&" + evil, "msg=created", http.StatusOK},
		{"/account/password?done=1&" + evil, "done=1", http.StatusOK},
		{"/dashboard/agency/NOPE?" + evil, "lang=en", http.StatusNotFound},
		{"/login?next=%2Fdashboard%2Fagency%2FD1&" + evil, "next=%2Fdashboard%2Fagency%2FD1", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c := b
			if strings.HasPrefix(tt.url, "/login") {
				c = e.Client(t)
			}
			w := c.Get(tt.url)
			body := w.Body.String()
			if w.Code != tt.status {
				t.Fatalf("got %d, want %d", w.Code, tt.status)
			}
			if strings.Contains(body, "zq-injected-zq") {
				t.Fatalf("the page echoes the unknown parameter: %q", switchRE.FindString(body))
			}
			m := switchRE.FindStringSubmatch(body)
			if m == nil || !strings.Contains(m[1], tt.keep) {
				t.Fatalf("language switch %q does not keep %q", m, tt.keep)
			}
		})
	}
}

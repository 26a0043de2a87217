package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/dashboard"
)

// q1 is the custom period the tests' data falls in; its previous period
// is 2025-10-03 – 2025-12-31.
const q1 = "period=custom&from=2026-01-01&to=2026-03-31"

// seedLeague builds a league table under P for q1:
//
//	A: 70% satisfied (n=100), the same in the previous period: no change;
//	B: 50% satisfied (n=50): indistinguishable from the rest of P;
//	C: 5 responses: below the reporting threshold;
//	D: 10% satisfied (n=100), 70% in the previous period: clearly lower
//	   than the rest and fallen significantly.
func seedLeague(e *dashEnv) {
	e.seed(
		seedSpec{"A/Q1", "2026-02-10", 70, 5, ""}, seedSpec{"A/Q1", "2026-02-11", 30, 3, ""},
		seedSpec{"A/Q1", "2025-11-10", 70, 5, ""}, seedSpec{"A/Q1", "2025-11-11", 30, 3, ""},
		seedSpec{"B/Q1", "2026-03-01", 25, 4, ""}, seedSpec{"B/Q1", "2026-03-02", 25, 2, ""},
		seedSpec{"C/Q1", "2026-03-01", 5, 4, ""},
		seedSpec{"D/Q1", "2026-01-20", 10, 4, ""}, seedSpec{"D/Q1", "2026-01-21", 90, 2, ""},
		seedSpec{"D/Q1", "2025-11-20", 70, 4, ""}, seedSpec{"D/Q1", "2025-11-21", 30, 2, ""},
	)
}

func TestLoginMessages(t *testing.T) {
	e := newDashEnv(t)
	tests := []struct {
		name, user, password string
		want                 int
	}{
		{"ok", "offA", secPassword, http.StatusSeeOther},
		{"wrong password", "offA", "not-the-password", http.StatusUnauthorized},
		{"unknown user", "nobody", secPassword, http.StatusUnauthorized},
		{"empty", "", "", http.StatusUnauthorized},
	}
	var msgs []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.client()
			w := b.tryLogin(tt.user, tt.password, "")
			if w.Code != tt.want {
				t.Fatalf("got %d, want %d: %s", w.Code, tt.want, w.Body)
			}
			if tt.want == http.StatusSeeOther {
				if loc := w.Header().Get("Location"); loc != "/dashboard" {
					t.Fatalf("Location: got %q, want /dashboard", loc)
				}
				ck := w.Result().Cookies()
				var found bool
				for _, c := range ck {
					if c.Name == "sipas_session" {
						found = true
						if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || !c.Secure {
							t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Secure (https base URL)", c)
						}
					}
				}
				if !found {
					t.Fatalf("no session cookie set")
				}
				return
			}
			body := w.Body.String()
			if !strings.Contains(body, dashboard.TextsIn("vi").BadLogin) {
				t.Fatalf("page lacks %q", dashboard.TextsIn("vi").BadLogin)
			}
			msgs = append(msgs, between(body, `id="login-error">`, "<"))
		})
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Fatalf("messages differ: got %q, want %q", m, msgs[0])
		}
	}
	if n := e.count(`SELECT count(*) FROM sessions`); n != 1 {
		t.Fatalf("sessions: got %d, want 1", n)
	}
	var h []byte
	db, _ := sqlOpen(e.db.Path)
	defer db.Close()
	if err := db.QueryRow(`SELECT token_hash FROM sessions`).Scan(&h); err != nil || len(h) != 32 {
		t.Fatalf("token hash: got %d bytes (%v), want a SHA-256", len(h), err)
	}
}

func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}

func TestLoginThrottle(t *testing.T) {
	e := newDashEnv(t)
	b := e.client()
	for i := 0; i < survey.ThrottleFreeName+1; i++ {
		if w := b.tryLogin("offA", "wrong-password", ""); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: got %d, want 401", i+1, w.Code)
		}
	}
	// Locked now: even the right password is refused, unchecked.
	w := b.tryLogin("offA", secPassword, "")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("locked attempt: got %d (Retry-After %q), want 429 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	// The lock is per name: another account from another client signs in.
	other := e.client()
	other.remote = "203.0.113.9:1000"
	if w := other.tryLogin("offB", secPassword, ""); w.Code != http.StatusSeeOther {
		t.Fatalf("other user: got %d, want 303", w.Code)
	}
	// An unknown name is throttled the same way (no hint that it does not exist).
	other = e.client()
	other.remote = "203.0.113.9:1000"
	for i := 0; i < survey.ThrottleFreeName+1; i++ {
		other.tryLogin("ghost", "x", "")
	}
	if w := other.tryLogin("ghost", "x", ""); w.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown name: got %d, want 429", w.Code)
	}
	// The window doubles with each failure; after it, sign-in works.
	e.advance(survey.ThrottleBase + time.Second)
	if w := b.tryLogin("offA", secPassword, ""); w.Code != http.StatusSeeOther {
		t.Fatalf("after the window: got %d, want 303", w.Code)
	}
}

func TestSessionExpiryAndNext(t *testing.T) {
	e := newDashEnv(t)
	b := e.client()
	target := "/dashboard/agency/A?" + q1
	// No session: to the sign-in page with next.
	w := b.get(target)
	want := "/login?next=" + url.QueryEscape(target)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
		t.Fatalf("got %d %q, want 303 %q", w.Code, w.Header().Get("Location"), want)
	}
	b.login("offA")
	if w := b.get(target); w.Code != http.StatusOK {
		t.Fatalf("signed in: got %d, want 200", w.Code)
	}
	// Used within the idle time, the session slides on.
	e.advance(dashboard.SessionIdle - time.Hour)
	if w := b.get(target); w.Code != http.StatusOK {
		t.Fatalf("within idle time: got %d, want 200", w.Code)
	}
	e.advance(dashboard.SessionIdle + time.Minute)
	w = b.get(target)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
		t.Fatalf("expired: got %d %q, want 303 %q", w.Code, w.Header().Get("Location"), want)
	}
	w = b.tryLogin("offA", secPassword, target)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != target {
		t.Fatalf("sign in again: got %d %q, want 303 %q", w.Code, w.Header().Get("Location"), target)
	}
	if w := b.get(target); w.Code != http.StatusOK {
		t.Fatalf("back: got %d, want 200", w.Code)
	}
}

func TestSessionMaxAge(t *testing.T) {
	e := newDashEnv(t)
	b := e.client()
	b.login("offA")
	for used := time.Duration(0); used < dashboard.SessionMaxAge-dashboard.SessionIdle; used += dashboard.SessionIdle - time.Hour {
		e.advance(dashboard.SessionIdle - time.Hour)
		if w := b.get("/dashboard"); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/dashboard/") {
			t.Fatalf("after %v: got %d %q, want the overview", used, w.Code, w.Header().Get("Location"))
		}
	}
	e.advance(dashboard.SessionIdle)
	if w := b.get("/dashboard"); !strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("past the maximum age: got %d %q, want /login", w.Code, w.Header().Get("Location"))
	}
}

func TestLogoutAndPassword(t *testing.T) {
	e := newDashEnv(t)
	b := e.client()
	b.login("offA")
	other := e.client()
	other.login("offA")

	tests := []struct {
		name             string
		current, nw, cfm string
		want             int
		msg              string
	}{
		{"wrong current", "nope-nope-nope", "new-password-1", "new-password-1", http.StatusBadRequest, dashboard.TextsIn("vi").PwWrong},
		{"mismatch", secPassword, "new-password-1", "new-password-2", http.StatusBadRequest, dashboard.TextsIn("vi").PwMismatch},
		{"too short", secPassword, "short", "short", http.StatusBadRequest, dashboard.TextsIn("vi").PwShort},
		{"ok", secPassword, "new-password-1", "new-password-1", http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		w := b.post("/account/password", url.Values{"current": {tt.current}, "new": {tt.nw}, "confirm": {tt.cfm}})
		if w.Code != tt.want {
			t.Fatalf("%s: got %d, want %d: %s", tt.name, w.Code, tt.want, w.Body)
		}
		if tt.msg != "" && !strings.Contains(w.Body.String(), tt.msg) {
			t.Fatalf("%s: page lacks %q", tt.name, tt.msg)
		}
	}
	// The other session is signed out; this one goes on.
	if w := other.get("/dashboard"); !strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("other session: got %d %q, want /login", w.Code, w.Header().Get("Location"))
	}
	if w := b.get("/dashboard"); w.Code != http.StatusSeeOther || strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("own session: got %d %q, want the overview", w.Code, w.Header().Get("Location"))
	}
	if w := e.client().tryLogin("offA", "new-password-1", ""); w.Code != http.StatusSeeOther {
		t.Fatalf("new password: got %d, want 303", w.Code)
	}
	// Sign out: the session row goes and the cookie is cleared.
	before := e.count(`SELECT count(*) FROM sessions`)
	if w := b.post("/logout", nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" {
		t.Fatalf("logout: got %d %q", w.Code, w.Header().Get("Location"))
	}
	if after := e.count(`SELECT count(*) FROM sessions`); after != before-1 {
		t.Fatalf("sessions after logout: got %d, want %d", after, before-1)
	}
	if _, ok := b.jar["sipas_session"]; ok {
		t.Fatalf("session cookie kept after logout")
	}
}

func TestCSRF(t *testing.T) {
	e := newDashEnv(t)
	b := e.client()
	b.login("admin")
	tests := []struct {
		name, path string
		form       url.Values
	}{
		{"create counter", "/dashboard/agency/A/counters", url.Values{"code": {"N1"}, "name": {"Quầy mới"}, "instrument": {"sipas-2017"}}},
		{"rename counter", "/dashboard/agency/A/counters/Q1", url.Values{"action": {"rename"}, "name": {"Đổi tên"}}},
		{"rotate", "/dashboard/agency/A/counters/Q1", url.Values{"action": {"rotate"}}},
		{"password", "/account/password", url.Values{"current": {secPassword}, "new": {"new-password-1"}, "confirm": {"new-password-1"}}},
		{"logout", "/logout", url.Values{}},
	}
	counters := e.count(`SELECT count(*) FROM counters`)
	history := e.count(`SELECT count(*) FROM history`)
	for _, tt := range tests {
		for _, tok := range []string{"", "forged-token", formToken(t, e.client().get("/login").Body.String())} {
			f := url.Values{}
			for k, v := range tt.form {
				f[k] = v
			}
			if tok != "" {
				f.Set("csrf_token", tok)
			}
			if w := b.do("POST", tt.path, f); w.Code != http.StatusForbidden {
				t.Fatalf("%s with token %q: got %d, want 403", tt.name, tok, w.Code)
			}
		}
	}
	if n := e.count(`SELECT count(*) FROM counters`); n != counters {
		t.Fatalf("counters: got %d, want %d", n, counters)
	}
	if n := e.count(`SELECT count(*) FROM history`); n != history {
		t.Fatalf("history: got %d, want %d", n, history)
	}
	if w := b.get("/dashboard"); w.Code != http.StatusSeeOther || strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("still signed in: got %d %q", w.Code, w.Header().Get("Location"))
	}
	// The token of another session does not work either.
	other := e.client()
	other.login("admin")
	f := url.Values{"csrf_token": {other.token}, "code": {"N1"}, "name": {"x"}}
	if w := b.do("POST", "/dashboard/agency/A/counters", f); w.Code != http.StatusForbidden {
		t.Fatalf("another session's token: got %d, want 403", w.Code)
	}
	// The sign-in form without its cookie is refused too.
	anon := e.client()
	tok := formToken(t, anon.get("/login").Body.String())
	delete(anon.jar, "sipas_csrf")
	if w := anon.do("POST", "/login", url.Values{"name": {"admin"}, "password": {secPassword}, "csrf_token": {tok}}); w.Code != http.StatusForbidden {
		t.Fatalf("login without csrf cookie: got %d, want 403", w.Code)
	}
}

// dashRoutes are every session route with an agency in the path.
var dashRoutes = []struct {
	method, path string
	admin        bool
	want         int
}{
	{"GET", "/dashboard/overview/{a}?" + q1, false, 200},
	{"GET", "/dashboard/overview/{a}/export.csv?" + q1, false, 200},
	{"GET", "/dashboard/overview/{a}/export.xlsx?" + q1, false, 200},
	{"GET", "/dashboard/agency/{a}?" + q1, false, 200},
	{"GET", "/dashboard/agency/{a}/export.csv?" + q1, false, 200},
	{"GET", "/dashboard/agency/{a}/export.xlsx?" + q1, false, 200},
	{"GET", "/dashboard/agency/{a}/responses.csv?" + q1, true, 200},
	{"GET", "/dashboard/agency/{a}/posters", false, 200},
	{"POST", "/dashboard/agency/{a}/counters", true, 303},
	{"POST", "/dashboard/agency/{a}/counters/Q1", true, 303},
}

func TestDashboardAccess(t *testing.T) {
	e := newDashEnv(t)
	seedLeague(e)
	users := map[string]*client{}
	for _, u := range []string{"admin", "offA", "offB"} {
		users[u] = e.client()
		users[u].login(u)
	}
	anon := e.client()
	form := func(path string) url.Values {
		if strings.HasSuffix(path, "/counters") {
			return url.Values{"code": {"T" + time.Now().Format("150405.000000")}, "name": {"Quầy thử"}, "instrument": {"quick"}}
		}
		return url.Values{"action": {"rename"}, "name": {"Quầy một"}}
	}
	for _, rt := range dashRoutes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			call := func(b *client, agency string) int {
				t.Helper()
				p := strings.ReplaceAll(rt.path, "{a}", agency)
				if rt.method == "POST" {
					if b == anon {
						return b.do("POST", p, form(p)).Code
					}
					return b.post(p, form(p)).Code
				}
				return b.get(p).Code
			}
			cases := []struct {
				who, agency string
				want        int
			}{
				{"anon", "A", http.StatusSeeOther},
				{"offA", "B", http.StatusForbidden},
				{"offA", "P", http.StatusForbidden},
				{"offB", "A", http.StatusForbidden},
				{"admin", "ZZ", http.StatusNotFound},
				{"admin", "B", rt.want},
			}
			if rt.admin {
				// The role is checked before the agency.
				cases = append(cases, struct {
					who, agency string
					want        int
				}{"offA", "A", http.StatusForbidden}, struct {
					who, agency string
					want        int
				}{"offA", "ZZ", http.StatusForbidden})
			} else {
				cases = append(cases, struct {
					who, agency string
					want        int
				}{"offA", "ZZ", http.StatusNotFound})
				cases = append(cases, struct {
					who, agency string
					want        int
				}{"offA", "A", rt.want}, struct {
					who, agency string
					want        int
				}{"offA", "A1", rt.want})
			}
			for _, c := range cases {
				b := anon
				if c.who != "anon" {
					b = users[c.who]
				}
				if got := call(b, c.agency); got != c.want {
					t.Errorf("%s on %s: got %d, want %d", c.who, c.agency, got, c.want)
				}
			}
		})
	}
}

func TestDashboardBadInput(t *testing.T) {
	e := newDashEnv(t)
	b := e.client()
	b.login("offA")
	tests := []struct {
		path string
		want int
		text string
	}{
		{"/dashboard/overview/A?period=custom&from=2026-13-01&to=2026-03-31", 400, "is not a date"},
		{"/dashboard/overview/A?period=custom&from=2026-03-01&to=2026-01-31", 400, "is after"},
		{"/dashboard/overview/A?period=custom", 400, "from and to are required"},
		{"/dashboard/agency/A?period=fortnight", 400, "fortnight"},
		{"/dashboard/agency/A?from=2000-01-01&to=2026-01-01", 400, "10 years"},
		{"/dashboard/overview/A?instrument=nope", 400, "nope"},
		{"/dashboard/overview/A?sort=colour", 400, dashboard.TextsIn("vi").BadSort},
		{"/dashboard/agency/A?page=-1", 400, dashboard.TextsIn("vi").BadPage},
		{"/dashboard/overview/NOPE", 404, "NOPE"},
		{"/dashboard/agency/NOPE/export.xlsx", 404, "NOPE"},
		{"/dashboard/agency/B?lang=en", 403, dashboard.TextsIn("en").ForbiddenBody},
	}
	for _, tt := range tests {
		w := b.get(tt.path)
		body := w.Body.String()
		if w.Code != tt.want {
			t.Errorf("%s: got %d, want %d", tt.path, w.Code, tt.want)
			continue
		}
		if !strings.Contains(body, tt.text) || !strings.Contains(body, `<main id="main"`) || !strings.Contains(body, `href="/dashboard`) {
			t.Errorf("%s: want a friendly page mentioning %q, got %.500s", tt.path, tt.text, body)
		}
	}
}

func TestOverviewTable(t *testing.T) {
	e := newDashEnv(t)
	seedLeague(e)
	b := e.client()
	b.login("admin")
	w := b.get("/dashboard/overview/P?" + q1)
	if w.Code != http.StatusOK {
		t.Fatalf("got %d, want 200", w.Code)
	}
	body := w.Body.String()
	tests := []struct {
		code, index, n, vsRest, change string
	}{
		{"A", "70,00%", "100", "higher", ""},
		{"B", "50,00%", "50", "", ""},
		{"C", "chưa đủ dữ liệu", "5", "", ""},
		{"D", "10,00%", "100", "lower", "lower"},
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
	if r := row(t, body, "data-agency", "A"); !strings.Contains(r, `href="/dashboard/overview/A?`) || !strings.Contains(r, `href="/dashboard/agency/A?`) {
		t.Errorf("A (which has a child) lacks its overview or agency link: %s", r)
	}
	if r := row(t, body, "data-agency", "B"); strings.Contains(r, `href="/dashboard/overview/B`) {
		t.Errorf("B has no children but links to an overview: %s", r)
	}
	// Ranks, once computed, are intervals, never bare numbers.
	var rank string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		body = b.get("/dashboard/overview/P?" + q1).Body.String()
		if rank = cellText(t, row(t, body, "data-agency", "D"), "rank"); rank != "–" {
			break
		}
	}
	if !strings.Contains(rank, "–") || !strings.HasSuffix(rank, " / 3") {
		t.Errorf("D rank: got %q, want an interval of 3 ranked units", rank)
	}
	// Sorting by index puts the weakest first and non-reportable last.
	order := func(body string) string {
		var out []string
		for _, part := range strings.Split(body, `<tr data-agency="`)[1:] {
			out = append(out, part[:strings.Index(part, `"`)])
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct{ q, want string }{
		{"sort=index&dir=asc", "D,B,A,C"},
		{"sort=index&dir=desc", "A,B,D,C"},
		{"sort=n&dir=asc", "C,B,A,D"},
		{"sort=name&dir=asc", "A,B,C,D"},
	} {
		if got := order(b.get("/dashboard/overview/P?" + q1 + "&" + tt.q).Body.String()); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.q, got, tt.want)
		}
	}
	// English.
	en := b.get("/dashboard/overview/P?" + q1 + "&lang=en").Body.String()
	if got := cellText(t, row(t, en, "data-agency", "A"), "index"); got != "70.00%" || !strings.Contains(en, `<html lang="en">`) {
		t.Errorf("English index: got %q, want 70.00%% on an English page", got)
	}
}

func TestAgencyPage(t *testing.T) {
	e := newDashEnv(t)
	e.seed(
		seedSpec{"A/Q1", "2026-02-10", 40, 5, ""},
		seedSpec{"A/Q1", "2026-02-11", 1, 1, `<script>alert("x")</script> chờ lâu`},
		seedSpec{"A/Q1", "2026-02-12", 1, 5, "Rất tốt"},
		seedSpec{"A1/Q1", "2026-03-12", 1, 2, "Quầy A1 chậm"},
	)
	b := e.client()
	b.login("offA")
	body := b.get("/dashboard/agency/A?" + q1).Body.String()
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
	if i, j := strings.Index(body, "Quầy A1 chậm"), strings.Index(body, "Rất tốt"); i < 0 || j < 0 || i > j {
		t.Errorf("comments not newest first (A1 at %d, A at %d)", i, j)
	}
	low := b.get("/dashboard/agency/A?" + q1 + "&low=1").Body.String()
	if strings.Contains(low, "Rất tốt") || !strings.Contains(low, "Quầy A1 chậm") || !strings.Contains(low, "chờ lâu") {
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
	quick := b.get("/dashboard/agency/A?" + q1 + "&instrument=quick").Body.String()
	if !strings.Contains(quick, `id="fu-h"`) {
		t.Errorf("quick: no follow-up section")
	}
	// Pages of comments.
	var specs []seedSpec
	for i := 0; i < dashboard.CommentsPerPage+5; i++ {
		specs = append(specs, seedSpec{"B/Q1", "2026-01-05", 1, 3, "góp ý số " + string(rune('A'+i))})
	}
	e.seed(specs...)
	adm := e.client()
	adm.login("admin")
	p1 := adm.get("/dashboard/agency/B?" + q1).Body.String()
	p2 := adm.get("/dashboard/agency/B?" + q1 + "&page=2").Body.String()
	if strings.Count(p1, `<p class="text">`) != dashboard.CommentsPerPage || strings.Count(p2, `<p class="text">`) != 5 || !strings.Contains(p1, `rel="next"`) {
		t.Errorf("paging: got %d and %d comments, want %d and 5", strings.Count(p1, `<p class="text">`), strings.Count(p2, `<p class="text">`), dashboard.CommentsPerPage)
	}
}

func TestCounterForms(t *testing.T) {
	e := newDashEnv(t)
	b := e.client()
	b.login("admin")
	page := "/dashboard/agency/B?" + q1
	body := b.get(page).Body.String()
	if !strings.Contains(body, `<form id="counter-create"`) {
		t.Fatalf("admin page lacks the counter form")
	}
	w := b.post("/dashboard/agency/B/counters?"+q1, url.Values{"code": {"K9"}, "name": {"Máy đánh giá"}, "instrument": {"quick"}})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/dashboard/agency/B?") {
		t.Fatalf("create: got %d %q, want 303 to the agency page", w.Code, w.Header().Get("Location"))
	}
	body = b.get(w.Header().Get("Location")).Body.String()
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
		{"duplicate", "/dashboard/agency/B/counters", url.Values{"code": {"K9"}, "name": {"Lại"}, "instrument": {"quick"}}, 409, `SELECT count(*) = 1 FROM counters WHERE code = 'K9'`, "already exists"},
		{"bad code", "/dashboard/agency/B/counters", url.Values{"code": {"bad code!"}, "name": {"x"}}, 400, `SELECT count(*) = 0 FROM counters WHERE code = 'bad code!'`, "invalid code"},
		{"bad instrument", "/dashboard/agency/B/counters", url.Values{"code": {"Z1"}, "name": {"x"}, "instrument": {"nope"}}, 400, `SELECT count(*) = 0 FROM counters WHERE code = 'Z1'`, "unknown instrument"},
		{"rename", "/dashboard/agency/B/counters/K9", url.Values{"action": {"rename"}, "name": {"Máy mới"}}, 303, `SELECT count(*) = 1 FROM counters WHERE code = 'K9' AND name = 'Máy mới'`, ""},
		{"empty name", "/dashboard/agency/B/counters/K9", url.Values{"action": {"rename"}, "name": {" "}}, 400, `SELECT count(*) = 1 FROM counters WHERE code = 'K9' AND name = 'Máy mới'`, "name is required"},
		{"rotate", "/dashboard/agency/B/counters/K9", url.Values{"action": {"rotate"}}, 303, `SELECT token_version = 2 FROM counters WHERE code = 'K9'`, ""},
		{"close", "/dashboard/agency/B/counters/K9", url.Values{"action": {"close"}}, 303, `SELECT closed_at IS NOT NULL FROM counters WHERE code = 'K9'`, ""},
		{"reopen", "/dashboard/agency/B/counters/K9", url.Values{"action": {"reopen"}}, 303, `SELECT closed_at IS NULL FROM counters WHERE code = 'K9'`, ""},
		{"unknown action", "/dashboard/agency/B/counters/K9", url.Values{"action": {"explode"}}, 400, `SELECT closed_at IS NULL FROM counters WHERE code = 'K9'`, "action must be"},
		{"unknown counter", "/dashboard/agency/B/counters/NOPE", url.Values{"action": {"close"}}, 404, `SELECT 1`, ""},
	}
	for _, tt := range tests {
		w := b.post(tt.path, tt.form)
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
		if e.count(tt.check) != 1 {
			t.Errorf("%s: %s is false", tt.name, tt.check)
		}
	}
	// The rotated poster link works; the old token does not.
	body = b.get(page).Body.String()
	poster := between(row(t, body, "data-counter", "K9"), `class="poster-link" href="`, `"`)
	if w := b.get(poster); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `class="qr"`) {
		t.Fatalf("poster %s: got %d", poster, w.Code)
	}
}

func TestExports(t *testing.T) {
	e := newDashEnv(t)
	seedLeague(e)
	e.seed(seedSpec{"A/Q1", "2026-02-10", 1, 1, "=HYPERLINK(\"http://x\")"})
	b := e.client()
	b.login("admin")

	csvBody := b.get("/dashboard/overview/P/export.csv?" + q1)
	if ct := csvBody.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(csvBody.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv headers: %v", csvBody.Header())
	}
	raw := csvBody.Body.Bytes()
	if !bytes.HasPrefix(raw, []byte("\ufeff")) {
		t.Fatalf("CSV lacks the UTF-8 BOM")
	}
	recs := readCSV(t, raw[3:])
	if recs[1][0] != "Kỳ báo cáo" || recs[1][1] != "2026-01-01" || recs[1][2] != "2026-03-31" {
		t.Errorf("period line: got %v", recs[1])
	}
	hdr, rows := recs[5], recs[6:]
	if hdr[2] != "Chỉ số (%)" || hdr[3] != "KTC dưới (%)" || hdr[4] != "KTC trên (%)" || hdr[5] != "n" {
		t.Errorf("header: got %v", hdr)
	}
	byCode := map[string][]string{}
	for _, r := range rows {
		byCode[r[0]] = r
	}
	if r := byCode["D"]; r[2] != "10.00" || r[3] == "" || r[4] == "" || r[5] != "100" || r[9] != "lower" {
		t.Errorf("D: got %v", r)
	}
	if r := byCode["C"]; r[2] != "" || r[5] != "5" || r[6] != "chưa đủ dữ liệu" {
		t.Errorf("C: got %v", r)
	}

	x := b.get("/dashboard/agency/A/export.xlsx?" + q1)
	f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	xr, err := f.GetRows("SIPAS")
	if err != nil {
		t.Fatalf("rows: %v", err)
	}
	if xr[1][1] != "2026-01-01" || xr[1][2] != "2026-03-31" || xr[6][2] != "Chỉ số (%)" || xr[6][5] != "n" {
		t.Errorf("xlsx heading: got %v / %v", xr[1], xr[6])
	}
	found := false
	for _, r := range xr[7:] {
		if r[0] == "TC1" {
			found = true
			if r[5] != "101" || r[2] == "" || r[3] == "" || r[4] == "" {
				t.Errorf("TC1 row: got %v", r)
			}
		}
	}
	if !found {
		t.Errorf("no TC1 row in %v", xr)
	}
	ov, err := f.GetCellValue("SIPAS", "C8")
	if err != nil || !strings.Contains(ov, ".") {
		t.Errorf("overall index cell: got %q (%v), want a number with decimals", ov, err)
	}

	rawResp := b.get("/dashboard/agency/A/responses.csv?" + q1)
	rr := readCSV(t, bytes.TrimPrefix(rawResp.Body.Bytes(), []byte("\ufeff")))
	if len(rr) != 102 || rr[0][9] != "TC1" || rr[0][len(rr[0])-1] != "comment" {
		t.Fatalf("raw responses: got %d lines, header %v", len(rr), rr[0])
	}
	var commented []string
	for _, r := range rr[1:] {
		if r[len(r)-1] != "" {
			commented = r
		}
	}
	if commented == nil || commented[3] != "A" || commented[4] != "Q1" || commented[9] != "1" || commented[len(commented)-1] != "'=HYPERLINK(\"http://x\")" {
		t.Errorf("raw response row: got %v, want A/Q1 with answers 1 and the comment defused", commented)
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	return recs
}

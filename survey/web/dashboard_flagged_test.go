package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

// flaggedIDs are the flagged ratings of flaggedScene.
type flaggedIDs struct{ kiosk, bot, rate, other int64 }

// botComment is the bot's comment: markup the page must escape.
const botComment = `<b>Cán bộ</b> "tốt" & nhanh`

// flaggedScene submits, the real way (through the router, server with
// --rate-limit 3), one rating of each flag:
//
//   - kiosk: D1/K1's own tablet (its kiosk key) on Wednesday 15 April 2026
//     at 20:07, out of opening hours: set aside at submission (integrity,
//     off_hours), then attached to the window 20:00–20:10 by the scan of the
//     day at 22:00;
//   - bot: a honeypot hit at D1/Q1 on 16 April at 10:07, with botComment;
//   - rate: the fourth of four all-5 ratings from one phone at D1/Q1 from
//     10:11 (the first three counted);
//   - other: a honeypot hit at D2/Q1 at 10:17.
func flaggedScene(t *testing.T) (*webtest.Env, flaggedIDs) {
	t.Helper()
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 3}))
	at := func(d, h, m int) time.Time { return time.Date(2026, 4, d, h, m, 0, 0, survey.Vietnam) }
	e.SetNow(at(15, 20, 7))
	e.Rate(t, "D1/K1", "5", "198.51.100.200", true)
	e.SetNow(at(15, 22, 0))
	e.Scan(t, "2026-04-15")

	e.SetNow(at(16, 10, 7))
	f := e.FormSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
	f.Set("website", "http://spam.example")
	f.Set("comment", botComment)
	if w := e.Do(t, webtest.Request{Method: http.MethodPost, URL: "/s/{D1/Q1}", Body: f.Encode()}); w.Code != http.StatusSeeOther {
		t.Fatalf("honeypot submit: %d %s", w.Code, w.Body)
	}
	for m := 11; m <= 14; m++ {
		e.SetNow(at(16, 10, m))
		e.Rate(t, "D1/Q1", "5", "203.0.113.20", false)
	}
	e.SetNow(at(16, 10, 17))
	ids := flaggedIDs{other: e.Flagged(t, "D2/Q1"), bot: int64(e.Count(t, `SELECT id FROM responses WHERE submission_id = ?`, f.Get("submission_id"))),
		kiosk: int64(e.Count(t, `SELECT id FROM responses WHERE flag = ?`, survey.FlagIntegrity)),
		rate:  int64(e.Count(t, `SELECT id FROM responses WHERE flag = ?`, survey.FlagRateLimited))}
	if n := e.Count(t, `SELECT count(*) FROM responses WHERE flag != ''`); n != 4 || ids.kiosk == 0 || ids.rate == 0 {
		t.Fatalf("scene: %d flagged ratings (%+v), want one of each", n, ids)
	}
	e.SetNow(at(16, 15, 0))
	return e, ids
}

// flaggedRE finds the rows of the review page, and nextRE its next page.
var (
	flaggedRE = regexp.MustCompile(`<tr data-flagged="(\d+)"`)
	nextRE    = regexp.MustCompile(`<a href="([^"]*)" rel="next"`)
)

// listed returns the ids of the page's rows, in order.
func listed(body string) []int64 {
	var out []int64
	for _, m := range flaggedRE.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, n)
	}
	return out
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// flaggedGet fetches a review page as b, which must answer 200.
func flaggedGet(t *testing.T, b *webtest.Client, path string) string {
	t.Helper()
	w := b.Get(path)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: got %d: %.500s", path, w.Code, w.Body)
	}
	return w.Body.String()
}

// reviewState is what a review may change: every response's flag and
// review, the indices' statistics and the audit log.
func reviewState(t *testing.T, e *webtest.Env) string {
	t.Helper()
	var s string
	err := e.RO.QueryRow(`SELECT (SELECT group_concat(id || ':' || flag || ':' || review || ':' || COALESCE(reviewed_by, ''), ';') FROM responses)
		|| '|' || (SELECT group_concat(agency_id || ':' || month || ':' || respondents || ':' || hex(data), ';') FROM stats_monthly)
		|| '|' || (SELECT group_concat(agency_id || ':' || day || ':' || flag || ':' || n, ';') FROM excluded_daily)
		|| '|' || (SELECT count(*) FROM audit_log)`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// setAside is the set_aside of D1's scores for April 2026 (instrument).
func setAside(t *testing.T, e *webtest.Env, instrument string) int64 {
	t.Helper()
	w := e.Do(t, webtest.Request{URL: "/api/v1/scores?agency=D1&from=2026-04-01&to=2026-04-30&instrument=" + instrument, User: "admin"})
	if w.Code != http.StatusOK {
		t.Fatalf("scores: %d %s", w.Code, w.Body)
	}
	var s struct {
		SetAside *int64 `json:"set_aside"`
	}
	decodeInto(t, w, &s)
	if s.SetAside == nil {
		t.Fatalf("scores without set_aside: %s", w.Body)
	}
	return *s.SetAside
}

func TestDashFlaggedList(t *testing.T) {
	e, ids := flaggedScene(t)
	vi := dashboard.TextsIn("vi")
	admin := e.Client(t)
	admin.Login("admin")
	body := flaggedGet(t, admin, "/dashboard/flagged")
	checkNoIdentity(t, e, body)
	for _, bad := range []string{"<script", "20:07", "10:07", "10:14", "10:17"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	if got, want := fmt.Sprint(listed(body)), fmt.Sprint([]int64{ids.other, ids.rate, ids.bot, ids.kiosk}); got != want {
		t.Fatalf("pending rows: got %s, want %s (newest first)", got, want)
	}
	if !strings.Contains(body, `href="/dashboard/flagged"`) {
		t.Errorf("the admin's nav lacks the review link")
	}

	k := row(t, body, "data-flagged", idStr(ids.kiosk))
	if !strings.Contains(k, `data-flag="integrity"`) || cellText(t, k, "where") != "D1 / K1" || cellText(t, k, "channel") != vi.FlChannels["kiosk"] {
		t.Errorf("kiosk row: %s", k)
	}
	if got := cellText(t, k, "when"); got != "15/04/2026 (khung giờ 20:00–20:10)" {
		t.Errorf("kiosk row's date and window: got %q", got)
	}
	if got := cellText(t, k, "why"); got != vi.FlFlags["integrity"]+": "+vi.IgReasons["off_hours"] {
		t.Errorf("kiosk row's reasons: got %q", got)
	}
	if got := cellText(t, k, "review"); got != vi.FlStatusPending {
		t.Errorf("kiosk row's status: got %q", got)
	}
	for _, s := range []string{`<form method="post" action="/dashboard/flagged/` + idStr(ids.kiosk) + `/accept"`,
		`<form method="post" action="/dashboard/flagged/` + idStr(ids.kiosk) + `/reject"`,
		`<label for="na-` + idStr(ids.kiosk) + `">`, `<label for="nr-` + idStr(ids.kiosk) + `">`,
		`name="csrf_token"`, vi.FlAccept, vi.FlReject, fmt.Sprintf(`maxlength="%d"`, survey.MaxNoteRunes)} {
		if !strings.Contains(k, s) {
			t.Errorf("kiosk row's forms lack %q", s)
		}
	}

	r := row(t, body, "data-flagged", idStr(ids.rate))
	if got := cellText(t, r, "why"); got != vi.FlFlags["rate_limited"]+": "+vi.IgReasons["rate_limited"] {
		t.Errorf("rate-limited row's reasons: got %q", got)
	}
	if cellText(t, r, "when") != "16/04/2026" || cellText(t, r, "channel") != vi.FlChannels["web"] {
		t.Errorf("rate-limited row: %s; want its date without a window, and its channel", r)
	}
	if got := cellText(t, r, "answers"); got != "Điểm TB 5,00 (22/22 câu có điểm 1–5); mọi câu đều 5 điểm" {
		t.Errorf("rate-limited row's answers: got %q", got)
	}

	b := row(t, body, "data-flagged", idStr(ids.bot))
	if got := cellText(t, b, "why"); got != vi.FlFlags["honeypot"]+": "+vi.FlHoneypot {
		t.Errorf("bot row's reasons: got %q", got)
	}
	if strings.Contains(body, "<b>Cán bộ</b>") || html.UnescapeString(cellText(t, b, "comment")) != botComment {
		t.Errorf("bot row's comment, escaped: %s", b)
	}

	// English.
	en := dashboard.TextsIn("en")
	eb := flaggedGet(t, admin, "/dashboard/flagged?lang=en")
	checkNoIdentity(t, e, eb)
	for _, s := range []string{`<html lang="en">`, html.EscapeString(en.FlTitle), html.EscapeString(en.FlChannels["kiosk"]),
		en.IgReasons["off_hours"], en.FlHoneypot, "Mean 5.00"} {
		if !strings.Contains(eb, s) {
			t.Errorf("English page lacks %q", s)
		}
	}

	// The JSON API gives the same reasons and window.
	w := e.Do(t, webtest.Request{URL: "/api/v1/flagged?agency=D1", User: "admin"})
	var out []survey.FlaggedResponse
	decodeInto(t, w, &out)
	for _, f := range out {
		got := strings.Join(f.Reasons, ",") + "/" + f.Window
		if want := map[bool]string{true: "off_hours/20:00–20:10", false: "/"}[f.ID == ids.kiosk]; got != want {
			t.Errorf("API entry %d: reasons/window %q, want %q", f.ID, got, want)
		}
	}
}

// Officials may not see or review flagged ratings.
func TestDashFlaggedRefused(t *testing.T) {
	e, ids := flaggedScene(t)
	off, admin, other := e.Client(t), e.Client(t), e.Client(t)
	off.Login("off")
	admin.Login("admin")
	other.Login("admin")
	before := reviewState(t, e) // after the sign-ins, which are audited
	if strings.Contains(flaggedGet(t, off, "/account/password"), `href="/dashboard/flagged"`) {
		t.Errorf("an official's nav shows the review link")
	}
	for _, path := range []string{"/dashboard/flagged", "/dashboard/flagged?agency=D1"} {
		if got := off.Get(path).Code; got != http.StatusForbidden {
			t.Errorf("official GET %s: got %d, want 403", path, got)
		}
	}
	for _, verb := range []string{"accept", "reject"} {
		if got := off.Post("/dashboard/flagged/"+idStr(ids.kiosk)+"/"+verb, url.Values{"note": {"x"}}).Code; got != http.StatusForbidden {
			t.Errorf("official %s: got %d, want 403", verb, got)
		}
	}
	if got := e.Client(t).Get("/dashboard/flagged").Code; got != http.StatusSeeOther {
		t.Errorf("signed out: got %d, want 303 to the sign-in", got)
	}

	// An admin's form without the session's CSRF token is refused too.
	path := "/dashboard/flagged/" + idStr(ids.kiosk) + "/accept"
	for name, f := range map[string]url.Values{
		"no token":              {"note": {"x"}},
		"forged token":          {"note": {"x"}, "csrf_token": {"Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbg"}},
		"another session's":     {"note": {"x"}, "csrf_token": {other.Token}},
		"token in the URL only": {"note": {"x"}},
	} {
		p := path
		if name == "token in the URL only" {
			p += "?csrf_token=" + url.QueryEscape(admin.Token)
		}
		w := admin.Do(http.MethodPost, p, f)
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), dashboard.TextsIn("vi").CSRFFailed) {
			t.Errorf("%s: got %d, want 403 with the CSRF message", name, w.Code)
		}
	}
	if got := reviewState(t, e); got != before {
		t.Errorf("refused requests changed something:\n%s\n%s", before, got)
	}
}

func TestDashFlaggedReview(t *testing.T) {
	e, ids := flaggedScene(t)
	vi := dashboard.TextsIn("vi")
	admin := e.Client(t)
	admin.Login("admin")
	respondents, quick, sipas := e.Respondents(t, "D1"), setAside(t, e, "quick"), setAside(t, e, "sipas-2017")

	// Accept the kiosk's rating back, from the list of D1.
	w := admin.Post("/dashboard/flagged/"+idStr(ids.kiosk)+"/accept?agency=D1", url.Values{"note": {"  Khách thật,\n camera xác nhận  "}})
	if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/dashboard/flagged?agency=D1&done="+idStr(ids.kiosk)+"&msg=accepted" {
		t.Fatalf("accept: got %d %q: %.300s", w.Code, loc, w.Body)
	}
	body := flaggedGet(t, admin, w.Header().Get("Location"))
	if got := between(body, `<p class="ok" role="status" id="flash">`, "<"); got != fmt.Sprintf(vi.FlAcceptedMsg, ids.kiosk) {
		t.Errorf("flash: got %q", got)
	}
	if got, want := fmt.Sprint(listed(body)), fmt.Sprint([]int64{ids.rate, ids.bot}); got != want {
		t.Errorf("pending of D1 after the accept: got %s, want %s", got, want)
	}
	if got := e.Respondents(t, "D1") - respondents; got != 1 {
		t.Errorf("accept: respondents up by %d, want 1", got)
	}
	if got := setAside(t, e, "quick"); got != quick-1 {
		t.Errorf("accept: set_aside of quick %d, want %d", got, quick-1)
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'response.accept' AND user_name = 'admin' AND detail = ?`,
		"response "+idStr(ids.kiosk)+" (flagged integrity): Khách thật, camera xác nhận"); n != 1 {
		t.Errorf("got %d audit entries of the accept with the admin's note, want 1", n)
	}
	reviewed := flaggedGet(t, admin, "/dashboard/flagged?status=reviewed")
	k := row(t, reviewed, "data-flagged", idStr(ids.kiosk))
	if got := cellText(t, k, "review"); got != fmt.Sprintf(vi.FlAcceptedBy, "admin", "16/04/2026") {
		t.Errorf("reviewed row's status: got %q", got)
	}
	if strings.Contains(k, "<form") || cellText(t, k, "when") != "15/04/2026 (khung giờ 20:00–20:10)" {
		t.Errorf("reviewed row: %s", k)
	}
	checkNoIdentity(t, e, reviewed)

	// Reject the rate-limited one: it stays out.
	respondents = e.Respondents(t, "D1")
	w = admin.Post("/dashboard/flagged/"+idStr(ids.rate)+"/reject", nil)
	if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/dashboard/flagged?done="+idStr(ids.rate)+"&msg=rejected" {
		t.Fatalf("reject: got %d %q", w.Code, loc)
	}
	if !strings.Contains(flaggedGet(t, admin, w.Header().Get("Location")), fmt.Sprintf(vi.FlRejectedMsg, ids.rate)) {
		t.Errorf("no notice of the reject")
	}
	if e.Respondents(t, "D1") != respondents || setAside(t, e, "sipas-2017") != sipas {
		t.Errorf("reject changed the indices or set_aside")
	}
	if n := e.Count(t, `SELECT count(*) FROM responses WHERE id = ? AND flag = ? AND review = ? AND reviewed_by = 'admin'`,
		ids.rate, survey.FlagRateLimited, survey.ReviewRejected); n != 1 {
		t.Errorf("the rejected rating is not kept flagged and reviewed")
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'response.reject' AND user_name = 'admin' AND detail = ?`,
		"response "+idStr(ids.rate)+" (flagged rate_limited)"); n != 1 {
		t.Errorf("got %d audit entries of the reject, want 1", n)
	}

	// Refused reviews show the list again with the error and change nothing.
	before := reviewState(t, e)
	long := strings.Repeat("ư", survey.MaxNoteRunes+1)
	for _, tt := range []struct {
		name, path string
		note       string
		want       int
		msg        string
	}{
		{"accept again", "/dashboard/flagged/" + idStr(ids.kiosk) + "/accept?agency=D1", "", 409, fmt.Sprintf(vi.FlAlready, ids.kiosk)},
		{"reject the accepted", "/dashboard/flagged/" + idStr(ids.kiosk) + "/reject", "", 409, fmt.Sprintf(vi.FlAlready, ids.kiosk)},
		{"accept the rejected", "/dashboard/flagged/" + idStr(ids.rate) + "/accept", "", 409, fmt.Sprintf(vi.FlAlready, ids.rate)},
		{"note too long", "/dashboard/flagged/" + idStr(ids.bot) + "/accept", long, 400, fmt.Sprintf(vi.FlNoteLong, survey.MaxNoteRunes)},
		{"unknown id", "/dashboard/flagged/999999/accept", "", 404, vi.FlNotFound},
		{"id not a number", "/dashboard/flagged/abc/reject", "", 404, vi.FlNotFound},
		{"a counted rating", "/dashboard/flagged/" + idStr(ids.rate-1) + "/accept", "", 404, vi.FlNotFound},
		{"bad status", "/dashboard/flagged/" + idStr(ids.bot) + "/accept?status=maybe", "", 400, vi.FlBadStatus},
		{"unknown agency to return to", "/dashboard/flagged/" + idStr(ids.bot) + "/reject?agency=NOPE", "", 404, "NOPE"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := admin.Post(tt.path, url.Values{"note": {tt.note}})
			b := w.Body.String()
			if w.Code != tt.want || !strings.Contains(b, tt.msg) || !strings.Contains(b, `role="alert"`) {
				t.Fatalf("got %d, want %d with %q: %.500s", w.Code, tt.want, tt.msg, b)
			}
			if list := tt.want != 404 && tt.name != "bad status"; list != strings.Contains(b, `id="flagged-filter"`) {
				t.Errorf("list shown again: %v, want %v", !list, list)
			}
			if tt.name == "note too long" && !strings.Contains(b, `value="`+long+`"`) {
				t.Errorf("the admin's note is lost")
			}
			if got := reviewState(t, e); got != before {
				t.Errorf("changed something:\n%s\n%s", before, got)
			}
		})
	}
}

func TestDashFlaggedFilterAndPaging(t *testing.T) {
	e, ids := flaggedScene(t)
	vi := dashboard.TextsIn("vi")
	admin := e.Client(t)
	admin.Login("admin")
	for q, want := range map[string][]int64{
		"?agency=D1":                 {ids.rate, ids.bot, ids.kiosk},
		"?agency=P":                  {ids.other, ids.rate, ids.bot, ids.kiosk}, // the subtree
		"?agency=D2&status=pending":  {ids.other},
		"?agency=C1":                 nil,
		"?agency=D1&status=reviewed": nil,
		"?status=all":                {ids.other, ids.rate, ids.bot, ids.kiosk},
	} {
		body := flaggedGet(t, admin, "/dashboard/flagged"+q)
		if got := listed(body); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
		if len(want) == 0 && !strings.Contains(body, vi.FlNone) {
			t.Errorf("%s: no word that there is none", q)
		}
	}
	body := flaggedGet(t, admin, "/dashboard/flagged?agency=D1&status=reviewed")
	if !strings.Contains(body, `id="fl-agency" name="agency" value="D1"`) || !strings.Contains(body, `<option value="reviewed" selected>`) {
		t.Errorf("the filter form does not show the filter")
	}
	for q, want := range map[string]int{"?agency=ZZ": 404, "?status=maybe": 400, "?before=abc": 400, "?before=0": 400} {
		if got := admin.Get("/dashboard/flagged" + q).Code; got != want {
			t.Errorf("%s: got %d, want %d", q, got, want)
		}
	}

	// Paging: 100 a page, then a link to the older ones.
	for i := range 101 { // bots at D3/Q1, from many addresses (one would meet the hard cap)
		f := e.FormSubmission(t, "D3/Q1", sqlitetest.SubmissionID())
		f.Set("website", "http://spam.example")
		w := e.Do(t, webtest.Request{Method: http.MethodPost, URL: "/s/{D3/Q1}", Body: f.Encode(), Remote: fmt.Sprintf("192.0.2.%d:4000", i)})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("honeypot submit %d: %d", i, w.Code)
		}
	}
	page1 := flaggedGet(t, admin, "/dashboard/flagged")
	got1 := listed(page1)
	m := nextRE.FindStringSubmatch(page1)
	if len(got1) != 100 || m == nil || strings.Contains(page1, `id="first-page"`) {
		t.Fatalf("page 1: %d rows, next link %v", len(got1), m)
	}
	next := html.UnescapeString(m[1])
	if next != "/dashboard/flagged?before="+idStr(got1[99]) {
		t.Errorf("next link %q", next)
	}
	page2 := flaggedGet(t, admin, next)
	got2 := listed(page2)
	if len(got2) != 5 || got2[0] >= got1[99] || nextRE.MatchString(page2) || !strings.Contains(page2, `id="first-page"`) {
		t.Errorf("page 2: %v, next link %v", got2, nextRE.FindString(page2))
	}
	if got2[len(got2)-1] != ids.kiosk {
		t.Errorf("page 2 ends with %d, want the oldest, %d", got2[len(got2)-1], ids.kiosk)
	}
	d3 := flaggedGet(t, admin, "/dashboard/flagged?agency=D3")
	m = nextRE.FindStringSubmatch(d3)
	if len(listed(d3)) != 100 || m == nil || !strings.Contains(m[1], "agency=D3") {
		t.Fatalf("D3 page 1: %d rows, next %v", len(listed(d3)), m)
	}
	if got := listed(flaggedGet(t, admin, html.UnescapeString(m[1]))); len(got) != 1 {
		t.Errorf("D3 page 2: %v, want the last one", got)
	}
	// The language switch keeps the filter and the page.
	if !strings.Contains(page2, `href="`+html.EscapeString(next+"&lang=en")+`"`) {
		t.Errorf("the language switch loses the page: %s", between(page2, `<nav aria-label`, "</nav>"))
	}
}

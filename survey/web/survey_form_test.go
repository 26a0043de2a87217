package web_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

// allRadios checks that every sipas-2017 item has radios 1..5 and na.
func allRadios(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
	t.Helper()
	body := w.Body.String()
	for _, code := range webtest.SipasItems() {
		for _, v := range []string{"1", "2", "3", "4", "5", "na"} {
			if want := `<input type="radio" name="` + code + `" value="` + v + `"`; !strings.Contains(body, want) {
				t.Fatalf("form lacks %s", want)
			}
		}
		if !strings.Contains(body, `<fieldset id="q-`+code+`"`) {
			t.Fatalf("item %s has no fieldset", code)
		}
	}
	if n := strings.Count(body, "<legend>"); n != 22 {
		t.Fatalf("got %d legends, want 22", n)
	}
	if n := strings.Count(body, `<label class="opt`); n != 22*6 {
		t.Fatalf("got %d option labels, want %d", n, 22*6)
	}
	if n := strings.Count(body, "<h2>"); n != 5 {
		t.Fatalf("got %d element headings, want 5", n)
	}
	if m := regexp.MustCompile(`name="submission_id" value="([^"]*)"`).FindStringSubmatch(body); m == nil || !survey.ValidSubmissionID(m[1]) {
		t.Fatalf("form has no valid submission id: %v", m)
	}
}

// stored checks the newest stored response.
func stored(counter, agency, channel string, followup int) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
	return func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
		t.Helper()
		r := e.LastResponse(t)
		if r.CounterCode != counter || r.AgencyCode != agency || r.Channel != channel || r.Followup != followup || r.InstrumentVersion != 1 {
			t.Fatalf("got %+v, want counter %s agency %s channel %s follow-up %d", r, counter, agency, channel, followup)
		}
		if r.LocalDate != survey.LocalDate(r.SubmittedAt) {
			t.Fatalf("local date %s does not match %v", r.LocalDate, r.SubmittedAt)
		}
	}
}

// location checks the Location header (placeholders replaced).
func location(want string) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
	return func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
		t.Helper()
		if got, want := w.Header().Get("Location"), e.Replace(want); got != want {
			t.Fatalf("got Location %q, want %q", got, want)
		}
	}
}

func TestSurveyForm(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "sipas form in Vietnamese", URL: "/s/{D1/Q1}", WantStatus: 200,
			WantContains: []string{`<html lang="vi">`, "Đánh giá sự hài lòng về dịch vụ hành chính công", "Sở Tư pháp — Quầy hộ tịch",
				"Tiếp cận dịch vụ", "Nơi ngồi chờ có đủ chỗ ngồi", "Rất hài lòng", "Rất không hài lòng", "Không có ý kiến", "Gửi đánh giá",
				`href="/s/{D1/Q1}?lang=en"`, `action="/s/{D1/Q1}"`},
			WantNot: []string{"Access to the service", `name="kiosk"`}, Check: allRadios},
		{Name: "sipas form in English", URL: "/s/{D1/Q1}?lang=en", WantStatus: 200,
			WantContains: []string{`<html lang="en">`, "Access to the service", "The waiting area has enough seats", "Very satisfied", "No opinion",
				`href="/s/{D1/Q1}?lang=vi"`, `name="lang" value="en"`}, Check: allRadios},
		{Name: "quick form is one tap", URL: "/s/{D1/K1}", WantStatus: 200,
			WantContains: []string{`<button type="submit" name="OV" value="5">`, `<button type="submit" name="OV" value="1">`,
				"Ông/Bà có hài lòng với sự phục vụ hôm nay không?", "Số lần phải đi lại", `name="trips" value="2&#43;"`, `name="comment"`},
			WantNot: []string{`value="na"`, `class="submit"`},
			Check: func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
				if n := strings.Count(w.Body.String(), `<button type="submit" name="OV"`); n != 5 {
					t.Fatalf("got %d OV buttons, want 5", n)
				}
			}},
		{Name: "kiosk form keeps kiosk", URL: "/s/{D1/Q1}?kiosk=1", WantStatus: 200,
			WantContains: []string{`<input type="hidden" name="kiosk" value="1">`, `action="/s/{D1/Q1}?kiosk=1"`}},
		{Name: "rotated token", URL: "/s/{ROT}", WantStatus: 410, WantContains: []string{"Mã QR này không còn sử dụng", "quét mã QR mới"}},
		{Name: "rotated token in English", URL: "/s/{ROT}?lang=en", WantStatus: 410, WantContains: []string{"This code is no longer in use"}},
		{Name: "new token after rotation", URL: "/s/{D1/R1}", WantStatus: 200, WantContains: []string{"Quầy chứng thực"}},
		{Name: "closed counter", URL: "/s/{D1/Z1}", WantStatus: 410, WantContains: []string{"Mã QR này không còn sử dụng"}},
		{Name: "forged token", URL: "/s/{FORGED}", WantStatus: 404, WantContains: []string{"Mã không hợp lệ"}, WantNot: []string{"Quầy hộ tịch"}},
		{Name: "garbage token", URL: "/s/not-a-token", WantStatus: 404, WantContains: []string{"Mã không hợp lệ"}},
	})
}

func TestSurveySubmit(t *testing.T) {
	form := webtest.SipasForm
	missing := form("5", map[string]string{"TC2": "4", "CC3": "na", "comment": "Chờ hơi lâu"}, "TC1", "GY4")
	long := strings.Repeat("a", 70<<10)
	webtest.Run(t, []webtest.Scenario{
		{Name: "happy path", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"CC3": "na", "comment": "Tốt"}), WantStatus: 303, WantStored: 1,
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				location("/s/{D1/Q1}/thanks")(t, e, w)
				stored("Q1", "D1", "web", 0)(t, e, w)
				r := e.LastResponse(t)
				if r.Comment != "Tốt" || r.Answers[0] != 5 || r.Answers[11] != survey.AnswerNA || r.SubmissionID != webtest.FormSubmissionID {
					t.Fatalf("got %+v", r)
				}
			}},
		{Name: "happy path in English", Method: "POST", URL: "/s/{D1/Q1}?lang=en", Body: form("4", map[string]string{"lang": "en"}), WantStatus: 303, WantStored: 1,
			Check: location("/s/{D1/Q1}/thanks?lang=en")},
		{Name: "kiosk", Method: "POST", URL: "/s/{D1/Q1}?kiosk={KIOSK:D1/Q1}", Body: form("3", map[string]string{"kiosk": "{KIOSK:D1/Q1}"}), WantStatus: 303, WantStored: 1,
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				location("/s/{D1/Q1}/thanks?kiosk={KIOSK:D1/Q1}")(t, e, w)
				stored("Q1", "D1", "kiosk", 0)(t, e, w)
			}},
		{Name: "kiosk without the counter's key", Method: "POST", URL: "/s/{D1/Q1}?kiosk=1", Body: form("3", map[string]string{"kiosk": "1"}), WantStatus: 303, WantStored: 1,
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				location("/s/{D1/Q1}/thanks?kiosk=1")(t, e, w)
				stored("Q1", "D1", "web", 0)(t, e, w)
			}},
		{Name: "missing answers", Method: "POST", URL: "/s/{D1/Q1}", Body: missing, WantStatus: 422,
			WantContains: []string{"Còn 2 câu chưa trả lời", `href="#q-TC1"`, `href="#q-GY4"`, `role="alert"`,
				`name="TC2" value="4" checked`, `name="CC3" value="na" checked`, `name="TC3" value="5" checked`,
				`<fieldset id="q-TC1" class="err"`, "Vui lòng chọn một mức đánh giá hoặc “Không có ý kiến”.",
				`name="submission_id" value="` + webtest.FormSubmissionID + `"`, "Chờ hơi lâu"},
			WantNot: []string{`name="TC1" value="5" checked`, `href="#q-TC2"`}},
		{Name: "missing answers in English", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"lang": "en"}, "KQ2"), WantStatus: 422,
			WantContains: []string{"1 questions still need an answer", `href="#q-KQ2"`, "Please choose a level or “No opinion”."}},
		{Name: "nothing answered", Method: "POST", URL: "/s/{D1/Q1}", Body: "submission_id=" + webtest.FormSubmissionID, WantStatus: 422, WantContains: []string{"Còn 22 câu chưa trả lời"}},
		{Name: "unknown field", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"XX1": "5"}), WantStatus: 400, WantContains: []string{"Phiếu gửi lên có nội dung không hợp lệ"}},
		{Name: "value 6", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"TT2": "6"}), WantStatus: 422, WantContains: []string{`<fieldset id="q-TT2" class="err"`}},
		{Name: "value 0", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"TT2": "0"}), WantStatus: 422},
		{Name: "invalid UTF-8 comment", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", nil) + "&comment=%FF%FE", WantStatus: 400, WantContains: []string{"Nội dung có ký tự không hợp lệ."}},
		{Name: "invalid UTF-8 value", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", nil, "TC1") + "&TC1=%C3", WantStatus: 400},
		{Name: "comment too long", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"comment": strings.Repeat("ý", 2001)}), WantStatus: 422, WantContains: []string{"Góp ý dài quá 2000 ký tự."}},
		{Name: "oversized body", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"comment": long}), WantStatus: 413},
		{Name: "oversized body without length", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"comment": long}), Chunked: true, WantStatus: 413},
		{Name: "malformed form encoding", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", nil) + "&comment=%zz", WantStatus: 400},
		{Name: "bad submission id", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"submission_id": "x"}), WantStatus: 400},
		{Name: "double submit stores one", Before: []webtest.Request{{Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", nil)}},
			Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", nil), WantStatus: 303, WantStored: 1,
			Check: location("/s/{D1/Q1}/thanks")},
		// The citizen went back and changed the answers: the form's id is
		// taken, so nothing is stored and the answers come back under a new id.
		{Name: "same id with other answers", Before: []webtest.Request{{Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", nil)}},
			Method: "POST", URL: "/s/{D1/Q1}", Body: form("1", nil), WantStatus: 409, WantStored: 1,
			WantContains: []string{"Phiếu này đã được gửi trước đó với câu trả lời khác", `name="TC1" value="1" checked`, `name="submission_id" value="`},
			WantNot:      []string{`name="submission_id" value="` + webtest.FormSubmissionID + `"`},
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if r := e.LastResponse(t); r.Answers[0] != 5 {
					t.Fatalf("the retry replaced the first answers: %v", r.Answers)
				}
			}},
		{Name: "rotated token", Method: "POST", URL: "/s/{ROT}", Body: form("5", nil), WantStatus: 410, WantContains: []string{"Mã QR này không còn sử dụng"}},
		{Name: "closed counter", Method: "POST", URL: "/s/{D1/Z1}", Body: form("5", nil), WantStatus: 410},
		{Name: "forged token", Method: "POST", URL: "/s/{FORGED}", Body: form("5", nil), WantStatus: 404},
		{Name: "honeypot stored flagged", Method: "POST", URL: "/s/{D1/Q1}", Body: form("5", map[string]string{"website": "http://spam.example"}), WantStatus: 303, WantStored: 1,
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if r := e.LastResponse(t); r.Flag == "" {
					t.Fatalf("honeypot response not flagged: %+v", r)
				}
			}},
		{Name: "quick one tap", Method: "POST", URL: "/s/{D1/K1}", Body: "submission_id=quick-submission-0001&OV=4&trips=1&comment=Nhanh", WantStatus: 303, WantStored: 1,
			Check: stored("K1", "D1", "web", 2)},
		{Name: "quick on a commune counter", Method: "POST", URL: "/s/{C1/Q1}", Body: "submission_id=quick-submission-0001&OV=2", WantStatus: 303, WantStored: 1,
			Check: stored("Q1", "C1", "web", 0)},
		{Name: "quick without a level", Method: "POST", URL: "/s/{D1/K1}", Body: "submission_id=quick-submission-0001&trips=1", WantStatus: 422,
			WantContains: []string{"Vui lòng chọn một mức đánh giá."}},
		{Name: "quick no opinion refused", Method: "POST", URL: "/s/{D1/K1}", Body: "submission_id=quick-submission-0001&OV=na", WantStatus: 422},
		{Name: "quick unknown follow-up", Method: "POST", URL: "/s/{D1/K1}", Body: "submission_id=quick-submission-0001&OV=5&trips=7", WantStatus: 400},
		{Name: "quick with a sipas item", Method: "POST", URL: "/s/{D1/K1}", Body: "submission_id=quick-submission-0001&OV=5&TC1=5", WantStatus: 400},
	})
}

func TestSurveyPageWeight(t *testing.T) {
	e := webtest.New(t)
	for _, u := range []string{"/s/{D1/Q1}", "/s/{D1/Q1}?lang=en", "/s/{D1/K1}"} {
		w := e.Do(t, webtest.Request{URL: u, Header: map[string]string{"Accept-Encoding": "gzip, deflate, br"}})
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: got %d with encoding %q, want 200 gzip", u, w.Code, w.Header().Get("Content-Encoding"))
		}
		if n := w.Body.Len(); n >= 14*1024 {
			t.Fatalf("%s: compressed page is %d bytes, want < 14 KB", u, n)
		}
		t.Logf("%s: %d bytes gzip", u, w.Body.Len())
		page := gunzip(t, w.Body.Bytes())
		// Everything the first screen needs is in the page: CSS inline, no
		// script, no external request.
		if m := regexp.MustCompile(`(?i)(src|href|action)\s*=\s*"(https?:)?//`).FindString(page); m != "" {
			t.Fatalf("%s: external reference %q", u, m)
		}
		for _, bad := range []string{"<script", `rel="stylesheet"`, "@import", "url("} {
			if strings.Contains(page, bad) {
				t.Fatalf("%s: page contains %q", u, bad)
			}
		}
		refs := regexp.MustCompile(`(?:src|href)="([^"#]+)"`).FindAllStringSubmatch(page, -1)
		for _, r := range refs {
			if r[1] != "/static/favicon.svg" && !strings.HasPrefix(r[1], e.Replace("/s/{D1/Q1}?lang=")) && !strings.HasPrefix(r[1], e.Replace("/s/{D1/K1}?lang=")) {
				t.Fatalf("%s: unexpected reference %q (only the language link and the icon)", u, r[1])
			}
		}
	}
}

// Closing an agency retires the QR codes of all its counters.
func TestClosedAgencyRetiresItsCodes(t *testing.T) {
	e := webtest.New(t)
	if w := e.Do(t, webtest.Request{URL: "/s/{C1/Q1}"}); w.Code != http.StatusOK {
		t.Fatalf("open agency: got %d, want 200", w.Code)
	}
	closed := true
	if _, err := e.DB.UpdateAgency(t.Context(), "C1", survey.AgencyUpdate{Closed: &closed}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if w := e.Do(t, webtest.Request{URL: "/s/{C1/Q1}"}); w.Code != http.StatusGone {
		t.Fatalf("closed agency: got %d, want 410", w.Code)
	}
	w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: e.JSONSubmission(t, "C1/Q1", sqlitetest.SubmissionID())})
	if w.Code != http.StatusGone {
		t.Fatalf("API on closed agency: got %d %s, want 410", w.Code, w.Body.String())
	}
	// Closing a parent retires the codes of the agencies beneath it too.
	if w := e.Do(t, webtest.Request{URL: "/s/{D2/Q1}"}); w.Code != http.StatusOK {
		t.Fatalf("D2 open: got %d", w.Code)
	}
	if _, err := e.DB.UpdateAgency(t.Context(), "P", survey.AgencyUpdate{Closed: &closed}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if w := e.Do(t, webtest.Request{URL: "/s/{D2/Q1}"}); w.Code != http.StatusGone {
		t.Fatalf("D2 under a closed province: got %d, want 410", w.Code)
	}
}

// A fresh form is rendered once per page and served with a fresh
// submission id each time: two answers differ in the id only, compressed
// or not; the id is accepted; a renamed counter is a new page.
func TestFreshFormServedFromCache(t *testing.T) {
	e := webtest.New(t)
	idRE := regexp.MustCompile(`name="submission_id" value="([A-Za-z0-9_-]{22})"`)
	get := func(u string, gz bool) (page, id string) {
		t.Helper()
		r := webtest.Request{URL: u}
		if gz {
			r.Header = map[string]string{"Accept-Encoding": "gzip"}
		}
		w := e.Do(t, r)
		if w.Code != 200 || (w.Header().Get("Content-Encoding") == "gzip") != gz || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: got %d, encoding %q, cache %q", u, w.Code, w.Header().Get("Content-Encoding"), w.Header().Get("Cache-Control"))
		}
		page = w.Body.String()
		if gz {
			page = gunzip(t, w.Body.Bytes())
		}
		m := idRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: no submission id in the form", u)
		}
		return strings.Replace(page, m[1], "ID", 1), m[1]
	}
	for _, u := range []string{"/s/{D1/Q1}", "/s/{D1/Q1}?lang=en", "/s/{D1/K1}", "/s/{D1/K1}?lang=en", "/s/{D1/Q1}?kiosk=1"} {
		p1, id1 := get(u, true)
		p2, id2 := get(u, true)
		p3, id3 := get(u, false)
		if id1 == id2 || id2 == id3 || id1 == id3 {
			t.Errorf("%s: submission ids repeat: %s %s %s", u, id1, id2, id3)
		}
		if p1 != p2 || p1 != p3 {
			t.Errorf("%s: the pages differ beyond their ids", u)
		}
		if strings.Contains(p1, "HOLE") {
			t.Errorf("%s: the page shows the cache's placeholder", u)
		}
	}
	_, id := get("/s/{D1/K1}", true)
	w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/{D1/K1}", Body: "submission_id=" + id + "&OV=4"})
	if w.Code != 303 {
		t.Fatalf("submitting the cached form: got %d", w.Code)
	}
	name := "Máy tính bảng tầng 2"
	if _, err := e.DB.UpdateCounter(t.Context(), "D1", "K1", survey.CounterUpdate{Name: &name}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if p, _ := get("/s/{D1/K1}", true); !strings.Contains(p, name) {
		t.Errorf("after the counter's rename the form does not show %q", name)
	}
}

// The thank-you page is kept too: with the follow-up question for each
// answer's own submission id, or without it.
func TestThanksServedFromCache(t *testing.T) {
	e := webtest.New(t)
	get := func(u string) string {
		t.Helper()
		w := e.Do(t, webtest.Request{URL: u, Header: map[string]string{"Accept-Encoding": "gzip"}})
		if w.Code != 200 {
			t.Fatalf("%s: got %d", u, w.Code)
		}
		if w.Header().Get("Content-Encoding") == "gzip" {
			return gunzip(t, w.Body.Bytes())
		}
		return w.Body.String()
	}
	a := get("/s/{D1/K1}/thanks?more=first-submission-0001")
	b := get("/s/{D1/K1}/thanks?more=second-submission-002")
	if !strings.Contains(a, `value="first-submission-0001"`) || !strings.Contains(b, `value="second-submission-002"`) {
		t.Fatalf("the follow-up forms do not carry their own submission ids")
	}
	if strings.Replace(a, "first-submission-0001", "X", -1) != strings.Replace(b, "second-submission-002", "X", -1) {
		t.Errorf("the thank-you pages differ beyond their ids")
	}
	plain := get("/s/{D1/K1}/thanks")
	if strings.Contains(plain, "submission") || plain != get("/s/{D1/K1}/thanks?more=bad%20id") {
		t.Errorf("without a valid id the page has no follow-up form")
	}
}

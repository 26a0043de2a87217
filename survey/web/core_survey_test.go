package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
)

func post(url, body string) coreReq { return coreReq{method: http.MethodPost, url: url, body: body} }
func get(url string) coreReq        { return coreReq{method: http.MethodGet, url: url} }

// allRadios checks that every sipas-2017 item has radios 1..5 and na.
func allRadios(t *testing.T, _ *coreEnv, w *httptest.ResponseRecorder) {
	t.Helper()
	body := w.Body.String()
	for _, code := range sipasCodes {
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
func stored(counter, agency, channel string, followup int) func(*testing.T, *coreEnv, *httptest.ResponseRecorder) {
	return func(t *testing.T, e *coreEnv, _ *httptest.ResponseRecorder) {
		t.Helper()
		r := e.lastResponse(t)
		if r.CounterCode != counter || r.AgencyCode != agency || r.Channel != channel || r.Followup != followup || r.InstrumentVersion != 1 {
			t.Fatalf("got %+v, want counter %s agency %s channel %s follow-up %d", r, counter, agency, channel, followup)
		}
		if r.LocalDate != survey.LocalDate(r.SubmittedAt) {
			t.Fatalf("local date %s does not match %v", r.LocalDate, r.SubmittedAt)
		}
	}
}

func location(want string) func(*testing.T, *coreEnv, *httptest.ResponseRecorder) {
	return func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
		t.Helper()
		if got, want := w.Header().Get("Location"), e.repl.Replace(want); got != want {
			t.Fatalf("got Location %q, want %q", got, want)
		}
	}
}

func TestCoreSurveyForm(t *testing.T) {
	runCoreScenarios(t, []coreScenario{
		{name: "sipas form in Vietnamese", req: get("/s/{Q1}"), wantStatus: 200,
			wantContains: []string{`<html lang="vi">`, "Đánh giá sự hài lòng về dịch vụ hành chính công", "Sở Tư pháp — Quầy hộ tịch",
				"Tiếp cận dịch vụ", "Nơi ngồi chờ có đủ chỗ ngồi", "Rất hài lòng", "Rất không hài lòng", "Không có ý kiến", "Gửi đánh giá",
				`href="/s/{Q1}?lang=en"`, `action="/s/{Q1}"`},
			wantNot: []string{"Access to the service", `name="kiosk"`}, check: allRadios},
		{name: "sipas form in English", req: get("/s/{Q1}?lang=en"), wantStatus: 200,
			wantContains: []string{`<html lang="en">`, "Access to the service", "The waiting area has enough seats", "Very satisfied", "No opinion",
				`href="/s/{Q1}?lang=vi"`, `name="lang" value="en"`}, check: allRadios},
		{name: "quick form is one tap", req: get("/s/{K1}"), wantStatus: 200,
			wantContains: []string{`<button type="submit" name="OV" value="5">`, `<button type="submit" name="OV" value="1">`,
				"Ông/Bà có hài lòng với sự phục vụ hôm nay không?", "Số lần phải đi lại", `name="trips" value="2&#43;"`, `name="comment"`},
			wantNot: []string{`value="na"`, `class="submit"`},
			check: func(t *testing.T, _ *coreEnv, w *httptest.ResponseRecorder) {
				if n := strings.Count(w.Body.String(), `<button type="submit" name="OV"`); n != 5 {
					t.Fatalf("got %d OV buttons, want 5", n)
				}
			}},
		{name: "kiosk form keeps kiosk", req: get("/s/{Q1}?kiosk=1"), wantStatus: 200,
			wantContains: []string{`<input type="hidden" name="kiosk" value="1">`, `action="/s/{Q1}?kiosk=1"`}},
		{name: "rotated token", req: get("/s/{ROT}"), wantStatus: 410, wantContains: []string{"Mã QR này không còn sử dụng", "quét mã QR mới"}},
		{name: "rotated token in English", req: get("/s/{ROT}?lang=en"), wantStatus: 410, wantContains: []string{"This code is no longer in use"}},
		{name: "new token after rotation", req: get("/s/{ROTNEW}"), wantStatus: 200, wantContains: []string{"Quầy chứng thực"}},
		{name: "closed counter", req: get("/s/{CLOSED}"), wantStatus: 410, wantContains: []string{"Mã QR này không còn sử dụng"}},
		{name: "forged token", req: get("/s/{FORGED}"), wantStatus: 404, wantContains: []string{"Mã không hợp lệ"}, wantNot: []string{"Quầy hộ tịch"}},
		{name: "garbage token", req: get("/s/not-a-token"), wantStatus: 404, wantContains: []string{"Mã không hợp lệ"}},
		{name: "thank-you page", req: get("/s/{Q1}/thanks"), wantStatus: 200,
			wantContains: []string{"Cảm ơn Ông/Bà!", `href="/s/{Q1}"`}, wantNot: []string{`http-equiv="refresh"`}},
		{name: "thank-you page in English", req: get("/s/{Q1}/thanks?lang=en"), wantStatus: 200, wantContains: []string{"Thank you!", `href="/s/{Q1}?lang=en"`}},
		{name: "kiosk thank-you returns to a fresh form", req: get("/s/{Q1}/thanks?kiosk=1"), wantStatus: 200,
			wantContains: []string{`<meta http-equiv="refresh" content="8;url=/s/{Q1}?kiosk=1">`, "Phiếu mới sẽ mở sau vài giây."}},
		{name: "thank-you of a rotated token", req: get("/s/{ROT}/thanks"), wantStatus: 410},
		{name: "unknown page", req: get("/nowhere"), wantStatus: 404, wantContains: []string{"Không tìm thấy trang"}},
		{name: "wrong method", req: coreReq{method: http.MethodDelete, url: "/s/{Q1}"}, wantStatus: 405},
		{name: "health", req: get("/healthz"), wantStatus: 200, wantContains: []string{"ok"}},
		{name: "ready", req: get("/readyz"), wantStatus: 200, wantContains: []string{"ready"}},
	})
}

func TestCoreSurveySubmit(t *testing.T) {
	missing := sipasForm("5", map[string]string{"TC2": "4", "CC3": "na", "comment": "Chờ hơi lâu"}, "TC1", "GY4")
	runCoreScenarios(t, []coreScenario{
		{name: "happy path", req: post("/s/{Q1}", sipasForm("5", map[string]string{"CC3": "na", "comment": "Tốt"})), wantStatus: 303, wantStored: 1,
			check: func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
				location("/s/{Q1}/thanks")(t, e, w)
				stored("Q1", "D1", "web", 0)(t, e, w)
				r := e.lastResponse(t)
				if r.Comment != "Tốt" || r.Answers[0] != 5 || r.Answers[11] != survey.AnswerNA || r.SubmissionID != "form-submission-000001" {
					t.Fatalf("got %+v", r)
				}
			}},
		{name: "happy path in English", req: post("/s/{Q1}?lang=en", sipasForm("4", map[string]string{"lang": "en"})), wantStatus: 303, wantStored: 1,
			check: location("/s/{Q1}/thanks?lang=en")},
		{name: "kiosk", req: post("/s/{Q1}?kiosk={KQ1}", sipasForm("3", map[string]string{"kiosk": "{KQ1}"})), wantStatus: 303, wantStored: 1,
			check: func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
				location("/s/{Q1}/thanks?kiosk={KQ1}")(t, e, w)
				stored("Q1", "D1", "kiosk", 0)(t, e, w)
			}},
		{name: "kiosk without the counter's key", req: post("/s/{Q1}?kiosk=1", sipasForm("3", map[string]string{"kiosk": "1"})), wantStatus: 303, wantStored: 1,
			check: func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
				location("/s/{Q1}/thanks?kiosk=1")(t, e, w)
				stored("Q1", "D1", "web", 0)(t, e, w)
			}},
		{name: "missing answers", req: post("/s/{Q1}", missing), wantStatus: 422,
			wantContains: []string{"Còn 2 câu chưa trả lời", `href="#q-TC1"`, `href="#q-GY4"`, `role="alert"`,
				`name="TC2" value="4" checked`, `name="CC3" value="na" checked`, `name="TC3" value="5" checked`,
				`<fieldset id="q-TC1" class="err"`, "Vui lòng chọn một mức đánh giá hoặc “Không có ý kiến”.",
				`name="submission_id" value="form-submission-000001"`, "Chờ hơi lâu"},
			wantNot: []string{`name="TC1" value="5" checked`, `href="#q-TC2"`}},
		{name: "missing answers in English", req: post("/s/{Q1}", sipasForm("5", map[string]string{"lang": "en"}, "KQ2")), wantStatus: 422,
			wantContains: []string{"1 questions still need an answer", `href="#q-KQ2"`, "Please choose a level or “No opinion”."}},
		{name: "nothing answered", req: post("/s/{Q1}", "submission_id=form-submission-000001"), wantStatus: 422, wantContains: []string{"Còn 22 câu chưa trả lời"}},
		{name: "unknown field", req: post("/s/{Q1}", sipasForm("5", map[string]string{"XX1": "5"})), wantStatus: 400, wantContains: []string{"Phiếu gửi lên có nội dung không hợp lệ"}},
		{name: "value 6", req: post("/s/{Q1}", sipasForm("5", map[string]string{"TT2": "6"})), wantStatus: 422, wantContains: []string{`<fieldset id="q-TT2" class="err"`}},
		{name: "value 0", req: post("/s/{Q1}", sipasForm("5", map[string]string{"TT2": "0"})), wantStatus: 422},
		{name: "invalid UTF-8 comment", req: post("/s/{Q1}", sipasForm("5", nil)+"&comment=%FF%FE"), wantStatus: 400, wantContains: []string{"Nội dung có ký tự không hợp lệ."}},
		{name: "invalid UTF-8 value", req: post("/s/{Q1}", sipasForm("5", nil, "TC1")+"&TC1=%C3"), wantStatus: 400},
		{name: "comment too long", req: post("/s/{Q1}", sipasForm("5", map[string]string{"comment": strings.Repeat("ý", 2001)})), wantStatus: 422, wantContains: []string{"Góp ý dài quá 2000 ký tự."}},
		{name: "oversized body", req: post("/s/{Q1}", sipasForm("5", map[string]string{"comment": strings.Repeat("a", 70<<10)})), wantStatus: 413},
		{name: "oversized body without length", req: coreReq{method: http.MethodPost, url: "/s/{Q1}", body: sipasForm("5", map[string]string{"comment": strings.Repeat("a", 70<<10)}), chunked: true}, wantStatus: 413},
		{name: "malformed form encoding", req: post("/s/{Q1}", sipasForm("5", nil)+"&comment=%zz"), wantStatus: 400},
		{name: "bad submission id", req: post("/s/{Q1}", sipasForm("5", map[string]string{"submission_id": "x"})), wantStatus: 400},
		{name: "double submit stores one", before: []coreReq{post("/s/{Q1}", sipasForm("5", nil))},
			req: post("/s/{Q1}", sipasForm("1", nil)), wantStatus: 303, wantStored: 1,
			check: func(t *testing.T, e *coreEnv, _ *httptest.ResponseRecorder) {
				if r := e.lastResponse(t); r.Answers[0] != 5 {
					t.Fatalf("the retry replaced the first answers: %v", r.Answers)
				}
			}},
		{name: "rotated token", req: post("/s/{ROT}", sipasForm("5", nil)), wantStatus: 410, wantContains: []string{"Mã QR này không còn sử dụng"}},
		{name: "closed counter", req: post("/s/{CLOSED}", sipasForm("5", nil)), wantStatus: 410},
		{name: "forged token", req: post("/s/{FORGED}", sipasForm("5", nil)), wantStatus: 404},
		{name: "honeypot stored flagged", req: post("/s/{Q1}", sipasForm("5", map[string]string{"website": "http://spam.example"})), wantStatus: 303, wantStored: 1,
			check: func(t *testing.T, e *coreEnv, _ *httptest.ResponseRecorder) {
				if r := e.lastResponse(t); r.Flag == "" {
					t.Fatalf("honeypot response not flagged: %+v", r)
				}
			}},
		{name: "quick one tap", req: post("/s/{K1}", "submission_id=quick-submission-0001&OV=4&trips=1&comment=Nhanh"), wantStatus: 303, wantStored: 1,
			check: stored("K1", "D1", "web", 2)},
		{name: "quick on a commune counter", req: post("/s/{C1Q1}", "submission_id=quick-submission-0001&OV=2"), wantStatus: 303, wantStored: 1,
			check: stored("Q1", "C1", "web", 0)},
		{name: "quick without a level", req: post("/s/{K1}", "submission_id=quick-submission-0001&trips=1"), wantStatus: 422,
			wantContains: []string{"Vui lòng chọn một mức đánh giá."}},
		{name: "quick no opinion refused", req: post("/s/{K1}", "submission_id=quick-submission-0001&OV=na"), wantStatus: 422},
		{name: "quick unknown follow-up", req: post("/s/{K1}", "submission_id=quick-submission-0001&OV=5&trips=7"), wantStatus: 400},
		{name: "quick with a sipas item", req: post("/s/{K1}", "submission_id=quick-submission-0001&OV=5&TC1=5"), wantStatus: 400},
	})
}

// gunzip returns the decompressed body.
func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return string(out)
}

func TestCoreSurveyPageWeight(t *testing.T) {
	e := newCoreEnv(t)
	for _, u := range []string{"/s/{Q1}", "/s/{Q1}?lang=en", "/s/{K1}"} {
		w := e.do(t, coreReq{method: http.MethodGet, url: u, header: map[string]string{"Accept-Encoding": "gzip, deflate, br"}})
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
			if r[1] != "/static/favicon.svg" && !strings.HasPrefix(r[1], e.repl.Replace("/s/{Q1}?lang=")) && !strings.HasPrefix(r[1], e.repl.Replace("/s/{K1}?lang=")) {
				t.Fatalf("%s: unexpected reference %q (only the language link and the icon)", u, r[1])
			}
		}
	}
}

func TestCoreSecurityHeaders(t *testing.T) {
	e := newCoreEnv(t)
	for _, r := range []coreReq{get("/s/{Q1}"), get("/s/{ROT}"), get("/api/v1/agencies"), get("/s/{Q1}/poster"), post("/s/{Q1}", "x=1")} {
		w := e.do(t, r)
		h := w.Header()
		want := map[string]string{
			"X-Content-Type-Options":    "nosniff",
			"X-Frame-Options":           "DENY",
			"Referrer-Policy":           "no-referrer",
			"Strict-Transport-Security": "max-age=31536000",
		}
		for k, v := range want {
			if h.Get(k) != v {
				t.Fatalf("%s %s: header %s = %q, want %q", r.method, r.url, k, h.Get(k), v)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, part := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, part) {
				t.Fatalf("%s: CSP %q lacks %q", r.url, csp, part)
			}
		}
	}
	if w := e.do(t, get("/s/{Q1}")); w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("survey form: Cache-Control %q, want no-store (each form has its own submission id)", w.Header().Get("Cache-Control"))
	}
}

func TestCoreQRAndPosters(t *testing.T) {
	runCoreScenarios(t, []coreScenario{
		{name: "PNG", req: get("/s/{Q1}/qr.png"), wantStatus: 200, check: func(t *testing.T, _ *coreEnv, w *httptest.ResponseRecorder) {
			if ct := w.Header().Get("Content-Type"); ct != "image/png" {
				t.Fatalf("got content type %q", ct)
			}
			if !bytes.HasPrefix(w.Body.Bytes(), []byte("\x89PNG\r\n\x1a\n")) {
				t.Fatalf("not a PNG: % x", w.Body.Bytes()[:8])
			}
			img, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatalf("decode PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
				t.Fatalf("got %v, want 512×512", b)
			}
		}},
		{name: "SVG", req: get("/s/{Q1}/qr.svg"), wantStatus: 200, check: func(t *testing.T, _ *coreEnv, w *httptest.ResponseRecorder) {
			if ct := w.Header().Get("Content-Type"); ct != "image/svg+xml" {
				t.Fatalf("got content type %q", ct)
			}
			checkSVG(t, w.Body.Bytes())
		}},
		{name: "PNG of a rotated token", req: get("/s/{ROT}/qr.png"), wantStatus: 410},
		{name: "SVG of a forged token", req: get("/s/{FORGED}/qr.svg"), wantStatus: 404},
		{name: "poster", req: get("/s/{Q1}/poster"), wantStatus: 200,
			wantContains: []string{`<html lang="vi">`, "Sở Tư pháp", "Quầy hộ tịch", coreBase + "/s/{Q1}", "D1/Q1",
				`src="data:image/svg&#43;xml;base64,`, "Quét mã QR"},
			wantNot: []string{"ZgotmplZ"}},
		{name: "poster of a closed counter", req: get("/s/{CLOSED}/poster"), wantStatus: 410},
		{name: "agency sheet", req: coreReq{method: http.MethodGet, url: "/agencies/D1/posters", user: "admin"}, wantStatus: 200,
			wantContains: []string{"Quầy hộ tịch", "Máy tính bảng", "Quầy chứng thực", coreBase + "/s/{Q1}", coreBase + "/s/{ROTNEW}", "3 quầy"},
			wantNot:      []string{"Quầy đã đóng", coreBase + "/s/{ROT}\"", "ZgotmplZ"},
			check: func(t *testing.T, _ *coreEnv, w *httptest.ResponseRecorder) {
				if n := strings.Count(w.Body.String(), `<section class="poster">`); n != 3 {
					t.Fatalf("got %d posters, want the 3 open counters", n)
				}
			}},
		{name: "agency sheet for an official of the agency", req: coreReq{method: http.MethodGet, url: "/agencies/C1/posters", user: "off"}, wantStatus: 200,
			wantContains: []string{"Quầy xã", "UBND xã Nhơn Ái"}},
		{name: "agency sheet outside the official's subtree", req: coreReq{method: http.MethodGet, url: "/agencies/D2/posters", user: "off"}, wantStatus: 403},
		{name: "agency sheet needs a login", req: get("/agencies/D1/posters"), wantStatus: 401},
		{name: "agency sheet of no agency", req: coreReq{method: http.MethodGet, url: "/agencies/NOPE/posters", user: "admin"}, wantStatus: 404},
		{name: "agency sheet without counters", req: coreReq{method: http.MethodGet, url: "/agencies/P/posters", user: "admin"}, wantStatus: 404},
	})
}

// checkSVG checks that b is well-formed XML: an <svg> with a non-empty
// <path d>.
func checkSVG(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root string
	var d string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "path" {
				for _, a := range se.Attr {
					if a.Name.Local == "d" {
						d = a.Value
					}
				}
			}
		}
	}
	if root != "svg" || len(d) < 100 || !strings.HasPrefix(d, "M") {
		t.Fatalf("got root %q and path %.40q, want an svg with a path", root, d)
	}
}

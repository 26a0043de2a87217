package web_test

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

// publicEnv is the standard province with SeedMonths' ratings
// (2025-12 to 2026-05), the clock on 10 June 2026 (last complete month
// 2026-05, quarter 2026-Q1, year 2025), and the given agencies published
// by an admin through the API.
func publicEnv(t *testing.T, codes ...string) *webtest.Env {
	t.Helper()
	e := webtest.New(t)
	e.SeedMonths(t)
	e.SetNow(time.Date(2026, 6, 10, 9, 0, 0, 0, survey.Vietnam))
	for _, c := range codes {
		publish(t, e, c, true)
	}
	return e
}

func publish(t *testing.T, e *webtest.Env, code string, on bool) {
	t.Helper()
	body := `{"public": false}`
	if on {
		body = `{"public": true}`
	}
	w := e.Do(t, webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/" + code, User: "admin", Body: body})
	if w.Code != http.StatusOK {
		t.Fatalf("publish %s: got %d: %s", code, w.Code, w.Body)
	}
	var a survey.Agency
	decodeInto(t, w, &a)
	if a.Public != on || !strings.Contains(w.Body.String(), `"public":`) {
		t.Fatalf("publish %s: got %s", code, w.Body)
	}
}

// The page of a published agency: its periods, its published children
// only, the trend, the explanation; no comments, no counters; the same
// 404 for an unpublished and an unknown agency, in both languages.
func TestPublicPage(t *testing.T) {
	e := publicEnv(t, "P", "D1", "D3")
	w := e.Do(t, webtest.Request{URL: "/p/P"})
	if w.Code != http.StatusOK {
		t.Fatalf("got %d: %s", w.Code, w.Body)
	}
	page := w.Body.String()
	for _, want := range []string{"UBND tỉnh Demo", "Tháng 05/2026", "Quý I/2026", "Năm 2025", "Chỉ số hài lòng chung",
		"Tiếp cận dịch vụ", `<a href="/p/D1">Sở Tư pháp</a>`, `<a href="/p/D3">Sở Xây dựng</a>`, "Khoảng tin cậy 95%",
		"Diễn biến 12 tháng", "<svg", "95 trên 100 lần", "chưa thể nói bên nào tốt hơn", "n = 1.800", `href="/p/P?lang=en"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// D2 and D4 are not published: not named. Nothing of counters or
	// comments (SeedMonths writes some), no script.
	for _, bad := range []string{"Phong Điền", "Sở Tài chính", "D2", "D4", "Quầy", "Cán bộ hướng dẫn", "Phải chờ lâu", "Thủ tục còn rườm rà", "<script", "set_aside"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// Every month of the trend table, June 2025 to May 2026; the months
	// before SeedMonths' first are not reportable.
	if n := strings.Count(between(page, "<details>", "</details>"), `<th scope="row">`); n != 12 {
		t.Errorf("trend table has %d months, want 12", n)
	}
	if !strings.Contains(between(page, "<details>", "</details>"), "06/2025</th><td colspan=\"2\" class=\"thin\">chưa đủ dữ liệu") {
		t.Errorf("June 2025 (no ratings) is not 'chưa đủ dữ liệu'")
	}
	// The inline stylesheet is allowed by the CSP's hash.
	css := between(page, "<style>", "</style>")
	sum := sha256.Sum256([]byte(css))
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("the CSP %q does not allow the page's stylesheet", csp)
	}

	en := e.Do(t, webtest.Request{URL: "/p/P?lang=en"}).Body.String()
	for _, want := range []string{`<html lang="en">`, "Satisfaction results", "Quarter 1 2026", "95 times in 100", `<a href="/p/D1?lang=en">`, `href="/p/P"`} {
		if !strings.Contains(en, want) {
			t.Errorf("English page lacks %q", want)
		}
	}

	// Unpublished (D2), unknown, withdrawn (D3): the same 404.
	publish(t, e, "D3", false)
	for _, lang := range []string{"", "?lang=en"} {
		var bodies []string
		for _, u := range []string{"/p/D2", "/p/NOPE", "/p/D3", "/p/" + strings.Repeat("x", 300)} {
			w := e.Do(t, webtest.Request{URL: u + lang})
			if w.Code != http.StatusNotFound {
				t.Fatalf("%s: got %d, want 404", u, w.Code)
			}
			if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s: Cache-Control %q, want no-store", u, cc)
			}
			bodies = append(bodies, w.Body.String())
		}
		for i, b := range bodies {
			if b != bodies[0] {
				t.Fatalf("404 bodies differ (%d):\n%s\n----\n%s", i, bodies[0], b)
			}
		}
	}
	// A withdrawn child leaves its parent's page.
	if page := e.Do(t, webtest.Request{URL: "/p/P"}).Body.String(); strings.Contains(page, "Sở Xây dựng") || !strings.Contains(page, "Sở Tư pháp") {
		t.Errorf("after D3 is withdrawn, the page of P still lists it or lost D1")
	}
	// The page of a published child links to nothing unpublished.
	if w := e.Do(t, webtest.Request{URL: "/p/D1"}); w.Code != 200 || strings.Contains(w.Body.String(), "Nhơn Ái") {
		t.Errorf("/p/D1: got %d, or it names the unpublished C1", w.Code)
	}
}

// An agency with too few ratings shows "chưa đủ dữ liệu" with its n, and
// no figure; the JSON has null figures.
func TestPublicThinAgency(t *testing.T) {
	e := webtest.New(t)
	e.Seed(t, sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-05-05", N: 12, Value: 5})
	e.SetNow(time.Date(2026, 6, 10, 9, 0, 0, 0, survey.Vietnam))
	publish(t, e, "D3", true)
	page := e.Do(t, webtest.Request{URL: "/p/D3"}).Body.String()
	month := between(page, `id="p-month"`, "</section>")
	if !strings.Contains(month, `<strong class="thin">chưa đủ dữ liệu</strong> <span class="ci">(n = 12)</span>`) {
		t.Fatalf("thin month: %s", month)
	}
	if strings.Contains(month, "100,0%") || strings.Contains(month, "%</td>") {
		t.Fatalf("a figure is shown for n = 12: %s", month)
	}
	var js struct {
		Overall struct {
			Index, CILow, CIHigh *float64
			N                    int64
			Reportable           bool
		}
	}
	w := e.Do(t, webtest.Request{URL: "/api/v1/public/scores?agency=D3"})
	decodeInto(t, w, &js)
	if js.Overall.Index != nil || js.Overall.CILow != nil || js.Overall.CIHigh != nil || js.Overall.N != 12 || js.Overall.Reportable {
		t.Fatalf("thin JSON: %s", w.Body)
	}
	if !strings.Contains(w.Body.String(), `"index":null,"ci_low":null,"ci_high":null,"n":12,"reportable":false`) {
		t.Fatalf("thin JSON: %s", w.Body)
	}
}

// The page's weight: within the citizen form's budget compressed, all
// inline, no script, no external reference.
func TestPublicPageWeight(t *testing.T) {
	e := publicEnv(t, "P", "D1", "D2", "D3", "D4")
	for _, u := range []string{"/p/P", "/p/P?lang=en", "/p/D1"} {
		w := e.Do(t, webtest.Request{URL: u, Header: map[string]string{"Accept-Encoding": "gzip, deflate, br"}})
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: got %d with encoding %q, want 200 gzip", u, w.Code, w.Header().Get("Content-Encoding"))
		}
		if n := w.Body.Len(); n >= 14*1024 {
			t.Fatalf("%s: compressed page is %d bytes, want < 14 KB", u, n)
		}
		t.Logf("%s: %d bytes gzip", u, w.Body.Len())
		page := gunzip(t, w.Body.Bytes())
		if m := regexp.MustCompile(`(?i)(src|href|action)\s*=\s*"(https?:)?//`).FindString(page); m != "" {
			t.Fatalf("%s: external reference %q", u, m)
		}
		for _, bad := range []string{"<script", `rel="stylesheet"`, "@import", "url(", "<form"} {
			if strings.Contains(page, bad) {
				t.Fatalf("%s: page contains %q", u, bad)
			}
		}
	}
}

// Cache headers and a strong ETag of the body as sent; If-None-Match
// gives 304 without a body; HEAD answers the headers alone.
func TestPublicCaching(t *testing.T) {
	e := publicEnv(t, "P", "D1")
	// HEAD through a real HTTP server, which sends no body.
	srv := httptest.NewServer(e.Handler)
	defer srv.Close()
	for _, u := range []string{"/p/P", "/p/P?lang=en", "/api/v1/public/scores?agency=P&period=quarter"} {
		for _, enc := range []string{"", "gzip"} {
			h := map[string]string{"Accept-Encoding": enc}
			w := e.Do(t, webtest.Request{URL: u, Header: h})
			tag := w.Header().Get("ETag")
			if w.Code != 200 || !regexp.MustCompile(`^"[0-9a-f]{32}(-gzip)?"$`).MatchString(tag) {
				t.Fatalf("%s (%s): got %d, ETag %q", u, enc, w.Code, tag)
			}
			if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=300" {
				t.Fatalf("%s: Cache-Control %q", u, cc)
			}
			if again := e.Do(t, webtest.Request{URL: u, Header: h}); again.Header().Get("ETag") != tag || again.Body.String() != w.Body.String() {
				t.Fatalf("%s: a second answer differs", u)
			}
			for _, inm := range []string{tag, `"other", ` + tag, "W/" + tag, "*"} {
				h2 := map[string]string{"Accept-Encoding": enc, "If-None-Match": inm}
				nm := e.Do(t, webtest.Request{URL: u, Header: h2})
				if nm.Code != http.StatusNotModified || nm.Body.Len() != 0 || nm.Header().Get("ETag") != tag {
					t.Fatalf("%s If-None-Match %s: got %d, %d bytes, ETag %q", u, inm, nm.Code, nm.Body.Len(), nm.Header().Get("ETag"))
				}
			}
			if nm := e.Do(t, webtest.Request{URL: u, Header: map[string]string{"Accept-Encoding": enc, "If-None-Match": `"stale"`}}); nm.Code != 200 {
				t.Fatalf("%s with a stale tag: got %d", u, nm.Code)
			}
			head := headOver(t, srv.URL+u, enc)
			if head.StatusCode != 200 || head.Header.Get("ETag") != tag || head.Header.Get("Content-Type") != w.Header().Get("Content-Type") {
				t.Fatalf("HEAD %s: got %d, ETag %q", u, head.StatusCode, head.Header.Get("ETag"))
			}
		}
	}
	// The gzip answer's tag is not the identity answer's: the bytes differ.
	a := e.Do(t, webtest.Request{URL: "/p/P"}).Header().Get("ETag")
	b := e.Do(t, webtest.Request{URL: "/p/P", Header: map[string]string{"Accept-Encoding": "gzip"}}).Header().Get("ETag")
	if a == b {
		t.Fatalf("identity and gzip answers share the ETag %s", a)
	}
	// A change of what is published changes the page and its tag.
	publish(t, e, "D3", true)
	if c := e.Do(t, webtest.Request{URL: "/p/P"}).Header().Get("ETag"); c == a {
		t.Fatalf("publishing D3 left the tag of /p/P as it was")
	}
	if r := headOver(t, srv.URL+"/p/D2", ""); r.StatusCode != 404 {
		t.Fatalf("HEAD /p/D2: got %d", r.StatusCode)
	}
}

// headOver sends HEAD to u and checks that no body came.
func headOver(t *testing.T, u, enc string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodHead, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if enc != "" {
		req.Header.Set("Accept-Encoding", enc)
	}
	r, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if b, _ := io.ReadAll(r.Body); len(b) != 0 {
		t.Fatalf("HEAD %s: %d bytes of body", u, len(b))
	}
	return r
}

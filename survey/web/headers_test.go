package web_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

// checkSecurityHeaders asserts the headers every answer must carry.
func checkSecurityHeaders(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	h := w.Header()
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: Content-Security-Policy %q lacks %q", what, csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
		t.Errorf("%s: Content-Security-Policy is not strict: %q", what, csp)
	}
	for k, want := range map[string]string{
		"X-Content-Type-Options":    "nosniff",
		"Referrer-Policy":           "no-referrer",
		"X-Frame-Options":           "DENY",
		"Strict-Transport-Security": "max-age=31536000",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s: got %q, want %q", what, k, got, want)
		}
	}
	if h.Get("X-Request-Id") == "" {
		t.Errorf("%s: no X-Request-Id", what)
	}
}

// TestSecurityHeaders checks the headers on every route of routeTable (as
// a caller who may use it) and on error pages of each kind.
func TestSecurityHeaders(t *testing.T) {
	e := webtest.New(t)
	flaggedID := e.Flagged(t, "D1/Q1")
	for route, rc := range routeTable {
		user := ""
		if rc.access != accessPublic {
			user = "admin"
		}
		p := strings.NewReplacer("{agency}", "D1", "{token}", e.Token(t, "D1/Q1"), "{id}", strconv.FormatInt(flaggedID, 10))
		method := strings.Fields(route)[0]
		w := e.Do(t, webtest.Request{Method: method, URL: p.Replace(rc.path), Body: p.Replace(rc.body), ContentType: rc.ctype, User: user})
		checkSecurityHeaders(t, route, w)
	}
	for _, r := range []webtest.Request{
		{Method: "GET", URL: "/no/such/page"},
		{Method: "GET", URL: "/api/v1/no-such"},
		{Method: "DELETE", URL: "/healthz"},
		{Method: "GET", URL: "/api/v1/agencies"},
		{Method: "GET", URL: "/s/forged.token"},
		{Method: "POST", URL: "/api/v1/responses", Body: strings.Repeat("x", 100<<10)},
	} {
		w := e.Do(t, r)
		checkSecurityHeaders(t, r.Method+" "+r.URL+" ("+strconv.Itoa(w.Code)+")", w)
	}
	// Plain http deployments get no HSTS (it would lock browsers out).
	plain := webtest.New(t, webtest.WithConfig(web.Config{BaseURL: "http://127.0.0.1:8080"}))
	if got := plain.Do(t, webtest.Request{URL: "/healthz"}).Header().Get("Strict-Transport-Security"); got != "" {
		t.Fatalf("HSTS over http: got %q, want none", got)
	}
}

// TestSecurityHeadersOnSurveyPages checks the headers of the citizen's
// pages and their errors, and that the form is never cached (each has its
// own submission id).
func TestSecurityHeadersOnSurveyPages(t *testing.T) {
	e := webtest.New(t)
	for _, r := range []webtest.Request{
		{URL: "/s/{D1/Q1}"}, {URL: "/s/{ROT}"}, {URL: "/api/v1/agencies"}, {URL: "/s/{D1/Q1}/poster"}, {Method: "POST", URL: "/s/{D1/Q1}", Body: "x=1"},
	} {
		w := e.Do(t, r)
		h := w.Header()
		want := map[string]string{
			"X-Content-Type-Options":    "nosniff",
			"X-Frame-Options":           "DENY",
			"Referrer-Policy":           "no-referrer",
			"Strict-Transport-Security": "max-age=31536000",
		}
		for k, v := range want {
			if h.Get(k) != v {
				t.Fatalf("%s %s: header %s = %q, want %q", r.Method, r.URL, k, h.Get(k), v)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, part := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, part) {
				t.Fatalf("%s: CSP %q lacks %q", r.URL, csp, part)
			}
		}
	}
	if w := e.Do(t, webtest.Request{URL: "/s/{D1/Q1}"}); w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("survey form: Cache-Control %q, want no-store (each form has its own submission id)", w.Header().Get("Cache-Control"))
	}
}

// TestBadInput sends what an attacker might to the citizen's endpoints:
// each gets a 4xx with a clear message and nothing is stored.
func TestBadInput(t *testing.T) {
	e := webtest.New(t)
	tokA := e.Token(t, "D1/Q1")
	// forged changes a character in the middle of the token (every bit of
	// it counts there; the last may carry only padding bits, so changing
	// it can give the same token back).
	mid := len(tokA) / 2
	swap := byte('A')
	if tokA[mid] == 'A' {
		swap = 'B'
	}
	forged := tokA[:mid] + string(swap) + tokA[mid+1:]
	rotatedFrom := e.Token(t, "D2/Q1")
	if _, err := e.DB.RotateCounterToken(t.Context(), "D2", "Q1", survey.Actor{Name: "test"}); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	valid := e.JSONSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
	form := e.FormSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
	withForm := func(k, v string) string {
		f := e.FormSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
		f.Set(k, v)
		return f.Encode()
	}
	jsonWith := func(old, new string) string { return strings.Replace(valid, old, new, 1) }
	big := strings.Repeat("a", 10<<20)
	tests := []struct {
		name, method, path, body, ct string
		chunked                      bool
		want                         int
		wantMsg                      string
	}{
		{"10 MB JSON", "POST", "/api/v1/responses", `{"comment":"` + big + `"}`, "", false, 413, "too large"},
		{"10 MB JSON, chunked", "POST", "/api/v1/responses", `{"comment":"` + big + `"}`, "", true, 413, "too large"},
		{"10 MB form", "POST", "/s/" + tokA, "comment=" + big, "", false, 413, "too large"},
		{"10 MB form, chunked", "POST", "/s/" + tokA, "comment=" + big, "", true, 413, "Nội dung gửi lên quá dài"},
		{"wrong content type", "POST", "/api/v1/responses", valid, "text/plain", false, 415, "application/json"},
		{"form to API", "POST", "/api/v1/responses", form.Encode(), "application/x-www-form-urlencoded", false, 415, "application/json"},
		{"invalid UTF-8 JSON", "POST", "/api/v1/responses", jsonWith(`"answers"`, "\"answers\xff\""), "", false, 400, "UTF-8"},
		{"unknown JSON field", "POST", "/api/v1/responses", jsonWith(`{`, `{"ip":"1.2.3.4",`), "", false, 400, "unknown field"},
		{"trailing data", "POST", "/api/v1/responses", valid + `{}`, "", false, 400, "trailing"},
		{"truncated JSON", "POST", "/api/v1/responses", valid[:len(valid)/2], "", false, 400, "malformed"},
		{"answer out of range", "POST", "/api/v1/responses", jsonWith(`:4`, `:7`), "", false, 400, "1..5"},
		{"answer as string", "POST", "/api/v1/responses", jsonWith(`:4`, `:"4"`), "", false, 400, "1..5"},
		{"answer as float", "POST", "/api/v1/responses", jsonWith(`:4`, `:4.0`), "", false, 400, "1..5"},
		{"answer null", "POST", "/api/v1/responses", jsonWith(`:4`, `:null`), "", false, 400, "1..5"},
		{"unknown item", "POST", "/api/v1/responses", jsonWith(`"answers":{`, `"answers":{"XX9":3,`), "", false, 400, "unknown item"},
		{"SQL in submission id", "POST", "/api/v1/responses", jsonWith(`"submission_id":"`, `"submission_id":"x'); DROP TABLE responses;--`), "", false, 400, "submission_id"},
		{"SQL in token", "POST", "/api/v1/responses", jsonWith(tokA, `' OR 1=1 --`), "", false, 404, "invalid survey token"},
		{"forged token", "POST", "/api/v1/responses", jsonWith(tokA, forged), "", false, 404, "invalid survey token"},
		{"truncated token", "POST", "/api/v1/responses", jsonWith(tokA, tokA[:len(tokA)-5]), "", false, 404, "invalid survey token"},
		{"rotated token", "POST", "/api/v1/responses", jsonWith(tokA, rotatedFrom), "", false, 410, "no longer in use"},
		{"closed counter", "POST", "/api/v1/responses", jsonWith(tokA, e.Token(t, "D1/Z1")), "", false, 410, "no longer in use"},
		{"script in follow-up", "POST", "/api/v1/responses", jsonWith(`{`, `{"followup":"<script>alert(1)</script>",`), "", false, 400, "followup"},
		{"form: unknown field", "POST", "/s/" + tokA, withForm("is_admin", "1"), "", false, 400, "không hợp lệ"},
		{"form: invalid UTF-8", "POST", "/s/" + tokA, withForm("comment", "\xff\xfe"), "", false, 400, "ký tự không hợp lệ"},
		{"form: bad value", "POST", "/s/" + tokA, withForm("TC1", "9"), "", false, 422, "Giá trị không hợp lệ"},
		{"form: SQL as value", "POST", "/s/" + tokA, withForm("TC1", "1' OR '1'='1"), "", false, 422, "Giá trị không hợp lệ"},
		{"form: bad submission id", "POST", "/s/" + tokA, withForm("submission_id", "<script>"), "", false, 400, "không hợp lệ"},
		{"form: forged token", "POST", "/s/" + forged, form.Encode(), "", false, 404, "Mã không hợp lệ"},
		{"form: rotated token", "POST", "/s/" + rotatedFrom, form.Encode(), "", false, 410, "không còn sử dụng"},
		{"form: long token", "POST", "/s/" + strings.Repeat("A", 5000), form.Encode(), "", false, 404, "Mã không hợp lệ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := tt.ct
			if ct == "" && strings.HasPrefix(tt.path, "/api/") {
				ct = "application/json"
			} else if ct == "" {
				ct = "application/x-www-form-urlencoded"
			}
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", ct)
			if tt.chunked {
				req.ContentLength = -1
			}
			w := httptest.NewRecorder()
			e.Handler.ServeHTTP(w, req)
			if w.Code != tt.want {
				t.Fatalf("got %d, want %d: %.300s", w.Code, tt.want, w.Body)
			}
			if !strings.Contains(w.Body.String(), tt.wantMsg) {
				t.Fatalf("answer lacks %q: %.500s", tt.wantMsg, w.Body)
			}
			if strings.HasPrefix(tt.path, "/api/") && !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
				t.Fatalf("API error is not JSON: %q", w.Header().Get("Content-Type"))
			}
		})
	}
	if got := e.Responses(t); got != 0 {
		t.Fatalf("responses stored by bad requests: got %d, want 0", got)
	}
	if got := e.Count(t, `SELECT count(*) FROM sqlite_master WHERE name = 'responses'`); got != 1 {
		t.Fatalf("the responses table is gone")
	}
	// A script in a comment is text: stored as is, never markup.
	sid := sqlitetest.SubmissionID()
	w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: strings.Replace(e.JSONSubmission(t, "D1/Q1", sid), `{`, `{"comment":"<script>alert(1)</script>",`, 1)})
	if w.Code != http.StatusCreated {
		t.Fatalf("comment with markup: got %d, want 201: %s", w.Code, w.Body)
	}
	if got := e.Count(t, `SELECT count(*) FROM responses WHERE submission_id = ? AND comment = '<script>alert(1)</script>'`, sid); got != 1 {
		t.Fatalf("comment not stored verbatim")
	}
}

// TestHeadOnPublicRoutes: HEAD on every public GET route answers like GET —
// same status and content type — without a body, through a real server.
func TestHeadOnPublicRoutes(t *testing.T) {
	e := webtest.New(t)
	srv := httptest.NewServer(e.Handler)
	t.Cleanup(srv.Close)
	tok := e.Token(t, "D1/Q1")
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/static/survey.css", "/favicon.ico",
		"/s/" + tok, "/s/" + tok + "/thanks", "/s/" + tok + "/qr.png", "/s/" + tok + "/qr.svg", "/s/" + tok + "/poster",
		"/s/not-a-token", "/login"} {
		t.Run(path, func(t *testing.T) {
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			get, err := client.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			get.Body.Close()
			req, _ := http.NewRequest(http.MethodHead, srv.URL+path, nil)
			head, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer head.Body.Close()
			var buf [1]byte
			n, _ := head.Body.Read(buf[:])
			if head.StatusCode != get.StatusCode || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") || n != 0 {
				t.Fatalf("HEAD: %d %q with %d body bytes; GET: %d %q", head.StatusCode, head.Header.Get("Content-Type"), n,
					get.StatusCode, get.Header.Get("Content-Type"))
			}
		})
	}
}

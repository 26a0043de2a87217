package web_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web"
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
	e := newSecEnv(t, web.Config{})
	flaggedID := e.flaggedResponse("A/Q1")
	for route, rc := range routeTable {
		user := ""
		if rc.access != accessPublic {
			user = "admin"
		}
		p := strings.NewReplacer("{agency}", "A", "{token}", e.tokens["A/Q1"], "{id}", strconv.FormatInt(flaggedID, 10))
		method := strings.Fields(route)[0]
		w := e.do(secReq{method: method, path: p.Replace(rc.path), body: p.Replace(rc.body), user: user})
		checkSecurityHeaders(t, route, w)
	}
	for _, r := range []secReq{
		{method: "GET", path: "/no/such/page"},
		{method: "GET", path: "/api/v1/no-such"},
		{method: "DELETE", path: "/healthz"},
		{method: "GET", path: "/api/v1/agencies"},
		{method: "GET", path: "/s/forged.token"},
		{method: "POST", path: "/api/v1/responses", body: strings.Repeat("x", 100<<10)},
	} {
		w := e.do(r)
		checkSecurityHeaders(t, r.method+" "+r.path+" ("+strconv.Itoa(w.Code)+")", w)
	}
	// Plain http deployments get no HSTS (it would lock browsers out).
	plain := newSecEnv(t, web.Config{BaseURL: "http://127.0.0.1:8080"})
	if got := plain.do(secReq{method: "GET", path: "/healthz"}).Header().Get("Strict-Transport-Security"); got != "" {
		t.Fatalf("HSTS over http: got %q, want none", got)
	}
}

// TestBadInput sends what an attacker might to the citizen's endpoints:
// each gets a 4xx with a clear message and nothing is stored.
func TestBadInput(t *testing.T) {
	e := newSecEnv(t, web.Config{})
	tokA := e.tokens["A/Q1"]
	rotatedFrom := e.tokens["B/Q1"]
	if _, err := e.db.RotateCounterToken(t.Context(), "B", "Q1", actorTest); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	valid := e.jsonSubmission("A/Q1", secSubmissionID())
	form := e.formSubmission("A/Q1", secSubmissionID())
	withForm := func(k, v string) string {
		f := e.formSubmission("A/Q1", secSubmissionID())
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
		{"forged token", "POST", "/api/v1/responses", jsonWith(tokA, tokA[:len(tokA)-2]+"AA"), "", false, 404, "invalid survey token"},
		{"truncated token", "POST", "/api/v1/responses", jsonWith(tokA, tokA[:len(tokA)-5]), "", false, 404, "invalid survey token"},
		{"rotated token", "POST", "/api/v1/responses", jsonWith(tokA, rotatedFrom), "", false, 410, "no longer in use"},
		{"closed counter", "POST", "/api/v1/responses", jsonWith(tokA, e.tokens["A/OLD"]), "", false, 410, "no longer in use"},
		{"script in follow-up", "POST", "/api/v1/responses", jsonWith(`{`, `{"followup":"<script>alert(1)</script>",`), "", false, 400, "followup"},
		{"form: unknown field", "POST", "/s/" + tokA, withForm("is_admin", "1"), "", false, 400, "không hợp lệ"},
		{"form: invalid UTF-8", "POST", "/s/" + tokA, withForm("comment", "\xff\xfe"), "", false, 400, "ký tự không hợp lệ"},
		{"form: bad value", "POST", "/s/" + tokA, withForm("TC1", "9"), "", false, 422, "Giá trị không hợp lệ"},
		{"form: SQL as value", "POST", "/s/" + tokA, withForm("TC1", "1' OR '1'='1"), "", false, 422, "Giá trị không hợp lệ"},
		{"form: bad submission id", "POST", "/s/" + tokA, withForm("submission_id", "<script>"), "", false, 400, "không hợp lệ"},
		{"form: forged token", "POST", "/s/" + tokA[:len(tokA)-2] + "AA", form.Encode(), "", false, 404, "Mã không hợp lệ"},
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
			e.h.ServeHTTP(w, req)
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
	if got := e.count(`SELECT count(*) FROM responses`); got != 0 {
		t.Fatalf("responses stored by bad requests: got %d, want 0", got)
	}
	if got := e.count(`SELECT count(*) FROM sqlite_master WHERE name = 'responses'`); got != 1 {
		t.Fatalf("the responses table is gone")
	}
	// A script in a comment is text: stored as is, never markup.
	sid := secSubmissionID()
	w := e.do(secReq{method: "POST", path: "/api/v1/responses", body: strings.Replace(e.jsonSubmission("A/Q1", sid), `{`, `{"comment":"<script>alert(1)</script>",`, 1)})
	if w.Code != http.StatusCreated {
		t.Fatalf("comment with markup: got %d, want 201: %s", w.Code, w.Body)
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE submission_id = ? AND comment = '<script>alert(1)</script>'`, sid); got != 1 {
		t.Fatalf("comment not stored verbatim")
	}
}

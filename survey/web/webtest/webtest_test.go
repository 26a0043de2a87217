package webtest_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestSipasItemsAreTheInstruments(t *testing.T) {
	in, err := sqlitetest.Instruments(t).Current("sipas-2017")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, it := range in.Items {
		codes = append(codes, it.Code)
	}
	if !slices.Equal(codes, webtest.SipasItems()) {
		t.Fatalf("SipasItems %v, instrument %v", webtest.SipasItems(), codes)
	}
}

func TestPlaceholders(t *testing.T) {
	e := webtest.New(t)
	r1 := e.Counter(t, "D1/R1")
	for in, want := range map[string]string{
		"/s/{D1/Q1}":               "/s/" + e.Token(t, "D1/Q1"),
		"{C1/Q1},{D4/Q1}":          e.Token(t, "C1/Q1") + "," + e.Token(t, "D4/Q1"),
		"?kiosk={KIOSK:D1/K1}":     "?kiosk=" + e.KioskKey(t, "D1/K1"),
		"{ROT}":                    e.Signer.Token(r1.ID, 1),
		"{D1/R1}":                  e.Signer.Token(r1.ID, 2),
		`{"token": "{D1/Q1}"} {x}`: `{"token": "` + e.Token(t, "D1/Q1") + `"} {x}`,
	} {
		if got := e.Replace(in); got != want {
			t.Fatalf("Replace(%q) = %q, want %q", in, got, want)
		}
	}
	if _, _, err := e.Signer.Verify(e.Replace("{FORGED}")); err == nil {
		t.Fatalf("{FORGED} verifies")
	}
	// Tokens are those of when the Env was made, so a scenario can rotate a
	// counter and check that its old code is refused.
	old := e.Replace("{D1/Q1}")
	if _, err := e.DB.RotateCounterToken(t.Context(), "D1", "Q1", survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if e.Replace("{D1/Q1}") != old || e.Token(t, "D1/Q1") == old {
		t.Fatalf("placeholder followed the rotation, or the token did not change")
	}
}

func TestClockAndLog(t *testing.T) {
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 3}))
	if !e.Now().Equal(webtest.Start()) || e.DB.Now() != e.Now() {
		t.Fatalf("clock at %v (database %v), want %v for both", e.Now(), e.DB.Now(), webtest.Start())
	}
	e.Advance(time.Hour)
	if want := webtest.Start().Add(time.Hour); !e.Now().Equal(want) {
		t.Fatalf("after Advance: %v, want %v", e.Now(), want)
	}
	e.SetNow(time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC))
	if e.Now().Year() != 2027 || e.DB.Now().Year() != 2027 {
		t.Fatalf("after SetNow: %v, %v", e.Now(), e.DB.Now())
	}
	if e.Config.BaseURL != webtest.BaseURL || e.Config.RateLimit != 3 {
		t.Fatalf("config %+v, want the default base URL and rate limit 3", e.Config)
	}
	w := e.Do(t, webtest.Request{Method: http.MethodPost, URL: "/api/v1/responses", Body: e.JSONSubmission(t, "D1/K1", sqlitetest.SubmissionID())})
	if w.Code != http.StatusCreated {
		t.Fatalf("submission: got %d %s", w.Code, w.Body)
	}
	if r := e.LastResponse(t); r.LocalDate != "2027-01-02" {
		t.Fatalf("stored on %s, want the Env's day 2027-01-02", r.LocalDate)
	}
	if !strings.Contains(e.Log.String(), `"route":"/api/v1/responses"`) {
		t.Fatalf("log lacks the request: %s", e.Log.String())
	}
}

func TestRequestDefaults(t *testing.T) {
	e := webtest.New(t)
	for _, tt := range []struct {
		r        webtest.Request
		method   string
		ct, user string
	}{
		{webtest.Request{URL: "/healthz"}, "GET", "", ""},
		{webtest.Request{Method: "POST", URL: "/api/v1/agencies", User: "off"}, "POST", "application/json", "off"},
		{webtest.Request{Method: "POST", URL: "/s/x"}, "POST", "application/x-www-form-urlencoded", ""},
		{webtest.Request{Method: "POST", URL: "/s/x", ContentType: "-"}, "POST", "", ""},
		{webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D1", User: "wrongpw"}, "PATCH", "application/json", "admin"},
	} {
		req := e.NewRequest(tt.r)
		name, pw, _ := req.BasicAuth()
		if req.Method != tt.method || req.Header.Get("Content-Type") != tt.ct || name != tt.user {
			t.Fatalf("%+v: got %s %q as %q", tt.r, req.Method, req.Header.Get("Content-Type"), name)
		}
		if want := sqlitetest.Password; name != "" && (pw == want) == (tt.r.User == "wrongpw") {
			t.Fatalf("%+v: password %q", tt.r, pw)
		}
	}
}

func TestRunAndClient(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "form", URL: "/s/{D2/Q1}", WantStatus: 200, WantContains: []string{`action="/s/{D2/Q1}"`, "Quầy đất đai"}},
		{Name: "replay", Method: "POST", URL: "/api/v1/responses", WantStatus: 200, WantStored: 1, WantContains: []string{`"replay":true`},
			Body:   webtest.ResponseBody("{D3/Q1}", "webtest-replay-000001", webtest.SipasAnswers("4", nil)),
			Before: []webtest.Request{{Method: "POST", URL: "/api/v1/responses", Body: webtest.ResponseBody("{D3/Q1}", "webtest-replay-000001", webtest.SipasAnswers("4", nil))}}},
		{Name: "session", Session: "off2", URL: "/dashboard", WantStatus: 303,
			Check: func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
				if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/dashboard/overview/D2") {
					t.Fatalf("got Location %q, want off2's overview", loc)
				}
			}},
		{Name: "session form", Session: "admin", Method: "POST", URL: "/dashboard/agency/D3/counters", Body: "code=N1&name=Quầy+mới&instrument=quick", WantStatus: 303,
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if n := e.Count(t, `SELECT count(*) FROM counters WHERE code = 'N1'`); n != 1 {
					t.Fatalf("got %d new counters, want 1", n)
				}
			}},
	})

	e := webtest.New(t)
	c := e.Client(t)
	if w := c.Get("/dashboard"); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("anonymous: got %d %q", w.Code, w.Header().Get("Location"))
	}
	c.Login("off")
	if c.Token == "" || c.Jar["sipas_session"] == "" {
		t.Fatalf("signed in without a CSRF token or a session cookie: %+v", c)
	}
	if w := c.Post("/logout", url.Values{}); w.Code != http.StatusSeeOther {
		t.Fatalf("logout: got %d", w.Code)
	}
	if _, ok := c.Jar["sipas_session"]; ok {
		t.Fatalf("session cookie kept after logout")
	}
	if n := e.Count(t, `SELECT count(*) FROM sessions`); n != 0 {
		t.Fatalf("got %d sessions after logout, want 0", n)
	}
	if id := e.Flagged(t, "D1/Q1"); id == 0 || e.Count(t, `SELECT count(*) FROM responses WHERE id = ? AND flag = 'honeypot'`, id) != 1 {
		t.Fatalf("Flagged: response %d is not flagged", id)
	}
	if e.Respondents(t, "D1") != 0 {
		t.Fatalf("a flagged response counts in the indices")
	}
	if c := e.AddCounter(t, "C1/S1", "sipas-2017"); c.ID == 0 || e.Counter(t, "C1/S1").Instrument != "sipas-2017" {
		t.Fatalf("AddCounter: %+v", c)
	}
}

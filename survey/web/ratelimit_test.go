package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

// TestRateLimitThroughRouter drives the form and the API from one address:
// past the limit responses are kept but flagged (the citizen still sees
// thanks), past the hard cap they get 429 with a clear message, and the
// address is stored nowhere: not in the database, not in the log.
func TestRateLimitThroughRouter(t *testing.T) {
	const ip = "203.0.113.77"
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 1}))
	logBuf := e.Log

	tests := []struct {
		name    string
		counter string
		form    bool
	}{
		{"api", "D1/Q1", false},
		{"form", "D2/Q1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			okStatus := http.StatusCreated
			if tt.form {
				okStatus = http.StatusSeeOther
			}
			var sids []string
			for i := range survey.HardCapFactor + 1 {
				sid := sqlitetest.SubmissionID()
				r := webtest.Request{Method: "POST", Remote: ip + ":40000"}
				if tt.form {
					r.URL, r.Body = "/s/"+e.Token(t, tt.counter), e.FormSubmission(t, tt.counter, sid).Encode()
				} else {
					r.URL, r.Body = "/api/v1/responses", e.JSONSubmission(t, tt.counter, sid)
				}
				w := e.Do(t, r)
				if i < survey.HardCapFactor {
					if w.Code != okStatus {
						t.Fatalf("submission %d: got %d, want %d: %s", i+1, w.Code, okStatus, w.Body)
					}
					sids = append(sids, sid)
					continue
				}
				if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
					t.Fatalf("submission past the hard cap: got %d (Retry-After %q), want 429 with Retry-After", w.Code, w.Header().Get("Retry-After"))
				}
				wantMsg := "too many submissions"
				if tt.form {
					wantMsg = "Đã gửi quá nhiều phiếu"
				}
				if !strings.Contains(w.Body.String(), wantMsg) {
					t.Fatalf("429 body lacks %q: %s", wantMsg, w.Body)
				}
				if n := e.Count(t, `SELECT count(*) FROM responses WHERE submission_id = ?`, sid); n != 0 {
					t.Fatalf("a 429 submission was stored")
				}
			}
			if got := e.Count(t, `SELECT count(*) FROM responses WHERE submission_id = ? AND flag = ''`, sids[0]); got != 1 {
				t.Fatalf("first submission: want it stored unflagged")
			}
			for _, sid := range sids[1:] {
				if got := e.Count(t, `SELECT count(*) FROM responses WHERE submission_id = ? AND flag = 'rate_limited'`, sid); got != 1 {
					t.Fatalf("submission %s past the limit: want it stored flagged rate_limited", sid)
				}
			}
			agency := strings.Split(tt.counter, "/")[0]
			if got := e.Respondents(t, agency); got != 1 {
				t.Fatalf("respondents of %s: got %d, want 1 (flagged ones are out of the index)", agency, got)
			}
			// Another client at the same counter is not affected.
			w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: e.JSONSubmission(t, tt.counter, sqlitetest.SubmissionID()), Remote: "198.51.100.1:1"})
			if w.Code != http.StatusCreated {
				t.Fatalf("other client: got %d, want 201", w.Code)
			}
		})
	}
	if strings.Contains(logBuf.String(), ip) {
		t.Fatalf("the log holds the client address:\n%s", logBuf.String())
	}
	if !strings.Contains(logBuf.String(), `"route":"/api/v1/responses"`) {
		t.Fatalf("the request log lacks the route:\n%s", logBuf.String())
	}
	e.Close(t) // checkpoint, so everything is in the main file
	raw, err := os.ReadFile(e.Path)
	if err != nil {
		t.Fatalf("read database: %v", err)
	}
	if bytes.Contains(raw, []byte(ip)) {
		t.Fatalf("the database file holds the client address")
	}
}

// TestRateLimitNoHourBoundary: through the router, on the server's clock.
// The limit holds over any hour: a client sending the limit just before a
// full hour and again just after has the second lot flagged (before, the
// count restarted at each clock hour and both lots counted), and the hard
// cap counts the same way, with a Retry-After saying when one more will be
// taken (before: the seconds to the next clock hour).
func TestRateLimitNoHourBoundary(t *testing.T) {
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 2}))
	post := func() *httptest.ResponseRecorder {
		return e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: e.JSONSubmission(t, "D1/Q1", sqlitetest.SubmissionID()), Remote: "203.0.113.9:4000"})
	}
	e.SetNow(time.Date(2026, 4, 15, 10, 59, 0, 0, survey.Vietnam))
	for range 2 {
		if w := post(); w.Code != http.StatusCreated {
			t.Fatalf("before the hour: got %d, want 201", w.Code)
		}
	}
	e.SetNow(time.Date(2026, 4, 15, 11, 0, 30, 0, survey.Vietnam))
	for range 2 {
		if w := post(); w.Code != http.StatusCreated {
			t.Fatalf("after the hour: got %d, want 201 (flagged, not refused)", w.Code)
		}
	}
	if n := e.Count(t, `SELECT count(*) FROM responses WHERE flag = 'rate_limited'`); n != 2 {
		t.Fatalf("flagged across the hour: got %d, want 2", n)
	}
	// The hard cap is 20 an hour: 16 more are stored (flagged), the next is
	// refused until a twentieth of an hour after the first two has passed.
	for i := range 16 {
		if w := post(); w.Code != http.StatusCreated {
			t.Fatalf("submission %d: got %d, want 201", 5+i, w.Code)
		}
	}
	w := post()
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "90" {
		t.Fatalf("past the hard cap: got %d with Retry-After %q, want 429 with 90", w.Code, w.Header().Get("Retry-After"))
	}
	e.Advance(90 * time.Second)
	if w := post(); w.Code != http.StatusCreated {
		t.Fatalf("after Retry-After: got %d, want 201", w.Code)
	}
}

// TestRateLimitDailyCap: a client keeping to the hourly limit all day has
// survey.DailyFactor times it counted; the rest is stored flagged, never
// refused (many citizens may share one address). Before, every one counted.
func TestRateLimitDailyCap(t *testing.T) {
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 1}))
	e.SetNow(time.Date(2026, 4, 15, 7, 0, 0, 0, survey.Vietnam))
	const n = survey.DailyFactor + 3
	for i := range n {
		f := e.FormSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
		if w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/{D1/Q1}", Body: f.Encode(), Remote: "203.0.113.9:4000"}); w.Code != http.StatusSeeOther {
			t.Fatalf("submission %d: got %d, want 303 (thanks)", i+1, w.Code)
		}
		e.Advance(time.Hour)
	}
	if got := e.Respondents(t, "D1"); got != survey.DailyFactor {
		t.Fatalf("counted: got %d, want %d", got, survey.DailyFactor)
	}
	if got := e.Count(t, `SELECT count(*) FROM responses WHERE flag = 'rate_limited'`); got != n-survey.DailyFactor {
		t.Fatalf("flagged: got %d, want %d", got, n-survey.DailyFactor)
	}
}

func TestRateLimitOff(t *testing.T) {
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 0}))
	for i := range 30 {
		w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: e.JSONSubmission(t, "D1/Q1", sqlitetest.SubmissionID())})
		if w.Code != http.StatusCreated {
			t.Fatalf("submission %d with --rate-limit 0: got %d, want 201", i+1, w.Code)
		}
	}
	if got := e.Count(t, `SELECT count(*) FROM responses WHERE flag != ''`); got != 0 {
		t.Fatalf("flagged with the limit off: got %d, want 0", got)
	}
}

// The counter's own tablet (signed kiosk key) serves every citizen of the
// counter from one address: it gets survey.KioskFactor times the rate limit; a
// plain kiosk=1 or a phone does not.
func TestKioskRateLimit(t *testing.T) {
	limit := webtest.WithConfig(web.Config{RateLimit: 2})
	e := webtest.New(t, limit)
	key := e.KioskKey(t, "D1/Q1")
	post := func(kiosk string) {
		f := e.FormSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
		if kiosk != "" {
			f.Set("kiosk", kiosk)
		}
		if w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/{D1/Q1}", Body: f.Encode(), Remote: "203.0.113.7:5000"}); w.Code != http.StatusSeeOther {
			t.Fatalf("kiosk %q: got %d", kiosk, w.Code)
		}
	}
	for i := 0; i < 12; i++ {
		post(key)
	}
	if n := e.Count(t, `SELECT count(*) FROM responses WHERE channel = 'kiosk' AND flag = ''`); n != 12 {
		t.Fatalf("kiosk tablet: %d of 12 counted, want all (limit 2 × %d)", n, survey.KioskFactor)
	}
	e2 := webtest.New(t, limit)
	for i := 0; i < 5; i++ {
		f := e2.FormSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
		f.Set("kiosk", "1")
		e2.Do(t, webtest.Request{Method: "POST", URL: "/s/{D1/Q1}", Body: f.Encode(), Remote: "203.0.113.7:5000"})
	}
	if n := e2.Count(t, `SELECT count(*) FROM responses WHERE flag = 'rate_limited'`); n != 3 {
		t.Fatalf("unsigned kiosk: %d flagged, want 3 of 5 over the limit of 2", n)
	}
	// The API: a tablet sends the key; a wrong key is refused.
	body, _ := json.Marshal(map[string]any{"token": e.Token(t, "D1/Q1"), "submission_id": sqlitetest.SubmissionID(), "answers": e.Answers(t, "D1/Q1", 4), "kiosk": "wrong-key"})
	if w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: string(body)}); w.Code != http.StatusBadRequest {
		t.Fatalf("wrong kiosk key: got %d", w.Code)
	}
	body, _ = json.Marshal(map[string]any{"token": e.Token(t, "D1/Q1"), "submission_id": sqlitetest.SubmissionID(), "answers": e.Answers(t, "D1/Q1", 4), "kiosk": key})
	if w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: string(body)}); w.Code != http.StatusCreated {
		t.Fatalf("kiosk key over the API: got %d %s", w.Code, w.Body.String())
	}
	// Only admins see the kiosk URL.
	if w := e.Do(t, webtest.Request{URL: "/api/v1/agencies/D1/counters/Q1", User: "off"}); strings.Contains(w.Body.String(), "kiosk_url") {
		t.Fatalf("official sees the kiosk URL")
	}
	if w := e.Do(t, webtest.Request{URL: "/api/v1/agencies/D1/counters/Q1", User: "admin"}); !strings.Contains(w.Body.String(), "kiosk="+key) {
		t.Fatalf("admin does not see the kiosk URL: %s", w.Body.String())
	}
}

// TestRateLimitReplaysAreFree: retrying a stored rating (a slow link, a
// double tap) is answered as the replay it is however often it comes — it
// neither uses up the client's allowance nor gets 429 past the hard cap —
// while new ratings from the client are still limited.
func TestRateLimitReplaysAreFree(t *testing.T) {
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 1}))
	const remote = "203.0.113.9:4000"
	body := e.JSONSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
	post := func(body string) *httptest.ResponseRecorder {
		return e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses", Body: body, Remote: remote})
	}
	if w := post(body); w.Code != http.StatusCreated {
		t.Fatalf("first: got %d %s", w.Code, w.Body)
	}
	for i := range 3 * survey.HardCapFactor {
		if w := post(body); w.Code != http.StatusOK {
			t.Fatalf("replay %d: got %d, want 200: %s", i+1, w.Code, w.Body)
		}
	}
	form := e.FormSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
	for i := range 3 * survey.HardCapFactor {
		w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/" + e.Token(t, "D1/Q1"), Body: form.Encode(), Remote: remote})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("form %d (a replay after the first): got %d, want 303", i+1, w.Code)
		}
	}
	// The one new rating besides the first is over the limit of 1: flagged.
	if n := e.Count(t, `SELECT count(*) FROM responses WHERE flag = ''`); n != 1 {
		t.Fatalf("counted: %d, want 1", n)
	}
	if n := e.Count(t, `SELECT count(*) FROM responses WHERE flag = 'rate_limited'`); n != 1 {
		t.Fatalf("flagged: %d, want 1", n)
	}
}

package web_test

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web"
)

// TestRateLimitThroughRouter drives the form and the API from one address:
// past the limit responses are kept but flagged (the citizen still sees
// thanks), past the hard cap they get 429 with a clear message, and the
// address is stored nowhere: not in the database, not in the log.
func TestRateLimitThroughRouter(t *testing.T) {
	const ip = "203.0.113.77"
	e := newSecEnv(t, web.Config{RateLimit: 1})
	logBuf := e.logs

	tests := []struct {
		name    string
		counter string
		form    bool
	}{
		{"api", "A/Q1", false},
		{"form", "B/Q1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			okStatus := http.StatusCreated
			if tt.form {
				okStatus = http.StatusSeeOther
			}
			var sids []string
			for i := range survey.HardCapFactor + 1 {
				sid := secSubmissionID()
				r := secReq{method: "POST", remote: ip + ":40000"}
				if tt.form {
					r.path, r.body = "/s/"+e.tokens[tt.counter], e.formSubmission(tt.counter, sid).Encode()
				} else {
					r.path, r.body = "/api/v1/responses", e.jsonSubmission(tt.counter, sid)
				}
				w := e.do(r)
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
				if n := e.count(`SELECT count(*) FROM responses WHERE submission_id = ?`, sid); n != 0 {
					t.Fatalf("a 429 submission was stored")
				}
			}
			if got := e.count(`SELECT count(*) FROM responses WHERE submission_id = ? AND flag = ''`, sids[0]); got != 1 {
				t.Fatalf("first submission: want it stored unflagged")
			}
			for _, sid := range sids[1:] {
				if got := e.count(`SELECT count(*) FROM responses WHERE submission_id = ? AND flag = 'rate_limited'`, sid); got != 1 {
					t.Fatalf("submission %s past the limit: want it stored flagged rate_limited", sid)
				}
			}
			agency := strings.Split(tt.counter, "/")[0]
			if got := e.respondents(agency); got != 1 {
				t.Fatalf("respondents of %s: got %d, want 1 (flagged ones are out of the index)", agency, got)
			}
			// Another client at the same counter is not affected.
			w := e.do(secReq{method: "POST", path: "/api/v1/responses", body: e.jsonSubmission(tt.counter, secSubmissionID()), remote: "198.51.100.1:1"})
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
	e.db.Close() // checkpoint, so everything is in the main file
	raw, err := os.ReadFile(e.db.Path)
	if err != nil {
		t.Fatalf("read database: %v", err)
	}
	if bytes.Contains(raw, []byte(ip)) {
		t.Fatalf("the database file holds the client address")
	}
}

func TestRateLimitOff(t *testing.T) {
	e := newSecEnv(t, web.Config{RateLimit: 0})
	for i := range 30 {
		w := e.do(secReq{method: "POST", path: "/api/v1/responses", body: e.jsonSubmission("A/Q1", secSubmissionID())})
		if w.Code != http.StatusCreated {
			t.Fatalf("submission %d with --rate-limit 0: got %d, want 201", i+1, w.Code)
		}
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE flag != ''`); got != 0 {
		t.Fatalf("flagged with the limit off: got %d, want 0", got)
	}
}

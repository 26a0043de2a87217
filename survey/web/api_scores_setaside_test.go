package web_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

// april is the period of seedSetAside's ratings; its previous period is
// March.
const april = "period=custom&from=2026-04-01&to=2026-04-30"

// seedSetAside submits through the router, under a rate limit of 2 per
// client and counter, ratings some of which are flagged, and reviews two:
//
//   - March 20: one honeypot hit at D1/Q1;
//   - April 15 (webtest.Start), sipas-2017: five API ratings at D1/Q1 from
//     one address (2 counted, 3 rate_limited), three at D2/Q1 from another
//     (2 counted, 1 rate_limited), three honeypot hits at D1/Q1, one of them
//     accepted (counted) and one rejected (still set aside);
//   - April 15, quick: one honeypot hit at D1/K1 (another instrument).
//
// So in April D1 has 3 respondents and 5 set aside, D2 2 and 1, P 5 and 6;
// in March D1 (and P) has 1 set aside.
func seedSetAside(t *testing.T) *webtest.Env {
	t.Helper()
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 2}))
	e.SetNow(time.Date(2026, 3, 20, 10, 0, 0, 0, survey.Vietnam))
	e.Flagged(t, "D1/Q1")
	e.SetNow(webtest.Start())
	for _, s := range []struct {
		counter, remote string
		n               int
	}{{"D1/Q1", "203.0.113.10:40000", 5}, {"D2/Q1", "203.0.113.11:40000", 3}} {
		for range s.n {
			w := e.Do(t, webtest.Request{Method: http.MethodPost, URL: "/api/v1/responses", Remote: s.remote,
				Body: e.JSONSubmission(t, s.counter, sqlitetest.SubmissionID())})
			if w.Code != http.StatusCreated {
				t.Fatalf("submit at %s: got %d, want 201: %s", s.counter, w.Code, w.Body)
			}
		}
	}
	if got := e.Count(t, `SELECT count(*) FROM responses WHERE flag = ?`, survey.FlagRateLimited); got != 4 {
		t.Fatalf("rate-limited ratings: got %d, want 4 (3 at D1, 1 at D2)", got)
	}
	accept, reject := e.Flagged(t, "D1/Q1"), e.Flagged(t, "D1/Q1")
	e.Flagged(t, "D1/Q1")
	e.Flagged(t, "D1/K1")
	for id, verb := range map[int64]string{accept: "accept", reject: "reject"} {
		w := e.Do(t, webtest.Request{Method: http.MethodPost, URL: "/api/v1/flagged/" + strconv.FormatInt(id, 10) + "/" + verb, Body: `{}`, User: "admin"})
		if w.Code != http.StatusOK {
			t.Fatalf("%s %d: got %d, want 200: %s", verb, id, w.Code, w.Body)
		}
	}
	return e
}

// TestScoresSetAside: every score object of the API says how many of its
// subtree's ratings were set aside in its period, an agency's own and its
// descendants', accepted ones no longer among them and rejected ones
// still.
func TestScoresSetAside(t *testing.T) {
	e := seedSetAside(t)
	get := func(url string, v any) {
		t.Helper()
		w := e.Do(t, webtest.Request{URL: url, User: "admin"})
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: got %d, want 200: %s", url, w.Code, w.Body)
		}
		decodeInto(t, w, v)
	}
	type scores struct {
		Respondents int64  `json:"respondents"`
		SetAside    *int64 `json:"set_aside"` // never left out, 0 included
		Previous    struct {
			SetAside int64 `json:"set_aside"`
		} `json:"previous"`
	}
	tests := []struct {
		agency, from, to        string
		respondents, set, prevS int64
	}{
		{"D1", "2026-04-01", "2026-04-30", 3, 5, 1},
		{"P", "2026-04-01", "2026-04-30", 5, 6, 1},
		{"D2", "2026-04-01", "2026-04-30", 2, 1, 0},
		{"D3", "2026-04-01", "2026-04-30", 0, 0, 0},
		{"D1", "2026-03-01", "2026-03-31", 0, 1, 0},
		{"D1", "2026-04-16", "2026-04-30", 0, 0, 5}, // previous: 1 to 15 April
	}
	for _, tt := range tests {
		var s scores
		get("/api/v1/scores?agency="+tt.agency+"&from="+tt.from+"&to="+tt.to, &s)
		if s.SetAside == nil {
			t.Fatalf("scores of %s %s..%s: no set_aside", tt.agency, tt.from, tt.to)
		}
		if s.Respondents != tt.respondents || *s.SetAside != tt.set || s.Previous.SetAside != tt.prevS {
			t.Errorf("scores of %s %s..%s: respondents %d, set_aside %d, previous.set_aside %d; want %d, %d, %d",
				tt.agency, tt.from, tt.to, s.Respondents, *s.SetAside, s.Previous.SetAside, tt.respondents, tt.set, tt.prevS)
		}
	}
	var quick scores
	get("/api/v1/scores?agency=D1&from=2026-04-01&to=2026-04-30&instrument=quick", &quick)
	if quick.SetAside == nil || *quick.SetAside != 1 {
		t.Errorf("quick at D1: set_aside %v, want 1 (the honeypot hit at K1 only)", quick.SetAside)
	}

	var ch struct {
		Respondents int64 `json:"respondents"`
		SetAside    int64 `json:"set_aside"`
		Children    []struct {
			Code        string `json:"code"`
			Respondents int64  `json:"respondents"`
			SetAside    int64  `json:"set_aside"`
		} `json:"children"`
	}
	get("/api/v1/scores/children?agency=P&from=2026-04-01&to=2026-04-30", &ch)
	if ch.Respondents != 5 || ch.SetAside != 6 {
		t.Errorf("children's parent P: respondents %d, set_aside %d; want 5, 6", ch.Respondents, ch.SetAside)
	}
	want := map[string]int64{"D1": 5, "D2": 1, "D3": 0, "D4": 0}
	for _, c := range ch.Children {
		if c.SetAside != want[c.Code] {
			t.Errorf("child %s: set_aside %d, want %d", c.Code, c.SetAside, want[c.Code])
		}
		delete(want, c.Code)
	}
	if len(want) != 0 {
		t.Errorf("children missing: %v", want)
	}

	var tr struct {
		Months []struct {
			Month    string `json:"month"`
			SetAside int64  `json:"set_aside"`
		} `json:"months"`
	}
	get("/api/v1/scores/trend?agency=P&from=2026-03-10&to=2026-04-30", &tr)
	if len(tr.Months) != 2 || tr.Months[0].Month != "2026-03" || tr.Months[0].SetAside != 1 || tr.Months[1].SetAside != 6 {
		t.Errorf("trend of P: got %+v, want March 1, April 6", tr.Months)
	}
	get("/api/v1/scores/trend?agency=D2&from=2026-03-21&to=2026-04-15", &tr)
	if len(tr.Months) != 2 || tr.Months[0].SetAside != 0 || tr.Months[1].SetAside != 1 {
		t.Errorf("trend of D2 (clipped): got %+v, want March 0, April 1", tr.Months)
	}
}

package web_test

import (
	"math"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

// scoreData is a set of stored responses with the raw answers kept, so that
// the API's numbers can be checked against formulas computed here from
// scratch.
type scoreData struct {
	byAgency map[string][][]uint8 // agency code → answer vectors (scoring coding: 0 = none)
	dates    map[string][]string  // agency code → local date of each vector
}

// storeRandom stores n sipas-2017 responses at counter (e.g. "D1/Q1"), with
// "no opinion" mixed in, dated on days spread over [from, from+days).
func storeRandom(tb testing.TB, e *webtest.Env, rng *rand.Rand, d *scoreData, counter string, n int, from time.Time, days int, quality float64) {
	tb.Helper()
	in := e.Instrument(tb, "sipas-2017")
	c := e.Counter(tb, counter)
	for i := 0; i < n; i++ {
		stored := make([]uint8, len(in.Items))
		coded := make([]uint8, len(in.Items))
		person := rng.NormFloat64() * 0.7
		for k := range stored {
			if rng.Float64() < 0.12 {
				stored[k] = survey.AnswerNA
				continue
			}
			v := uint8(math.Max(1, math.Min(5, math.Round(quality+person+rng.NormFloat64()*0.8))))
			stored[k], coded[k] = v, v
		}
		at := from.AddDate(0, 0, rng.IntN(days)).Add(time.Duration(rng.IntN(24*60)) * time.Minute)
		sub := &survey.Submission{SubmissionID: sqlitetest.SubmissionID(), CounterID: c.ID, AgencyID: c.AgencyID,
			Instrument: in, Answers: stored, Channel: "api", Lang: "vi", ReceivedAt: at}
		if _, err := e.DB.StoreResponse(tb.Context(), sub); err != nil {
			tb.Fatalf("store: %v", err)
		}
		d.byAgency[c.AgencyCode] = append(d.byAgency[c.AgencyCode], coded)
		d.dates[c.AgencyCode] = append(d.dates[c.AgencyCode], survey.LocalDate(at))
	}
}

// rows returns the vectors of the given agencies dated within [from, to].
func (d *scoreData) rows(from, to string, agencies ...string) [][]uint8 {
	var out [][]uint8
	for _, a := range agencies {
		for i, r := range d.byAgency[a] {
			if dt := d.dates[a][i]; dt >= from && dt <= to {
				out = append(out, r)
			}
		}
	}
	return out
}

// refWilson is Wilson's score interval written out from the statistics
// reference, section 1.
func refWilson(x, n float64) (lo, hi float64) {
	z := 1.959963984540054
	k := z * z
	p := x / n
	centre := (x + k/2) / (n + k)
	half := z * math.Sqrt(n) / (n + k) * math.Sqrt(p*(1-p)+k/(4*n))
	return math.Max(0, centre-half), math.Min(1, centre+half)
}

// refComposite is the Taylor-linearized composite C = Σ a_k p̂_k and its SE,
// written out from the statistics reference, section 2.
func refComposite(rows [][]uint8, a []float64) (c, se float64) {
	n := float64(len(rows))
	K := len(a)
	nk := make([]float64, K)
	xk := make([]float64, K)
	for _, r := range rows {
		for k, v := range r {
			if v > 0 {
				nk[k]++
				if v >= 4 {
					xk[k]++
				}
			}
		}
	}
	p := make([]float64, K)
	for k := range p {
		if nk[k] > 0 {
			p[k] = xk[k] / nk[k]
			c += a[k] * p[k]
		}
	}
	z := make([]float64, len(rows))
	var mean float64
	for i, r := range rows {
		for k, v := range r {
			if v > 0 && a[k] != 0 {
				y := 0.0
				if v >= 4 {
					y = 1
				}
				z[i] += a[k] * (y - p[k]) * n / nk[k]
			}
		}
		mean += z[i] / n
	}
	var ss float64
	for _, zi := range z {
		ss += (zi - mean) * (zi - mean)
	}
	return c, math.Sqrt(ss / (n * n) * n / (n - 1))
}

func closeTo(got *float64, want, tol float64) bool {
	return got != nil && math.Abs(*got-want) <= tol
}

func TestScoresMatchFormulas(t *testing.T) {
	e := webtest.New(t)
	e.AddCounter(t, "C1/S1", "sipas-2017") // D1's subtree has a sipas-2017 counter beneath D1
	rng := rand.New(rand.NewPCG(7, 11))
	d := &scoreData{byAgency: map[string][][]uint8{}, dates: map[string][]string{}}
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, survey.Vietnam)
	// 75 days: part of March, all of April, most of May — both the monthly
	// statistics and the partial-month scan are exercised.
	storeRandom(t, e, rng, d, "D1/Q1", 180, start, 75, 3.9)
	storeRandom(t, e, rng, d, "C1/S1", 120, start, 75, 3.2)
	storeRandom(t, e, rng, d, "D2/Q1", 150, start, 75, 4.2)

	in := e.Instrument(t, "sipas-2017")
	for _, tc := range []struct{ from, to string }{
		{"2026-03-15", "2026-05-10"}, // partial, whole, partial month
		{"2026-04-01", "2026-04-30"}, // exactly one month
		{"2026-03-01", "2026-05-31"}, // whole months only
		{"2026-04-07", "2026-04-20"}, // inside one month
	} {
		t.Run(tc.from+"_"+tc.to, func(t *testing.T) {
			w := e.Do(t, webtest.Request{URL: "/api/v1/scores?agency=D1&from=" + tc.from + "&to=" + tc.to, User: "off"})
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body.String())
			}
			var got struct {
				Respondents int64 `json:"respondents"`
				Overall     struct {
					Index, SE *float64
					N         int64
				} `json:"overall"`
				Elements []struct {
					Code      string
					Index, SE *float64
					CILow     *float64 `json:"ci_low"`
					CIHigh    *float64 `json:"ci_high"`
				} `json:"elements"`
				Items []struct {
					Code      string
					Index, SE *float64
					CILow     *float64 `json:"ci_low"`
					CIHigh    *float64 `json:"ci_high"`
					N         int64
					Satisfied int64
					Counts    [5]int64
					NoOpinion int64 `json:"no_opinion"`
				} `json:"items"`
			}
			decodeInto(t, w, &got)
			rows := d.rows(tc.from, tc.to, "D1", "C1") // D1's subtree
			if got.Respondents != int64(len(rows)) {
				t.Fatalf("respondents: got %d, want %d", got.Respondents, len(rows))
			}
			const tol = 1e-9
			K := len(in.Items)
			for k, it := range got.Items {
				var x, n float64
				var counts [5]int64
				for _, r := range rows {
					if v := r[k]; v > 0 {
						n++
						counts[v-1]++
						if v >= 4 {
							x++
						}
					}
				}
				if it.N != int64(n) || it.Satisfied != int64(x) || it.Counts != counts {
					t.Fatalf("%s: got n=%d x=%d counts=%v, want %v %v %v", it.Code, it.N, it.Satisfied, it.Counts, n, x, counts)
				}
				lo, hi := refWilson(x, n)
				if !closeTo(it.Index, 100*x/n, tol) || !closeTo(it.CILow, 100*lo, tol) || !closeTo(it.CIHigh, 100*hi, tol) {
					t.Fatalf("%s: got %v [%v, %v], want %v [%v, %v]", it.Code, *it.Index, *it.CILow, *it.CIHigh, 100*x/n, 100*lo, 100*hi)
				}
				a := make([]float64, K)
				a[k] = 1
				_, se := refComposite(rows, a)
				if !closeTo(it.SE, 100*se, tol) {
					t.Fatalf("%s SE: got %v, want %v", it.Code, *it.SE, 100*se)
				}
			}
			overall := make([]float64, K)
			for e, idx := range in.ElementItems() {
				a := make([]float64, K)
				for _, k := range idx {
					a[k] = 1 / float64(len(idx))
					overall[k] = 1 / float64(len(idx)) / 5
				}
				c, se := refComposite(rows, a)
				el := got.Elements[e]
				if !closeTo(el.Index, 100*c, tol) || !closeTo(el.SE, 100*se, tol) {
					t.Fatalf("element %s: got %v ± %v, want %v ± %v", el.Code, *el.Index, *el.SE, 100*c, 100*se)
				}
				z := 1.959963984540054
				if !closeTo(el.CILow, math.Max(0, 100*(c-z*se)), tol) || !closeTo(el.CIHigh, math.Min(100, 100*(c+z*se)), tol) {
					t.Fatalf("element %s CI: got [%v, %v]", el.Code, *el.CILow, *el.CIHigh)
				}
			}
			c, se := refComposite(rows, overall)
			if !closeTo(got.Overall.Index, 100*c, tol) || !closeTo(got.Overall.SE, 100*se, tol) {
				t.Fatalf("overall: got %v ± %v, want %v ± %v", *got.Overall.Index, *got.Overall.SE, 100*c, 100*se)
			}
		})
	}
}

func TestScoresQuickAndFollowup(t *testing.T) {
	e := webtest.New(t)
	in := e.Instrument(t, "quick")
	k1 := e.Counter(t, "D1/K1")
	at := time.Date(2026, 6, 3, 9, 0, 0, 0, survey.Vietnam)
	// 40 answers: 30 satisfied; follow-up 0/1/2+ = 20/8/4, 8 not answered.
	for i := 0; i < 40; i++ {
		v := uint8(5)
		if i >= 30 {
			v = 2
		}
		fu := 0
		switch {
		case i < 20:
			fu = 1
		case i < 28:
			fu = 2
		case i < 32:
			fu = 3
		}
		sub := &survey.Submission{SubmissionID: sqlitetest.SubmissionID(), CounterID: k1.ID, AgencyID: k1.AgencyID,
			Instrument: in, Answers: []uint8{v}, Followup: fu, Channel: "kiosk", ReceivedAt: at}
		if _, err := e.DB.StoreResponse(t.Context(), sub); err != nil {
			t.Fatal(err)
		}
	}
	w := e.Do(t, webtest.Request{URL: "/api/v1/scores?agency=P&from=2026-06-01&to=2026-06-30&instrument=quick", User: "admin"})
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body.String())
	}
	var got struct {
		Overall struct {
			Index  *float64
			CILow  *float64 `json:"ci_low"`
			CIHigh *float64 `json:"ci_high"`
			N      int64
		}
		Followup struct {
			Answered, Unanswered int64
			Options              []struct {
				Value string
				Count int64
			}
		}
	}
	decodeInto(t, w, &got)
	lo, hi := refWilson(30, 40)
	if got.Overall.N != 40 || !closeTo(got.Overall.Index, 75, 1e-9) || !closeTo(got.Overall.CILow, 100*lo, 1e-9) || !closeTo(got.Overall.CIHigh, 100*hi, 1e-9) {
		t.Fatalf("quick overall: got %+v, want 75 [%v, %v] n 40", got.Overall, 100*lo, 100*hi)
	}
	if got.Followup.Answered != 32 || got.Followup.Unanswered != 8 || len(got.Followup.Options) != 3 ||
		got.Followup.Options[0].Count != 20 || got.Followup.Options[1].Count != 8 || got.Followup.Options[2].Count != 4 {
		t.Fatalf("follow-up: got %+v", got.Followup)
	}
}

func TestScoresBadInput(t *testing.T) {
	const scores, q = "/api/v1/scores?", "&from=2026-01-01&to=2026-01-31"
	noNaN := []string{"NaN", "Inf"}
	webtest.Run(t, []webtest.Scenario{
		{Name: "unknown agency", URL: scores + "agency=ZZ" + q, User: "admin", WantStatus: 404, WantContains: []string{"not found"}},
		{Name: "missing agency", URL: scores + "from=2026-01-01&to=2026-01-31", User: "admin", WantStatus: 400, WantContains: []string{"agency is required"}},
		{Name: "from after to", URL: scores + "agency=D1&from=2026-02-01&to=2026-01-31", User: "admin", WantStatus: 400, WantContains: []string{"after"}},
		{Name: "malformed from", URL: scores + "agency=D1&from=2026-13-01&to=2026-01-31", User: "admin", WantStatus: 400, WantContains: []string{"not a date"}},
		{Name: "malformed to", URL: scores + "agency=D1&from=2026-01-01&to=31/01/2026", User: "admin", WantStatus: 400, WantContains: []string{"not a date"}},
		{Name: "missing dates", URL: scores + "agency=D1", User: "admin", WantStatus: 400, WantContains: []string{"required"}},
		{Name: "unknown instrument", URL: scores + "agency=D1" + q + "&instrument=nope", User: "admin", WantStatus: 400, WantContains: []string{"unknown instrument"}},
		{Name: "over ten years", URL: scores + "agency=D1&from=2010-01-01&to=2026-01-31", User: "admin", WantStatus: 400, WantContains: []string{"10 years"}},
		{Name: "other agency", URL: scores + "agency=D2" + q, User: "off", WantStatus: 403},
		{Name: "parent agency", URL: scores + "agency=P" + q, User: "off", WantStatus: 403},
		{Name: "no credentials", URL: scores + "agency=D1" + q, WantStatus: 401},
		{Name: "bad adjust", URL: "/api/v1/scores/children?agency=D1" + q + "&adjust=bonferroni", User: "admin", WantStatus: 400, WantContains: []string{"adjust"}},
		{Name: "bad weighting", URL: scores + "agency=D1" + q + "&weighting=bogus", User: "admin", WantStatus: 400, WantContains: []string{"weighting"}},
		{Name: "bad children weighting", URL: "/api/v1/scores/children?agency=P" + q + "&weighting=bogus", User: "admin", WantStatus: 400, WantContains: []string{"weighting"}},
		{Name: "bad trend weighting", URL: "/api/v1/scores/trend?agency=D1" + q + "&weighting=bogus", User: "admin", WantStatus: 400, WantContains: []string{"weighting"}},
		{Name: "bad fpc", URL: scores + "agency=D1" + q + "&fpc=maybe", User: "admin", WantStatus: 400, WantContains: []string{"fpc"}},
		{Name: "bad children fpc", URL: "/api/v1/scores/children?agency=P" + q + "&fpc=maybe", User: "admin", WantStatus: 400, WantContains: []string{"fpc"}},
		{Name: "bad trend fpc", URL: "/api/v1/scores/trend?agency=D1" + q + "&fpc=maybe", User: "admin", WantStatus: 400, WantContains: []string{"fpc"}},
		// No responses: null indices with n = 0, never NaN.
		{Name: "empty scores", URL: scores + "agency=P&from=2026-01-01&to=2026-03-31", User: "admin", WantStatus: 200,
			WantContains: []string{`"overall":{"index":null`, `"n":0`}, WantNot: noNaN},
		{Name: "empty children", URL: "/api/v1/scores/children?agency=P&from=2026-01-01&to=2026-03-31", User: "admin", WantStatus: 200, WantNot: noNaN},
		{Name: "empty trend", URL: "/api/v1/scores/trend?agency=P&from=2026-01-01&to=2026-03-31", User: "admin", WantStatus: 200, WantNot: noNaN},
	})
}

func TestScoresChildrenAndTrend(t *testing.T) {
	e := webtest.New(t)
	rng := rand.New(rand.NewPCG(3, 5))
	d := &scoreData{byAgency: map[string][][]uint8{}, dates: map[string][]string{}}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, survey.Vietnam)
	storeRandom(t, e, rng, d, "D1/Q1", 200, start, 90, 4.6) // clearly better
	storeRandom(t, e, rng, d, "D2/Q1", 200, start, 90, 2.6) // clearly worse
	w := e.Do(t, webtest.Request{URL: "/api/v1/scores/children?agency=P&from=2026-01-01&to=2026-03-31", User: "admin"})
	if w.Code != 200 {
		t.Fatalf("children: %d %s", w.Code, w.Body.String())
	}
	var ch struct {
		Adjust   string
		Children []struct {
			Code        string
			Respondents int64
			VsRest      struct{ Significant string } `json:"vs_rest"`
			Rank        *struct{ Point, Low, High, Of int }
		}
		Ranks struct{ Status string }
	}
	decodeInto(t, w, &ch)
	if ch.Adjust != "holm" || len(ch.Children) != 4 {
		t.Fatalf("children: got %+v, want P's four", ch)
	}
	// D3 and D4 have no responses: not reportable, not ranked, no marker.
	want := map[string]string{"D1": "higher", "D2": "lower", "D3": "", "D4": ""}
	for _, c := range ch.Children {
		if sig, ok := want[c.Code]; !ok || c.VsRest.Significant != sig {
			t.Fatalf("%s vs rest: got %q, want %q", c.Code, c.VsRest.Significant, sig)
		}
		if c.Respondents == 0 {
			if c.Rank != nil {
				t.Fatalf("%s without responses is ranked: %+v", c.Code, c.Rank)
			}
			continue
		}
		if c.Rank == nil || c.Rank.Of != 2 || c.Rank.Low > c.Rank.Point || c.Rank.High < c.Rank.Point {
			t.Fatalf("%s rank: got %+v", c.Code, c.Rank)
		}
	}
	if ch.Ranks.Status != "ok" {
		t.Fatalf("ranks: got %q", ch.Ranks.Status)
	}

	w = e.Do(t, webtest.Request{URL: "/api/v1/scores/trend?agency=D1&from=2026-01-15&to=2026-03-31", User: "off"})
	var tr struct {
		Months []struct {
			Month, From, To string
			Respondents     int64
		}
	}
	decodeInto(t, w, &tr)
	if len(tr.Months) != 3 || tr.Months[0].From != "2026-01-15" || tr.Months[2].To != "2026-03-31" {
		t.Fatalf("trend months: got %+v", tr.Months)
	}
	for _, m := range tr.Months {
		if want := len(d.rows(m.From, m.To, "D1", "C1")); m.Respondents != int64(want) {
			t.Fatalf("trend %s: got %d respondents, want %d", m.Month, m.Respondents, want)
		}
	}
}

package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

// estimate is an index of the JSON answers, as both routes write it.
type estimate struct {
	Index      *float64 `json:"index"`
	CILow      *float64 `json:"ci_low"`
	CIHigh     *float64 `json:"ci_high"`
	N          int64    `json:"n"`
	Reportable bool     `json:"reportable"`
}

func (e estimate) String() string {
	f := func(p *float64) string {
		if p == nil {
			return "null"
		}
		b, _ := json.Marshal(*p)
		return string(b)
	}
	b, _ := json.Marshal(map[string]any{"n": e.N, "r": e.Reportable})
	return f(e.Index) + " [" + f(e.CILow) + ", " + f(e.CIHigh) + "] " + string(b)
}

type publicJSON struct {
	Agency, Period, Kind, From, To string
	Overall                        estimate
	Elements                       []struct {
		Code string
		estimate
	}
	Children []struct {
		Code, Name string
		estimate
	}
	Trend []struct {
		Month string
		estimate
	}
}

type scoresJSON struct {
	Overall  estimate
	Elements []struct {
		Code string
		estimate
	}
}

// The public figures are those of GET /api/v1/scores for the same period,
// for the agency and each published child; unpublished children are left
// out.
func TestPublicScoresMatchScores(t *testing.T) {
	e := publicEnv(t, "P", "D1", "D3")
	for _, tc := range []struct{ period, name, from, to string }{
		{"", "2026-05", "2026-05-01", "2026-05-31"},
		{"month", "2026-05", "2026-05-01", "2026-05-31"},
		{"quarter", "2026-Q1", "2026-01-01", "2026-03-31"},
		{"2026-02", "2026-02", "2026-02-01", "2026-02-28"},
		{"year", "2025", "2025-01-01", "2025-12-31"},
	} {
		w := e.Do(t, webtest.Request{URL: "/api/v1/public/scores?agency=P&period=" + tc.period})
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
			t.Fatalf("%s: got %d %s: %s", tc.period, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
		var pub publicJSON
		decodeInto(t, w, &pub)
		if pub.Agency != "P" || pub.Period != tc.name || pub.From != tc.from || pub.To != tc.to {
			t.Fatalf("%s: got %s %s %s..%s", tc.period, pub.Agency, pub.Period, pub.From, pub.To)
		}
		for _, bad := range []string{"set_aside", "comment", "counter", "Quầy", "D2", "D4"} {
			if strings.Contains(w.Body.String(), bad) {
				t.Errorf("%s: the public JSON holds %q", tc.period, bad)
			}
		}
		check := func(code string, got estimate, gotElements map[string]estimate) {
			t.Helper()
			var sc scoresJSON
			decodeInto(t, e.Do(t, webtest.Request{URL: "/api/v1/scores?agency=" + code + "&from=" + tc.from + "&to=" + tc.to, User: "admin"}), &sc)
			if !sc.Overall.Reportable || got.String() != sc.Overall.String() {
				t.Fatalf("%s %s: public %s, scores %s", tc.period, code, got, sc.Overall)
			}
			for _, el := range sc.Elements {
				if g, ok := gotElements[el.Code]; gotElements != nil && (!ok || g.String() != el.estimate.String()) {
					t.Fatalf("%s %s element %s: public %s, scores %s", tc.period, code, el.Code, g, el.estimate)
				}
			}
		}
		els := map[string]estimate{}
		for _, el := range pub.Elements {
			els[el.Code] = el.estimate
		}
		if len(els) != 5 {
			t.Fatalf("%s: %d elements, want 5", tc.period, len(els))
		}
		check("P", pub.Overall, els)
		var kids []string
		for _, c := range pub.Children {
			kids = append(kids, c.Code)
			check(c.Code, c.estimate, nil)
		}
		if strings.Join(kids, ",") != "D1,D3" {
			t.Fatalf("%s: children %v, want D1,D3", tc.period, kids)
		}
		// The trend: the twelve months up to the period's last, as
		// GET /api/v1/scores/trend has them.
		if len(pub.Trend) != 12 || pub.Trend[11].Month != tc.to[:7] {
			t.Fatalf("%s: trend %+v", tc.period, pub.Trend)
		}
	}
}

func TestPublicScoresErrors(t *testing.T) {
	notFound := func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
		t.Helper()
		if w.Body.String() != "{\"error\":\"no public results for this agency\"}\n" {
			t.Fatalf("got %s", w.Body)
		}
	}
	published := []webtest.Request{{Method: "PATCH", URL: "/api/v1/agencies/D1", User: "admin", Body: `{"public": true}`}}
	webtest.Run(t, []webtest.Scenario{
		{Name: "published, no auth", URL: "/api/v1/public/scores?agency=D1", Before: published, WantStatus: 200,
			WantContains: []string{`"agency":"D1"`, `"period":"2026-03"`, `"kind":"month"`, `"trend":[`, `"confidence_level":0.95`}, WantStored: -1},
		{Name: "unpublished", URL: "/api/v1/public/scores?agency=D2", WantStatus: 404, WantStored: -1, Check: notFound},
		{Name: "unknown", URL: "/api/v1/public/scores?agency=NOPE", WantStatus: 404, WantStored: -1, Check: notFound},
		{Name: "unpublished with credentials", URL: "/api/v1/public/scores?agency=D2", User: "admin", WantStatus: 404, WantStored: -1, Check: notFound},
		{Name: "unpublished with a bad period", URL: "/api/v1/public/scores?agency=D2&period=week", WantStatus: 404, WantStored: -1, Check: notFound},
		{Name: "withdrawn", URL: "/api/v1/public/scores?agency=D1", WantStatus: 404, WantStored: -1, Check: notFound,
			Before: append(published, webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D1", User: "admin", Body: `{"public": false}`})},
		{Name: "no agency", URL: "/api/v1/public/scores", WantStatus: 400, WantContains: []string{`"error":"agency is required"`}, WantStored: -1},
		{Name: "bad period", URL: "/api/v1/public/scores?agency=D1&period=week", Before: published, WantStatus: 400,
			WantContains: []string{`period \"week\" is not month, quarter, half, year`, `"fields":{"period"`}, WantStored: -1},
		{Name: "bad month", URL: "/api/v1/public/scores?agency=D1&period=2026-13", Before: published, WantStatus: 400,
			WantContains: []string{`there is no month 13`}, WantStored: -1},
		{Name: "period not over", URL: "/api/v1/public/scores?agency=D1&period=2026-04", Before: published, WantStatus: 400,
			WantContains: []string{`period 2026-04 is not over yet`}, WantStored: -1},
		{Name: "POST refused", Method: "POST", URL: "/api/v1/public/scores?agency=D1", Before: published, WantStatus: 405, WantStored: -1},
	})
}

// Only an admin publishes; the change is audited and in the agency's JSON.
func TestAgencyPublicPatch(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "admin publishes", Method: "PATCH", URL: "/api/v1/agencies/D1", User: "admin", Body: `{"public": true}`, WantStatus: 200,
			WantContains: []string{`"code":"D1"`, `"public":true`}, WantStored: -1,
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'agency.update' AND detail = 'D1' AND user_name = 'admin'`); n != 1 {
					t.Fatalf("got %d audit entries, want 1", n)
				}
				if n := e.Count(t, `SELECT count(*) FROM history WHERE field = 'public' AND new_value = 'public' AND user_name = 'admin'`); n != 1 {
					t.Fatalf("got %d history rows, want 1", n)
				}
				w := e.Do(t, webtest.Request{URL: "/api/v1/agencies/D1", User: "off"})
				if !strings.Contains(w.Body.String(), `"public":true`) {
					t.Fatalf("GET after publish: %s", w.Body)
				}
			}},
		{Name: "private by default", URL: "/api/v1/agencies/D2", User: "admin", WantStatus: 200, WantContains: []string{`"public":false`}, WantStored: -1},
		{Name: "official refused", Method: "PATCH", URL: "/api/v1/agencies/D1", User: "off", Body: `{"public": true}`, WantStatus: 403, WantStored: -1,
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if e.Agency(t, "D1").Public {
					t.Fatal("an official published D1")
				}
			}},
		{Name: "no credentials", Method: "PATCH", URL: "/api/v1/agencies/D1", Body: `{"public": true}`, WantStatus: 401, WantStored: -1},
		{Name: "not a boolean", Method: "PATCH", URL: "/api/v1/agencies/D1", User: "admin", Body: `{"public": "yes"}`, WantStatus: 400, WantStored: -1},
		{Name: "with a move", Method: "PATCH", URL: "/api/v1/agencies/C1", User: "admin", Body: `{"public": true, "parent": "D2"}`, WantStatus: 400,
			WantContains: []string{"parent cannot be combined with name, closed or public"}, WantStored: -1},
		{Name: "unknown agency", Method: "PATCH", URL: "/api/v1/agencies/NOPE", User: "admin", Body: `{"public": true}`, WantStatus: 404, WantStored: -1},
	})
}

package web_test

import (
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

// Every score object carries its weighting and denominators: dossiers,
// response rate and on-time rate, null where unknown.
func TestScoresDenominators(t *testing.T) {
	e := webtest.New(t)
	seedLeague(t, e)
	importVolumes(t, e, map[string]int64{"D1": 1000, "D2": 100, "D3": 100, "D4": 200})
	seedDossierRatings(t, e, "D4", "Q1", "2026-02-03", 10, 2, 4)
	const q = "&from=2026-01-01&to=2026-03-31"
	for _, u := range []string{"/api/v1/scores?agency=P" + q, "/api/v1/scores/children?agency=P" + q, "/api/v1/scores/trend?agency=P" + q} {
		w := e.Do(t, webtest.Request{URL: u, User: "admin"})
		if w.Code != http.StatusOK {
			t.Fatalf("%s: got %d %s", u, w.Code, w.Body)
		}
		body := w.Body.String()
		for _, key := range []string{`"weighting":"volume"`, `"dossiers":`, `"response_rate":`, `"on_time":`} {
			if !strings.Contains(body, key) {
				t.Errorf("%s lacks %s: %.300s", u, key, body)
			}
		}
	}
	var ch struct {
		Weighting string
		Dossiers  *int64
		Children  []struct {
			Code         string
			Dossiers     *int64
			ResponseRate *float64 `json:"response_rate"`
			OnTime       *struct {
				Rate float64
				N    int64
			} `json:"on_time"`
		}
	}
	decodeInto(t, e.Do(t, webtest.Request{URL: "/api/v1/scores/children?agency=P" + q, User: "admin"}), &ch)
	// 4 200 imported; D4's 10 registered dossiers are replaced by its import.
	if ch.Weighting != "volume" || ch.Dossiers == nil || *ch.Dossiers != 4200 {
		t.Fatalf("children: weighting %q, dossiers %v", ch.Weighting, ch.Dossiers)
	}
	for _, c := range ch.Children {
		if c.Code == "D4" && (c.OnTime == nil || c.OnTime.N != 10 || c.OnTime.Rate != 80 || c.ResponseRate == nil || math.Abs(*c.ResponseRate-110.0/600) > 1e-12) {
			t.Errorf("D4: got rate %v, on time %+v", c.ResponseRate, c.OnTime)
		}
		if c.Code == "D1" && c.OnTime != nil {
			t.Errorf("D1 has no due dates, got on time %+v", c.OnTime)
		}
	}
	w := e.Do(t, webtest.Request{URL: "/api/v1/scores?agency=P" + q + "&weighting=respondents", User: "admin"})
	if !strings.Contains(w.Body.String(), `"weighting":"respondents"`) {
		t.Errorf("weighting=respondents: %.300s", w.Body)
	}
}

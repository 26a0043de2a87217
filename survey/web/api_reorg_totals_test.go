package web_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

type trendAnswer struct {
	Months []struct {
		Month       string `json:"month"`
		Respondents int64  `json:"respondents"`
		Overall     struct {
			Index *float64 `json:"index"`
		} `json:"overall"`
		Combined []string `json:"combined_from"`
	} `json:"months"`
}

func getTrend(t *testing.T, e *webtest.Env, url string) trendAnswer {
	t.Helper()
	w := e.Do(t, webtest.Request{URL: url, User: "admin"})
	if w.Code != 200 {
		t.Fatalf("%s: %d %s", url, w.Code, w.Body)
	}
	var tr trendAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

// The "done means": an admin loads a reorganisation from a CSV in
// one go (a merger, a move, and the closure of the unit the move emptied);
// the province counts every month what it counted before, by day
// and under today's tree, and the new unit's trend runs back through the
// merger, marked where it combines its predecessors.
func TestReorganisationKeepsTotals(t *testing.T) {
	e := webtest.New(t)
	e.SeedMonths(t) // December 2025 to May 2026 at every open counter
	const span = "from=2025-12-01&to=2026-05-31"
	before := getTrend(t, e, "/api/v1/scores/trend?agency=P&"+span)
	csv := "kind,date,agency,parent,into,from,name,counters\n" +
		"merge,2026-03-01,,,X,D3;D4,Sở Xây dựng và Tài chính,move\n" +
		"move,2026-03-01,C1,D2,,,,\n" +
		"close,2026-03-01,D1,,,,,\n" // emptied by the move, as a district in 2025
	if w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv", Body: csv, User: "admin"}); w.Code != 200 {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	for _, as := range []string{"", "&as=current"} {
		after := getTrend(t, e, "/api/v1/scores/trend?agency=P&"+span+as)
		if len(after.Months) != len(before.Months) {
			t.Fatalf("as %q: %d months, want %d", as, len(after.Months), len(before.Months))
		}
		for i, m := range after.Months {
			b := before.Months[i]
			if m.Respondents != b.Respondents || fmt.Sprint(*m.Overall.Index) != fmt.Sprint(*b.Overall.Index) {
				t.Errorf("as %q %s: n %d index %v, before the import n %d index %v", as, m.Month, m.Respondents, *m.Overall.Index, b.Respondents, *b.Overall.Index)
			}
		}
	}
	x := getTrend(t, e, "/api/v1/scores/trend?agency=X&"+span)
	for i, m := range x.Months {
		if m.Respondents == 0 {
			t.Errorf("X %s: no ratings: the trend stops at the merger", m.Month)
		}
		if combined := len(m.Combined) == 2; combined != (i < 3) {
			t.Errorf("X %s: combined from %v, want D3 and D4 before March only", m.Month, m.Combined)
		}
	}
}

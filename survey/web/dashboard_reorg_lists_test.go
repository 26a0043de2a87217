package web_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

// A merge successor's lists and exports hold its predecessors' rows: after
// D3 and D4 merge into X, X's comments and its raw responses export
// include D3's and D4's, and the province's list each row once although
// it reaches D3 and D4 both as children and as X's predecessors.
func TestDashboardReorgListsHoldPredecessors(t *testing.T) {
	e := webtest.New(t)
	e.Seed(t,
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-03-20", N: 3, Value: 4, Comment: "Góp ý ở Sở Xây dựng"},
		sqlitetest.Spec{Counter: "D4/Q1", Day: "2026-03-25", N: 2, Value: 3, Comment: "Góp ý ở Sở Tài chính"},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-03-25", N: 1, Value: 2, Comment: "Góp ý ở huyện"},
	)
	_, err := e.DB.Reorganise(t.Context(), []survey.Event{{Kind: survey.EventMerge,
		Merge: &survey.Merge{Into: "X", From: []string{"D3", "D4"}, Date: "2026-04-01", Name: "Sở mới"}}}, survey.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	e.Seed(t, sqlitetest.Spec{Counter: "X/Q1", Day: "2026-04-10", N: 1, Value: 5, Comment: "Góp ý ở Sở mới"})
	b := e.Client(t)
	b.Login("admin")

	page := b.Get("/dashboard/agency/X?" + reorgYear + "&instrument=sipas-2017").Body.String()
	for _, want := range []string{"Góp ý ở Sở Xây dựng", "Góp ý ở Sở Tài chính", "Góp ý ở Sở mới"} {
		if !strings.Contains(page, want) {
			t.Errorf("X's comments lack %q", want)
		}
	}
	if strings.Contains(page, "Góp ý ở huyện") {
		t.Errorf("X's comments hold D2's, which is no predecessor")
	}
	if n := strings.Count(page, `<p class="text">`); n != 6 {
		t.Errorf("X's comments: got %d, want 6 (3 of D3, 2 of D4, 1 of X)", n)
	}

	// agencies reads an agency's raw responses export: the count of rows of
	// each agency.
	agencies := func(code string) map[string]int {
		t.Helper()
		w := b.Get("/dashboard/agency/" + code + "/responses.csv?" + reorgYear + "&instrument=sipas-2017")
		if w.Code != 200 {
			t.Fatalf("%s's responses: got %d: %.300s", code, w.Code, w.Body)
		}
		recs := readCSV(t, bytes.TrimPrefix(w.Body.Bytes(), []byte("\ufeff")))
		out := map[string]int{}
		for _, r := range recs[1:] {
			out[r[3]]++
		}
		return out
	}
	if got := agencies("X"); got["D3"] != 3 || got["D4"] != 2 || got["X"] != 1 || len(got) != 3 {
		t.Errorf("X's responses by agency: got %v, want D3 3, D4 2, X 1", got)
	}
	if got := agencies("P"); got["D3"] != 3 || got["D4"] != 2 || got["X"] != 1 || got["D2"] != 1 {
		t.Errorf("P's responses by agency: got %v, want each row once", got)
	}
	// A predecessor's own lists stay its own.
	if got := agencies("D3"); got["D3"] != 3 || len(got) != 1 {
		t.Errorf("D3's responses by agency: got %v, want D3's 3 only", got)
	}
}

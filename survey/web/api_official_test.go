package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

// officialJSON is an official result as the API answers it.
type officialJSON struct {
	Agency, Index, Text string
	Year                int
	Score               float64
	Rank, Of            *int
	RecordedBy          string `json:"recorded_by"`
}

const sipas2021 = `{"agency": "P", "index": "SIPAS", "year": 2021, "score": 85.54, "rank": 48, "of": 63}`

// TestOfficialResults: admins record official results, the same agency,
// index and year replacing the one before; whoever sees the agency reads
// them with their text.
func TestOfficialResults(t *testing.T) {
	e := webtest.New(t)
	var r officialJSON
	call(t, e, http.MethodPost, "/api/v1/official-results", "admin", sipas2021, http.StatusCreated, &r)
	if r.Agency != "P" || r.Index != "SIPAS" || r.Year != 2021 || r.Score != 85.54 || *r.Rank != 48 || *r.Of != 63 ||
		r.Text != "SIPAS 2021: 85,54 %, hạng 48/63" || r.RecordedBy != "admin" {
		t.Fatalf("got %+v", r)
	}
	call(t, e, http.MethodPost, "/api/v1/official-results", "admin", `{"agency": "P", "index": "PAPI", "year": 2021, "score": 41.23, "rank": 42, "of": 60}`, http.StatusCreated, &r)
	if r.Text != "PAPI 2021: 41,23 điểm, hạng 42/60" {
		t.Errorf("PAPI text %q", r.Text)
	}
	var r2 officialJSON // a fresh one: rank and of are left out
	call(t, e, http.MethodPost, "/api/v1/official-results", "admin", `{"agency": "P", "index": "PAR INDEX", "year": 2020, "score": 80}`, http.StatusCreated, &r2)
	if r := r2; r.Text != "PAR INDEX 2020: 80,00 %" || r.Rank != nil {
		t.Errorf("without rank: %+v", r2)
	}
	// The same agency, index and year: replaced.
	call(t, e, http.MethodPost, "/api/v1/official-results", "admin", `{"agency": "P", "index": "PAPI", "year": 2021, "score": 42.5}`, http.StatusCreated, nil)

	var list struct {
		Results []officialJSON
		Note    string
	}
	call(t, e, http.MethodGet, "/api/v1/official-results?agency=P", "off", "", http.StatusForbidden, nil)
	call(t, e, http.MethodGet, "/api/v1/official-results?agency=P", "admin", "", http.StatusOK, &list)
	if len(list.Results) != 3 || list.Note == "" {
		t.Fatalf("got %+v", list)
	}
	want := []string{"PAR INDEX 2020: 80,00 %", "SIPAS 2021: 85,54 %, hạng 48/63", "PAPI 2021: 42,50 điểm"}
	for i, w := range want {
		if list.Results[i].Text != w {
			t.Errorf("result %d: %q, want %q", i, list.Results[i].Text, w)
		}
	}
	if n := e.Count(t, `SELECT count(*) FROM official_results`); n != 3 {
		t.Errorf("got %d stored results, want 3", n)
	}
	call(t, e, http.MethodGet, "/api/v1/official-results?agency=P&lang=en", "admin", "", http.StatusOK, &list)
	if list.Results[1].Text != "SIPAS 2021: 85.54 %, rank 48/63" {
		t.Errorf("English text %q", list.Results[1].Text)
	}

	// An official reads their own agency's, by default.
	call(t, e, http.MethodPost, "/api/v1/official-results", "admin", `{"agency": "D1", "index": "SIPAS", "year": 2022, "score": 90}`, http.StatusCreated, nil)
	call(t, e, http.MethodGet, "/api/v1/official-results", "off", "", http.StatusOK, &list)
	if len(list.Results) != 1 || list.Results[0].Agency != "D1" {
		t.Errorf("official's default: %+v", list.Results)
	}
	call(t, e, http.MethodGet, "/api/v1/official-results", "admin", "", http.StatusBadRequest, nil)
	call(t, e, http.MethodGet, "/api/v1/official-results?agency=NOPE", "admin", "", http.StatusNotFound, nil)
	call(t, e, http.MethodGet, "/api/v1/official-results?agency=D1", "integ", "", http.StatusForbidden, nil)
}

// TestOfficialResultsBadInput: only admins record results, and bad ones
// are refused with nothing stored.
func TestOfficialResultsBadInput(t *testing.T) {
	bad := func(name, user, body string, status int, want string) webtest.Scenario {
		return webtest.Scenario{Name: name, Method: http.MethodPost, URL: "/api/v1/official-results", User: user, Body: body,
			WantStatus: status, WantContains: []string{want},
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if got := planStored(t, e); got != "plans 0, tasks 0, progress 0, official 0" {
					t.Fatalf("stored: %s", got)
				}
			}}
	}
	webtest.Run(t, []webtest.Scenario{
		bad("official", "off", sipas2021, 403, "admin"),
		bad("integration account", "integ", sipas2021, 403, "integration"),
		bad("no credentials", "", sipas2021, 401, "authentication required"),
		bad("PAPI score 90", "admin", `{"agency": "P", "index": "PAPI", "year": 2021, "score": 90}`, 400, "between 0 and 80"),
		bad("SIPAS score 100.5", "admin", `{"agency": "P", "index": "SIPAS", "year": 2021, "score": 100.5}`, 400, "between 0 and 100"),
		bad("negative score", "admin", `{"agency": "P", "index": "SIPAS", "year": 2021, "score": -1}`, 400, "between 0 and 100"),
		bad("rank beyond of", "admin", `{"agency": "P", "index": "SIPAS", "year": 2021, "score": 85, "rank": 64, "of": 63}`, 400, "beyond"),
		bad("rank 0", "admin", `{"agency": "P", "index": "SIPAS", "year": 2021, "score": 85, "rank": 0}`, 400, "rank must be 1 or more"),
		bad("of without rank", "admin", `{"agency": "P", "index": "SIPAS", "year": 2021, "score": 85, "of": 63}`, 400, "without a rank"),
		bad("unknown index", "admin", `{"agency": "P", "index": "PCI", "year": 2021, "score": 85}`, 400, "index must be"),
		bad("year 1999", "admin", `{"agency": "P", "index": "SIPAS", "year": 1999, "score": 85}`, 400, "year must be between"),
		bad("no agency", "admin", `{"index": "SIPAS", "year": 2021, "score": 85}`, 400, "agency is required"),
		bad("unknown agency", "admin", `{"agency": "NOPE", "index": "SIPAS", "year": 2021, "score": 85}`, 404, "not found"),
		bad("unknown field", "admin", `{"agency": "P", "index": "SIPAS", "year": 2021, "score": 85, "recorded_by": "x"}`, 400, "unknown field"),
	})
}

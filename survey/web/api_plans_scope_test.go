package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

// TestPlanNumbersInScope: an official reads the plans of the agencies above
// their unit, but only the indices of what they may see. D1's official
// reads P's plan with its targets' statuses and not P's indices; the
// effect of D1's task with its numbers; the effect of D2's task with its
// verdicts only. P's own official sees everything.
func TestPlanNumbersInScope(t *testing.T) {
	e := webtest.New(t)
	addOfficial(t, e, "offp", "P")
	plan := mustPlan(t, e, "offp", planBody("P"))
	d1 := mustTask(t, e, "offp", plan, taskBody("D1", "2026-02-01", "2026-06-30"))
	d2 := mustTask(t, e, "offp", plan, taskBody("D2", "2026-02-01", "2026-06-30"))

	type target struct {
		Status   string          `json:"status"`
		Current  json.RawMessage `json:"current"`
		Redacted bool            `json:"redacted"`
	}
	for _, tt := range []struct {
		user   string
		hidden bool
	}{{"off", true}, {"offp", false}, {"admin", false}} {
		var got struct {
			TargetStatus []target `json:"target_status"`
		}
		call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", plan), tt.user, "", http.StatusOK, &got)
		for _, tg := range got.TargetStatus {
			if tg.Status == "" || tg.Redacted != tt.hidden || tt.hidden && string(tg.Current) != `{"index":null,"se":null,"ci_low":null,"ci_high":null,"n":0,"reportable":false,"reason":"","flags":[]}` {
				t.Errorf("%s: target %+v (current %s), want redacted=%v", tt.user, tg, tg.Current, tt.hidden)
			}
		}
	}

	type criterion struct {
		Indicator string           `json:"indicator"`
		Verdict   string           `json:"verdict"`
		Unit      *json.RawMessage `json:"unit"`
	}
	for _, tt := range []struct {
		user   string
		task   int64
		hidden bool
	}{{"off", d1.ID, false}, {"off", d2.ID, true}, {"offp", d2.ID, false}} {
		var eff struct {
			Redacted bool        `json:"redacted"`
			Criteria []criterion `json:"criteria"`
		}
		call(t, e, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/tasks/%d/effect", plan, tt.task), tt.user, "", http.StatusOK, &eff)
		if eff.Redacted != tt.hidden || len(eff.Criteria) != 2 {
			t.Fatalf("%s on task %d: redacted %v, %d criteria; want redacted=%v", tt.user, tt.task, eff.Redacted, len(eff.Criteria), tt.hidden)
		}
		for _, c := range eff.Criteria {
			if c.Verdict == "" {
				t.Errorf("%s on task %d: %s has no verdict", tt.user, tt.task, c.Indicator)
			}
		}
	}
	// The same answer in full for the redacted reader carries no index.
	w := e.Do(t, webtest.Request{URL: fmt.Sprintf("/api/v1/plans/%d/tasks/%d/effect", plan, d2.ID), User: "off"})
	var raw map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, c := range raw["criteria"].([]any) {
		unit := c.(map[string]any)["unit"].(map[string]any)["before"].(map[string]any)
		if unit["index"] != nil || unit["n"].(float64) != 0 {
			t.Errorf("a redacted effect shows D2's index: %v", unit)
		}
	}
}

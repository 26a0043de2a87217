package dashboard

import (
	"errors"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
)

// TestPlanErrorsTranslated keeps planRules in step with the domain: every
// field error the plan, task, progress and official-result checks give is
// translated by a rule of its own, not by the per-field fallback. A change
// of a domain message that a rule no longer matches fails here.
func TestPlanErrorsTranslated(t *testing.T) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	plan := survey.PlanInput{Agency: "P", Year: 2027, Title: "Kế hoạch", Targets: []survey.PlanTarget{{Indicator: "TT", Target: 88}}}
	withPlan := func(edit func(*survey.PlanInput)) error {
		in := plan
		edit(&in)
		_, err := survey.ParsePlan(in, reg)
		return err
	}
	p := &survey.Plan{ID: 1, Instrument: "sipas-2017"}
	task := survey.TaskInput{Title: "Niêm yết", Responsible: "D1", Criteria: []string{"TT1"}, Start: "2027-02-01", Due: "2027-06-30"}
	withTask := func(edit func(*survey.TaskInput)) error {
		in := task
		edit(&in)
		_, err := survey.ParseTask(p, in, reg)
		return err
	}
	n := func(v int) *int { return &v }
	official := func(r survey.OfficialResult) error {
		_, err := survey.ParseOfficialResult(r)
		return err
	}
	bad := "finished"
	cases := map[string]error{
		"unknown instrument of a target": withPlan(func(in *survey.PlanInput) {
			in.Targets = []survey.PlanTarget{{Indicator: "TT", Instrument: "nope", Target: 80}}
		}),
		"unknown indicator": withPlan(func(in *survey.PlanInput) { in.Targets = []survey.PlanTarget{{Indicator: "XX", Target: 80}} }),
		"target range":      withPlan(func(in *survey.PlanInput) { in.Targets = []survey.PlanTarget{{Indicator: "TT", Target: 120}} }),
		"targeted twice": withPlan(func(in *survey.PlanInput) {
			in.Targets = []survey.PlanTarget{{Indicator: "TT", Target: 80}, {Indicator: "TT", Target: 85}}
		}),
		"no agency":           withPlan(func(in *survey.PlanInput) { in.Agency = "" }),
		"unknown instrument":  withPlan(func(in *survey.PlanInput) { in.Instrument = "nope" }),
		"no title":            withPlan(func(in *survey.PlanInput) { in.Title = "" }),
		"long title":          withPlan(func(in *survey.PlanInput) { in.Title = strings.Repeat("a", survey.MaxPlanTitleRunes+1) }),
		"no responsible":      withTask(func(in *survey.TaskInput) { in.Responsible = "" }),
		"due before start":    withTask(func(in *survey.TaskInput) { in.Due = "2027-01-01" }),
		"no criteria":         withTask(func(in *survey.TaskInput) { in.Criteria = nil }),
		"unknown criterion":   withTask(func(in *survey.TaskInput) { in.Criteria = []string{"TT9"} }),
		"no status nor note":  func() error { _, err := survey.ParseTaskUpdate(survey.TaskUpdate{}); return err }(),
		"papi score":          official(survey.OfficialResult{Agency: "P", Index: "PAPI", Year: 2021, Score: 90}),
		"rank 0":              official(survey.OfficialResult{Agency: "P", Index: "SIPAS", Year: 2021, Score: 80, Rank: n(0)}),
		"of without rank":     official(survey.OfficialResult{Agency: "P", Index: "SIPAS", Year: 2021, Score: 80, Of: n(63)}),
		"rank beyond of":      official(survey.OfficialResult{Agency: "P", Index: "SIPAS", Year: 2021, Score: 80, Rank: n(64), Of: n(63)}),
		"of 0":                official(survey.OfficialResult{Agency: "P", Index: "SIPAS", Year: 2021, Score: 80, Rank: n(1), Of: n(0)}),
		"status not a status": func() error { _, err := survey.ParseTaskUpdate(survey.TaskUpdate{Status: &bad}); return err }(),
	}
	for name, err := range cases {
		t.Run(name, func(t *testing.T) {
			var e *survey.Error
			if err == nil || !errors.As(err, &e) || len(e.Fields) == 0 {
				t.Fatalf("the domain gave %v, want a field error", err)
			}
			for _, lang := range []string{"vi", "en"} {
				got := planError(err, lang, []int{1, 2})
				for field := range e.Fields {
					if got == ptr(lang).Field[field] && name != "status not a status" {
						t.Errorf("%s: %q (%s) fell back to the field's generic message %q: no rule matches it", lang, e.Message, field, got)
					}
				}
				if got == ptr(lang).FormInvalid || got == "" {
					t.Errorf("%s: %q untranslated", lang, e.Message)
				}
			}
		})
	}
}

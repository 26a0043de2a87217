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
	// The store's own field errors, worded as survey/sqlite words them
	// (plan.go, task.go); TestDashboardPlanStoreErrors in survey/web gets
	// the same from a real store through the router.
	store := func(field, format string, args ...any) error {
		e := survey.Errorf(survey.EINVALID, format, args...)
		e.Fields = map[string]string{field: e.Message}
		return e
	}
	bad := "finished"
	cases := map[string]error{
		"store: plan for a closed agency": store("agency", "agency %s is closed", "D4"),
		"store: responsible outside the subtree": store("responsible",
			"agency %s is not %s or beneath it: a task of %s's plan is carried out within its subtree", "D2", "D1", "D1"),
		"store: responsible closed": store("responsible", "agency %s is closed", "D4"),
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
	// Some messages word for word: field names are lower-case inside a
	// sentence, the first letter capital.
	want := map[string][2]string{
		"no title":                        {"Chưa nhập tên.", "The title is required."},
		"long title":                      {"Tên dài quá 300 ký tự.", "The title is longer than 300 characters."},
		"store: plan for a closed agency": {"Đơn vị D4 đã ngừng hoạt động: không lập kế hoạch cho đơn vị này.", "Agency D4 is closed: it cannot have a plan."},
		"store: responsible closed":       {"Đơn vị D4 đã ngừng hoạt động.", "Agency D4 is closed."},
	}
	for name, err := range cases {
		t.Run(name, func(t *testing.T) {
			var e *survey.Error
			if err == nil || !errors.As(err, &e) || len(e.Fields) == 0 {
				t.Fatalf("the domain gave %v, want a field error", err)
			}
			for i, lang := range []string{"vi", "en"} {
				got := planError(err, lang, []int{1, 2})
				for field := range e.Fields {
					if got == ptr(lang).Field[field] && name != "status not a status" {
						t.Errorf("%s: %q (%s) fell back to the field's generic message %q: no rule matches it", lang, e.Message, field, got)
					}
				}
				if got == ptr(lang).FormInvalid || got == "" {
					t.Errorf("%s: %q untranslated", lang, e.Message)
				}
				if w, ok := want[name]; ok && got != w[i] {
					t.Errorf("%s: %q gave %q, want %q", lang, e.Message, got, w[i])
				}
			}
		})
	}
}

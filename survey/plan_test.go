package survey_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

func TestParsePlan(t *testing.T) {
	reg := MustInstruments(t)
	ok := survey.PlanInput{Agency: "CT", Year: 2027, Title: " Kế hoạch cải thiện Chỉ số SIPAS năm 2027 ",
		Targets: []survey.PlanTarget{{Indicator: "overall", Instrument: "sipas-2017", Target: 90}, {Indicator: "TT", Target: 88}, {Indicator: "CC3", Target: 92}}}
	p, err := survey.ParsePlan(ok, reg)
	if err != nil {
		t.Fatal(err)
	}
	if p.Instrument != "sipas-2017" || p.Title != "Kế hoạch cải thiện Chỉ số SIPAS năm 2027" || len(p.Targets) != 3 || p.Targets[1].Instrument != "sipas-2017" {
		t.Fatalf("parsed %+v", p)
	}
	noInst := ok
	noInst.Targets = []survey.PlanTarget{{Indicator: "TT", Target: 88}}
	if p, err := survey.ParsePlan(noInst, reg); err != nil || p.Instrument != survey.DefaultInstrument {
		t.Fatalf("no instrument: %+v, %v; want the default instrument", p, err)
	}
	bad := []struct {
		name  string
		edit  func(*survey.PlanInput)
		field string
	}{
		{"no agency", func(in *survey.PlanInput) { in.Agency = " " }, "agency"},
		{"year 1999", func(in *survey.PlanInput) { in.Year = 1999 }, "year"},
		{"empty title", func(in *survey.PlanInput) { in.Title = "  " }, "title"},
		{"long title", func(in *survey.PlanInput) { in.Title = strings.Repeat("ê", survey.MaxPlanTitleRunes+1) }, "title"},
		{"unknown instrument", func(in *survey.PlanInput) { in.Instrument = "nope" }, "instrument"},
		{"unknown indicator", func(in *survey.PlanInput) { in.Targets = []survey.PlanTarget{{Indicator: "XX9", Target: 80}} }, "targets"},
		{"indicator of another instrument", func(in *survey.PlanInput) {
			in.Targets = []survey.PlanTarget{{Indicator: "TT1", Instrument: "quick", Target: 80}}
		}, "targets"},
		{"target above 100", func(in *survey.PlanInput) { in.Targets = []survey.PlanTarget{{Indicator: "TT", Target: 100.5}} }, "targets"},
		{"negative target", func(in *survey.PlanInput) { in.Targets = []survey.PlanTarget{{Indicator: "TT", Target: -1}} }, "targets"},
		{"twice", func(in *survey.PlanInput) {
			in.Targets = []survey.PlanTarget{{Indicator: "TT", Target: 80}, {Indicator: "TT", Instrument: "sipas-2017", Target: 85}}
		}, "targets"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			in.Targets = append([]survey.PlanTarget(nil), ok.Targets...)
			tt.edit(&in)
			_, err := survey.ParsePlan(in, reg)
			var e *survey.Error
			if !errors.As(err, &e) || e.Code != survey.EINVALID || e.Fields[tt.field] == "" {
				t.Fatalf("got %v, want EINVALID on field %s", err, tt.field)
			}
		})
	}
}

func TestParseTask(t *testing.T) {
	reg := MustInstruments(t)
	plan := &survey.Plan{ID: 3, Instrument: "sipas-2017"}
	ok := survey.TaskInput{Title: "Niêm yết đầy đủ thủ tục tại quầy", Responsible: "S01", Criteria: []string{"TT1", "TT2", "TT1"},
		Start: "2027-02-01", Due: "2027-06-30", Description: "…"}
	task, err := survey.ParseTask(plan, ok, reg)
	if err != nil {
		t.Fatal(err)
	}
	if task.PlanID != 3 || task.Status != survey.TaskTodo || len(task.Criteria) != 2 || task.Start != "2027-02-01" {
		t.Fatalf("parsed %+v", task)
	}
	for _, tt := range []struct {
		name  string
		edit  func(*survey.TaskInput)
		field string
	}{
		{"no title", func(in *survey.TaskInput) { in.Title = "" }, "title"},
		{"no responsible", func(in *survey.TaskInput) { in.Responsible = "" }, "responsible"},
		{"due before start", func(in *survey.TaskInput) { in.Due = "2027-01-31" }, "due"},
		{"bad start", func(in *survey.TaskInput) { in.Start = "01/02/2027" }, "start"},
		{"start in year 1", func(in *survey.TaskInput) { in.Start = "0001-01-01" }, "start"},
		{"due in 9999", func(in *survey.TaskInput) { in.Due = "9999-12-31" }, "due"},
		{"control character in the title", func(in *survey.TaskInput) { in.Title = "Niêm\x01yết" }, "title"},
		{"no criteria", func(in *survey.TaskInput) { in.Criteria = nil }, "criteria"},
		{"unknown criterion", func(in *survey.TaskInput) { in.Criteria = []string{"TT9"} }, "criteria"},
		{"long description", func(in *survey.TaskInput) { in.Description = strings.Repeat("a", survey.MaxDescriptionRunes+1) }, "description"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			_, err := survey.ParseTask(plan, in, reg)
			var e *survey.Error
			if !errors.As(err, &e) || e.Code != survey.EINVALID || e.Fields[tt.field] == "" {
				t.Fatalf("got %v, want EINVALID on field %s", err, tt.field)
			}
		})
	}
}

func TestParseTaskUpdate(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tt := range []struct {
		u  survey.TaskUpdate
		ok bool
	}{
		{survey.TaskUpdate{Status: s("doing")}, true},
		{survey.TaskUpdate{Note: "đã niêm yết 30/45 thủ tục"}, true},
		{survey.TaskUpdate{Status: s("finished")}, false},
		{survey.TaskUpdate{Note: "  "}, false},
		{survey.TaskUpdate{Status: s("done"), Note: strings.Repeat("x", survey.MaxProgressNoteRunes+1)}, false},
	} {
		if _, err := survey.ParseTaskUpdate(tt.u); (err == nil) != tt.ok {
			t.Errorf("%+v: err %v, want ok=%v", tt.u, err, tt.ok)
		}
	}
}

func TestTaskOverdue(t *testing.T) {
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02 15:04", s, survey.Vietnam)
		return d
	}
	task := &survey.Task{Due: "2027-06-30", Status: survey.TaskDoing}
	if task.Overdue(day("2027-06-30 23:59")) {
		t.Error("overdue on its due date")
	}
	// 1 July 00:30 in Vietnam is still 30 June in UTC.
	if !task.Overdue(day("2027-07-01 00:30").UTC()) {
		t.Error("not overdue the day after its due date (in Vietnam)")
	}
	task.Status = survey.TaskDone
	if task.Overdue(day("2027-08-01 10:00")) {
		t.Error("a done task is overdue")
	}
}

func TestParseOfficialResult(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, tt := range []struct {
		name string
		r    survey.OfficialResult
		ok   bool
	}{
		{"sipas", survey.OfficialResult{Agency: "CT", Index: "SIPAS", Year: 2021, Score: 85.54, Rank: n(48), Of: n(63)}, true},
		{"papi points", survey.OfficialResult{Agency: "CT", Index: "PAPI", Year: 2021, Score: 41.23, Rank: n(42), Of: n(60)}, true},
		{"no rank", survey.OfficialResult{Agency: "CT", Index: "PAR INDEX", Year: 2021, Score: 84.97}, true},
		{"papi above 80", survey.OfficialResult{Agency: "CT", Index: "PAPI", Year: 2021, Score: 81}, false},
		{"percent above 100", survey.OfficialResult{Agency: "CT", Index: "SIPAS", Year: 2021, Score: 100.1}, false},
		{"unknown index", survey.OfficialResult{Agency: "CT", Index: "PCI", Year: 2021, Score: 60}, false},
		{"rank beyond of", survey.OfficialResult{Agency: "CT", Index: "SIPAS", Year: 2021, Score: 80, Rank: n(64), Of: n(63)}, false},
		{"of without rank", survey.OfficialResult{Agency: "CT", Index: "SIPAS", Year: 2021, Score: 80, Of: n(63)}, false},
		{"rank 0", survey.OfficialResult{Agency: "CT", Index: "SIPAS", Year: 2021, Score: 80, Rank: n(0)}, false},
		{"year", survey.OfficialResult{Agency: "CT", Index: "SIPAS", Year: 1990, Score: 80}, false},
		{"no agency", survey.OfficialResult{Index: "SIPAS", Year: 2021, Score: 80}, false},
	} {
		if _, err := survey.ParseOfficialResult(tt.r); (err == nil) != tt.ok {
			t.Errorf("%s: err %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestReportPeriods(t *testing.T) {
	for _, tt := range []struct{ in, name, kind, from, to, prior, yearBefore string }{
		{"2027-Q2", "2027-Q2", survey.KindQuarter, "2027-04-01", "2027-06-30", "2027-Q1", "2026-Q2"},
		{" 2027-q2", "2027-Q2", survey.KindQuarter, "2027-04-01", "2027-06-30", "2027-Q1", "2026-Q2"},
		{"2027-h1", "2027-H1", survey.KindHalf, "2027-01-01", "2027-06-30", "2026-H2", "2026-H1"},
		{"2027-Q1", "2027-Q1", survey.KindQuarter, "2027-01-01", "2027-03-31", "2026-Q4", "2026-Q1"},
		{"2027-H1", "2027-H1", survey.KindHalf, "2027-01-01", "2027-06-30", "2026-H2", "2026-H1"},
		{"2027-H2", "2027-H2", survey.KindHalf, "2027-07-01", "2027-12-31", "2027-H1", "2026-H2"},
		{"2027", "2027", survey.KindYear, "2027-01-01", "2027-12-31", "2026", "2026"},
		{"2027-01", "2027-01", survey.KindMonth, "2027-01-01", "2027-01-31", "2026-12", "2026-01"},
		{"2028-02", "2028-02", survey.KindMonth, "2028-02-01", "2028-02-29", "2028-01", "2027-02"},
	} {
		p, err := survey.ParseReportPeriod(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if p.Name != tt.name || p.Kind != tt.kind || p.FromString() != tt.from || p.ToString() != tt.to ||
			p.Prior().Name != tt.prior || p.YearBefore().Name != tt.yearBefore {
			t.Errorf("%s: %s %s %s..%s prior %s year before %s", tt.in, p.Name, p.Kind, p.FromString(), p.ToString(), p.Prior().Name, p.YearBefore().Name)
		}
	}
	for _, bad := range []string{"2027-Q5", "2027-Q0", "2027-H3", "2027-13", "2027-00", "27-Q1", "2027Q1", "", "1999", "2027-Q"} {
		if _, err := survey.ParseReportPeriod(bad); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("%q: err %v, want EINVALID", bad, err)
		}
	}
	q2, _ := survey.ParseReportPeriod("2027-Q2")
	mid := time.Date(2027, 5, 10, 9, 0, 0, 0, survey.Vietnam)
	if p, ok := q2.Clip(mid); !ok || p.ToString() != "2027-05-10" || q2.Complete(mid) {
		t.Errorf("clip in the quarter: %s %v", p.ToString(), ok)
	}
	if _, ok := q2.Clip(time.Date(2027, 3, 31, 9, 0, 0, 0, survey.Vietnam)); ok {
		t.Error("a quarter not begun was clipped")
	}
	if !q2.Complete(time.Date(2027, 7, 1, 0, 1, 0, 0, survey.Vietnam)) {
		t.Error("Q2 is not complete on 1 July")
	}
}

package survey

import (
	"context"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// An improvement plan (kế hoạch cải thiện chỉ số) of an agency for a year:
// targets for indices of an instrument, and tasks, each with the unit whose
// head answers for it and the criteria it is meant to move. Plans, tasks
// and their progress are never deleted; every change is audited and a
// task's progress is a list of dated entries, never overwritten.

// IndicatorOverall is the indicator of a target or task that names the
// overall index (the others are element and criterion codes).
const IndicatorOverall = "overall"

// Task statuses.
const (
	TaskTodo  = "todo"
	TaskDoing = "doing"
	TaskDone  = "done"
)

// TaskStatuses are the statuses a task can have, in their order of work.
var TaskStatuses = []string{TaskTodo, TaskDoing, TaskDone}

// Limits of plans and tasks.
const (
	MaxPlanTitleRunes    = 300
	MaxTaskTitleRunes    = 300
	MaxDescriptionRunes  = 5000
	MaxProgressNoteRunes = 2000
	MaxTargets           = 50
	MaxTaskCriteria      = 30
	MinPlanYear          = 2000
	MaxPlanYear          = 2100
)

// PlanTarget is one target of a plan: an indicator (IndicatorOverall, an
// element code or a criterion code) of an instrument, and the index in
// percent it should reach.
type PlanTarget struct {
	Indicator  string  `json:"indicator"`
	Instrument string  `json:"instrument"`
	Target     float64 `json:"target"`
}

// Plan is an agency's improvement plan for a year.
type Plan struct {
	ID         int64  `json:"id"`
	AgencyID   int64  `json:"-"`
	AgencyCode string `json:"agency"`
	AgencyName string `json:"agency_name"`
	Year       int    `json:"year"`
	Title      string `json:"title"`
	// Instrument is the plan's instrument: the one its tasks' criteria and
	// the targets without one of their own are read in.
	Instrument string       `json:"instrument"`
	Targets    []PlanTarget `json:"targets"`
	CreatedAt  time.Time    `json:"created_at"`
	CreatedBy  string       `json:"created_by"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// PlanInput is a plan as a client sends it.
type PlanInput struct {
	Agency     string       `json:"agency"`
	Year       int          `json:"year"`
	Title      string       `json:"title"`
	Instrument string       `json:"instrument"`
	Targets    []PlanTarget `json:"targets"`
}

// PlanUpdate changes a plan; nil fields are left as they are.
type PlanUpdate struct {
	Title   *string       `json:"title"`
	Targets *[]PlanTarget `json:"targets"`
}

// ParsePlan checks a new plan: the agency code's form (the store checks it
// exists), the year, the title, and every target against its instrument.
// The plan's instrument is in.Instrument, else the first target's, else
// DefaultInstrument; a target without an instrument takes the plan's.
func ParsePlan(in PlanInput, reg *Instruments) (*Plan, error) {
	p := &Plan{AgencyCode: strings.TrimSpace(in.Agency), Year: in.Year}
	if p.AgencyCode == "" {
		return nil, fieldError("agency", "agency is required")
	}
	if in.Year < MinPlanYear || in.Year > MaxPlanYear {
		return nil, fieldError("year", "year must be between %d and %d", MinPlanYear, MaxPlanYear)
	}
	title, err := cleanText("title", in.Title, MaxPlanTitleRunes, true)
	if err != nil {
		return nil, err
	}
	p.Title = title
	p.Instrument = strings.TrimSpace(in.Instrument)
	if p.Instrument == "" {
		for _, t := range in.Targets {
			if t.Instrument != "" {
				p.Instrument = strings.TrimSpace(t.Instrument)
				break
			}
		}
	}
	if p.Instrument == "" {
		p.Instrument = DefaultInstrument
	}
	if _, err := reg.Current(p.Instrument); err != nil {
		return nil, fieldError("instrument", "unknown instrument %q", p.Instrument)
	}
	if p.Targets, err = ParseTargets(in.Targets, p.Instrument, reg); err != nil {
		return nil, err
	}
	return p, nil
}

// ParsePlanUpdate checks a change of plan p: at least one field, the
// title as ParsePlan checks it, the targets with ParseTargets in the
// plan's instrument.
func ParsePlanUpdate(u PlanUpdate, p *Plan, reg *Instruments) (PlanUpdate, error) {
	if u.Title == nil && u.Targets == nil {
		return u, fieldError("title", "give a title or targets to change")
	}
	if u.Title != nil {
		title, err := cleanText("title", *u.Title, MaxPlanTitleRunes, true)
		if err != nil {
			return u, err
		}
		u.Title = &title
	}
	if u.Targets != nil {
		ts, err := ParseTargets(*u.Targets, p.Instrument, reg)
		if err != nil {
			return u, err
		}
		u.Targets = &ts
	}
	return u, nil
}

// ParseTargets checks a plan's targets: each indicator exists in its
// instrument (def when it names none), each target is within 0–100, and no
// indicator is targeted twice.
func ParseTargets(ts []PlanTarget, def string, reg *Instruments) ([]PlanTarget, error) {
	if len(ts) > MaxTargets {
		return nil, fieldError("targets", "at most %d targets", MaxTargets)
	}
	out := make([]PlanTarget, 0, len(ts))
	seen := map[string]bool{}
	for i, t := range ts {
		t.Indicator = strings.TrimSpace(t.Indicator)
		t.Instrument = strings.TrimSpace(t.Instrument)
		if t.Instrument == "" {
			t.Instrument = def
		}
		in, err := reg.Current(t.Instrument)
		if err != nil {
			return nil, fieldError("targets", "target %d: unknown instrument %q", i+1, t.Instrument)
		}
		if !in.HasIndicator(t.Indicator) {
			return nil, fieldError("targets", "target %d: %q is not %q, an element or a criterion of %s", i+1, t.Indicator, IndicatorOverall, in.ID)
		}
		if math.IsNaN(t.Target) || t.Target < 0 || t.Target > 100 {
			return nil, fieldError("targets", "target %d: the target must be between 0 and 100 (percent)", i+1)
		}
		key := t.Instrument + "/" + t.Indicator
		if seen[key] {
			return nil, fieldError("targets", "target %d: %s of %s is targeted twice", i+1, t.Indicator, t.Instrument)
		}
		seen[key] = true
		out = append(out, t)
	}
	return out, nil
}

// HasIndicator reports whether code is IndicatorOverall, an element code or
// a criterion (item) code of the instrument.
func (in *Instrument) HasIndicator(code string) bool {
	if code == IndicatorOverall {
		return true
	}
	if _, ok := in.ItemIndex(code); ok {
		return true
	}
	for _, e := range in.Elements {
		if e.Code == code {
			return true
		}
	}
	return false
}

// PlanFilter selects plans.
type PlanFilter struct {
	// Agency is the root of the subtree whose plans are listed ("" all).
	Agency string
	// Covering also lists the plans of Agency's ancestors, whose tasks may
	// be Agency's to carry out.
	Covering bool
	// Year, when > 0, keeps the plans of that year.
	Year int
}

// TaskFilter selects tasks.
type TaskFilter struct {
	// PlanID, when > 0, keeps one plan's tasks.
	PlanID int64
	// Responsible, when set, keeps the tasks of that unit's subtree.
	Responsible string
	// Open keeps the tasks not done.
	Open bool
	// DueBy, when set (YYYY-MM-DD), keeps the tasks due on or before it.
	DueBy string
}

// PlanStore keeps plans, their tasks and progress, and the official yearly
// results. Every change is recorded in the audit log.
type PlanStore interface {
	// CreatePlan stores a plan checked by ParsePlan and sets its ID,
	// AgencyID, AgencyName and times. An agency may have several plans a
	// year. Returns ENOTFOUND (agency) or EINVALID (a closed agency).
	CreatePlan(ctx context.Context, p *Plan, by Actor) error
	// FindPlan returns ENOTFOUND.
	FindPlan(ctx context.Context, id int64) (*Plan, error)
	// ListPlans returns the plans of f, by year (newest first) then id.
	ListPlans(ctx context.Context, f PlanFilter) ([]*Plan, error)
	// UpdatePlan changes a plan's title or targets (checked by the caller
	// with ParsePlanUpdate), kept in its history.
	UpdatePlan(ctx context.Context, id int64, u PlanUpdate, by Actor) (*Plan, error)
	// CreateTask stores a task checked by ParseTask, with its first
	// progress entry. Returns ENOTFOUND (plan or responsible agency) or
	// EINVALID when the responsible unit is closed or outside the plan's
	// subtree. A task's work, unit, criteria and dates are not edited
	// afterwards: its progress entries say what happened to it.
	CreateTask(ctx context.Context, t *Task, by Actor) error
	// FindTask returns a task of a plan with its progress. ENOTFOUND.
	FindTask(ctx context.Context, planID, taskID int64) (*Task, error)
	// ListTasks returns the tasks of f (without their progress entries)
	// ordered by due date then id. Returns ENOTFOUND (Responsible) or
	// EINVALID (DueBy).
	ListTasks(ctx context.Context, f TaskFilter) ([]*Task, error)
	// UpdateTask appends a progress entry (checked by ParseTaskUpdate) and
	// sets the task's status when the entry changes it.
	UpdateTask(ctx context.Context, planID, taskID int64, u TaskUpdate, by Actor) (*Task, error)

	// SetOfficialResult records an official yearly result checked by
	// ParseOfficialResult, replacing the one of the same agency, index and
	// year. Returns ENOTFOUND (agency).
	SetOfficialResult(ctx context.Context, r *OfficialResult, by Actor) error
	// OfficialResults returns the agency's official results, by year then
	// index in the order of OfficialIndices. Returns ENOTFOUND (agency).
	OfficialResults(ctx context.Context, agency string) ([]*OfficialResult, error)
}

// CanEditPlan reports whether u may create or edit the plans of the agency
// with the given code: admins, and officials of that agency or above it.
func CanEditPlan(ctx context.Context, agencies AgencyLister, u *User, agency string) (bool, error) {
	return CanSee(ctx, agencies, u, agency)
}

// CanReadPlan reports whether u may read a plan of the agency with the
// given code: whoever may edit it, and the officials of the units beneath
// it, who carry out its tasks.
func CanReadPlan(ctx context.Context, agencies AgencyStore, u *User, agency string) (bool, error) {
	if ok, err := CanSee(ctx, agencies, u, agency); ok || err != nil {
		return ok, err
	}
	if !MaySee(u) || u.AgencyCode == "" {
		return false, nil
	}
	return agencies.InSubtree(ctx, agency, u.AgencyCode)
}

// ReadablePlans keeps the plans u may read (CanReadPlan), in order.
func ReadablePlans(ctx context.Context, agencies AgencyStore, u *User, plans []*Plan) ([]*Plan, error) {
	out := []*Plan{}
	for _, p := range plans {
		ok, err := CanReadPlan(ctx, agencies, u, p.AgencyCode)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// CanUpdateTask reports whether u may record progress on a task: admins and
// officials of the responsible unit or above it.
func CanUpdateTask(ctx context.Context, agencies AgencyLister, u *User, t *Task) (bool, error) {
	return CanSee(ctx, agencies, u, t.Responsible)
}

// fieldError is an EINVALID error naming one input field.
func fieldError(field, format string, args ...any) *Error {
	e := Errorf(EINVALID, format, args...)
	e.Fields = map[string]string{field: e.Message}
	return e
}

// cleanText trims s and checks it is valid UTF-8 of at most limit runes
// without control characters (but line breaks and tabs); required refuses
// an empty one.
func cleanText(field, s string, limit int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	control := strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0
	switch {
	case !utf8.ValidString(s) || control:
		return "", fieldError(field, "%s is not valid text", field)
	case required && s == "":
		return "", fieldError(field, "%s is required", field)
	case utf8.RuneCountInString(s) > limit:
		return "", fieldError(field, "%s is longer than %d characters", field, limit)
	}
	return s, nil
}

// parseDay parses a YYYY-MM-DD date in Vietnam, of a year a plan may have.
func parseDay(field, s string) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), Vietnam)
	if err != nil {
		return time.Time{}, fieldError(field, "%s: %q is not a date YYYY-MM-DD", field, s)
	}
	if d.Year() < MinPlanYear || d.Year() > MaxPlanYear {
		return time.Time{}, fieldError(field, "%s: %s is not between %d and %d", field, s, MinPlanYear, MaxPlanYear)
	}
	return d, nil
}

package survey

import (
	"strings"
	"time"
)

// Task is one task of a plan: the work, the unit responsible (an agency in
// the plan's subtree), the criteria it is meant to move, when it starts and
// is due, and its progress, newest last.
type Task struct {
	ID              int64     `json:"id"`
	PlanID          int64     `json:"plan"`
	Title           string    `json:"title"`
	ResponsibleID   int64     `json:"-"`
	Responsible     string    `json:"responsible"`
	ResponsibleName string    `json:"responsible_name"`
	Criteria        []string  `json:"criteria"`
	Start           string    `json:"start"`
	Due             string    `json:"due"`
	Description     string    `json:"description"`
	Status          string    `json:"status"`
	CreatedAt       time.Time `json:"created_at"`
	CreatedBy       string    `json:"created_by"`
	UpdatedAt       time.Time `json:"updated_at"`
	// Progress is nil in lists (ListTasks), and left out of their JSON.
	Progress []Progress `json:"progress,omitempty"`
}

// Progress is one dated entry of a task's progress: who set which status,
// with what note. Entries are appended, never changed.
type Progress struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Status string    `json:"status"`
	Note   string    `json:"note"`
}

// Overdue reports whether the task is past its due date on the day of today
// (in Vietnam) and not done. It is derived, never stored.
func (t *Task) Overdue(today time.Time) bool {
	return t.Status != TaskDone && t.Due < today.In(Vietnam).Format("2006-01-02")
}

// TaskInput is a new task as a client sends it.
type TaskInput struct {
	Title       string   `json:"title"`
	Responsible string   `json:"responsible"`
	Criteria    []string `json:"criteria"`
	Start       string   `json:"start"`
	Due         string   `json:"due"`
	Description string   `json:"description"`
}

// TaskUpdate is a progress entry: a new status (nil: unchanged) and a note.
// One of them must be given.
type TaskUpdate struct {
	Status *string `json:"status"`
	Note   string  `json:"note"`
}

// ParseTask checks a new task of plan p: title, dates (due not before
// start), the criteria against the plan's instrument, the description. The
// responsible unit's place in the plan's subtree is the store's to check
// (CanAssign), since it needs the tree.
func ParseTask(p *Plan, in TaskInput, reg *Instruments) (*Task, error) {
	t := &Task{PlanID: p.ID, Responsible: strings.TrimSpace(in.Responsible), Status: TaskTodo}
	var err error
	if t.Title, err = cleanText("title", in.Title, MaxTaskTitleRunes, true); err != nil {
		return nil, err
	}
	if t.Responsible == "" {
		return nil, fieldError("responsible", "responsible is required (an agency code)")
	}
	start, err := parseDay("start", in.Start)
	if err != nil {
		return nil, err
	}
	due, err := parseDay("due", in.Due)
	if err != nil {
		return nil, err
	}
	if due.Before(start) {
		return nil, fieldError("due", "due (%s) is before start (%s)", in.Due, in.Start)
	}
	t.Start, t.Due = start.Format("2006-01-02"), due.Format("2006-01-02")
	inst, err := reg.Current(p.Instrument)
	if err != nil {
		return nil, err
	}
	if len(in.Criteria) == 0 {
		return nil, fieldError("criteria", "a task needs at least one criterion it is meant to improve")
	}
	if len(in.Criteria) > MaxTaskCriteria {
		return nil, fieldError("criteria", "at most %d criteria", MaxTaskCriteria)
	}
	seen := map[string]bool{}
	for _, c := range in.Criteria {
		c = strings.TrimSpace(c)
		if !inst.HasIndicator(c) {
			return nil, fieldError("criteria", "%q is not %q, an element or a criterion of %s", c, IndicatorOverall, inst.ID)
		}
		if !seen[c] {
			seen[c] = true
			t.Criteria = append(t.Criteria, c)
		}
	}
	if t.Description, err = cleanText("description", in.Description, MaxDescriptionRunes, false); err != nil {
		return nil, err
	}
	return t, nil
}

// ParseTaskUpdate checks a progress entry.
func ParseTaskUpdate(u TaskUpdate) (TaskUpdate, error) {
	if u.Status != nil && !ValidTaskStatus(*u.Status) {
		return u, fieldError("status", "status must be %s", strings.Join(TaskStatuses, ", "))
	}
	note, err := cleanText("note", u.Note, MaxProgressNoteRunes, false)
	if err != nil {
		return u, err
	}
	u.Note = note
	if u.Status == nil && note == "" {
		return u, fieldError("status", "give a status or a note")
	}
	return u, nil
}

// ValidTaskStatus reports whether s is one of TaskStatuses.
func ValidTaskStatus(s string) bool { return s == TaskTodo || s == TaskDoing || s == TaskDone }

// StatusOn returns the task's status at the end of day (in Vietnam), from
// its progress entries (which FindTask loads), and false when the task did
// not exist yet on that day. A report of a past period says what was true
// then, whatever happened since.
func (t *Task) StatusOn(day time.Time) (string, bool) {
	y, m, d := day.In(Vietnam).Date()
	end := time.Date(y, m, d, 0, 0, 0, 0, Vietnam).AddDate(0, 0, 1)
	if !t.CreatedAt.Before(end) {
		return "", false
	}
	status := TaskTodo
	for _, p := range t.Progress {
		if !p.At.Before(end) {
			break
		}
		status = p.Status
	}
	return status, true
}

// On returns a copy of the task as it stood at the end of day (status from
// its progress entries, the entries up to then), and false when it did not
// exist yet.
func (t *Task) On(day time.Time) (*Task, bool) {
	status, ok := t.StatusOn(day)
	if !ok {
		return nil, false
	}
	c := *t
	c.Status = status
	y, m, d := day.In(Vietnam).Date()
	end := time.Date(y, m, d, 0, 0, 0, 0, Vietnam).AddDate(0, 0, 1)
	c.Progress = nil
	for _, p := range t.Progress {
		if p.At.Before(end) {
			c.Progress = append(c.Progress, p)
		}
	}
	return &c, true
}

// TaskCounts counts tasks by status; Overdue counts those past due and not
// done, which are also counted under their status.
type TaskCounts struct {
	Total   int `json:"total"`
	Todo    int `json:"todo"`
	Doing   int `json:"doing"`
	Done    int `json:"done"`
	Overdue int `json:"overdue"`
}

// Add counts task t as of the day of today.
func (c *TaskCounts) Add(t *Task, today time.Time) {
	c.Total++
	switch t.Status {
	case TaskTodo:
		c.Todo++
	case TaskDoing:
		c.Doing++
	case TaskDone:
		c.Done++
	}
	if t.Overdue(today) {
		c.Overdue++
	}
}

// CountTasks counts tasks as of the day of today.
func CountTasks(ts []*Task, today time.Time) TaskCounts {
	var c TaskCounts
	for _, t := range ts {
		c.Add(t, today)
	}
	return c
}

package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// taskAnswer is the JSON of a task: its fields and whether it is overdue
// today (derived, never stored).
type taskAnswer struct {
	*survey.Task
	Overdue bool `json:"overdue"`
}

func newTaskAnswer(t *survey.Task, now time.Time) taskAnswer {
	if t.Progress == nil {
		t.Progress = []survey.Progress{} // lists carry no progress entries
	}
	return taskAnswer{Task: t, Overdue: t.Overdue(now)}
}

// taskList is the JSON of GET /api/v1/plans/{id}/tasks.
type taskList struct {
	Tasks []taskAnswer `json:"tasks"`
}

// TaskCreate adds a task to a plan (whoever may edit the plan). The
// responsible unit must be the plan's agency or beneath it.
func (h *Handler) TaskCreate(c *gin.Context) error {
	p, err := h.findPlan(c)
	if err != nil {
		return err
	}
	if err := h.mayEditPlan(c, p.AgencyCode); err != nil {
		return err
	}
	var in survey.TaskInput
	if err := h.decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := survey.ParseTask(p, in, h.Instruments)
	if err != nil {
		return err
	}
	if err := h.Store.CreateTask(c.Request.Context(), t, httpx.Actor(c)); err != nil {
		// The plan was found: what is unknown is the responsible unit,
		// a field of the body.
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			e := survey.Errorf(survey.EINVALID, "responsible: %s", survey.ErrorMessage(err))
			e.Fields = map[string]string{"responsible": e.Message}
			return e
		}
		return err
	}
	c.Header("Location", "/api/v1/plans/"+strconv.FormatInt(p.ID, 10)+"/tasks/"+strconv.FormatInt(t.ID, 10))
	httpx.WriteJSON(c, http.StatusCreated, newTaskAnswer(t, h.Now()))
	return nil
}

// TaskList lists a plan's tasks by due date, without their progress
// entries (whoever may read the plan).
func (h *Handler) TaskList(c *gin.Context) error {
	p, err := h.readablePlan(c)
	if err != nil {
		return err
	}
	tasks, err := h.Store.ListTasks(c.Request.Context(), survey.TaskFilter{PlanID: p.ID})
	if err != nil {
		return err
	}
	now := h.Now()
	out := taskList{Tasks: []taskAnswer{}}
	for _, t := range tasks {
		out.Tasks = append(out.Tasks, newTaskAnswer(t, now))
	}
	httpx.WriteJSON(c, http.StatusOK, out)
	return nil
}

// TaskGet answers a task with its progress (whoever may read the plan).
func (h *Handler) TaskGet(c *gin.Context) error {
	_, t, err := h.readableTask(c)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, newTaskAnswer(t, h.Now()))
	return nil
}

// TaskUpdate records progress on a task: a new status, a note or both,
// appended to its progress (admins, and officials of the responsible unit
// or above).
func (h *Handler) TaskUpdate(c *gin.Context) error {
	p, t, err := h.readableTask(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	ok, err := survey.CanUpdateTask(ctx, h.Store, httpx.CurrentUser(c), t)
	if err != nil {
		return err
	}
	if !ok {
		return survey.Errorf(survey.EFORBIDDEN, "only admins and officials of the responsible unit (%s) or above may record progress on this task", t.Responsible)
	}
	var in survey.TaskUpdate
	if err := h.decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := survey.ParseTaskUpdate(in)
	if err != nil {
		return err
	}
	if t, err = h.Store.UpdateTask(ctx, p.ID, t.ID, u, httpx.Actor(c)); err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, newTaskAnswer(t, h.Now()))
	return nil
}

// TaskEffect answers whether the criteria a task targets moved at its
// responsible unit since it started, against the rest of the plan's agency
// (whoever may read the plan).
func (h *Handler) TaskEffect(c *gin.Context) error {
	p, t, err := h.readableTask(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	eff, err := h.Reports.Effect(ctx, p, t, h.Now())
	if err != nil {
		return err
	}
	// Whoever may read the plan reads the verdicts; the indices they come
	// from only those who may see the responsible unit and, when it has
	// merged, the successor they are measured at.
	see, err := survey.CanSeeAll(ctx, h.Store, httpx.CurrentUser(c), t.Responsible, eff.Responsible)
	if err != nil {
		return err
	}
	if !see {
		eff = eff.VerdictsOnly()
	}
	httpx.WriteJSON(c, http.StatusOK, eff)
	return nil
}

// readableTask returns the plan and the task of the path when the user may
// read the plan: 400 for an id that is not a number, ENOTFOUND for an
// unknown plan or a task of another plan.
func (h *Handler) readableTask(c *gin.Context) (*survey.Plan, *survey.Task, error) {
	p, err := h.readablePlan(c)
	if err != nil {
		return nil, nil, err
	}
	tid, err := pathID(c, "tid", "task")
	if err != nil {
		return nil, nil, err
	}
	t, err := h.Store.FindTask(c.Request.Context(), p.ID, tid)
	if err != nil {
		return nil, nil, err
	}
	return p, t, nil
}

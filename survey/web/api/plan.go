package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// planAnswer is the JSON of GET /api/v1/plans/{id}: the plan, the status
// of its targets over its year up to today, and its tasks.
type planAnswer struct {
	*survey.Plan
	TargetStatus []report.TargetStatus `json:"target_status"`
	Tasks        []taskAnswer          `json:"tasks"`
}

// planList is the JSON of GET /api/v1/plans.
type planList struct {
	Plans []*survey.Plan `json:"plans"`
}

// PlanCreate creates an improvement plan (admins, and officials of the
// plan's agency or above).
func (h *Handler) PlanCreate(c *gin.Context) error {
	var in survey.PlanInput
	if err := h.decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := survey.ParsePlan(in, h.Instruments)
	if err != nil {
		return err
	}
	// An unknown agency is 404 for everyone, as elsewhere in the API; one
	// outside the official's scope 403.
	if _, err := h.Store.FindAgency(c.Request.Context(), p.AgencyCode); err != nil {
		return err
	}
	if err := h.mayEditPlan(c, p.AgencyCode); err != nil {
		return err
	}
	if err := h.Store.CreatePlan(c.Request.Context(), p, httpx.Actor(c)); err != nil {
		return err
	}
	c.Header("Location", "/api/v1/plans/"+strconv.FormatInt(p.ID, 10))
	httpx.WriteJSON(c, http.StatusCreated, p)
	return nil
}

// PlanList lists the plans the user may read: those of the agency's
// subtree (by default the root of the user's scope, all for admins) and
// of its ancestors, whose tasks may be the agency's to carry out.
func (h *Handler) PlanList(c *gin.Context) error {
	ctx := c.Request.Context()
	u := httpx.CurrentUser(c)
	code := c.Query("agency")
	if code == "" {
		code = survey.SubtreeRoot(u)
	} else {
		if _, err := h.Store.FindAgency(ctx, code); err != nil {
			return err
		}
		if err := h.mayReadPlan(c, code); err != nil {
			return err
		}
	}
	year, err := queryInt64(c, "year", 0)
	if err != nil {
		return err
	}
	if year != 0 && (year < survey.MinPlanYear || year > survey.MaxPlanYear) {
		return httpx.Errorf(http.StatusBadRequest, "year must be between %d and %d", survey.MinPlanYear, survey.MaxPlanYear)
	}
	plans, err := h.Store.ListPlans(ctx, survey.PlanFilter{Agency: code, Covering: true, Year: int(year)})
	if err != nil {
		return err
	}
	out := planList{Plans: []*survey.Plan{}}
	for _, p := range plans {
		ok, err := survey.CanReadPlan(ctx, h.Store, u, p.AgencyCode)
		if err != nil {
			return err
		}
		if ok {
			out.Plans = append(out.Plans, p)
		}
	}
	httpx.WriteJSON(c, http.StatusOK, out)
	return nil
}

// PlanGet answers a plan with its targets' status and its tasks (whoever
// may read it: its agency and above, and the units beneath it).
func (h *Handler) PlanGet(c *gin.Context) error {
	p, err := h.readablePlan(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	now := h.Now()
	out := planAnswer{Plan: p, Tasks: []taskAnswer{}}
	if out.TargetStatus, _, _, err = h.Reports.PlanTargets(ctx, p, now); err != nil {
		return err
	}
	// Officials of a unit beneath the plan's agency read the plan, not
	// its agency's indices.
	see, err := survey.CanSee(ctx, h.Store, httpx.CurrentUser(c), p.AgencyCode)
	if err != nil {
		return err
	}
	if !see {
		out.TargetStatus = report.RedactTargets(out.TargetStatus)
	}
	tasks, err := h.Store.ListTasks(ctx, survey.TaskFilter{PlanID: p.ID})
	if err != nil {
		return err
	}
	for _, t := range tasks {
		out.Tasks = append(out.Tasks, newTaskAnswer(t, now))
	}
	httpx.WriteJSON(c, http.StatusOK, out)
	return nil
}

// PlanUpdate changes a plan's title or targets (whoever may edit it).
func (h *Handler) PlanUpdate(c *gin.Context) error {
	p, err := h.findPlan(c)
	if err != nil {
		return err
	}
	if err := h.mayEditPlan(c, p.AgencyCode); err != nil {
		return err
	}
	var u survey.PlanUpdate
	if err := h.decodeJSON(c, &u); err != nil {
		return err
	}
	if u, err = survey.ParsePlanUpdate(u, p, h.Instruments); err != nil {
		return err
	}
	p, err = h.Store.UpdatePlan(c.Request.Context(), p.ID, u, httpx.Actor(c))
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, p)
	return nil
}

// findPlan returns the plan of the path's id: 400 for an id that is not a
// number, ENOTFOUND for an unknown one.
func (h *Handler) findPlan(c *gin.Context) (*survey.Plan, error) {
	id, err := pathID(c, "id", "plan")
	if err != nil {
		return nil, err
	}
	return h.Store.FindPlan(c.Request.Context(), id)
}

// readablePlan returns the plan of the path's id when the user may read
// it.
func (h *Handler) readablePlan(c *gin.Context) (*survey.Plan, error) {
	p, err := h.findPlan(c)
	if err != nil {
		return nil, err
	}
	if err := h.mayReadPlan(c, p.AgencyCode); err != nil {
		return nil, err
	}
	return p, nil
}

// mayEditPlan answers 403 unless the user may create or edit the plans
// of the agency.
func (h *Handler) mayEditPlan(c *gin.Context, agency string) error {
	ok, err := survey.CanEditPlan(c.Request.Context(), h.Store, httpx.CurrentUser(c), agency)
	if err != nil {
		return err
	}
	if !ok {
		return survey.Errorf(survey.EFORBIDDEN, "only admins and officials of the plan's agency or above may create or change its plans")
	}
	return nil
}

// mayReadPlan answers 403 unless the user may read the plans of the
// agency.
func (h *Handler) mayReadPlan(c *gin.Context, agency string) error {
	ok, err := survey.CanReadPlan(c.Request.Context(), h.Store, httpx.CurrentUser(c), agency)
	if err != nil {
		return err
	}
	if !ok {
		return survey.Errorf(survey.EFORBIDDEN, "you may not see the plans of this agency")
	}
	return nil
}

// pathID reads a positive integer path parameter; what names the thing
// in the message.
func pathID(c *gin.Context, param, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(param), 10, 64)
	if err != nil || id <= 0 {
		return 0, httpx.Errorf(http.StatusBadRequest, "%s id %q is not a positive whole number", what, c.Param(param))
	}
	return id, nil
}

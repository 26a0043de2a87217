package dashboard

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// taskRow is one task in a plan's table.
type taskRow struct {
	ID                                              int64
	URL, Title, Responsible, ResponsibleName        string
	Criteria, Start, Due, Status, StatusLabel, Note string
	Overdue                                         bool
}

// taskForm is the add-task form with what the user typed.
type taskForm struct {
	Title, Responsible, Criteria, Start, Due, Description string
}

// taskRowOf is a task as the plan's table and the home page show it.
func (h *Handler) taskRowOf(plan *survey.Plan, t *survey.Task, lang string) taskRow {
	return taskRow{ID: t.ID, URL: langLink(fmt.Sprintf("/dashboard/plans/%d/tasks/%d", plan.ID, t.ID), lang),
		Title: t.Title, Responsible: t.Responsible, ResponsibleName: t.ResponsibleName,
		Criteria: strings.Join(t.Criteria, ", "), Start: report.DayText(t.Start), Due: report.DayText(t.Due),
		Status: t.Status, StatusLabel: report.StatusLabel(t.Status, lang), Overdue: t.Overdue(h.Now()), Note: plan.Title}
}

// progressRow is one entry of a task's progress.
type progressRow struct {
	At, By, Status, StatusLabel, Note string
}

// historyRows is a task's progress newest first by the entries' times,
// whatever order they come in; entries of the same time keep the later
// recorded first.
func historyRows(ps []survey.Progress, lang string) []progressRow {
	es := make([]survey.Progress, len(ps))
	for i, e := range ps {
		es[len(ps)-1-i] = e
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].At.After(es[j].At) })
	rows := make([]progressRow, 0, len(es))
	for _, e := range es {
		rows = append(rows, progressRow{At: e.At.In(survey.Vietnam).Format("02/01/2006 15:04"), By: e.By,
			Status: e.Status, StatusLabel: report.StatusLabel(e.Status, lang), Note: e.Note})
	}
	return rows
}

// changeView is an index before and after a task's start and the change.
type changeView struct {
	Before, After    estView
	Change, ChangeCI string
}

// effectRow is one targeted criterion of the effect panel.
type effectRow struct {
	Indicator, Label      string
	Unit                  changeView
	Rest                  *changeView
	Diff, DiffCI          string
	Verdict, VerdictLabel string
}

// effectView is the effect panel of a task's page.
type effectView struct {
	Started bool
	// Hidden is true when the user may read the task but not the
	// responsible unit's indices (survey.CanSee false): the rows hold
	// the verdicts only.
	Hidden             bool
	Before, After      string
	UnitName, RestName string
	Levels, Explain    string
	// Reorg says what became of the responsible unit (merged, split).
	Reorg string
	Rows  []effectRow
}

// taskPage is one task: what it is, its progress, the form to record
// progress, and whether its criteria moved.
type taskPage struct {
	dashBase
	P                  *PlanTexts
	Plan               *survey.Plan
	Task               taskRow
	Description        string
	History            []progressRow
	CanUpdate          bool
	Statuses           []option
	Note, FormError    string
	Flash              string
	Effect             effectView
	PlanURL, ActionURL string
}

// criteriaList reads the criteria field: codes separated by commas,
// semicolons or spaces.
func criteriaList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// TaskCreate serves POST /dashboard/plans/{id}/tasks: post →
// survey.ParseTask → store (which checks the responsible unit is in the
// plan's subtree) → 303 to the plan, or the plan's page again with the
// input and the message.
func (h *Handler) TaskCreate(c *gin.Context) error {
	plan, err := h.requestPlan(c)
	if err != nil {
		return err
	}
	if err := h.mayEditPlan(c, plan.AgencyCode); err != nil {
		return err
	}
	lang := httpx.Lang(c)
	f := c.Request.PostForm
	form := taskForm{Title: f.Get("title"), Responsible: f.Get("responsible"), Criteria: f.Get("criteria"),
		Start: f.Get("start"), Due: f.Get("due"), Description: f.Get("description")}
	in := survey.TaskInput{Title: form.Title, Responsible: form.Responsible, Criteria: criteriaList(form.Criteria),
		Start: form.Start, Due: form.Due, Description: form.Description}
	t, err := survey.ParseTask(plan, in, h.Instruments)
	if err == nil {
		err = h.Store.CreateTask(c.Request.Context(), t, httpx.Actor(c))
	}
	if err != nil {
		if isInternal(err) {
			return err
		}
		p, perr := h.planPageData(c, plan)
		if perr != nil {
			return perr
		}
		p.TaskForm, p.TaskError = form, planError(err, lang, nil)
		p.Units = selectOptions(p.Units, form.Responsible)
		return h.render(c, http.StatusUnprocessableEntity, "plan", p)
	}
	c.Redirect(http.StatusSeeOther, planURL(plan.ID, lang, "msg", "task")+"#tasks")
	return nil
}

// requestTask finds the plan and task of the URL when the user may read
// the plan.
func (h *Handler) requestTask(c *gin.Context) (*survey.Plan, *survey.Task, error) {
	plan, err := h.requestPlan(c)
	if err != nil {
		return nil, nil, err
	}
	missing := fail(http.StatusNotFound, fmt.Sprintf(ptr(httpx.Lang(c)).NoTask, c.Param("tid")))
	id, err := strconv.ParseInt(c.Param("tid"), 10, 64)
	if err != nil || id < 1 {
		return nil, nil, missing
	}
	t, err := h.Store.FindTask(c.Request.Context(), plan.ID, id)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil, nil, missing
	} else if err != nil {
		return nil, nil, err
	}
	return plan, t, nil
}

// taskPageData builds a task's page.
func (h *Handler) taskPageData(c *gin.Context, plan *survey.Plan, t *survey.Task) (*taskPage, error) {
	ctx := c.Request.Context()
	lang := httpx.Lang(c)
	pt := ptr(lang)
	row := h.taskRowOf(plan, t, lang)
	p := &taskPage{dashBase: h.dashBase(c, t.Title), P: pt, Plan: plan, Task: row, Description: t.Description,
		PlanURL: planURL(plan.ID, lang), ActionURL: row.URL}
	p.History = historyRows(t.Progress, lang)
	u := httpx.CurrentUser(c)
	ok, err := survey.CanUpdateTask(ctx, h.Store, u, t)
	if err != nil {
		return nil, err
	}
	p.CanUpdate = ok
	for _, s := range survey.TaskStatuses {
		p.Statuses = append(p.Statuses, option{Value: s, Label: report.StatusLabel(s, lang), Selected: s == t.Status})
	}
	eff, err := h.Reports.Effect(ctx, plan, t, h.Now())
	if err != nil {
		return nil, err
	}
	see, err := survey.CanSeeAll(ctx, h.Store, u, t.Responsible, eff.Responsible)
	if err != nil {
		return nil, err
	}
	p.Effect = h.effectView(plan, eff, see, lang)
	if c.Query("msg") == "progress" {
		p.Flash = pt.ProgressSaved
	}
	return p, nil
}

// levelText formats a confidence level as a percentage: "95 %", "98,33 %".
func levelText(level float64, lang string) string {
	s := report.Number(level*100, 2, lang)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ",.")
	return s + " %"
}

// spanText shows a report span as "01/01/2026 – 28/02/2026".
func spanText(s report.Span) string { return report.DayText(s.From) + " – " + report.DayText(s.To) }

// changeOf is a change as the panel shows it; the interval only when both
// indices are reportable.
func changeOf(code, label string, ch report.Change, lang string) changeView {
	v := changeView{Before: estOf(code, label, ch.Before, lang), After: estOf(code, label, ch.After, lang), Change: "–", ChangeCI: "–"}
	if ch.Before.Reportable && ch.After.Reportable {
		v.Change, v.ChangeCI = report.Signed(ch.Difference.Diff, lang), report.Interval(ch.Difference.CILow, ch.Difference.CIHigh, lang)
	}
	return v
}

// effectView is the panel of eff. A difference is shown only with a
// verdict the report decided from its interval; below the reporting rules
// it is "chưa đủ dữ liệu" and no number is shown. Without see (the user
// may not see the responsible unit) no number is shown at all, the rest's
// neither: it is the plan's agency without the unit, and a user who may
// not see the unit may not see the plan's agency above it either. Each
// criterion keeps its verdict.
func (h *Handler) effectView(plan *survey.Plan, eff *report.Effect, see bool, lang string) effectView {
	pt := ptr(lang)
	v := effectView{Started: eff.Started, Before: spanText(eff.Before), After: spanText(eff.After),
		UnitName: eff.ResponsibleName, RestName: eff.ComparisonName,
		Levels: fmt.Sprintf(pt.EffectLevels, levelText(eff.ConfidenceLevel, lang), levelText(eff.DifferenceLevel, lang))}
	unit := eff.ResponsibleName + " (" + eff.Responsible + ")"
	if eff.Comparison != "" {
		v.Explain = fmt.Sprintf(pt.EffectExplain, unit, v.After, v.Before, eff.ComparisonName, levelText(eff.DifferenceLevel, lang), len(eff.Criteria))
	} else {
		why := pt.NoRestSelf
		switch eff.NoComparison {
		case report.NoRestOutside:
			why = fmt.Sprintf(pt.NoRestOutside, plan.AgencyName)
		case report.NoRestUnitOutside:
			why = fmt.Sprintf(pt.NoRestUnitOutside, plan.AgencyName)
		}
		v.Explain = fmt.Sprintf(pt.EffectExplainNoRest, unit, v.After, v.Before, why, levelText(eff.DifferenceLevel, lang), len(eff.Criteria))
	}
	v.Reorg = report.TaskReorgNote(eff, lang)
	v.Hidden = !see
	for _, ce := range eff.Criteria {
		label := h.indicatorLabel(eff.Instrument, ce.Indicator, lang)
		if !see {
			v.Rows = append(v.Rows, effectRow{Indicator: ce.Indicator, Label: label, Verdict: ce.Verdict,
				VerdictLabel: report.VerdictLabel(ce.Verdict, lang)})
			continue
		}
		r := effectRow{Indicator: ce.Indicator, Label: label, Unit: changeOf(ce.Indicator, label, ce.Unit, lang),
			Verdict: ce.Verdict, VerdictLabel: report.VerdictLabel(ce.Verdict, lang), Diff: "–", DiffCI: "–"}
		if ce.Rest != nil {
			rc := changeOf(ce.Indicator, label, *ce.Rest, lang)
			r.Rest = &rc
		}
		if ce.Verdict != report.NotEnoughData {
			r.Diff, r.DiffCI = report.Signed(ce.DiffOfDiffs.Diff, lang), report.Interval(ce.DiffOfDiffs.CILow, ce.DiffOfDiffs.CIHigh, lang)
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}

// TaskPage serves GET /dashboard/plans/{id}/tasks/{tid}.
func (h *Handler) TaskPage(c *gin.Context) error {
	plan, t, err := h.requestTask(c)
	if err != nil {
		return err
	}
	p, err := h.taskPageData(c, plan, t)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "task", p)
}

// TaskProgress serves POST /dashboard/plans/{id}/tasks/{tid}: a progress
// entry (status and note) by officials of the responsible unit or above
// (403 otherwise) → survey.ParseTaskUpdate → store → 303 back.
func (h *Handler) TaskProgress(c *gin.Context) error {
	plan, t, err := h.requestTask(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	lang := httpx.Lang(c)
	ok, err := survey.CanUpdateTask(ctx, h.Store, httpx.CurrentUser(c), t)
	if err != nil {
		return err
	}
	if !ok {
		return fail(http.StatusForbidden, dtr(lang).ForbiddenBody)
	}
	f := c.Request.PostForm
	u := survey.TaskUpdate{Note: f.Get("note")}
	if s := f.Get("status"); s != "" && s != t.Status {
		u.Status = &s
	}
	u, err = survey.ParseTaskUpdate(u)
	if err == nil {
		_, err = h.Store.UpdateTask(ctx, plan.ID, t.ID, u, httpx.Actor(c))
	}
	if err != nil {
		if isInternal(err) {
			return err
		}
		p, perr := h.taskPageData(c, plan, t)
		if perr != nil {
			return perr
		}
		p.Note, p.FormError = f.Get("note"), planError(err, lang, nil)
		p.Statuses = selectOptions(p.Statuses, f.Get("status"))
		return h.render(c, http.StatusUnprocessableEntity, "task", p)
	}
	c.Redirect(http.StatusSeeOther, langLink(fmt.Sprintf("/dashboard/plans/%d/tasks/%d", plan.ID, t.ID), lang, "msg", "progress"))
	return nil
}

// HomeWindow is how far ahead the home page lists the tasks coming due.
const HomeWindow = 14

// homePage lists the open tasks of the user's units that are overdue or
// due within HomeWindow days.
type homePage struct {
	dashBase
	P             *PlanTexts
	Heading       string
	Overdue, Soon []taskRow
	OverviewURL   string
	// OpenAlerts says how many alerts of the user's scope are open ("" for
	// none), linking to AlertsURL.
	OpenAlerts, AlertsURL string
}

// dueTasks returns the open tasks of the user's units (every unit for
// admins) overdue or due within HomeWindow days, split in two.
func (h *Handler) dueTasks(c *gin.Context) (overdue, soon []taskRow, err error) {
	ctx := c.Request.Context()
	u := httpx.CurrentUser(c)
	lang := httpx.Lang(c)
	f := survey.TaskFilter{Open: true, DueBy: h.Now().In(survey.Vietnam).AddDate(0, 0, HomeWindow).Format("2006-01-02")}
	if u.Role != survey.RoleAdmin {
		if u.AgencyCode == "" {
			return nil, nil, nil
		}
		f.Responsible = u.AgencyCode
	}
	ts, err := h.Store.ListTasks(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	plans := map[int64]*survey.Plan{}
	for _, t := range ts {
		pl := plans[t.PlanID]
		if pl == nil {
			if pl, err = h.Store.FindPlan(ctx, t.PlanID); err != nil {
				return nil, nil, err
			}
			plans[t.PlanID] = pl
		}
		r := h.taskRowOf(pl, t, lang)
		if r.Overdue {
			overdue = append(overdue, r)
		} else {
			soon = append(soon, r)
		}
	}
	return overdue, soon, nil
}

// homeWithTasks renders the home page when the user's units have tasks
// due or overdue or open alerts, and reports false (nothing rendered)
// otherwise.
func (h *Handler) homeWithTasks(c *gin.Context, overview string) (bool, error) {
	overdue, soon, err := h.dueTasks(c)
	if err != nil {
		return false, err
	}
	alerts, err := h.openAlerts(c)
	if err != nil || len(overdue)+len(soon)+alerts == 0 {
		return false, err
	}
	lang := httpx.Lang(c)
	pt := ptr(lang)
	heading := pt.HomeTitle
	if len(overdue)+len(soon) == 0 {
		heading = dtr(lang).AlTitle
	}
	p := &homePage{dashBase: h.dashBase(c, heading), P: pt, Heading: heading, Overdue: overdue, Soon: soon, OverviewURL: overview}
	if alerts > 0 {
		p.OpenAlerts = fmt.Sprintf(dtr(lang).AlHomeOpen, alerts)
		p.AlertsURL = alertsQuery{Lang: lang}.link(alertsPath)
	}
	return true, h.render(c, http.StatusOK, "home", p)
}

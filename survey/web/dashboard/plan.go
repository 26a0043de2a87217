package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// planRow is one plan in the list.
type planRow struct {
	ID                                   int64
	URL, Agency, AgencyName, Title, Note string
	Targets                              []targetView
	// Hidden is true when the user may read the plan but not its agency's
	// indices: the targets show their status only.
	Hidden bool
	Tasks  survey.TaskCounts
}

// planYear is the plans of one year.
type planYear struct {
	Year  int
	Plans []planRow
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// planForm is the create-plan form with what the user typed.
type planForm struct {
	Agency, Year, Title, Instrument, Targets string
}

// reportLink is a link to an agency's periodic report.
type reportLink struct{ Name, URL string }

// plansPage is the list of the plans the user may read.
type plansPage struct {
	dashBase
	P                *PlanTexts
	Years            []planYear
	CanCreate        bool
	Agencies         []option
	Instruments      []option
	Form             planForm
	Flash, FormError string
	CreateURL        string
	Reports          []reportLink
}

// langLink is path with the page's language kept and kv set.
func langLink(path, lang string, kv ...string) string { return usersLink(path, lang, kv...) }

// planURL is the page of plan id.
func planURL(id int64, lang string, kv ...string) string {
	return langLink(fmt.Sprintf("/dashboard/plans/%d", id), lang, kv...)
}

// readablePlans returns the plans u may read (survey.ReadablePlans): all
// for admins; for an official, those of their subtree and of the agencies
// above it whose tasks may be theirs.
func (h *Handler) readablePlans(ctx context.Context, u *survey.User) ([]*survey.Plan, error) {
	var f survey.PlanFilter
	if u.Role != survey.RoleAdmin {
		if u.AgencyCode == "" {
			return nil, nil
		}
		f = survey.PlanFilter{Agency: u.AgencyCode, Covering: true}
	}
	all, err := h.Store.ListPlans(ctx, f)
	if err != nil {
		return nil, err
	}
	return survey.ReadablePlans(ctx, h.Store, u, all)
}

// editableAgencies returns the agencies whose plans u may create: all for
// admins, an official's subtree.
func (h *Handler) editableAgencies(ctx context.Context, u *survey.User) ([]*survey.Agency, error) {
	if u.Role == survey.RoleAdmin {
		return h.Store.ListAgencies(ctx, "")
	}
	if u.AgencyCode == "" || !survey.MaySee(u) {
		return nil, nil
	}
	return h.Store.ListAgencies(ctx, u.AgencyCode)
}

// plansPageData builds the plans page.
func (h *Handler) plansPageData(c *gin.Context) (*plansPage, error) {
	ctx := c.Request.Context()
	lang := httpx.Lang(c)
	pt := ptr(lang)
	u := httpx.CurrentUser(c)
	plans, err := h.readablePlans(ctx, u)
	if err != nil {
		return nil, err
	}
	p := &plansPage{dashBase: h.dashBase(c, pt.PlansTitle), P: pt, CreateURL: langLink("/dashboard/plans", lang),
		Form: planForm{Year: strconv.Itoa(h.Now().In(survey.Vietnam).Year()), Instrument: survey.DefaultInstrument}}
	seen := map[string]bool{}
	addReport := func(code, name string) {
		if !seen[code] {
			seen[code] = true
			p.Reports = append(p.Reports, reportLink{Name: name, URL: langLink("/dashboard/reports/"+url.PathEscape(code), lang)})
		}
	}
	for _, pl := range plans {
		row := planRow{ID: pl.ID, URL: planURL(pl.ID, lang), Agency: pl.AgencyCode, AgencyName: pl.AgencyName, Title: pl.Title}
		see, err := survey.CanSee(ctx, h.Store, u, pl.AgencyCode)
		if err != nil {
			return nil, err
		}
		row.Hidden = !see
		if row.Targets, row.Note, err = h.targetViews(ctx, pl, see, lang); err != nil {
			return nil, err
		}
		tasks, err := h.Store.ListTasks(ctx, survey.TaskFilter{PlanID: pl.ID})
		if err != nil {
			return nil, err
		}
		row.Tasks = survey.CountTasks(tasks, h.Now())
		if n := len(p.Years); n == 0 || p.Years[n-1].Year != pl.Year {
			p.Years = append(p.Years, planYear{Year: pl.Year})
		}
		p.Years[len(p.Years)-1].Plans = append(p.Years[len(p.Years)-1].Plans, row)
	}
	as, err := h.editableAgencies(ctx, u)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.ClosedAt != nil {
			continue // the store refuses a plan for a closed agency
		}
		p.Agencies = append(p.Agencies, option{Value: a.Code, Label: a.Name + " (" + a.Code + ")"})
		if a.ParentCode == "" || a.Code == u.AgencyCode {
			addReport(a.Code, a.Name)
		}
	}
	for _, y := range p.Years {
		for _, r := range y.Plans {
			if !r.Hidden {
				addReport(r.Agency, r.AgencyName)
			}
		}
	}
	p.CanCreate = len(p.Agencies) > 0
	for _, id := range h.Instruments.IDs() {
		p.Instruments = append(p.Instruments, option{Value: id, Label: id})
	}
	if c.Query("msg") == "created" {
		p.Flash = pt.PlanCreated
	}
	return p, nil
}

// selectOptions marks the option of value as selected.
func selectOptions(os []option, value string) []option {
	out := make([]option, len(os))
	for i, o := range os {
		o.Selected = o.Value == value
		out[i] = o
	}
	return out
}

// Plans serves GET /dashboard/plans: the plans the user may read, by year,
// with their targets' status and task counts, and the form to add one.
func (h *Handler) Plans(c *gin.Context) error {
	p, err := h.plansPageData(c)
	if err != nil {
		return err
	}
	p.Agencies = selectOptions(p.Agencies, httpx.CurrentUser(c).AgencyCode)
	p.Instruments = selectOptions(p.Instruments, p.Form.Instrument)
	return h.render(c, http.StatusOK, "plans", p)
}

// PlanCreate serves POST /dashboard/plans: post → survey.ParsePlan →
// CanEditPlan → store → 303 to the plan's page, or the form again with the
// input and the message.
func (h *Handler) PlanCreate(c *gin.Context) error {
	ctx := c.Request.Context()
	lang := httpx.Lang(c)
	f := c.Request.PostForm
	form := planForm{Agency: f.Get("agency"), Year: strings.TrimSpace(f.Get("year")), Title: f.Get("title"),
		Instrument: f.Get("instrument"), Targets: f.Get("targets")}
	formError := func(err error, lines []int) error {
		p, perr := h.plansPageData(c)
		if perr != nil {
			return perr
		}
		p.Form, p.FormError = form, planError(err, lang, lines)
		p.Agencies = selectOptions(p.Agencies, form.Agency)
		p.Instruments = selectOptions(p.Instruments, form.Instrument)
		return h.render(c, http.StatusUnprocessableEntity, "plans", p)
	}
	ts, lines, err := parseTargetsText(form.Targets, lang)
	if err != nil {
		return formError(err, nil)
	}
	year, _ := strconv.Atoi(form.Year) // not a number: 0, refused by ParsePlan
	plan, err := survey.ParsePlan(survey.PlanInput{Agency: form.Agency, Year: year, Title: form.Title,
		Instrument: form.Instrument, Targets: ts}, h.Instruments)
	if err != nil {
		return formError(err, lines)
	}
	if err := h.mayEditPlan(c, plan.AgencyCode); err != nil {
		return err
	}
	if err := h.Store.CreatePlan(ctx, plan, httpx.Actor(c)); err != nil {
		if isInternal(err) {
			return err
		}
		return formError(err, lines)
	}
	c.Redirect(http.StatusSeeOther, planURL(plan.ID, lang, "msg", "created"))
	return nil
}

// mayEditPlan is nil when the user may edit the plans of agency, else the
// 403 page.
func (h *Handler) mayEditPlan(c *gin.Context, agency string) error {
	ok, err := survey.CanEditPlan(c.Request.Context(), h.Store, httpx.CurrentUser(c), agency)
	if err != nil {
		return err
	}
	if !ok {
		return fail(http.StatusForbidden, dtr(httpx.Lang(c)).ForbiddenBody)
	}
	return nil
}

// editForm is the edit-plan form.
type editForm struct{ Title, Targets string }

// planPage is one plan: targets with status, tasks, and (for those who may
// edit it) the forms to edit it and add a task.
type planPage struct {
	dashBase
	P                     *PlanTexts
	Plan                  *survey.Plan
	PeriodNote            string
	Targets               []targetView
	Hidden                bool
	Tasks                 []taskRow
	Counts                survey.TaskCounts
	CanEdit               bool
	Edit                  editForm
	EditError, TaskError  string
	TaskForm              taskForm
	Units                 []option
	Codes                 []option
	Flash                 string
	EditURL, TaskURL      string
	PlansURL, ReportURL   string
	InstrumentTitle, Year string
}

// requestPlan finds the plan of the URL when the user may read it: 404
// for an unknown one, 403 for one outside the user's scope.
func (h *Handler) requestPlan(c *gin.Context) (*survey.Plan, error) {
	ctx := c.Request.Context()
	pt := ptr(httpx.Lang(c))
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return nil, fail(http.StatusNotFound, fmt.Sprintf(pt.NoPlan, c.Param("id")))
	}
	p, err := h.Store.FindPlan(ctx, id)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil, fail(http.StatusNotFound, fmt.Sprintf(pt.NoPlan, c.Param("id")))
	} else if err != nil {
		return nil, err
	}
	ok, err := survey.CanReadPlan(ctx, h.Store, httpx.CurrentUser(c), p.AgencyCode)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fail(http.StatusForbidden, dtr(httpx.Lang(c)).ForbiddenBody)
	}
	return p, nil
}

// planPageData builds the plan's page.
func (h *Handler) planPageData(c *gin.Context, plan *survey.Plan) (*planPage, error) {
	ctx := c.Request.Context()
	lang := httpx.Lang(c)
	pt := ptr(lang)
	u := httpx.CurrentUser(c)
	p := &planPage{dashBase: h.dashBase(c, plan.Title), P: pt, Plan: plan, Year: strconv.Itoa(plan.Year),
		Edit:    editForm{Title: plan.Title, Targets: targetsText(plan, lang)},
		EditURL: planURL(plan.ID, lang), TaskURL: langLink(fmt.Sprintf("/dashboard/plans/%d/tasks", plan.ID), lang),
		PlansURL: langLink("/dashboard/plans", lang)}
	if in, err := h.Instruments.Current(plan.Instrument); err == nil {
		p.InstrumentTitle = in.Title.In(lang)
		for _, it := range in.Items {
			p.Codes = append(p.Codes, option{Value: it.Code, Label: it.In(lang)})
		}
	}
	see, err := survey.CanSee(ctx, h.Store, u, plan.AgencyCode)
	if err != nil {
		return nil, err
	}
	p.Hidden = !see
	if p.Targets, p.PeriodNote, err = h.targetViews(ctx, plan, see, lang); err != nil {
		return nil, err
	}
	tasks, err := h.Store.ListTasks(ctx, survey.TaskFilter{PlanID: plan.ID})
	if err != nil {
		return nil, err
	}
	p.Counts = survey.CountTasks(tasks, h.Now())
	for _, t := range tasks {
		p.Tasks = append(p.Tasks, h.taskRowOf(plan, t, lang))
	}
	if ok, err := survey.CanEditPlan(ctx, h.Store, u, plan.AgencyCode); err != nil {
		return nil, err
	} else if ok {
		p.CanEdit = true
		units, err := h.Store.ListAgencies(ctx, plan.AgencyCode)
		if err != nil {
			return nil, err
		}
		for _, a := range units {
			if a.ClosedAt == nil {
				p.Units = append(p.Units, option{Value: a.Code, Label: a.Name + " (" + a.Code + ")"})
			}
		}
	}
	if see {
		p.ReportURL = langLink("/dashboard/reports/"+url.PathEscape(plan.AgencyCode), lang)
	}
	switch c.Query("msg") {
	case "created":
		p.Flash = pt.PlanCreated
	case "saved":
		p.Flash = pt.PlanSaved
	case "task":
		p.Flash = pt.TaskCreated
	}
	return p, nil
}

// PlanPage serves GET /dashboard/plans/{id}.
func (h *Handler) PlanPage(c *gin.Context) error {
	plan, err := h.requestPlan(c)
	if err != nil {
		return err
	}
	p, err := h.planPageData(c, plan)
	if err != nil {
		return err
	}
	p.Units = selectOptions(p.Units, plan.AgencyCode)
	return h.render(c, http.StatusOK, "plan", p)
}

// PlanEdit serves POST /dashboard/plans/{id}: the title and targets, by
// those who may edit the plan; on error the form again with the input.
func (h *Handler) PlanEdit(c *gin.Context) error {
	plan, err := h.requestPlan(c)
	if err != nil {
		return err
	}
	if err := h.mayEditPlan(c, plan.AgencyCode); err != nil {
		return err
	}
	lang := httpx.Lang(c)
	f := c.Request.PostForm
	form := editForm{Title: f.Get("title"), Targets: f.Get("targets")}
	formError := func(err error, lines []int) error {
		p, perr := h.planPageData(c, plan)
		if perr != nil {
			return perr
		}
		p.Edit, p.EditError = form, planError(err, lang, lines)
		p.Units = selectOptions(p.Units, plan.AgencyCode)
		return h.render(c, http.StatusUnprocessableEntity, "plan", p)
	}
	raw, lines, err := parseTargetsText(form.Targets, lang)
	if err != nil {
		return formError(err, nil)
	}
	ts, err := survey.ParseTargets(raw, plan.Instrument, h.Instruments)
	if err != nil {
		return formError(err, lines)
	}
	title := form.Title
	if _, err := h.Store.UpdatePlan(c.Request.Context(), plan.ID, survey.PlanUpdate{Title: &title, Targets: &ts}, httpx.Actor(c)); err != nil {
		if isInternal(err) {
			return err
		}
		return formError(err, lines)
	}
	c.Redirect(http.StatusSeeOther, planURL(plan.ID, lang, "msg", "saved"))
	return nil
}

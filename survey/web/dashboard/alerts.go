package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// alertsPath is the alerts page.
const alertsPath = "/dashboard/alerts"

// Alerts the page lists: the open ones, and the latest acknowledged.
const (
	alertsOpenMax  = 200
	alertsAckedMax = 50
)

// alertsPage lists the alerts of the user's scope: the open ones with a
// form to acknowledge each, then the latest acknowledged.
type alertsPage struct {
	dashBase
	Agency, Kind    string
	Kinds           []statusOption
	Agencies        []*survey.Agency
	Open, Acked     []alertRow
	OpenMore, Flash string
}

// alertRow is one alert of the page.
type alertRow struct {
	ID                        int64
	Kind, KindLabel, Agency   string
	AgencyName, Period, Found string
	Message, URL, ViewLabel   string
	AckURL, AckedBy           string
	Acked                     bool
}

// alertsQuery is the state of the page's URL: the filter and the language.
type alertsQuery struct {
	Agency, Kind, Lang string
}

// parseAlertsQuery reads the query string; bad input is a 400.
func parseAlertsQuery(c *gin.Context) (alertsQuery, error) {
	q := alertsQuery{Agency: strings.TrimSpace(c.Query("agency")), Kind: c.Query("kind"), Lang: httpx.Lang(c)}
	if q.Kind != "" && !survey.ValidAlertKind(q.Kind) {
		return q, fail(http.StatusBadRequest, dtr(q.Lang).AlBadKind)
	}
	return q, nil
}

// link returns path with the query's filter and language, and more key,
// value pairs.
func (q alertsQuery) link(path string, kv ...string) string {
	v := url.Values{}
	for _, p := range [][2]string{{"agency", q.Agency}, {"kind", q.Kind}} {
		if p[1] != "" {
			v.Set(p[0], p[1])
		}
	}
	if q.Lang == "en" {
		v.Set("lang", "en")
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	if enc := v.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// scope is the filter of the user's alerts under q.Agency; an agency
// unknown or outside the scope is a 404 or 403 page.
func (h *Handler) alertScope(c *gin.Context, q alertsQuery) ([]int64, error) {
	t := dtr(q.Lang)
	ids, err := survey.AlertAgencies(c.Request.Context(), h.Store, httpx.CurrentUser(c), q.Agency)
	switch survey.ErrorCode(err) {
	case "":
		return ids, nil
	case survey.ENOTFOUND:
		return nil, fail(http.StatusNotFound, fmt.Sprintf(t.NoAgency, q.Agency))
	case survey.EFORBIDDEN:
		return nil, fail(http.StatusForbidden, t.ForbiddenBody)
	}
	return nil, err
}

// Alerts shows the alerts page.
func (h *Handler) Alerts(c *gin.Context) error {
	q, err := parseAlertsQuery(c)
	if err != nil {
		return err
	}
	ids, err := h.alertScope(c, q)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	t := dtr(q.Lang)
	open, acked := false, true
	openList, err := h.Store.ListAlerts(ctx, survey.AlertFilter{Agencies: ids, Kind: q.Kind, Acked: &open, Limit: alertsOpenMax + 1})
	if err != nil {
		return err
	}
	ackedList, err := h.Store.ListAlerts(ctx, survey.AlertFilter{Agencies: ids, Kind: q.Kind, Acked: &acked, Limit: alertsAckedMax})
	if err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	root := ""
	if u.Role != survey.RoleAdmin {
		root = u.AgencyCode
	}
	var as []*survey.Agency
	if u.Role == survey.RoleAdmin || root != "" {
		if as, err = h.Store.ListAgencies(ctx, root); err != nil {
			return err
		}
	}
	p := &alertsPage{dashBase: h.dashBase(c, t.AlTitle), Agency: q.Agency, Kind: q.Kind, Agencies: as}
	other := q
	other.Lang = p.OtherLang
	p.SwitchURL = other.link(alertsPath)
	p.Kinds = append(p.Kinds, statusOption{Value: "", Label: t.AlAllKinds, Selected: q.Kind == ""})
	for _, k := range []string{survey.AlertDrop, survey.AlertBelowTarget, survey.AlertTaskOverdue, survey.AlertSetAside} {
		p.Kinds = append(p.Kinds, statusOption{Value: k, Label: t.AlKinds[k], Selected: q.Kind == k})
	}
	if len(openList) > alertsOpenMax {
		openList = openList[:alertsOpenMax]
		p.OpenMore = fmt.Sprintf(t.AlMore, alertsOpenMax)
	}
	for _, a := range openList {
		p.Open = append(p.Open, alertRowOf(a, q))
	}
	for _, a := range ackedList {
		p.Acked = append(p.Acked, alertRowOf(a, q))
	}
	if id, err := strconv.ParseInt(c.Query("done"), 10, 64); err == nil && id > 0 && c.Query("msg") == "acked" {
		p.Flash = fmt.Sprintf(t.AlAckedMsg, id)
	}
	return h.render(c, http.StatusOK, "alerts", p)
}

// alertRowOf is the view of one alert.
func alertRowOf(a *survey.Alert, q alertsQuery) alertRow {
	t := dtr(q.Lang)
	id := strconv.FormatInt(a.ID, 10)
	r := alertRow{ID: a.ID, Kind: a.Kind, KindLabel: t.AlKinds[a.Kind], Agency: a.Agency, AgencyName: a.AgencyName,
		Period: a.Period, Found: viDate(a.CreatedAt.In(survey.Vietnam)), Message: a.Message, URL: a.Link,
		ViewLabel: fmt.Sprintf(t.AlViewFmt, a.ID), AckURL: q.link(alertsPath + "/" + id + "/ack"), Acked: a.AckedAt != nil}
	if m, err := time.ParseInLocation("2006-01", a.Period, survey.Vietnam); err == nil {
		r.Period = m.Format("01/2006")
	} else if d, err := time.ParseInLocation("2006-01-02", a.Period, survey.Vietnam); err == nil {
		r.Period = viDate(d)
	}
	if q.Lang == "en" && strings.HasPrefix(r.URL, "/dashboard/") {
		sep := "?"
		if strings.Contains(r.URL, "?") {
			sep = "&"
		}
		r.URL += sep + "lang=en"
	}
	if a.AckedAt != nil {
		r.AckedBy = fmt.Sprintf(t.AlAckedBy, a.AckedBy, viDate(a.AckedAt.In(survey.Vietnam)))
	}
	return r
}

// AlertAck acknowledges an alert of the user's scope, then redirects to
// the list with a notice. An unknown alert and one outside the scope are
// the same 404 page.
func (h *Handler) AlertAck(c *gin.Context) error {
	q, err := parseAlertsQuery(c)
	if err != nil {
		return err
	}
	if _, err := h.alertScope(c, q); err != nil {
		return err
	}
	ctx := c.Request.Context()
	t := dtr(q.Lang)
	notFound := fail(http.StatusNotFound, t.AlNotFound)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return notFound
	}
	a, err := h.Store.FindAlert(ctx, id)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return notFound
	} else if err != nil {
		return err
	}
	if ok, err := survey.CanSeeAlert(ctx, h.Store, httpx.CurrentUser(c), a); err != nil {
		return err
	} else if !ok {
		return notFound
	}
	if _, err := h.Store.AckAlert(ctx, id, httpx.Actor(c)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, q.link(alertsPath, "msg", "acked", "done", strconv.FormatInt(id, 10)))
	return nil
}

// openAlerts counts the open alerts of the user's scope, up to the most
// one list returns.
func (h *Handler) openAlerts(c *gin.Context) (int, error) {
	ids, err := survey.AlertAgencies(c.Request.Context(), h.Store, httpx.CurrentUser(c), "")
	if err != nil {
		return 0, err
	}
	open := false
	as, err := h.Store.ListAlerts(c.Request.Context(), survey.AlertFilter{Agencies: ids, Acked: &open, Limit: 1000})
	return len(as), err
}

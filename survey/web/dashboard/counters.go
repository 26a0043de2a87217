package dashboard

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// agencyCounters lists the agency's counters with their responses in the
// period.
func (h *Handler) agencyCounters(c *gin.Context, a *survey.Agency, q *dashQuery, p *agencyPage) error {
	ctx := c.Request.Context()
	t := dtr(q.Lang)
	cs, err := h.Store.ListCounters(ctx, a.Code)
	if err != nil {
		return err
	}
	counts, err := h.Store.CounterResponseCounts(ctx, a.Code, q.Period)
	if err != nil {
		return err
	}
	for _, cn := range cs {
		r := counterRow{Code: cn.Code, Name: cn.Name, Instrument: cn.Instrument, Status: t.Open, Closed: cn.ClosedAt != nil,
			Responses: report.Number(float64(counts[cn.ID]), 0, q.Lang),
			ActionURL: q.link("/dashboard/agency/"+a.Code+"/counters/"+cn.Code, "page", "", "low", "")}
		if r.Closed {
			r.Status = t.ClosedStatus
		} else {
			base := "/s/" + h.Signer.Token(cn.ID, cn.TokenVersion)
			r.SurveyURL, r.QRURL, r.PosterURL = base, base+"/qr.svg", base+"/poster"
		}
		p.Counters = append(p.Counters, r)
	}
	return h.agencySplit(ctx, a, q, cs, p)
}

// counterFormError shows the agency page again with the admin's input and
// the error.
func (h *Handler) counterFormError(c *gin.Context, a *survey.Agency, q *dashQuery, form counterForm, err error) error {
	if isInternal(err) {
		return err
	}
	status, msg := httpx.StatusOf(err)
	p, perr := h.agencyPageData(c, a, q)
	if perr != nil {
		return perr
	}
	p.Form, p.FormError = form, msg
	return h.render(c, status, "agency", p)
}

// CounterCreate adds a counter: post → validate → save → redirect, or the
// page again with the error (admins).
func (h *Handler) CounterCreate(c *gin.Context) error {
	a, q, err := h.dashRequest(c)
	if err != nil {
		return err
	}
	f := c.Request.PostForm
	form := counterForm{Code: f.Get("code"), Name: f.Get("name"), Instrument: f.Get("instrument")}
	cn := &survey.Counter{AgencyCode: a.Code, Code: form.Code, Name: form.Name, Instrument: form.Instrument}
	if err := h.Store.CreateCounter(c.Request.Context(), cn, httpx.Actor(c)); err != nil {
		return h.counterFormError(c, a, q, form, err)
	}
	c.Redirect(http.StatusSeeOther, q.link("/dashboard/agency/"+a.Code, "msg", "created")+"#counters")
	return nil
}

// CounterAction renames, closes, reopens or rotates a counter (admins).
func (h *Handler) CounterAction(c *gin.Context) error {
	a, q, err := h.dashRequest(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	f := c.Request.PostForm
	code := c.Param("counter")
	var msg string
	switch f.Get("action") {
	case "rename":
		name := f.Get("name")
		_, err = h.Store.UpdateCounter(ctx, a.Code, code, survey.CounterUpdate{Name: &name}, httpx.Actor(c))
		msg = "renamed"
	case "close", "reopen":
		closed := f.Get("action") == "close"
		_, err = h.Store.UpdateCounter(ctx, a.Code, code, survey.CounterUpdate{Closed: &closed}, httpx.Actor(c))
		msg = map[bool]string{true: "closed", false: "reopened"}[closed]
	case "rotate":
		_, err = h.Store.RotateCounterToken(ctx, a.Code, code, httpx.Actor(c))
		msg = "rotated"
	default:
		err = survey.Errorf(survey.EINVALID, "action must be rename, close, reopen or rotate")
	}
	if err != nil {
		return h.counterFormError(c, a, q, counterForm{Instrument: "sipas-2017"}, err)
	}
	c.Redirect(http.StatusSeeOther, q.link("/dashboard/agency/"+a.Code, "msg", msg)+"#counters")
	return nil
}

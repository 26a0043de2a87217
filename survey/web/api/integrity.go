package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// Integrity answers what the integrity signals set aside at an agency's own
// counters in a period (admins, and officials of the agency or above).
func (h *Handler) Integrity(c *gin.Context) error {
	code := c.Query("agency")
	if code == "" {
		return httpx.Errorf(http.StatusBadRequest, "agency is required")
	}
	// Access first, as for the scores.
	a, err := h.authorizeAgency(c, code)
	if err != nil {
		return err
	}
	p, err := survey.ParsePeriod(c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	q := report.Query{Agency: a, Period: p}
	if id := c.Query("instrument"); id != "" {
		if q.Instrument, err = h.Instruments.Current(id); err != nil {
			return err
		}
	}
	r, err := h.Reports.Integrity(c.Request.Context(), h.Store, q)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, r)
	return nil
}

// hoursAnswer is the JSON of an agency's opening hours: the hours that
// apply and the agency they are set on ("" for the default).
type hoursAnswer struct {
	Agency string              `json:"agency"`
	Hours  map[string][]string `json:"hours"`
	SetOn  string              `json:"set_on"`
}

// hoursRequest sets an agency's own hours, or (inherit) drops them.
type hoursRequest struct {
	Hours   map[string][]string `json:"hours"`
	Inherit bool                `json:"inherit"`
}

// AgencyHours answers the opening hours that apply to an agency.
func (h *Handler) AgencyHours(c *gin.Context) error {
	a, err := h.authorizeAgency(c, c.Param("code"))
	if err != nil {
		return err
	}
	return h.writeHours(c, a.Code)
}

// AgencyHoursSet sets an agency's own opening hours, or makes it take its
// parent's (admins). Bad hours change nothing.
func (h *Handler) AgencyHoursSet(c *gin.Context) error {
	ctx := c.Request.Context()
	a, err := h.Store.FindAgency(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	var req hoursRequest
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	var set *integrity.Hours
	switch {
	case req.Inherit && req.Hours != nil:
		return survey.Errorf(survey.EINVALID, `give either "hours" or "inherit": true, not both`)
	case req.Inherit:
	case req.Hours == nil:
		return survey.Errorf(survey.EINVALID, `give "hours" (e.g. {"mon": ["07:00-11:30", "13:30-17:00"]}) or "inherit": true`)
	default:
		hs, err := integrity.ParseHours(req.Hours)
		if err != nil {
			return err
		}
		set = &hs
	}
	if err := h.Store.SetAgencyHours(ctx, a.Code, set, httpx.Actor(c)); err != nil {
		return err
	}
	return h.writeHours(c, a.Code)
}

func (h *Handler) writeHours(c *gin.Context, code string) error {
	hs, from, err := h.Store.AgencyHours(c.Request.Context(), code)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, hoursAnswer{Agency: code, Hours: hs.Map(), SetOn: from})
	return nil
}

// holidaysBody is the JSON of the public holidays, in and out.
type holidaysBody struct {
	Holidays *[]integrity.Holiday `json:"holidays"`
}

// Holidays answers the public holidays, by date.
func (h *Handler) Holidays(c *gin.Context) error {
	return h.writeHolidays(c)
}

// HolidaysSet replaces the public holidays (admins). A date that does not
// parse or is listed twice changes nothing.
func (h *Handler) HolidaysSet(c *gin.Context) error {
	var req holidaysBody
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Holidays == nil {
		return survey.Errorf(survey.EINVALID, `give "holidays": [{"date": "2026-09-02", "name": "Quốc khánh"}, …] ([] for none)`)
	}
	if err := h.Store.SetHolidays(c.Request.Context(), *req.Holidays, httpx.Actor(c)); err != nil {
		return err
	}
	return h.writeHolidays(c)
}

func (h *Handler) writeHolidays(c *gin.Context) error {
	list, err := h.Store.Holidays(c.Request.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []integrity.Holiday{}
	}
	httpx.WriteJSON(c, http.StatusOK, holidaysBody{Holidays: &list})
	return nil
}

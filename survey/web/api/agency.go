package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

type agencyRequest struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent"`
}

type agencyPatch struct {
	Name   *string `json:"name"`
	Closed *bool   `json:"closed"`
}

// AgencyList lists the agencies the user may see.
func (h *Handler) AgencyList(c *gin.Context) error {
	as, err := h.Store.ListAgencies(c.Request.Context(), survey.SubtreeRoot(httpx.CurrentUser(c)))
	if err != nil {
		return err
	}
	if as == nil {
		as = []*survey.Agency{}
	}
	httpx.WriteJSON(c, http.StatusOK, as)
	return nil
}

// AgencyCreate creates an agency (admins).
func (h *Handler) AgencyCreate(c *gin.Context) error {
	var req agencyRequest
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	a := &survey.Agency{Code: req.Code, Name: req.Name, ParentCode: req.Parent}
	if err := h.Store.CreateAgency(c.Request.Context(), a, httpx.Actor(c)); err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND { // an unknown parent is bad input here
			err = survey.Errorf(survey.EINVALID, "%s", survey.ErrorMessage(err))
		}
		return err
	}
	c.Header("Location", "/api/v1/agencies/"+a.Code)
	httpx.WriteJSON(c, http.StatusCreated, a)
	return nil
}

// AgencyGet answers one agency.
func (h *Handler) AgencyGet(c *gin.Context) error {
	a, err := h.authorizeAgency(c, c.Param("code"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, a)
	return nil
}

// AgencyUpdate renames, closes or reopens an agency (admins).
func (h *Handler) AgencyUpdate(c *gin.Context) error {
	var req agencyPatch
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	a, err := h.Store.UpdateAgency(c.Request.Context(), c.Param("code"), survey.AgencyUpdate{Name: req.Name, Closed: req.Closed}, httpx.Actor(c))
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, a)
	return nil
}

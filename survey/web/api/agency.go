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

// agencyPatch changes an agency: a rename, a closure or reopening, its
// public results page published or withdrawn, or a move under Parent from
// Date (default today), which is a reorganisation and so is not combined
// with the others in one request.
type agencyPatch struct {
	Name   *string `json:"name"`
	Closed *bool   `json:"closed"`
	Public *bool   `json:"public"`
	Parent *string `json:"parent"`
	Date   *string `json:"date"`
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

// AgencyUpdate renames, closes or reopens an agency, publishes or
// withdraws its public results page, or moves it under another parent
// from a date (admins). A move is refused in the same
// request as a rename or a closure, so that a request is applied whole or
// not at all.
func (h *Handler) AgencyUpdate(c *gin.Context) error {
	var req agencyPatch
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	ctx, code := c.Request.Context(), c.Param("code")
	if req.Parent == nil {
		if req.Date != nil {
			return survey.Errorf(survey.EINVALID, "date is the date of a move: give it with parent")
		}
		a, err := h.Store.UpdateAgency(ctx, code, survey.AgencyUpdate{Name: req.Name, Closed: req.Closed, Public: req.Public}, httpx.Actor(c))
		if err != nil {
			return err
		}
		httpx.WriteJSON(c, http.StatusOK, a)
		return nil
	}
	if req.Name != nil || req.Closed != nil || req.Public != nil {
		return survey.Errorf(survey.EINVALID, "parent cannot be combined with name, closed or public: send the move and the other change in two requests")
	}
	if err := h.agencyMove(c, code, *req.Parent, req.Date); err != nil {
		return err
	}
	a, err := h.Store.FindAgency(ctx, code)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, a)
	return nil
}

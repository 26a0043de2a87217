package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// AlertList lists the alerts of the caller's scope, newest first:
// ?agency= (a subtree within it), ?kind=, ?acked=true|false, ?limit=.
func (h *Handler) AlertList(c *gin.Context) error {
	f := survey.AlertFilter{Kind: strings.TrimSpace(c.Query("kind"))}
	if f.Kind != "" && !survey.ValidAlertKind(f.Kind) {
		return httpx.Errorf(http.StatusBadRequest, "kind must be %s, %s, %s or %s",
			survey.AlertDrop, survey.AlertBelowTarget, survey.AlertTaskOverdue, survey.AlertSetAside)
	}
	switch v := c.Query("acked"); v {
	case "":
	case "true", "false":
		acked := v == "true"
		f.Acked = &acked
	default:
		return httpx.Errorf(http.StatusBadRequest, "acked must be true or false")
	}
	limit, err := queryInt64(c, "limit", 100)
	if err != nil {
		return err
	}
	if limit < 1 || limit > 1000 {
		return httpx.Errorf(http.StatusBadRequest, "limit must be between 1 and 1000")
	}
	f.Limit = int(limit)
	ctx := c.Request.Context()
	if f.Agencies, err = survey.AlertAgencies(ctx, h.Store, httpx.CurrentUser(c), strings.TrimSpace(c.Query("agency"))); err != nil {
		return err
	}
	out, err := h.Store.ListAlerts(ctx, f)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, out)
	return nil
}

// ackRequest is the body of an acknowledgement: the empty JSON object {},
// so that a cross-site form cannot post it (it needs Content-Type
// application/json), as the flagged responses' reviews.
type ackRequest struct{}

// AlertAck acknowledges an alert of the caller's scope (audited; the first
// acknowledgement is kept). An unknown alert and one outside the scope are
// the same 404.
func (h *Handler) AlertAck(c *gin.Context) error {
	ctx := c.Request.Context()
	notFound := httpx.Errorf(http.StatusNotFound, "alert not found")
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return notFound
	}
	var req ackRequest
	if err := h.decodeJSON(c, &req); err != nil {
		return err
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
	if a, err = h.Store.AckAlert(ctx, id, httpx.Actor(c)); err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, a)
	return nil
}

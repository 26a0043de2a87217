package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// FlaggedList lists flagged responses (admins).
func (h *Handler) FlaggedList(c *gin.Context) error {
	before, limit, err := pageParams(c)
	if err != nil {
		return err
	}
	f := survey.FlagFilter{Agency: c.Query("agency"), Status: c.Query("status"), Before: before, Limit: limit}
	out, err := h.Store.ListFlagged(c.Request.Context(), f)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, out)
	return nil
}

// reviewRequest is the body of an accept or reject: a JSON object, so that
// a cross-site form cannot post it (it needs Content-Type
// application/json), with an optional note for the audit log.
type reviewRequest struct {
	Note string `json:"note"`
}

// FlaggedAccept counts a flagged response in the indices after all
// (admins).
func (h *Handler) FlaggedAccept(c *gin.Context) error { return h.reviewFlagged(c, true) }

// FlaggedReject keeps a flagged response out of the indices for good
// (admins).
func (h *Handler) FlaggedReject(c *gin.Context) error { return h.reviewFlagged(c, false) }

func (h *Handler) reviewFlagged(c *gin.Context, accept bool) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return httpx.Errorf(http.StatusNotFound, "flagged response not found")
	}
	var req reviewRequest
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	note, err := survey.CleanNote(req.Note)
	if err != nil {
		return err
	}
	fr, err := h.Store.ReviewFlagged(c.Request.Context(), id, accept, note, httpx.Actor(c))
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, fr)
	return nil
}

// AuditList lists the audit log, newest first (admins).
func (h *Handler) AuditList(c *gin.Context) error {
	before, limit, err := pageParams(c)
	if err != nil {
		return err
	}
	out, err := h.Store.ListAudit(c.Request.Context(), before, limit)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, out)
	return nil
}

// AgencyPosters answers the printable posters of every open counter of an
// agency, for API clients that print them.
func (h *Handler) AgencyPosters(c *gin.Context) error {
	a, err := h.authorizeAgency(c, c.Param("code"))
	if err != nil {
		return err
	}
	page, err := h.Posters.Sheet(c.Request.Context(), h.Store, a)
	if err != nil {
		return err
	}
	return httpx.Render(c, h.Posters.Pages(), http.StatusOK, "posters", page)
}

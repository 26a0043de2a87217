package api

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// Reorganisations (admins): moves, mergers, splits, a whole reorganisation
// from CSV; and the lineage of an agency (whoever may see it). The rules
// are survey.CheckMove, CheckMerge, CheckSplit and the store's Reorganise,
// which applies all of a request's events or none.

// mergeReply answers a merger: the successor as it now is, and its lineage.
type mergeReply struct {
	Into    *survey.Agency  `json:"into"`
	Lineage *survey.Lineage `json:"lineage"`
}

// reorgReply answers a CSV reorganisation: how many events were applied.
type reorgReply struct {
	Events int `json:"events"`
}

// today is the day of the server's clock in Vietnam, YYYY-MM-DD: the date
// of a move that names none.
func (h *Handler) today() string { return h.Now().In(survey.Vietnam).Format("2006-01-02") }

// reorganise applies events through the store. An unknown agency named in
// the request body is bad input (400), not a missing resource.
func (h *Handler) reorganise(c *gin.Context, events []survey.Event) error {
	err := h.Store.Reorganise(c.Request.Context(), events, httpx.Actor(c))
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		var e *survey.Error
		if errors.As(err, &e) {
			e.Code = survey.EINVALID
		}
	}
	return err
}

// agencyMove moves the agency code under parent from date ("" for today),
// for AgencyUpdate.
func (h *Handler) agencyMove(c *gin.Context, code, parent string, date *string) error {
	m := &survey.Move{Agency: code, Parent: parent, Date: h.today()}
	if date != nil {
		m.Date = *date
	}
	if err := survey.CheckMove(m, h.Now()); err != nil {
		return err
	}
	return h.reorganise(c, []survey.Event{{Kind: survey.EventMove, Move: m}})
}

// AgencyMerge merges agencies into one, creating it when it does not
// exist (admins): 201 when it was created, else 200, with the successor
// and its lineage.
func (h *Handler) AgencyMerge(c *gin.Context) error {
	var m survey.Merge
	if err := h.decodeJSON(c, &m); err != nil {
		return err
	}
	if err := survey.CheckMerge(&m, h.Now()); err != nil {
		return err
	}
	ctx := c.Request.Context()
	status := http.StatusOK
	if _, err := h.Store.FindAgency(ctx, m.Into); survey.ErrorCode(err) == survey.ENOTFOUND {
		status = http.StatusCreated
	} else if err != nil {
		return err
	}
	if err := h.reorganise(c, []survey.Event{{Kind: survey.EventMerge, Merge: &m}}); err != nil {
		return err
	}
	a, err := h.Store.FindAgency(ctx, m.Into)
	if err != nil {
		return err
	}
	l, err := h.Store.Lineage(ctx, m.Into)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		c.Header("Location", "/api/v1/agencies/"+a.Code)
	}
	httpx.WriteJSON(c, status, mergeReply{Into: a, Lineage: l})
	return nil
}

// AgencySplit divides an agency among successors (admins): 200 with the
// old agency's lineage.
func (h *Handler) AgencySplit(c *gin.Context) error {
	var s survey.Split
	if err := h.decodeJSON(c, &s); err != nil {
		return err
	}
	if err := survey.CheckSplit(&s, h.Now()); err != nil {
		return err
	}
	if err := h.reorganise(c, []survey.Event{{Kind: survey.EventSplit, Split: &s}}); err != nil {
		return err
	}
	l, err := h.Store.Lineage(c.Request.Context(), s.From)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, l)
	return nil
}

// AgencyLineage answers an agency's predecessors, successors and parents.
func (h *Handler) AgencyLineage(c *gin.Context) error {
	a, err := h.authorizeAgency(c, c.Param("code"))
	if err != nil {
		return err
	}
	l, err := h.Store.Lineage(c.Request.Context(), a.Code)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, l)
	return nil
}

// AgencyReorganise applies a whole reorganisation from a CSV file (header
// kind,date,agency,parent,into,from,name,counters; survey.ParseReorganisation)
// in one transaction, or none of it (admins). Errors name the CSV line.
func (h *Handler) AgencyReorganise(c *gin.Context) error {
	body, err := readCSVBody(c)
	if err != nil {
		return err
	}
	events, err := survey.ParseReorganisation(bytes.NewReader(body), h.Now())
	if err != nil {
		return err
	}
	if err := h.reorganise(c, events); err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, reorgReply{Events: len(events)})
	return nil
}

package api

import (
	"bytes"
	"errors"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// Reorganisations (admins): moves, mergers, splits, a whole reorganisation
// from CSV (closures too); and the lineage of an agency (whoever may see
// it). The rules are survey.CheckMove, CheckMerge, CheckSplit, CheckClose
// and the store's Reorganise, which applies all of a request's events or
// none and says what each did.

// mergeReply answers a merger: the successor as it now is, its lineage,
// and what became of the predecessors' counters.
type mergeReply struct {
	Into     *survey.Agency         `json:"into"`
	Lineage  *survey.Lineage        `json:"lineage"`
	Counters []survey.CounterChange `json:"counters"`
}

// splitReply answers a split: the old agency's lineage, and what became of
// its counters.
type splitReply struct {
	*survey.Lineage
	Counters []survey.CounterChange `json:"counters"`
}

// reorgReply answers a CSV reorganisation: how many events were applied,
// and how many counters they moved and closed.
type reorgReply struct {
	Events         int `json:"events"`
	CountersMoved  int `json:"counters_moved"`
	CountersClosed int `json:"counters_closed"`
}

// reorganise applies events through the store. An unknown agency named in
// the request body is bad input (400), not a missing resource; keep404 is
// the field that names the agency of the URL, whose absence stays 404.
func (h *Handler) reorganise(c *gin.Context, events []survey.Event, keep404 string) ([]survey.Outcome, error) {
	out, err := h.Store.Reorganise(c.Request.Context(), events, httpx.Actor(c))
	var e *survey.Error
	if errors.As(err, &e) && e.Code == survey.ENOTFOUND && (keep404 == "" || e.Fields[keep404] == "") {
		e.Code = survey.EINVALID
	}
	return out, err
}

// counterChanges is what events did to counters, as a reply lists them
// (never null).
func counterChanges(outcomes []survey.Outcome) []survey.CounterChange {
	out := []survey.CounterChange{}
	for _, o := range outcomes {
		out = append(out, o.Counters...)
	}
	return out
}

// agencyMove moves the agency code under parent from date ("" for today),
// for AgencyUpdate: an unknown code is ENOTFOUND (404), an unknown parent
// EINVALID.
func (h *Handler) agencyMove(c *gin.Context, code, parent string, date *string) error {
	m := &survey.Move{Agency: code, Parent: parent, Date: survey.LocalDate(h.Now())}
	if date != nil {
		m.Date = *date
	}
	if err := survey.CheckMove(m, h.Now()); err != nil {
		return err
	}
	_, err := h.reorganise(c, []survey.Event{{Kind: survey.EventMove, Move: m}}, "agency")
	return err
}

// AgencyMerge merges agencies into one, creating it when it does not
// exist (admins): 201 when it was created, else 200, with the successor,
// its lineage and the counters moved or closed.
func (h *Handler) AgencyMerge(c *gin.Context) error {
	var m survey.Merge
	if err := h.decodeJSON(c, &m); err != nil {
		return err
	}
	if err := survey.CheckMerge(&m, h.Now()); err != nil {
		return err
	}
	outcomes, err := h.reorganise(c, []survey.Event{{Kind: survey.EventMerge, Merge: &m}}, "")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	a, err := h.Store.FindAgency(ctx, m.Into)
	if err != nil {
		return err
	}
	l, err := h.Store.Lineage(ctx, m.Into)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if slices.Contains(outcomes[0].Created, a.Code) {
		status = http.StatusCreated
		c.Header("Location", "/api/v1/agencies/"+a.Code)
	}
	httpx.WriteJSON(c, status, mergeReply{Into: a, Lineage: l, Counters: counterChanges(outcomes)})
	return nil
}

// AgencySplit divides an agency among successors (admins): 200 with the
// old agency's lineage and the counters moved or closed.
func (h *Handler) AgencySplit(c *gin.Context) error {
	var s survey.Split
	if err := h.decodeJSON(c, &s); err != nil {
		return err
	}
	if err := survey.CheckSplit(&s, h.Now()); err != nil {
		return err
	}
	outcomes, err := h.reorganise(c, []survey.Event{{Kind: survey.EventSplit, Split: &s}}, "")
	if err != nil {
		return err
	}
	l, err := h.Store.Lineage(c.Request.Context(), s.From)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, splitReply{Lineage: l, Counters: counterChanges(outcomes)})
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
	outcomes, err := h.reorganise(c, events, "")
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, reorgReply{Events: len(events),
		CountersMoved: survey.CountCounters(outcomes, survey.CounterMoved), CountersClosed: survey.CountCounters(outcomes, survey.CounterClosed)})
	return nil
}

package api

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

type importReply struct {
	Imported int `json:"imported"`
}

// importError is the error of a failed import, naming the CSV line; an
// unknown parent or agency is bad input here.
func importError(err error, lines []int) error {
	err = survey.ImportLine(err, lines)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		var e *survey.Error
		if errors.As(err, &e) {
			e.Code = survey.EINVALID
		}
	}
	return err
}

// AgencyImport creates every agency of a CSV file (header
// code,name,parent) in one transaction, or none (admins).
func (h *Handler) AgencyImport(c *gin.Context) error {
	body, err := readCSVBody(c)
	if err != nil {
		return err
	}
	as, lines, err := survey.ParseAgenciesCSV(bytes.NewReader(body))
	if err != nil {
		return err
	}
	if err := h.Store.ImportAgencies(c.Request.Context(), as, httpx.Actor(c)); err != nil {
		return importError(err, lines)
	}
	httpx.WriteJSON(c, http.StatusCreated, importReply{Imported: len(as)})
	return nil
}

// CounterImport creates every counter of a CSV file (header
// agency,code,name,instrument) in one transaction, or none (admins).
func (h *Handler) CounterImport(c *gin.Context) error {
	body, err := readCSVBody(c)
	if err != nil {
		return err
	}
	cs, lines, err := survey.ParseCountersCSV(bytes.NewReader(body), h.Instruments)
	if err != nil {
		return err
	}
	if err := h.Store.ImportCounters(c.Request.Context(), cs, httpx.Actor(c)); err != nil {
		return importError(err, lines)
	}
	httpx.WriteJSON(c, http.StatusCreated, importReply{Imported: len(cs)})
	return nil
}

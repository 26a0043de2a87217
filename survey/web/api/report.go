package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/document"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Report answers the periodic report (báo cáo định kỳ) of an agency's
// subtree for a month, quarter, half-year or year, as JSON or as an XLSX
// workbook (format=xlsx). The agency defaults to the root of an official's
// scope: a lead department gets the compiled report of everything beneath
// it.
func (h *Handler) Report(c *gin.Context) error {
	u := httpx.CurrentUser(c)
	code := c.Query("agency")
	if code == "" {
		if code = survey.SubtreeRoot(u); code == "" {
			return httpx.Errorf(http.StatusBadRequest, "agency is required")
		}
	}
	a, err := h.authorizeAgency(c, code)
	if err != nil {
		return err
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "xlsx" {
		return httpx.Errorf(http.StatusBadRequest, `format must be "json" or "xlsx"`)
	}
	if c.Query("period") == "" {
		return httpx.Errorf(http.StatusBadRequest, "period is required (YYYY, YYYY-H1, YYYY-H2, YYYY-Q1..Q4 or YYYY-MM)")
	}
	rp, err := survey.ParseReportPeriod(c.Query("period"))
	if err != nil {
		return err
	}
	in, err := h.Instruments.Current(c.DefaultQuery("instrument", survey.DefaultInstrument))
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	r, err := h.Reports.Periodic(c.Request.Context(), report.PeriodicQuery{Agency: a, Instrument: in, Period: rp, Today: h.Now(), Lang: lang})
	if err != nil {
		return err
	}
	if format == "json" {
		httpx.WriteJSON(c, http.StatusOK, r)
		return nil
	}
	// Into a buffer first: a failed workbook is a clean error, not half a
	// file.
	var buf bytes.Buffer
	if err := document.XLSX(&buf, r, in, lang); err != nil {
		return err
	}
	// Agency codes and period names are of [A-Za-z0-9._-]: nothing to
	// escape in the quoted file name.
	c.Header("Content-Disposition", `attachment; filename="bao-cao-`+a.Code+"-"+rp.Name+`.xlsx"`)
	c.Header("Cache-Control", "no-store")
	httpx.WriteBody(c, http.StatusOK, xlsxType, buf.Bytes())
	return nil
}

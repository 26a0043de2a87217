package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/document"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// reportPage is an agency's periodic report (báo cáo định kỳ) inside the
// dashboard's layout, with the form choosing its period; it prints on A4
// with static/report.css.
type reportPage struct {
	dashBase
	P                 *PlanTexts
	Agency            *survey.Agency
	Period            string
	Instruments       []option
	Body              template.HTML
	FormError         string
	FormURL, XLSXURL  string
	PeriodName, Shown string
}

// lastQuarter is the last complete quarter on the day of now in Vietnam.
func lastQuarter(now time.Time) string {
	t := now.In(survey.Vietnam)
	q := (int(t.Month()) - 1) / 3
	if q == 0 {
		return fmt.Sprintf("%04d-Q4", t.Year()-1)
	}
	return fmt.Sprintf("%04d-Q%d", t.Year(), q)
}

// reportQuery is what a report URL asks for: the periodic query, and the
// period and instrument as typed.
type reportQuery struct {
	report.PeriodicQuery
	Typed, Instrument string
}

// parseReportQuery reads period (default: the last complete quarter) and
// instrument; bad input is an error worded for the form (400).
func (h *Handler) parseReportQuery(c *gin.Context, a *survey.Agency) (reportQuery, error) {
	lang := httpx.Lang(c)
	q := reportQuery{Typed: strings.TrimSpace(c.Query("period")), Instrument: c.DefaultQuery("instrument", survey.DefaultInstrument)}
	q.Agency, q.Today, q.Lang = a, h.Now(), lang
	if q.Typed == "" {
		q.Typed = lastQuarter(h.Now())
	}
	in, err := h.Instruments.Current(q.Instrument)
	if err != nil {
		return q, formMessage(fmt.Sprintf(dtr(lang).BadInstrument, q.Instrument))
	}
	q.PeriodicQuery.Instrument = in
	rp, err := survey.ParseReportPeriod(q.Typed)
	if err != nil {
		return q, formMessage(planError(err, lang, nil))
	}
	if _, begun := rp.Clip(h.Now()); !begun {
		return q, formMessage(fmt.Sprintf(ptr(lang).ReportNotBegun, rp.Name))
	}
	q.Period = rp
	return q, nil
}

// ReportPage serves GET /dashboard/reports/{code}?period=2027-Q2: the
// agency's periodic report, or the form again with a message (400).
func (h *Handler) ReportPage(c *gin.Context) error {
	a, err := h.dashAgency(c)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	pt := ptr(lang)
	q, qerr := h.parseReportQuery(c, a)
	path := "/dashboard/reports/" + url.PathEscape(a.Code)
	p := &reportPage{dashBase: h.dashBase(c, pt.ReportTitle+" – "+a.Name), P: pt, Agency: a, Period: q.Typed,
		FormURL: path}
	for _, id := range h.Instruments.IDs() {
		p.Instruments = append(p.Instruments, option{Value: id, Label: id, Selected: id == q.Instrument})
	}
	if qerr != nil {
		p.FormError = qerr.Error()
		return h.render(c, http.StatusBadRequest, "report", p)
	}
	r, err := h.Reports.Periodic(c.Request.Context(), q.PeriodicQuery)
	if err != nil {
		return err
	}
	if p.Body, err = document.Body(r, q.PeriodicQuery.Instrument, lang); err != nil {
		return fmt.Errorf("report body: %w", err)
	}
	p.PeriodName = r.Period
	p.Shown = report.DayText(r.From) + " – " + report.DayText(r.To)
	kv := []string{"period", r.Period}
	if q.Instrument != survey.DefaultInstrument {
		kv = append(kv, "instrument", q.Instrument)
	}
	p.XLSXURL = langLink(path+"/report.xlsx", lang, kv...)
	return h.render(c, http.StatusOK, "report", p)
}

// ReportExport serves GET /dashboard/reports/{code}/report.xlsx: the
// periodic report as a workbook, one sheet per section.
func (h *Handler) ReportExport(c *gin.Context) error {
	a, err := h.dashAgency(c)
	if err != nil {
		return err
	}
	q, err := h.parseReportQuery(c, a)
	if err != nil {
		return fail(http.StatusBadRequest, err.Error())
	}
	r, err := h.Reports.Periodic(c.Request.Context(), q.PeriodicQuery)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := document.XLSX(&b, r, q.PeriodicQuery.Instrument, q.Lang); err != nil {
		return fmt.Errorf("report xlsx: %w", err)
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="bao-cao-`+safeName(a.Code)+"-"+r.Period+`.xlsx"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b.Bytes())
	return nil
}

// safeName keeps the characters of an agency code a file name may hold.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, s)
}

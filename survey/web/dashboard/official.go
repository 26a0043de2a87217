package dashboard

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// officialRow is an official yearly result as the agency page shows it,
// beside the platform's overall index of the same year.
type officialRow struct {
	Index, Year, Text string
	Platform          estView
	Span              string
}

// officialForm is the official-result form with what the admin typed.
type officialForm struct {
	Index, Year, Score, Rank, Of string
}

// officialBlock is the agency page's "Kết quả chính thức": the results
// recorded for the agency, the note on how they differ from the
// platform's index, and for admins the form to record one (with the
// admin's input and the message after a refused post).
type officialBlock struct {
	P       *PlanTexts
	Rows    []officialRow
	Note    string
	Admin   bool
	URL     string
	Indices []option
	Form    officialForm
	Error   string
}

// agencyOfficial fills the official results block of the agency page.
func (h *Handler) agencyOfficial(c *gin.Context, a *survey.Agency, q *dashQuery, p *agencyPage) error {
	ctx := c.Request.Context()
	pt := ptr(q.Lang)
	rs, err := h.Store.OfficialResults(ctx, a.Code)
	if err != nil {
		return err
	}
	rows, err := h.Reports.OfficialRows(ctx, a, q.Instrument, rs, h.Now(), q.Lang)
	if err != nil {
		return err
	}
	b := officialBlock{P: pt, Note: report.OfficialNote(q.Lang), Admin: p.Admin,
		URL:  langLink("/dashboard/agency/"+url.PathEscape(a.Code)+"/official", q.Lang),
		Form: officialForm{Index: survey.IndexSIPAS, Year: strconv.Itoa(h.Now().In(survey.Vietnam).Year() - 1)}}
	for _, ix := range survey.OfficialIndices {
		b.Indices = append(b.Indices, option{Value: ix, Label: ix, Selected: ix == b.Form.Index})
	}
	for _, r := range rows {
		b.Rows = append(b.Rows, officialRow{Index: r.Index, Year: strconv.Itoa(r.Year), Text: r.Text,
			Platform: estOf(r.Index, r.Text, r.Platform, q.Lang), Span: report.DayText(r.From) + " – " + report.DayText(r.To)})
	}
	p.Official = b
	if c.Query("msg") == "official" {
		p.Flash = pt.OfficialSaved
	}
	return nil
}

// parseOfficialForm reads the form into an official result; a number that
// does not read is a message of the form's own, since the domain would
// only say it is out of range.
func parseOfficialForm(agency string, f officialForm, lang string) (survey.OfficialResult, error) {
	pt := ptr(lang)
	year, err := strconv.Atoi(strings.TrimSpace(f.Year))
	if err != nil {
		year = 0 // refused by ParseOfficialResult
	}
	r := survey.OfficialResult{Agency: agency, Index: f.Index, Year: year}
	score := strings.TrimSpace(f.Score)
	if score == "" {
		return r, formMessage(pt.OfficialNoScore)
	}
	// A decimal comma (85,54) or point (85.54).
	r.Score, err = strconv.ParseFloat(strings.Replace(score, ",", ".", 1), 64)
	if err != nil || math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
		return r, formMessage(fmt.Sprintf(pt.OfficialNaN, score))
	}
	if r.Rank, err = wholeNumber(f.Rank, pt.OfficialFields["rank"], pt); err != nil {
		return r, err
	}
	if r.Of, err = wholeNumber(f.Of, pt.OfficialFields["of"], pt); err != nil {
		return r, err
	}
	return r, nil
}

// wholeNumber reads an optional whole number: nil when empty, the form's
// message naming the field when it does not read.
func wholeNumber(typed, name string, pt *PlanTexts) (*int, error) {
	s := strings.TrimSpace(typed)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, formMessage(capitalize(fmt.Sprintf(pt.OfficialNotWhole, name, s)))
	}
	return &n, nil
}

// OfficialResultSet serves POST /dashboard/agency/{code}/official
// (admins): post → survey.ParseOfficialResult → store → 303 to the agency
// page; bad input shows the agency page again (422) with the form as typed
// and the message in the user's language.
func (h *Handler) OfficialResultSet(c *gin.Context) error {
	a, q, err := h.dashRequest(c)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	pf := c.Request.PostForm
	form := officialForm{Index: pf.Get("index"), Year: pf.Get("year"), Score: pf.Get("score"), Rank: pf.Get("rank"), Of: pf.Get("of")}
	in, err := parseOfficialForm(a.Code, form, lang)
	var r *survey.OfficialResult
	if err == nil {
		r, err = survey.ParseOfficialResult(in)
	}
	if err == nil {
		err = h.Store.SetOfficialResult(c.Request.Context(), r, httpx.Actor(c))
	}
	if err != nil {
		if isInternal(err) {
			return err
		}
		p, perr := h.agencyPageData(c, a, q)
		if perr != nil {
			return perr
		}
		p.Official.Form, p.Official.Error = form, planError(err, lang, nil)
		p.Official.Indices = selectOptions(p.Official.Indices, form.Index)
		return h.render(c, http.StatusUnprocessableEntity, "agency", p)
	}
	c.Redirect(http.StatusSeeOther, langLink("/dashboard/agency/"+url.PathEscape(a.Code), lang, "msg", "official")+"#official")
	return nil
}

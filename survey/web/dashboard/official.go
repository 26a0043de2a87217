package dashboard

import (
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

// officialBlock is the agency page's "Kết quả chính thức": the results
// recorded for the agency, the note on how they differ from the
// platform's index, and for admins the form to record one.
type officialBlock struct {
	P       *PlanTexts
	Rows    []officialRow
	Note    string
	Admin   bool
	URL     string
	Indices []string
	Year    string
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
	b := officialBlock{P: pt, Note: report.OfficialNote(q.Lang), Admin: p.Admin, Indices: survey.OfficialIndices,
		URL:  langLink("/dashboard/agency/"+url.PathEscape(a.Code)+"/official", q.Lang),
		Year: strconv.Itoa(h.Now().In(survey.Vietnam).Year() - 1)}
	for _, r := range rows {
		b.Rows = append(b.Rows, officialRow{Index: r.Index, Year: strconv.Itoa(r.Year), Text: r.Text,
			Platform: estOf(r.Index, r.Text, r.Platform, q.Lang), Span: dayText(r.From) + " – " + dayText(r.To)})
	}
	p.Official = b
	if c.Query("msg") == "official" {
		p.Flash = pt.OfficialSaved
	}
	return nil
}

// formNumber reads a number typed with a decimal comma or point; empty or
// unreadable is NaN.
func formNumber(s string) float64 {
	v, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// formInt reads an optional whole number: nil when empty, 0 (refused by
// the domain) when unreadable.
func formInt(s string) *int {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		n = 0
	}
	return &n
}

// OfficialResultSet serves POST /dashboard/agency/{code}/official
// (admins): post → survey.ParseOfficialResult → store → 303 to the agency
// page; bad input is a 400 page with the message in the user's language.
func (h *Handler) OfficialResultSet(c *gin.Context) error {
	a, err := h.dashAgency(c)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	f := c.Request.PostForm
	year, err := strconv.Atoi(strings.TrimSpace(f.Get("year")))
	if err != nil {
		year = 0 // refused by ParseOfficialResult
	}
	r, err := survey.ParseOfficialResult(survey.OfficialResult{Agency: a.Code, Index: f.Get("index"), Year: year,
		Score: formNumber(f.Get("score")), Rank: formInt(f.Get("rank")), Of: formInt(f.Get("of"))})
	if err == nil {
		err = h.Store.SetOfficialResult(c.Request.Context(), r, httpx.Actor(c))
	}
	if err != nil {
		if isInternal(err) {
			return err
		}
		return fail(http.StatusBadRequest, planError(err, lang, nil))
	}
	c.Redirect(http.StatusSeeOther, langLink("/dashboard/agency/"+url.PathEscape(a.Code), lang, "msg", "official")+"#official")
	return nil
}

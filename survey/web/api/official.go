package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// officialRequest is an official yearly result as an admin sends it.
type officialRequest struct {
	Agency string  `json:"agency"`
	Index  string  `json:"index"`
	Year   int     `json:"year"`
	Score  float64 `json:"score"`
	Rank   *int    `json:"rank"`
	Of     *int    `json:"of"`
}

// officialAnswer is an official result with its text as reports print it
// ("SIPAS 2021: 85,54 %, hạng 48/63").
type officialAnswer struct {
	*survey.OfficialResult
	Text string `json:"text"`
}

// officialList is the JSON of GET /api/v1/official-results.
type officialList struct {
	Results []officialAnswer `json:"results"`
	// Note says why these results and the platform's index differ.
	Note string `json:"note"`
}

// OfficialResultSet records an official yearly result (admins), replacing
// the one of the same agency, index and year.
func (h *Handler) OfficialResultSet(c *gin.Context) error {
	var req officialRequest
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := survey.ParseOfficialResult(survey.OfficialResult{Agency: req.Agency, Index: req.Index, Year: req.Year,
		Score: req.Score, Rank: req.Rank, Of: req.Of})
	if err != nil {
		return err
	}
	if err := h.Store.SetOfficialResult(c.Request.Context(), r, httpx.Actor(c)); err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusCreated, officialAnswer{OfficialResult: r, Text: report.OfficialText(r, httpx.Lang(c))})
	return nil
}

// OfficialResultList answers the official results recorded for an agency
// (whoever may see it), by year then index.
func (h *Handler) OfficialResultList(c *gin.Context) error {
	code := c.Query("agency")
	if code == "" {
		if code = survey.SubtreeRoot(httpx.CurrentUser(c)); code == "" {
			return httpx.Errorf(http.StatusBadRequest, "agency is required")
		}
	}
	a, err := h.authorizeAgency(c, code)
	if err != nil {
		return err
	}
	rs, err := h.Store.OfficialResults(c.Request.Context(), a.Code)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	out := officialList{Results: []officialAnswer{}, Note: report.OfficialNote(lang)}
	for _, r := range rs {
		out.Results = append(out.Results, officialAnswer{OfficialResult: r, Text: report.OfficialText(r, lang)})
	}
	httpx.WriteJSON(c, http.StatusOK, out)
	return nil
}

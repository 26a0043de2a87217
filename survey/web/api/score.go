package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// scoreQuery reads and checks agency, from, to, instrument, weighting, fpc
// and as (the roll-up over a reorganised tree: dated, the default, or
// current) from the query string, and the caller's right to see the
// agency.
func (h *Handler) scoreQuery(c *gin.Context) (*report.Query, error) {
	code := c.Query("agency")
	if code == "" {
		return nil, httpx.Errorf(http.StatusBadRequest, "agency is required")
	}
	// Access first: an official learns nothing about another agency, not
	// even whether their query would have been valid.
	a, err := h.authorizeAgency(c, code)
	if err != nil {
		return nil, err
	}
	p, err := survey.ParsePeriod(c.Query("from"), c.Query("to"))
	if err != nil {
		return nil, err
	}
	in, err := h.Instruments.Current(c.DefaultQuery("instrument", "sipas-2017"))
	if err != nil {
		return nil, err
	}
	w := c.Query("weighting")
	if !report.ValidWeighting(w) {
		return nil, httpx.Errorf(http.StatusBadRequest, `weighting must be "volume" or "respondents"`)
	}
	fpc := false
	switch c.Query("fpc") {
	case "", "false", "0":
	case "true", "1":
		fpc = true
	default:
		return nil, httpx.Errorf(http.StatusBadRequest, `fpc must be "true" or "false"`)
	}
	as := c.Query("as")
	if !report.ValidAs(as) {
		return nil, httpx.Errorf(http.StatusBadRequest, `as must be %q or %q`, report.AsDated, report.AsCurrent)
	}
	return &report.Query{Agency: a, Instrument: in, Period: p, Weighting: w, FPC: fpc, As: as}, nil
}

// Scores answers an agency's indices for a period.
func (h *Handler) Scores(c *gin.Context) error {
	q, err := h.scoreQuery(c)
	if err != nil {
		return err
	}
	r, err := h.Reports.Scores(c.Request.Context(), *q)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, r)
	return nil
}

// rankWait bounds how long the children table waits for rank intervals
// that are not cached yet: beyond it the table is answered with
// "ranks": {"status": "pending"} and the bootstrap goes on for the next
// request. Unbounded, a province's cold bootstrap at 10M responses under
// load outlasted the server's write timeout (an empty reply).
const rankWait = 20 * time.Second

// ScoresChildren answers the league table of an agency's children.
func (h *Handler) ScoresChildren(c *gin.Context) error {
	if adj := c.Query("adjust"); adj != "" && adj != scoring.MethodHolm && adj != scoring.MethodBH {
		return httpx.Errorf(http.StatusBadRequest, `adjust must be "holm" or "bh"`)
	}
	q, err := h.scoreQuery(c)
	if err != nil {
		return err
	}
	r, err := h.Reports.Children(c.Request.Context(), *q, report.ChildrenOptions{Adjust: c.Query("adjust"), RankWait: rankWait})
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, r)
	return nil
}

// ScoresTrend answers an agency's monthly trend.
func (h *Handler) ScoresTrend(c *gin.Context) error {
	q, err := h.scoreQuery(c)
	if err != nil {
		return err
	}
	r, err := h.Reports.Trend(c.Request.Context(), *q)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, r)
	return nil
}

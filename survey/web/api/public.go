package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// publicMaxAge is how long (seconds) caches may keep the public scores,
// as long as the public page's.
const publicMaxAge = 300

// PublicScores answers GET /api/v1/public/scores?agency=&period= without
// credentials: a published agency's figures for one complete period
// (survey.ParsePublicPeriod: month, the default, quarter, half, year, or
// an explicit one), as the public page shows them. An unknown agency and
// one that is not published get the same 404.
func (h *Handler) PublicScores(c *gin.Context) error {
	code := c.Query("agency")
	if code == "" {
		return httpx.Errorf(http.StatusBadRequest, "agency is required")
	}
	ctx := c.Request.Context()
	a, err := h.Reports.PublicAgency(ctx, code)
	if err != nil {
		return err
	}
	p, err := survey.ParsePublicPeriod(c.Query("period"), h.Now())
	if err != nil {
		return err
	}
	in, err := h.Instruments.Current("sipas-2017")
	if err != nil {
		return err
	}
	pub, err := h.Reports.Public(ctx, a, in, []survey.ReportPeriod{p})
	if err != nil {
		return err
	}
	body, err := httpx.MarshalJSON(publicScores{Public: pub, PublicPeriod: pub.Periods[0]})
	if err != nil {
		return err
	}
	httpx.WriteCacheable(c, "application/json; charset=utf-8", body, publicMaxAge)
	return nil
}

// publicScores is the JSON of the public scores: the report of one period,
// its fields at the top level.
type publicScores struct {
	*report.Public
	Periods []report.PublicPeriod `json:"periods,omitempty"`
	report.PublicPeriod
}

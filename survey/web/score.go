package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// scoreQuery reads and checks agency, from, to and instrument from the
// query string, and the caller's right to see the agency. It answers the
// error itself and returns nil on failure.
func (s *Server) scoreQuery(c *gin.Context) *report.Query {
	code := c.Query("agency")
	if code == "" {
		s.fail(c, http.StatusBadRequest, "agency is required")
		return nil
	}
	// Access first: an official learns nothing about another agency, not
	// even whether their query would have been valid.
	a := s.authorizeAgency(c, code)
	if a == nil {
		return nil
	}
	p, err := survey.ParsePeriod(c.Query("from"), c.Query("to"))
	if err != nil {
		s.failErr(c, err)
		return nil
	}
	instID := c.DefaultQuery("instrument", "sipas-2017")
	in, err := s.instruments.Current(instID)
	if err != nil {
		s.failErr(c, err)
		return nil
	}
	return &report.Query{Agency: a, Instrument: in, Period: p}
}

func (s *Server) handleScores(c *gin.Context) {
	q := s.scoreQuery(c)
	if q == nil {
		return
	}
	r, err := s.reports.Scores(c.Request.Context(), *q)
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, r)
}

func (s *Server) handleScoresChildren(c *gin.Context) {
	if adj := c.Query("adjust"); adj != "" && adj != scoring.MethodHolm && adj != scoring.MethodBH {
		s.fail(c, http.StatusBadRequest, `adjust must be "holm" or "bh"`)
		return
	}
	q := s.scoreQuery(c)
	if q == nil {
		return
	}
	r, err := s.reports.Children(c.Request.Context(), *q, report.ChildrenOptions{Adjust: c.Query("adjust")})
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, r)
}

func (s *Server) handleScoresTrend(c *gin.Context) {
	q := s.scoreQuery(c)
	if q == nil {
		return
	}
	r, err := s.reports.Trend(c.Request.Context(), *q)
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, r)
}

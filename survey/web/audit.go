package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *Server) handleAuditList(c *gin.Context) {
	before, ok := s.queryInt64(c, "before", 0)
	if !ok {
		return
	}
	limit, ok := s.queryInt64(c, "limit", 100)
	if !ok {
		return
	}
	out, err := s.store.ListAudit(c.Request.Context(), before, int(min(limit, 1000)))
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, out)
}

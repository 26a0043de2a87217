package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *Server) handleAuditList(c *gin.Context) {
	before, limit, ok := s.pageParams(c)
	if !ok {
		return
	}
	out, err := s.store.ListAudit(c.Request.Context(), before, limit)
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, out)
}

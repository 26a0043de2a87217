package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
)

// queryInt64 reads an optional non-negative integer query parameter. It
// answers 400 itself and returns false when the value is not one.
func (s *Server) queryInt64(c *gin.Context, name string, def int64) (int64, bool) {
	v := c.Query(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		s.fail(c, http.StatusBadRequest, name+" must be a non-negative integer")
		return 0, false
	}
	return n, true
}

// pageParams reads the paging parameters of a list: before (an id, 0 for
// the newest) and limit (default 100, at most 1000). It answers 400 itself.
func (s *Server) pageParams(c *gin.Context) (before int64, limit int, ok bool) {
	before, ok = s.queryInt64(c, "before", 0)
	if !ok {
		return 0, 0, false
	}
	l, ok := s.queryInt64(c, "limit", 100)
	if !ok {
		return 0, 0, false
	}
	return before, int(min(l, 1000)), true
}

func (s *Server) handleFlaggedList(c *gin.Context) {
	before, limit, ok := s.pageParams(c)
	if !ok {
		return
	}
	f := survey.FlagFilter{Agency: c.Query("agency"), Status: c.Query("status"), Before: before, Limit: limit}
	out, err := s.store.ListFlagged(c.Request.Context(), f)
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, out)
}

// reviewRequest is the body of an accept or reject: a JSON object, so that
// a cross-site form cannot post it (it needs Content-Type
// application/json), with an optional note for the audit log.
type reviewRequest struct {
	Note string `json:"note"`
}

func (s *Server) handleFlaggedAccept(c *gin.Context) { s.reviewFlagged(c, true) }

func (s *Server) handleFlaggedReject(c *gin.Context) { s.reviewFlagged(c, false) }

func (s *Server) reviewFlagged(c *gin.Context, accept bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(c, http.StatusNotFound, "flagged response not found")
		return
	}
	var req reviewRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	note := strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, req.Note)), " ")
	if utf8.RuneCountInString(note) > 500 {
		s.fail(c, http.StatusBadRequest, "note must have at most 500 characters")
		return
	}
	fr, err := s.store.ReviewFlagged(c.Request.Context(), id, accept, note, actor(c))
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, fr)
}

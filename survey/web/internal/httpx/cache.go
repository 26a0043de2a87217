package httpx

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey/web/internal/render"
)

// WriteCacheable sends body (200) as a public answer that caches may keep
// for maxAge seconds, with a strong ETag of the body as sent (the gzip
// encoding is part of the tag, since the bytes differ); a request whose
// If-None-Match names that tag gets 304 with no body.
func WriteCacheable(c *gin.Context, contentType string, body []byte, maxAge int) {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:16])
	if render.Gzipped(c.Request, body) {
		tag += "-gzip"
	}
	tag = `"` + tag + `"`
	h := c.Writer.Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
	if NoneMatch(c.Request, tag) {
		h.Add("Vary", "Accept-Encoding")
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	WriteBody(c, http.StatusOK, contentType, body)
}

// NoneMatch reports whether r's If-None-Match names tag (or is "*"),
// by the weak comparison RFC 9110 prescribes for it.
func NoneMatch(r *http.Request, tag string) bool {
	for _, v := range r.Header.Values("If-None-Match") {
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == tag {
				return true
			}
		}
	}
	return false
}

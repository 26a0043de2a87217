package httpx

import (
	"bytes"
	"io"

	"github.com/gin-gonic/gin"
)

// Pages executes named pages (a render.Set).
type Pages interface {
	Execute(w io.Writer, name string, data any) error
}

// Render executes page name with data into a buffer first, so that a
// template error is an error to answer cleanly instead of half a page, and
// sends it as HTML.
func Render(c *gin.Context, pages Pages, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := pages.Execute(&buf, name, data); err != nil {
		return err
	}
	WriteBody(c, status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

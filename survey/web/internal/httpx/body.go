package httpx

import (
	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey/web/internal/render"
)

const encoderKey = "sipas.encoder"

// UseEncoder is middleware that gives the request the server's response
// encoder (its pool of gzip writers), which WriteBody uses.
func UseEncoder(enc *render.Encoder) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(encoderKey, enc)
		c.Next()
	}
}

// WriteBody sends body with status and content type, gzip-compressed when
// the client accepts it and it is worth it (through the encoder UseEncoder
// set; uncompressed without one).
func WriteBody(c *gin.Context, status int, contentType string, body []byte) {
	v, _ := c.Get(encoderKey)
	enc, _ := v.(*render.Encoder)
	if enc == nil {
		enc = &render.Encoder{}
	}
	enc.WriteBody(c.Writer, c.Request, status, contentType, body)
}

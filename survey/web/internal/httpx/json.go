package httpx

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
)

// APIError is the body of every JSON error answer.
type APIError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
	Line   int               `json:"line,omitempty"`
}

// WriteJSON sends v as JSON, not to be cached.
func WriteJSON(c *gin.Context, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"error":"internal error"}`)
		status = http.StatusInternalServerError
	}
	c.Header("Cache-Control", "no-store")
	WriteBody(c, status, "application/json; charset=utf-8", append(b, '\n'))
}

// MarshalJSON encodes v as WriteJSON sends it, with a final newline.
func MarshalJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// decodeJSON reads one JSON object from the body into v, refusing unknown
// fields, keys that match a field only in another case, keys given twice,
// trailing data, invalid UTF-8 and other content types.
func (h *Handler) decodeJSON(c *gin.Context, v any) error {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mt != "application/json" {
		return httpx.Errorf(http.StatusUnsupportedMediaType, "Content-Type must be application/json")
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if httpx.TooLarge(err) {
			return httpx.Errorf(http.StatusRequestEntityTooLarge, "request body too large")
		}
		return httpx.Errorf(http.StatusBadRequest, "could not read the request body")
	}
	if !utf8.Valid(body) {
		return httpx.Errorf(http.StatusBadRequest, "request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return httpx.Errorf(http.StatusBadRequest, "invalid JSON: %s", jsonErrText(err))
	}
	if dec.More() {
		return httpx.Errorf(http.StatusBadRequest, "invalid JSON: trailing data after the object")
	}
	// Well-formed and of the right types; now the keys, exactly.
	if err := h.keys.checkKeys(body, reflect.TypeOf(v)); err != nil {
		return httpx.Errorf(http.StatusBadRequest, "invalid JSON: %s", err.Error())
	}
	return nil
}

func jsonErrText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "field " + strconv.Quote(te.Field) + " has the wrong type"
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field") {
		return strings.TrimPrefix(msg, "json: ")
	}
	if errors.Is(err, io.EOF) {
		return "empty body"
	}
	return "malformed JSON"
}

// readCSVBody checks the content type and reads a CSV import body (capped
// at the import limit).
func readCSVBody(c *gin.Context) ([]byte, error) {
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt != "text/csv" {
		return nil, httpx.Errorf(http.StatusUnsupportedMediaType, "Content-Type must be text/csv")
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if httpx.TooLarge(err) {
			return nil, httpx.Errorf(http.StatusRequestEntityTooLarge, "CSV file too large")
		}
		return nil, httpx.Errorf(http.StatusBadRequest, "could not read the request body")
	}
	return body, nil
}

// queryInt64 reads an optional non-negative integer query parameter.
func queryInt64(c *gin.Context, name string, def int64) (int64, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, httpx.Errorf(http.StatusBadRequest, "%s must be a non-negative integer", name)
	}
	return n, nil
}

// pageParams reads the paging parameters of a list: before (an id, 0 for
// the newest) and limit (default 100, at most 1000).
func pageParams(c *gin.Context) (before int64, limit int, err error) {
	if before, err = queryInt64(c, "before", 0); err != nil {
		return 0, 0, err
	}
	l, err := queryInt64(c, "limit", 100)
	if err != nil {
		return 0, 0, err
	}
	return before, int(min(l, 1000)), nil
}

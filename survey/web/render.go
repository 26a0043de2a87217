package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/static"
	"github.com/sipas/sipas/survey"
)

//go:embed templates/*.html
var templateFiles embed.FS

type pages struct {
	tmpl      *template.Template
	surveyCSS string
	static    map[string][]byte // name → content
}

func loadPages() (*pages, error) {
	t, err := template.New("").ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	css, err := fs.ReadFile(static.Files, "survey.css")
	if err != nil {
		return nil, err
	}
	p := &pages{tmpl: t, surveyCSS: strings.TrimSpace(string(css)), static: map[string][]byte{}}
	names, _ := fs.Glob(static.Files, "*")
	for _, n := range names {
		b, err := fs.ReadFile(static.Files, n)
		if err != nil {
			return nil, err
		}
		p.static[n] = b
	}
	return p, nil
}

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestCompression); return w }}

// writeBody sends body, gzip-compressed when the client accepts it and it
// is worth it.
func writeBody(c *gin.Context, status int, contentType string, body []byte) {
	h := c.Writer.Header()
	h.Set("Content-Type", contentType)
	h.Add("Vary", "Accept-Encoding")
	if len(body) > 1024 && strings.Contains(c.GetHeader("Accept-Encoding"), "gzip") {
		var buf bytes.Buffer
		zw := gzipPool.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(body)
		zw.Close()
		gzipPool.Put(zw)
		h.Set("Content-Encoding", "gzip")
		body = buf.Bytes()
	}
	c.Status(status)
	c.Writer.Write(body)
}

// render executes a template into a buffer first, so a template error is a
// clean 500 instead of half a page.
func (s *Server) render(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("render", "template", name, "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
		return
	}
	writeBody(c, status, "text/html; charset=utf-8", buf.Bytes())
}

func (s *Server) handleStatic(c *gin.Context) {
	name := path.Base(c.Param("file"))
	b, ok := s.pages.static[name]
	if !ok || strings.HasSuffix(name, ".go") {
		s.notFound(c)
		return
	}
	ct := "application/octet-stream"
	switch path.Ext(name) {
	case ".css":
		ct = "text/css; charset=utf-8"
	case ".svg":
		ct = "image/svg+xml"
	case ".js":
		ct = "text/javascript; charset=utf-8"
	}
	c.Header("Cache-Control", "public, max-age=86400")
	writeBody(c, http.StatusOK, ct, b)
}

// isAPI reports whether the request is for the JSON API.
func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

type apiError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
	Line   int               `json:"line,omitempty"`
}

// writeJSON sends v as JSON.
func writeJSON(c *gin.Context, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"error":"internal error"}`)
		status = http.StatusInternalServerError
	}
	c.Header("Cache-Control", "no-store")
	writeBody(c, status, "application/json; charset=utf-8", append(b, '\n'))
}

// fail answers an error: JSON {"error": …} on the API, a short page
// elsewhere.
func (s *Server) fail(c *gin.Context, status int, msg string) {
	if isAPI(c) {
		writeJSON(c, status, apiError{Error: msg})
		return
	}
	s.render(c, status, "message", s.messagePage(langOf(c), http.StatusText(status), msg))
}

// failErr maps a domain error to a status and answers it. Internal errors
// are logged and hidden.
func (s *Server) failErr(c *gin.Context, err error) {
	code := survey.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "id", c.Writer.Header().Get("X-Request-Id"), "method", c.Request.Method, "route", c.FullPath(), "err", err)
		s.fail(c, status, "internal error")
		return
	}
	if isAPI(c) {
		var e *survey.Error
		out := apiError{Error: survey.ErrorMessage(err)}
		if errors.As(err, &e) {
			out.Fields, out.Line = e.Fields, e.Line
		}
		writeJSON(c, status, out)
		return
	}
	s.fail(c, status, survey.ErrorMessage(err))
}

func statusOf(code string) int {
	switch code {
	case survey.EINVALID:
		return http.StatusBadRequest
	case survey.ENOTFOUND:
		return http.StatusNotFound
	case survey.ECONFLICT:
		return http.StatusConflict
	case survey.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case survey.EFORBIDDEN:
		return http.StatusForbidden
	case survey.EGONE:
		return http.StatusGone
	case survey.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case survey.ERATELIMIT:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

func (s *Server) notFound(c *gin.Context) {
	if isAPI(c) {
		writeJSON(c, http.StatusNotFound, apiError{Error: "not found"})
		return
	}
	lang := langOf(c)
	p := s.messagePage(lang, tr(lang).NotFoundTitle, tr(lang).NotFoundBody)
	s.render(c, http.StatusNotFound, "message", p)
}

// isTooLarge reports whether err came from the body cap.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

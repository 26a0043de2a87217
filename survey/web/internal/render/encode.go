package render

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"sync"
)

// minGzip is the body length up to which compressing is not worth it.
const minGzip = 1024

// Encoder writes response bodies, gzip-compressed when the client accepts
// it. It keeps a pool of gzip writers; its zero value is ready to use and
// it must not be copied after first use.
type Encoder struct {
	pool sync.Pool // of *gzip.Writer at gzip.BestCompression
}

// WriteBody sends body with status and content type, gzip-compressed
// (pooled writers, best compression) when the request's Accept-Encoding
// contains gzip and the body is longer than 1024 bytes. It always adds
// Vary: Accept-Encoding, as the answer depends on that header.
func (e *Encoder) WriteBody(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Add("Vary", "Accept-Encoding")
	if Gzipped(r, body) {
		body = e.compress(body)
		h.Set("Content-Encoding", "gzip")
	}
	w.WriteHeader(status)
	// A failed write means the client went away; there is no one to tell.
	_, _ = w.Write(body)
}

// Gzipped reports whether WriteBody sends body to r gzip-compressed.
func Gzipped(r *http.Request, body []byte) bool { return len(body) > minGzip && acceptsGzip(r) }

// acceptsGzip reports whether any Accept-Encoding header of r names gzip.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		if strings.Contains(v, "gzip") {
			return true
		}
	}
	return false
}

// compress returns body gzip-compressed with a writer from the pool.
func (e *Encoder) compress(body []byte) []byte {
	var buf bytes.Buffer
	zw, _ := e.pool.Get().(*gzip.Writer)
	if zw == nil {
		// BestCompression is a valid level, so there is no error.
		zw, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression)
	} else {
		zw.Reset(&buf)
	}
	// Writes to a bytes.Buffer do not fail.
	_, _ = zw.Write(body)
	_ = zw.Close()
	zw.Reset(io.Discard) // the pooled writer must not keep buf alive
	e.pool.Put(zw)
	return buf.Bytes()
}

package render

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A split page is, filled, byte for byte the page rendered with the fill,
// compressed or not, and its gzip member checks (CRC and length) in Go's
// reader.
func TestSplit(t *testing.T) {
	page := []byte(strings.Repeat("<p>Đánh giá mức độ hài lòng</p>\n", 80) + `<input name="submission_id" value="HOLE">` + strings.Repeat("<li>Rất hài lòng</li>\n", 60))
	s, ok := NewSplit(page, "HOLE")
	if !ok {
		t.Fatal("no split")
	}
	for _, fill := range []string{"", "abc", "Q2hhbmdlZC1ldmVyeS10aW1l", strings.Repeat("x", 5000)} {
		want := bytes.Replace(page, []byte("HOLE"), []byte(fill), 1)
		for _, gz := range []bool{true, false} {
			r := httptest.NewRequest(http.MethodGet, "/s/x", nil)
			if gz {
				r.Header.Set("Accept-Encoding", "gzip, br")
			}
			w := httptest.NewRecorder()
			s.Write(w, r, http.StatusOK, "text/html; charset=utf-8", fill)
			body := w.Body.Bytes()
			if gz != (w.Header().Get("Content-Encoding") == "gzip") {
				t.Fatalf("gzip %v: Content-Encoding %q", gz, w.Header().Get("Content-Encoding"))
			}
			if gz {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				zr.Multistream(false)
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatalf("fill %d bytes: %v", len(fill), err)
				}
			}
			if !bytes.Equal(body, want) {
				t.Errorf("fill %q, gzip %v: the page differs", fill[:min(len(fill), 8)], gz)
			}
			if w.Code != http.StatusOK || w.Header().Get("Vary") != "Accept-Encoding" {
				t.Errorf("status %d, Vary %q", w.Code, w.Header().Get("Vary"))
			}
		}
	}
	if _, ok := NewSplit([]byte("HOLE and HOLE"), "HOLE"); ok {
		t.Error("a hole found twice was accepted")
	}
	if _, ok := NewSplit([]byte("none"), "HOLE"); ok {
		t.Error("a missing hole was accepted")
	}
}

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

func TestWriteBody(t *testing.T) {
	large := []byte(strings.Repeat("chỉ số hài lòng ", 100))
	tests := []struct {
		name     string
		accept   []string
		body     []byte
		wantGzip bool
	}{
		{"large, gzip accepted", []string{"gzip, deflate, br"}, large, true},
		{"large again, pooled writer", []string{"br;q=1, gzip;q=0.8"}, large, true},
		{"second header line", []string{"br", "gzip"}, large, true},
		{"1025 bytes", []string{"gzip"}, large[:1025], true},
		{"1024 bytes", []string{"gzip"}, large[:1024], false},
		{"small", []string{"gzip"}, []byte("ok\n"), false},
		{"not accepted", []string{"br"}, large, false},
		{"no header", nil, large, false},
	}
	var enc Encoder // shared, so later cases reuse pooled writers
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, v := range tt.accept {
				r.Header.Add("Accept-Encoding", v)
			}
			w := httptest.NewRecorder()
			enc.WriteBody(w, r, http.StatusTeapot, "text/html; charset=utf-8", tt.body)

			res := w.Result()
			if res.StatusCode != http.StatusTeapot {
				t.Errorf("status = %d, want %d", res.StatusCode, http.StatusTeapot)
			}
			if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			if got := res.Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding" {
				t.Errorf("Vary = %q, want [Accept-Encoding]", got)
			}
			got := w.Body.Bytes()
			if enc := res.Header.Get("Content-Encoding"); (enc == "gzip") != tt.wantGzip {
				t.Fatalf("Content-Encoding = %q, want gzip: %v", enc, tt.wantGzip)
			}
			if tt.wantGzip {
				if len(got) >= len(tt.body) {
					t.Errorf("compressed %d bytes to %d", len(tt.body), len(got))
				}
				got = MustGunzip(t, got)
			}
			if !bytes.Equal(got, tt.body) {
				t.Errorf("body = %q, want %q", got, tt.body)
			}
		})
	}
}

// MustGunzip returns b decompressed.
func MustGunzip(tb testing.TB, b []byte) []byte {
	tb.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatalf("gunzip: %v", err)
	}
	return out
}

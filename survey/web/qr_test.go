package web_test

import (
	"bytes"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

func TestQRCodes(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "PNG", URL: "/s/{D1/Q1}/qr.png", WantStatus: 200, Check: func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
			if ct := w.Header().Get("Content-Type"); ct != "image/png" {
				t.Fatalf("got content type %q", ct)
			}
			if !bytes.HasPrefix(w.Body.Bytes(), []byte("\x89PNG\r\n\x1a\n")) {
				t.Fatalf("not a PNG: % x", w.Body.Bytes()[:8])
			}
			img, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatalf("decode PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
				t.Fatalf("got %v, want 512×512", b)
			}
		}},
		{Name: "SVG", URL: "/s/{D1/Q1}/qr.svg", WantStatus: 200, Check: func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
			if ct := w.Header().Get("Content-Type"); ct != "image/svg+xml" {
				t.Fatalf("got content type %q", ct)
			}
			webtest.CheckSVG(t, w.Body.Bytes())
		}},
		{Name: "PNG of a rotated token", URL: "/s/{ROT}/qr.png", WantStatus: 410},
		{Name: "SVG of a forged token", URL: "/s/{FORGED}/qr.svg", WantStatus: 404},
	})
}

// The PNG QR code decodes, with an independent decoder (zbarimg, from
// Debian's zbar-tools; scripts/test-deps.sh installs it), to the counter's
// survey URL. The SVG one is checked the same way on the rendered poster by
// the browser tests.
func TestQRCodesDecodeToSurveyURL(t *testing.T) {
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Fatalf("zbarimg not found: run scripts/test-deps.sh (Debian package zbar-tools)")
	}
	e := webtest.New(t)
	tok := e.Token(t, "D1/Q1")
	w := e.Do(t, webtest.Request{URL: "/s/" + tok + "/qr.png"})
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("qr.png: got %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	path := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(path, w.Body.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--quiet", "--raw", path).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got, want := strings.TrimSpace(string(out)), "https://hailong.example.gov.vn/s/"+tok; got != want {
		t.Fatalf("qr.png decodes to %q, want %q", got, want)
	}
}

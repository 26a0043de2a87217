package web_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web"
)

// The PNG QR code decodes, with an independent decoder (zbarimg, from
// Debian's zbar-tools; scripts/test-deps.sh installs it), to the counter's
// survey URL. The SVG one is checked the same way on the rendered poster by
// the browser tests.
func TestQRCodesDecodeToSurveyURL(t *testing.T) {
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Fatalf("zbarimg not found: run scripts/test-deps.sh (Debian package zbar-tools)")
	}
	e := newSecEnv(t, web.Config{BaseURL: "https://hailong.example.gov.vn"})
	tok := e.tokens["A/Q1"]
	w := e.do(secReq{method: "GET", path: "/s/" + tok + "/qr.png"})
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

package poster_test

import (
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/internal/poster"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestQRSVG(t *testing.T) {
	svg, err := poster.QRSVG("https://hailong.example.gov.vn/s/abc.def")
	if err != nil {
		t.Fatal(err)
	}
	webtest.CheckSVG(t, svg)
	long, err := poster.QRSVG(strings.Repeat("x", 1000))
	if err != nil {
		t.Fatal(err)
	}
	if len(long) <= len(svg) {
		t.Fatalf("a longer text gives a smaller code: %d ≤ %d", len(long), len(svg))
	}
}

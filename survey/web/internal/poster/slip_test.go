package poster_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/internal/poster"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestSlip(t *testing.T) {
	const u = "https://hailong.example.gov.vn/s/AQ.abcdefghijklmnop"
	svg, err := poster.Slip(u, `H13 <&> "x"`)
	if err != nil {
		t.Fatal(err)
	}
	webtest.CheckSVG(t, svg)
	s := string(svg)
	for _, want := range []string{`width="60mm" height="40mm" viewBox="0 0 60 40"`, u, "H13 &lt;&amp;&gt; &#34;x&#34;", "Quét mã để"} {
		if !strings.Contains(s, want) {
			t.Fatalf("slip lacks %q:\n%s", want, s)
		}
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Fatalf("slip is not XML: %v", err)
	}
}

func TestSlipSheet(t *testing.T) {
	for _, tc := range []struct{ slips, pages int }{{1, 1}, {18, 1}, {19, 2}, {37, 3}} {
		items := make([]poster.SlipSheetItem, tc.slips)
		for i := range items {
			items[i] = poster.SlipSheetItem{URL: "https://x.example/s/a.b", Label: "<b>"}
		}
		page, csp, err := poster.SlipSheet("Phiếu <1>", items)
		if err != nil {
			t.Fatal(err)
		}
		p := string(page)
		if got := strings.Count(p, `<section class="page">`); got != tc.pages {
			t.Fatalf("%d slips: got %d pages, want %d", tc.slips, got, tc.pages)
		}
		if strings.Count(p, "<section") != strings.Count(p, "</section>") || strings.Contains(p, "<b>") || !strings.Contains(p, "<title>Phiếu &lt;1&gt;</title>") {
			t.Fatalf("%d slips: malformed or unescaped page", tc.slips)
		}
		if !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "unsafe") {
			t.Fatalf("CSP %q", csp)
		}
	}
}

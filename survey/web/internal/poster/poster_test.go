package poster

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// checkSVG checks that b is well-formed XML: an <svg> with a non-empty
// <path d>.
func checkSVG(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root string
	var d string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "path" {
				for _, a := range se.Attr {
					if a.Name.Local == "d" {
						d = a.Value
					}
				}
			}
		}
	}
	if root != "svg" || len(d) < 100 || !strings.HasPrefix(d, "M") {
		t.Fatalf("got root %q and path %.40q, want an svg with a path", root, d)
	}
}

func TestQRSVG(t *testing.T) {
	svg, err := QRSVG("https://hailong.example.gov.vn/s/abc.def")
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, svg)
	long, err := QRSVG(strings.Repeat("x", 1000))
	if err != nil {
		t.Fatal(err)
	}
	if len(long) <= len(svg) {
		t.Fatalf("a longer text gives a smaller code: %d ≤ %d", len(long), len(svg))
	}
}

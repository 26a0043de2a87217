package webtest

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// CheckSVG checks that b is well-formed XML: an <svg> with a non-empty
// <path d>.
func CheckSVG(tb testing.TB, b []byte) {
	tb.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root string
	var d string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("SVG is not well-formed XML: %v", err)
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
		tb.Fatalf("got root %q and path %.40q, want an svg with a path", root, d)
	}
}

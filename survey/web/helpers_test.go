package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// Helpers that read answers: JSON, CSV, gzip and the dashboard's HTML
// hooks. The fixtures are package webtest's.

// decodeInto decodes the JSON body of w into v.
func decodeInto(tb testing.TB, w *httptest.ResponseRecorder, v any) {
	tb.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		tb.Fatalf("decode %s: %v", w.Body, err)
	}
}

// readCSV parses a CSV export (without its byte-order mark).
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	return recs
}

// gunzip returns the decompressed body.
func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return string(out)
}

// between returns the text of s between the first start and the next end.
func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}

// row returns the HTML of the table row with the given attribute value.
func row(tb testing.TB, body, attr, code string) string {
	tb.Helper()
	start := strings.Index(body, fmt.Sprintf(`<tr %s="%s"`, attr, code))
	if start < 0 {
		tb.Fatalf("no row %s=%s in page", attr, code)
	}
	end := strings.Index(body[start:], "</tr>")
	return body[start : start+end]
}

// cellText returns the text of the first <td class="class"> in html.
func cellText(tb testing.TB, html, class string) string {
	tb.Helper()
	re := regexp.MustCompile(`<td[^>]* class="` + class + `"[^>]*>(.*?)</td>`)
	m := re.FindStringSubmatch(html)
	if m == nil {
		tb.Fatalf("no td.%s in %s", class, html)
	}
	return strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
}

// tdAttr returns an attribute of the first <td class="class"> in html.
func tdAttr(tb testing.TB, html, class, attr string) string {
	tb.Helper()
	m := regexp.MustCompile(`<td[^>]* class="` + class + `"[^>]*>`).FindString(html)
	if m == "" {
		tb.Fatalf("no td.%s in %s", class, html)
	}
	v := regexp.MustCompile(` ` + attr + `="([^"]*)"`).FindStringSubmatch(m)
	if v == nil {
		return ""
	}
	return v[1]
}

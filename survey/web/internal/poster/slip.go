package poster

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"
)

// SlipInstruction is the slip's line of instruction to the citizen.
const SlipInstruction = "Quét mã để đánh giá sự hài lòng của Ông/Bà"

// slipLines is SlipInstruction as the slip sets it, line by line, beside
// the QR code.
const slipLines = "Quét mã để\nđánh giá\nsự hài lòng\ncủa Ông/Bà"

// The slip's size in millimetres; its viewBox is in millimetres too.
const (
	slipW, slipH = 60, 40
	slipQR       = 33 // side of the QR code, quiet zone included
)

// SlipsPerPage is how many slips an A4 sheet holds: 3 columns × 6 rows.
const SlipsPerPage = 18

// DossierURL is the public rating URL of a dossier (what its QR code
// encodes).
func (m *Maker) DossierURL(dossierID int64) string {
	return m.SurveyURL(m.signer.DossierToken(dossierID))
}

// Slip draws a dossier's print block for the one-stop software's receipt
// or result slip: an SVG of 60 mm × 40 mm with the QR code of url (as
// vector paths, crisp at 300 dpi or any other resolution), the URL itself
// for those who type it, and SlipInstruction. label, when not empty, is
// printed small under the QR code (the dossier code on a sheet, so that
// whoever cuts the slips can tell them apart).
func Slip(url, label string) ([]byte, error) {
	var b bytes.Buffer
	if err := writeSlip(&b, url, label, true); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeSlip writes the slip's <svg>; standalone adds the XML namespace a
// file of its own needs.
func writeSlip(b *bytes.Buffer, url, label string, standalone bool) error {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return err
	}
	bm := q.Bitmap() // quiet zone of 4 modules included
	n := len(bm)
	if standalone {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%dmm" height="%dmm" viewBox="0 0 %d %d" font-family="Arial, Helvetica, sans-serif">`,
		slipW, slipH, slipW, slipH)
	b.WriteString(`<title>` + html.EscapeString(SlipInstruction) + `</title>`)
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="#fff"/>`, slipW, slipH)
	// The QR code: one path of module runs, scaled from modules to mm.
	scale := strconv.FormatFloat(float64(slipQR)/float64(n), 'f', 5, 64)
	b.WriteString(`<path fill="#000" shape-rendering="crispEdges" transform="scale(` + scale + `)" d="`)
	for y, row := range bm {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/>`)
	// The instruction, beside the code.
	b.WriteString(`<text x="34" y="9" font-size="3.3" font-weight="bold" fill="#000">`)
	for i, l := range strings.Split(slipLines, "\n") {
		dy := "0"
		if i > 0 {
			dy = "4.4"
		}
		fmt.Fprintf(b, `<tspan x="34" dy="%s">%s</tspan>`, dy, html.EscapeString(l))
	}
	b.WriteString(`</text>`)
	if label != "" {
		// Under the code, across the width; squeezed when it would not fit
		// (codes run to 64 characters).
		fit := ""
		if utf8.RuneCountInString(label) > 44 {
			fit = ` textLength="58" lengthAdjust="spacingAndGlyphs"`
		}
		b.WriteString(`<text x="1" y="34.6" font-size="2.3"` + fit + ` fill="#000">` + html.EscapeString(label) + `</text>`)
	}
	// The URL across the bottom, squeezed to the width whatever its length.
	fmt.Fprintf(b, `<text x="1" y="38.4" font-family="'DejaVu Sans Mono', 'Courier New', monospace" font-size="2.1" textLength="58" lengthAdjust="spacingAndGlyphs" fill="#000">%s</text>`,
		html.EscapeString(url))
	b.WriteString(`</svg>`)
	return nil
}

// SlipSheetItem is one slip of a sheet.
type SlipSheetItem struct {
	URL   string
	Label string
}

// slipSheetCSS lays out A4 pages of 3 × 6 slips of 60 × 40 mm with cutting
// lines. It is the page's only style, allowed by its hash (SlipSheet).
const slipSheetCSS = `@page{size:A4;margin:10mm}` +
	`body{margin:0;font-family:Arial,Helvetica,sans-serif;background:#fff}` +
	`.page{display:grid;grid-template-columns:repeat(3,60mm);grid-auto-rows:40mm;gap:4mm 5mm;width:190mm;break-after:page;page-break-after:always}` +
	`.page:last-of-type{break-after:auto;page-break-after:auto}` +
	`.slip{outline:0.2mm dashed #999}.slip svg{display:block;width:60mm;height:40mm}` +
	`.noprint{font-size:11pt;margin:0 0 6mm}@media print{.noprint{display:none}}`

// SlipSheet returns a printable A4 HTML sheet of slips, SlipsPerPage to a
// page, and the Content-Security-Policy it needs: its stylesheet is inline,
// so that the page prints standalone, and allowed by its hash alone.
func SlipSheet(title string, items []SlipSheetItem) (page []byte, csp string, err error) {
	var b bytes.Buffer
	b.WriteString(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>` + html.EscapeString(title) + `</title>`)
	b.WriteString(`<style>` + slipSheetCSS + `</style></head><body>`)
	fmt.Fprintf(&b, `<p class="noprint">In trang này trên khổ A4, tỉ lệ 100%% (Ctrl+P), rồi cắt theo đường chấm: %d phiếu. Print on A4 at 100%%.</p>`, len(items))
	for i, it := range items {
		if i%SlipsPerPage == 0 {
			if i > 0 {
				b.WriteString(`</section>`)
			}
			b.WriteString(`<section class="page">`)
		}
		b.WriteString(`<div class="slip">`)
		if err := writeSlip(&b, it.URL, it.Label, false); err != nil {
			return nil, "", err
		}
		b.WriteString(`</div>`)
	}
	if len(items) > 0 {
		b.WriteString(`</section>`)
	}
	b.WriteString(`</body></html>`)
	sum := sha256.Sum256([]byte(slipSheetCSS))
	csp = "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
	return b.Bytes(), csp, nil
}

// Package poster draws a counter's QR code and the printable A4 posters
// that carry it: one counter's for the citizen's side, all of an agency's
// for officials and API clients.
package poster

import (
	"bytes"
	"context"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/render"
)

//go:embed templates/*.html
var templateFiles embed.FS

// View is one counter's poster.
type View struct {
	AgencyName, AgencyCode, CounterName, CounterCode string
	URL                                              string
	// QRSVG is a data: URL, so the page prints standalone. It is a
	// template.URL because html/template refuses data: URLs in src
	// otherwise (it would print "#ZgotmplZ" instead of the code).
	QRSVG template.URL
}

// Page is a sheet of posters.
type Page struct {
	Title   string
	Posters []View
}

// Maker draws posters of counters for a server's public URL.
type Maker struct {
	baseURL string
	signer  *survey.Signer
	pages   *render.Set
}

// New returns a Maker whose QR codes encode baseURL + "/s/" + token.
func New(baseURL string, signer *survey.Signer) (*Maker, error) {
	pages, err := render.New(templateFiles, render.Page{Name: "posters", Files: []string{"templates/poster.html"}, Type: (*Page)(nil)})
	if err != nil {
		return nil, err
	}
	return &Maker{baseURL: baseURL, signer: signer, pages: pages}, nil
}

// Pages is the template set of the poster sheet (page "posters", data
// *Page).
func (m *Maker) Pages() *render.Set { return m.pages }

// SurveyURL is the public URL a counter's QR code encodes.
func (m *Maker) SurveyURL(token string) string { return m.baseURL + "/s/" + token }

// Poster returns the poster of one counter.
func (m *Maker) Poster(cn *survey.Counter) (View, error) {
	u := m.SurveyURL(m.signer.Token(cn.ID, cn.TokenVersion))
	svg, err := QRSVG(u)
	if err != nil {
		return View{}, err
	}
	return View{
		AgencyName: cn.AgencyName, AgencyCode: cn.AgencyCode, CounterName: cn.Name, CounterCode: cn.Code,
		URL: u, QRSVG: template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg)),
	}, nil
}

// CounterLister lists an agency's counters.
type CounterLister interface {
	ListCounters(ctx context.Context, agency string) ([]*survey.Counter, error)
}

// Sheet returns the posters of every open counter of agency a, or
// ENOTFOUND when it has none.
func (m *Maker) Sheet(ctx context.Context, counters CounterLister, a *survey.Agency) (*Page, error) {
	cs, err := counters.ListCounters(ctx, a.Code)
	if err != nil {
		return nil, err
	}
	page := &Page{Title: "Posters – " + a.Name}
	for _, cn := range cs {
		if cn.ClosedAt != nil {
			continue
		}
		p, err := m.Poster(cn)
		if err != nil {
			return nil, err
		}
		page.Posters = append(page.Posters, p)
	}
	if len(page.Posters) == 0 {
		return nil, survey.Errorf(survey.ENOTFOUND, "this agency has no open counters")
	}
	return page, nil
}

// QRSVG renders content as a QR code in SVG: one path, crisp at any size.
func QRSVG(content string) ([]byte, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = false
	bm := q.Bitmap()
	n := len(bm)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n, n, n)
	for y, row := range bm {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}

// PNG renders content as a 512-pixel QR code in PNG.
func PNG(content string) ([]byte, error) { return qrcode.Encode(content, qrcode.Medium, 512) }

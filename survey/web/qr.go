package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sipas/sipas/survey"
)

// surveyURL is the public URL a counter's QR code encodes.
func (s *Server) surveyURL(token string) string { return s.cfg.BaseURL + "/s/" + token }

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

// qrTarget resolves the token for a QR or poster request. Rotated tokens
// get the "no longer in use" page, so an old poster cannot be reprinted.
func (s *Server) handleQRPNG(c *gin.Context) {
	tg := s.resolve(c, c.Param("token"))
	if tg == nil {
		return
	}
	png, err := qrcode.Encode(s.surveyURL(tg.token), qrcode.Medium, 512)
	if err != nil {
		s.failErr(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=3600")
	c.Data(http.StatusOK, "image/png", png)
}

func (s *Server) handleQRSVG(c *gin.Context) {
	tg := s.resolve(c, c.Param("token"))
	if tg == nil {
		return
	}
	svg, err := QRSVG(s.surveyURL(tg.token))
	if err != nil {
		s.failErr(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=3600")
	writeBody(c, http.StatusOK, "image/svg+xml", svg)
}

type posterView struct {
	AgencyName, AgencyCode, CounterName, CounterCode string
	URL                                              string
	// QRSVG is a data: URL, so the page prints standalone. It is a
	// template.URL because html/template refuses data: URLs in src
	// otherwise (it would print "#ZgotmplZ" instead of the code).
	QRSVG template.URL
}

type postersPage struct {
	Title   string
	Posters []posterView
}

func (s *Server) poster(cn *survey.Counter) (posterView, error) {
	u := s.surveyURL(s.signer.Token(cn.ID, cn.TokenVersion))
	svg, err := QRSVG(u)
	if err != nil {
		return posterView{}, err
	}
	return posterView{
		AgencyName: cn.AgencyName, AgencyCode: cn.AgencyCode, CounterName: cn.Name, CounterCode: cn.Code,
		URL: u, QRSVG: template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg)),
	}, nil
}

func (s *Server) handlePoster(c *gin.Context) {
	tg := s.resolve(c, c.Param("token"))
	if tg == nil {
		return
	}
	p, err := s.poster(tg.counter)
	if err != nil {
		s.failErr(c, err)
		return
	}
	s.render(c, http.StatusOK, "posters", postersPage{Title: "Poster – " + tg.counter.AgencyName + " – " + tg.counter.Name, Posters: []posterView{p}})
}

func (s *Server) handleAgencyPosters(c *gin.Context) {
	a := s.authorizeAgency(c, c.Param("code"))
	if a == nil {
		return
	}
	cs, err := s.store.ListCounters(c.Request.Context(), a.Code)
	if err != nil {
		s.failErr(c, err)
		return
	}
	page := postersPage{Title: "Posters – " + a.Name}
	for _, cn := range cs {
		if cn.ClosedAt != nil {
			continue
		}
		p, err := s.poster(cn)
		if err != nil {
			s.failErr(c, err)
			return
		}
		page.Posters = append(page.Posters, p)
	}
	if len(page.Posters) == 0 {
		s.fail(c, http.StatusNotFound, "this agency has no open counters")
		return
	}
	s.render(c, http.StatusOK, "posters", page)
}

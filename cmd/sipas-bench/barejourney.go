package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// bareJourney is the yardstick of the journey (issue 13): three Gin
// handlers that serve the real server's pages as static, precompressed
// bytes (each page exactly as sipas sent it once, gzip-compressed, so of
// the same size), parse the posted form and redirect to the static
// thank-you page. They store nothing.
type bareJourney struct {
	// instrument is the instrument of each counter token.
	instrument map[string]string
	pages      map[variant]*barePage
}

// barePage is what the bare handlers serve for one variant.
type barePage struct {
	form, thanks []byte
	// formGzip and thanksGzip are the pages as sipas sent them to a
	// client that accepts gzip (nil: sent uncompressed).
	formGzip, thanksGzip []byte
	// thanksSuffix is the thank-you URL after "/s/TOKEN" (its path end
	// and query).
	thanksSuffix string
}

// newBareJourney builds the yardstick from the pages captured from sipas.
func newBareJourney(tokens [len(journeyInstruments)][]string, caps map[variant]*capture) (*bareJourney, error) {
	b := &bareJourney{instrument: map[string]string{}, pages: map[variant]*barePage{}}
	for k, ts := range tokens {
		for _, t := range ts {
			b.instrument[t] = journeyInstruments[k]
		}
	}
	for v, cp := range caps {
		p := pathOf(cp.thanksURL)
		i := strings.Index(p, "/thanks")
		if !strings.HasPrefix(p, "/s/") || i < 0 {
			return nil, fmt.Errorf("%s %s: thank-you URL %q is not /s/TOKEN/thanks", v.Instrument, v.Lang, p)
		}
		b.pages[v] = &barePage{form: cp.form, thanks: cp.thanks, formGzip: cp.formGzip, thanksGzip: cp.thanksGzip, thanksSuffix: p[i:]}
	}
	return b, nil
}

// page returns the page set of the request's counter in lang.
func (b *bareJourney) page(c *gin.Context, lang string) *barePage {
	if lang != "en" {
		lang = "vi"
	}
	return b.pages[variant{b.instrument[c.Param("token")], lang}]
}

// write sends a page with sipas's headers: its precompressed bytes gz
// when there are some and the client accepts gzip, else plain.
func (b *bareJourney) write(c *gin.Context, plain, gz []byte) {
	h := c.Writer.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "no-store")
	body := plain
	if gz != nil && strings.Contains(c.GetHeader("Accept-Encoding"), "gzip") {
		body = gz
		h.Set("Content-Encoding", "gzip")
	}
	c.Status(http.StatusOK)
	c.Writer.Write(body)
}

func (b *bareJourney) handleForm(c *gin.Context) {
	p := b.page(c, c.Query("lang"))
	if p == nil {
		c.String(http.StatusNotFound, "no such counter")
		return
	}
	b.write(c, p.form, p.formGzip)
}

func (b *bareJourney) handleSubmit(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil || c.Request.PostForm.Get("submission_id") == "" {
		c.String(http.StatusBadRequest, "bad form")
		return
	}
	p := b.page(c, c.Request.PostForm.Get("lang"))
	if p == nil {
		c.String(http.StatusNotFound, "no such counter")
		return
	}
	c.Redirect(http.StatusSeeOther, "/s/"+c.Param("token")+p.thanksSuffix)
}

func (b *bareJourney) handleThanks(c *gin.Context) {
	p := b.page(c, c.Query("lang"))
	if p == nil {
		c.String(http.StatusNotFound, "no such counter")
		return
	}
	b.write(c, p.thanks, p.thanksGzip)
}

// start serves the three handlers on a loopback port.
func (b *bareJourney) start() (addr string, shutdown func(), err error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/s/:token", b.handleForm)
	r.POST("/s/:token", b.handleSubmit)
	r.GET("/s/:token/thanks", b.handleThanks)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	go hs.Serve(ln)
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	}, nil
}

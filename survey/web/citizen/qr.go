package citizen

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/web/internal/poster"
)

// A rotated token gets the "no longer in use" page on its QR code and
// poster too, so an old poster cannot be reprinted.

// QRPNG answers the counter's QR code as a PNG.
func (h *Handler) QRPNG(c *gin.Context) error {
	tg, err := h.resolve(c, c.Param("token"))
	if err != nil {
		return err
	}
	png, err := poster.PNG(h.Posters.SurveyURL(tg.Token))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "private, max-age=3600")
	c.Data(http.StatusOK, "image/png", png)
	return nil
}

// QRSVG answers the counter's QR code as an SVG.
func (h *Handler) QRSVG(c *gin.Context) error {
	tg, err := h.resolve(c, c.Param("token"))
	if err != nil {
		return err
	}
	svg, err := poster.QRSVG(h.Posters.SurveyURL(tg.Token))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "private, max-age=3600")
	httpx.WriteBody(c, http.StatusOK, "image/svg+xml", svg)
	return nil
}

// Poster answers the counter's printable A4 poster.
func (h *Handler) Poster(c *gin.Context) error {
	tg, err := h.resolve(c, c.Param("token"))
	if err != nil {
		return err
	}
	p, err := h.Posters.Poster(tg.Counter)
	if err != nil {
		return err
	}
	page := &poster.Page{Title: "Poster – " + tg.Counter.AgencyName + " – " + tg.Counter.Name, Posters: []poster.View{p}}
	return httpx.Render(c, h.Posters.Pages(), http.StatusOK, "posters", page)
}

package citizen

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/web/internal/poster"
)

// A rotated token gets the "no longer in use" page on its QR code and
// poster too, so an old poster cannot be reprinted.

// QRPNG answers the QR code of the token (a counter's or a dossier's) as a
// PNG.
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

// QRSVG answers the QR code of the token (a counter's or a dossier's) as an
// SVG.
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

// Poster answers the counter's printable A4 poster. A dossier's token has
// none (404): posters are for counters, and a dossier's QR code is printed
// on its slip (the slip_url of POST /api/v1/dossiers).
func (h *Handler) Poster(c *gin.Context) error {
	tg, err := h.resolve(c, c.Param("token"))
	if err != nil {
		return err
	}
	if tg.Dossier != nil {
		h.NotFound(c)
		return nil
	}
	p, err := h.Posters.Poster(tg.Counter)
	if err != nil {
		return err
	}
	page := &poster.Page{Title: "Poster – " + tg.Counter.AgencyName + " – " + tg.Counter.Name, Posters: []poster.View{p}}
	return httpx.Render(c, h.Posters.Pages(), http.StatusOK, "posters", page)
}

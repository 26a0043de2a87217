package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// counterJSON is a counter with the URLs of its survey, QR codes and poster.
type counterJSON struct {
	*survey.Counter
	SurveyURL string `json:"survey_url"`
	QRPNGURL  string `json:"qr_png_url"`
	QRSVGURL  string `json:"qr_svg_url"`
	PosterURL string `json:"poster_url"`
	// KioskURL opens the form in kiosk mode with the counter's kiosk key
	// (higher rate limit, kiosk channel): shown to admins only, who set up
	// the counter's tablet.
	KioskURL string `json:"kiosk_url,omitempty"`
}

func (h *Handler) counterJSON(c *gin.Context, cn *survey.Counter) counterJSON {
	base := h.Posters.SurveyURL(h.Signer.Token(cn.ID, cn.TokenVersion))
	out := counterJSON{Counter: cn, SurveyURL: base, QRPNGURL: base + "/qr.png", QRSVGURL: base + "/qr.svg", PosterURL: base + "/poster"}
	if httpx.IsAdmin(c) {
		out.KioskURL = base + "?kiosk=" + h.Signer.KioskKey(cn)
	}
	return out
}

type counterRequest struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Instrument string `json:"instrument"`
}

type counterPatch struct {
	Name   *string `json:"name"`
	Closed *bool   `json:"closed"`
}

// CounterList lists an agency's counters.
func (h *Handler) CounterList(c *gin.Context) error {
	a, err := h.authorizeAgency(c, c.Param("code"))
	if err != nil {
		return err
	}
	cs, err := h.Store.ListCounters(c.Request.Context(), a.Code)
	if err != nil {
		return err
	}
	out := make([]counterJSON, 0, len(cs))
	for _, cn := range cs {
		out = append(out, h.counterJSON(c, cn))
	}
	httpx.WriteJSON(c, http.StatusOK, out)
	return nil
}

// CounterCreate adds a counter to an agency (admins).
func (h *Handler) CounterCreate(c *gin.Context) error {
	var req counterRequest
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	cn := &survey.Counter{AgencyCode: c.Param("code"), Code: req.Code, Name: req.Name, Instrument: req.Instrument}
	if err := h.Store.CreateCounter(c.Request.Context(), cn, httpx.Actor(c)); err != nil {
		return err
	}
	c.Header("Location", "/api/v1/agencies/"+cn.AgencyCode+"/counters/"+cn.Code)
	httpx.WriteJSON(c, http.StatusCreated, h.counterJSON(c, cn))
	return nil
}

// CounterGet answers one counter.
func (h *Handler) CounterGet(c *gin.Context) error {
	a, err := h.authorizeAgency(c, c.Param("code"))
	if err != nil {
		return err
	}
	cn, err := h.Store.FindCounter(c.Request.Context(), a.Code, c.Param("counter"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, h.counterJSON(c, cn))
	return nil
}

// CounterUpdate renames, closes or reopens a counter (admins).
func (h *Handler) CounterUpdate(c *gin.Context) error {
	var req counterPatch
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	cn, err := h.Store.UpdateCounter(c.Request.Context(), c.Param("code"), c.Param("counter"), survey.CounterUpdate{Name: req.Name, Closed: req.Closed}, httpx.Actor(c))
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, h.counterJSON(c, cn))
	return nil
}

// CounterRotate gives a counter a new token: its old QR codes stop working
// (admins).
func (h *Handler) CounterRotate(c *gin.Context) error {
	cn, err := h.Store.RotateCounterToken(c.Request.Context(), c.Param("code"), c.Param("counter"), httpx.Actor(c))
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, h.counterJSON(c, cn))
	return nil
}

// CounterRotateKiosk gives a counter's tablet a new kiosk key: the old one
// is refused, the QR codes keep working (admins).
func (h *Handler) CounterRotateKiosk(c *gin.Context) error {
	cn, err := h.Store.RotateKioskKey(c.Request.Context(), c.Param("code"), c.Param("counter"), httpx.Actor(c))
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, h.counterJSON(c, cn))
	return nil
}

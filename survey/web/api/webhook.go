package api

import (
	"net"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/webhook"
)

// webhookList is the JSON of GET /api/v1/webhooks.
type webhookList struct {
	Webhooks []*survey.Webhook `json:"webhooks"`
}

// deliveryList is the JSON of GET /api/v1/webhooks/{id}/deliveries.
type deliveryList struct {
	Deliveries []*survey.WebhookDelivery `json:"deliveries"`
}

// WebhookCreate subscribes a URL to events (admins). The URL's host is
// resolved: one pointing to a loopback, private, link-local or unspecified
// address is refused unless the server allows private webhooks. The secret
// is never shown again.
func (h *Handler) WebhookCreate(c *gin.Context) error {
	var in survey.WebhookInput
	if err := h.decodeJSON(c, &in); err != nil {
		return err
	}
	w, err := survey.ParseWebhook(in)
	if err != nil {
		return err
	}
	if err := webhook.CheckURL(c.Request.Context(), net.DefaultResolver, w.URL, h.WebhookAllowPrivate); err != nil {
		return err
	}
	if err := h.Store.CreateWebhook(c.Request.Context(), w, httpx.Actor(c)); err != nil {
		return err
	}
	c.Header("Location", "/api/v1/webhooks/"+strconv.FormatInt(w.ID, 10))
	httpx.WriteJSON(c, http.StatusCreated, w)
	return nil
}

// WebhookList lists every webhook, disabled ones too (admins).
func (h *Handler) WebhookList(c *gin.Context) error {
	ws, err := h.Store.ListWebhooks(c.Request.Context())
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, webhookList{Webhooks: ws})
	return nil
}

// WebhookGet answers one webhook (admins).
func (h *Handler) WebhookGet(c *gin.Context) error {
	id, err := pathID(c, "id", "webhook")
	if err != nil {
		return err
	}
	w, err := h.Store.FindWebhook(c.Request.Context(), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, w)
	return nil
}

// WebhookDelete disables a webhook (admins, audited): nothing more is sent
// to it; its delivery log stays readable.
func (h *Handler) WebhookDelete(c *gin.Context) error {
	id, err := pathID(c, "id", "webhook")
	if err != nil {
		return err
	}
	w, err := h.Store.DisableWebhook(c.Request.Context(), id, httpx.Actor(c))
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, w)
	return nil
}

// WebhookDeliveries answers a webhook's delivery log, newest first
// (admins; ?limit=, default 100, at most 1000).
func (h *Handler) WebhookDeliveries(c *gin.Context) error {
	id, err := pathID(c, "id", "webhook")
	if err != nil {
		return err
	}
	limit := 100
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return httpx.Errorf(http.StatusBadRequest, "limit must be a whole number from 1 to 1000")
		}
		limit = n
	}
	ctx := c.Request.Context()
	if _, err := h.Store.FindWebhook(ctx, id); err != nil {
		return err
	}
	ds, err := h.Store.ListWebhookDeliveries(ctx, id, limit)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, deliveryList{Deliveries: ds})
	return nil
}

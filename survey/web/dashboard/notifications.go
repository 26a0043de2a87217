package dashboard

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// notificationsPage is the user's own mail settings.
type notificationsPage struct {
	dashBase
	Email                   string
	DigestWeekly, AlertMail bool
	Error, Done             string
}

// NotificationsShow shows the signed-in user's mail settings.
func (h *Handler) NotificationsShow(c *gin.Context) error {
	t := dtr(httpx.Lang(c))
	u, err := h.Store.FindUser(c.Request.Context(), httpx.CurrentUser(c).Name)
	if err != nil {
		return err
	}
	p := &notificationsPage{dashBase: h.dashBase(c, t.MlTitle), Email: u.Email, DigestWeekly: u.DigestWeekly, AlertMail: u.AlertMail}
	if c.Query("done") == "1" {
		p.Done = t.MlSaved
	}
	return h.render(c, http.StatusOK, "notifications", p)
}

// Notifications saves the signed-in user's email address and opt-ins; a
// bad address shows the form again with what was typed.
func (h *Handler) Notifications(c *gin.Context) error {
	t := dtr(httpx.Lang(c))
	f := c.Request.PostForm
	email := strings.TrimSpace(f.Get("email"))
	digest, alerts := f.Get("digest_weekly") == "1", f.Get("alert_mail") == "1"
	again := func(msg string) error {
		return h.render(c, http.StatusBadRequest, "notifications", &notificationsPage{dashBase: h.dashBase(c, t.MlTitle),
			Email: email, DigestWeekly: digest, AlertMail: alerts, Error: msg})
	}
	if _, err := survey.ParseEmail(email); err != nil {
		return again(t.MlBadEmail)
	}
	if email == "" && (digest || alerts) {
		return again(t.MlNeedEmail)
	}
	up := survey.UserUpdate{Email: &email, DigestWeekly: &digest, AlertMail: &alerts}
	if _, err := h.Store.UpdateUser(c.Request.Context(), httpx.CurrentUser(c).Name, up, httpx.Actor(c)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/account/notifications?done=1"+map[bool]string{true: "&lang=en"}[httpx.Lang(c) == "en"])
	return nil
}

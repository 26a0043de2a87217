package dashboard

import (
	"fmt"
	"math"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// passwordPage is the change-password form.
type passwordPage struct {
	dashBase
	Error, Done string
}

// PasswordShow shows the change-password form.
func (h *Handler) PasswordShow(c *gin.Context) error {
	p := &passwordPage{dashBase: h.dashBase(c, dtr(httpx.Lang(c)).PwTitle)}
	if c.Query("done") == "1" {
		p.Done = p.T.PwChanged
	}
	return h.render(c, http.StatusOK, "password", p)
}

// Password changes the signed-in user's password after checking the
// current one, and signs out their other sessions.
func (h *Handler) Password(c *gin.Context) error {
	t := dtr(httpx.Lang(c))
	u := httpx.CurrentUser(c)
	f := c.Request.PostForm
	again := func(status int, msg string) error {
		return h.render(c, status, "password", &passwordPage{dashBase: h.dashBase(c, t.PwTitle), Error: msg})
	}
	// Guessing the current password (a session left open on a shared PC)
	// is throttled like the sign-in form, by (client, name) and client, and
	// counted in the audit log.
	now := h.Now()
	client := httpx.ClientAddr(c.Request, h.TrustedProxies)
	d, done := h.Throttle.Begin(now, client, u.Name)
	if done == nil {
		return again(http.StatusTooManyRequests, fmt.Sprintf(t.Throttled, int(math.Ceil(d.Seconds()))))
	}
	_, err := h.Auth.Check(c.Request.Context(), u.Name, f.Get("current"))
	done(err == nil)
	if err != nil {
		if survey.ErrorCode(err) != survey.EUNAUTHORIZED {
			return err
		}
		h.countFailure(c, survey.SignInPassword)
		return again(http.StatusBadRequest, t.PwWrong)
	}
	if f.Get("new") != f.Get("confirm") {
		return again(http.StatusBadRequest, t.PwMismatch)
	}
	hash, err := survey.HashPassword(f.Get("new"))
	if err != nil {
		if survey.ErrorCode(err) == survey.EINVALID {
			return again(http.StatusBadRequest, t.PwShort)
		}
		return err
	}
	ctx := c.Request.Context()
	if err := h.Store.SetPassword(ctx, u.Name, hash, httpx.Actor(c)); err != nil {
		return err
	}
	v, _ := c.Get(sessionTokenKey)
	tok, _ := v.(string)
	if err := h.Store.DeleteUserSessions(ctx, u.ID, tokenHash(tok)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/account/password?done=1"+map[bool]string{true: "&lang=en"}[httpx.Lang(c) == "en"])
	return nil
}

package dashboard

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// loginPage is the sign-in form.
type loginPage struct {
	dashBase
	Token, Next, Name, Error string
}

func (h *Handler) renderLogin(c *gin.Context, status int, name, next, msg string) error {
	p := &loginPage{dashBase: h.dashBase(c, dtr(httpx.Lang(c)).LoginTitle), Token: h.loginCSRF(c), Next: next, Name: name, Error: msg}
	p.User, p.CSRF = nil, ""
	c.Header("Cache-Control", "no-store")
	return h.render(c, status, "login", p)
}

// LoginShow shows the sign-in form, or sends a signed-in user on.
func (h *Handler) LoginShow(c *gin.Context) error {
	next := localNext(c.Query("next"))
	if h.loadSession(c) != nil {
		c.Redirect(http.StatusSeeOther, next)
		return nil
	}
	return h.renderLogin(c, http.StatusOK, "", next, "")
}

// Login signs a user in. Unknown names and wrong passwords get the same
// message and status; repeated failures for a name or from a client lock
// further attempts for a doubling window, during which the password is not
// even checked.
func (h *Handler) Login(c *gin.Context) error {
	if err := c.Request.ParseForm(); err != nil {
		return fail(http.StatusBadRequest, dtr(httpx.Lang(c)).BadRequest)
	}
	t := dtr(httpx.Lang(c))
	f := c.Request.PostForm
	next := localNext(f.Get("next"))
	name := strings.TrimSpace(f.Get("name"))
	if len(name) > 100 {
		name = name[:100]
	}
	if !checkLoginCSRF(c) {
		return fail(http.StatusForbidden, t.CSRFFailed)
	}
	now := h.Now()
	nameKey := "n:" + strings.ToLower(name)
	clientKey := "c:" + httpx.ClientAddr(c.Request, h.TrustedProxies).String()
	if d := h.Throttle.Wait(now, nameKey, clientKey); d > 0 {
		c.Header("Retry-After", fmt.Sprint(int(math.Ceil(d.Seconds()))))
		return h.renderLogin(c, http.StatusTooManyRequests, name, next, fmt.Sprintf(t.Throttled, int(math.Ceil(d.Seconds()))))
	}
	u, err := h.Auth.Check(c.Request.Context(), name, f.Get("password"))
	if err != nil {
		if survey.ErrorCode(err) != survey.EUNAUTHORIZED {
			return err
		}
		h.Throttle.Fail(now, nameKey, survey.ThrottleFreeName)
		h.Throttle.Fail(now, clientKey, survey.ThrottleFreeClient)
		h.Log.Info("sign-in failed", "name", name)
		return h.renderLogin(c, http.StatusUnauthorized, name, next, t.BadLogin)
	}
	h.Throttle.Reset(nameKey)
	if err := h.startSession(c, u); err != nil {
		return err
	}
	h.setCookie(c, csrfCookie, "", -1)
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

// Logout ends the session.
func (h *Handler) Logout(c *gin.Context) error {
	if v, ok := c.Get(sessionTokenKey); ok {
		if err := h.Store.DeleteSession(c.Request.Context(), tokenHash(v.(string))); err != nil {
			return err
		}
	}
	h.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}

// Home sends the user to the overview of their agency (an admin's: the
// first root agency).
func (h *Handler) Home(c *gin.Context) error {
	u := httpx.CurrentUser(c)
	code := u.AgencyCode
	if u.Role == survey.RoleAdmin || code == "" {
		as, err := h.Store.ListAgencies(c.Request.Context(), "")
		if err != nil {
			return err
		}
		for _, a := range as {
			if a.ParentCode == "" {
				code = a.Code
				break
			}
		}
	}
	if code == "" {
		return fail(http.StatusNotFound, dtr(httpx.Lang(c)).NoChildren)
	}
	target := "/dashboard/overview/" + code
	if httpx.Lang(c) == "en" {
		target += "?lang=en"
	}
	c.Redirect(http.StatusSeeOther, target)
	return nil
}

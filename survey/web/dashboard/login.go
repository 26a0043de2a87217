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
	// Remember is the "remember me" box, unchecked unless the user ticked
	// it before the form came back with an error.
	Remember bool
}

func (h *Handler) renderLogin(c *gin.Context, status int, name, next, msg string, remember bool) error {
	p := &loginPage{dashBase: h.dashBase(c, dtr(httpx.Lang(c)).LoginTitle), Token: h.loginCSRF(c), Next: next, Name: name, Error: msg, Remember: remember}
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
	return h.renderLogin(c, http.StatusOK, "", next, "", false)
}

// Login signs a user in. Unknown names and wrong passwords get the same
// message and status. Repeated failures for a name from one client, or
// many from one client, lock that client's further attempts for a doubling
// window, during which the password is not even checked; the same name
// from another client is not affected (survey.LoginThrottle), so nobody
// can lock an account out. A sign-in is audited with the official's name;
// failures only as a count per minute, and the name typed is neither
// audited nor logged: it may be a password typed in the wrong field.
func (h *Handler) Login(c *gin.Context) error {
	if err := c.Request.ParseForm(); err != nil {
		return fail(http.StatusBadRequest, dtr(httpx.Lang(c)).BadRequest)
	}
	t := dtr(httpx.Lang(c))
	f := c.Request.PostForm
	next := localNext(f.Get("next"))
	name := strings.TrimSpace(f.Get("name"))
	if len(name) > 100 {
		name = strings.ToValidUTF8(name[:100], "")
	}
	remember := f.Get("remember") == "1"
	if !checkLoginCSRF(c) {
		return fail(http.StatusForbidden, t.CSRFFailed)
	}
	ctx := c.Request.Context()
	now := h.Now()
	client := httpx.ClientAddr(c.Request, h.TrustedProxies)
	d, done := h.Throttle.Begin(now, client, name)
	if done == nil {
		c.Header("Retry-After", fmt.Sprint(int(math.Ceil(d.Seconds()))))
		return h.renderLogin(c, http.StatusTooManyRequests, name, next, fmt.Sprintf(t.Throttled, int(math.Ceil(d.Seconds()))), remember)
	}
	u, err := h.Auth.Check(ctx, name, f.Get("password"))
	done(err == nil)
	if err != nil {
		if survey.ErrorCode(err) != survey.EUNAUTHORIZED {
			return err
		}
		h.countFailure(c, survey.SignInDashboard)
		return h.renderLogin(c, http.StatusUnauthorized, name, next, t.BadLogin, remember)
	}
	if !survey.MaySee(u) {
		// The right password of an integration account: it is the
		// one-stop software's, for the API only, and gets no session.
		return h.renderLogin(c, http.StatusForbidden, name, next, integrationRefused(httpx.Lang(c)), remember)
	}
	// Recorded before the session exists: no session without its entry.
	if err := h.Store.RecordSignIn(ctx, survey.Actor{UserID: u.ID, Name: u.Name}, survey.SignInDashboard); err != nil {
		return err
	}
	if err := h.startSession(c, u, remember); err != nil {
		return err
	}
	h.setCookie(c, csrfCookie, "", -1)
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

// integrationRefused is the sign-in form's message to an integration
// account.
func integrationRefused(lang string) string {
	if lang == "en" {
		return "An integration account is for the API only; it cannot sign in to the dashboard."
	}
	return "Tài khoản tích hợp chỉ dùng cho API, không đăng nhập được bảng điều khiển."
}

// countFailure counts a failed sign-in on channel in the audit log. A
// failure to count is logged, not shown: the user's answer stays the same.
func (h *Handler) countFailure(c *gin.Context, channel string) {
	if err := h.Store.CountFailedSignIn(c.Request.Context(), channel); err != nil {
		h.Log.Error("count failed sign-in", "id", httpx.RequestID(c), "err", err)
	}
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

// Home lists the open tasks of the user's units that are overdue or due
// within HomeWindow days, with a link to the overview; without any, it
// sends the user to the overview of their agency (an admin's: the first
// root agency).
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
	// The user's units' tasks overdue or coming due come first; without
	// any, the overview.
	if shown, err := h.homeWithTasks(c, target); shown || err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, target)
	return nil
}

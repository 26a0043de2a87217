package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
)

// loginPage is the sign-in form.
type loginPage struct {
	dashBase
	Token, Next, Name, Error string
}

func (s *Server) renderLogin(c *gin.Context, status int, name, next, msg string) {
	p := &loginPage{dashBase: s.dashBase(c, dtr(langOf(c)).LoginTitle), Token: s.loginCSRF(c), Next: next, Name: name, Error: msg}
	p.User, p.CSRF = nil, ""
	c.Header("Cache-Control", "no-store")
	s.render(c, status, "login", p)
}

func (s *Server) handleLoginShow(c *gin.Context) {
	next := localNext(c.Query("next"))
	if s.loadSession(c) != nil {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	s.renderLogin(c, http.StatusOK, "", next, "")
}

// handleLogin signs a user in. Unknown names and wrong passwords get the
// same message and status; repeated failures for a name or from a client
// lock further attempts for a doubling window, during which the password
// is not even checked.
func (s *Server) handleLogin(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		s.dashFail(c, http.StatusBadRequest, dtr(langOf(c)).BadRequest)
		return
	}
	t := dtr(langOf(c))
	f := c.Request.PostForm
	next := localNext(f.Get("next"))
	name := strings.TrimSpace(f.Get("name"))
	if len(name) > 100 {
		name = name[:100]
	}
	if !checkLoginCSRF(c) {
		s.dashFail(c, http.StatusForbidden, t.CSRFFailed)
		return
	}
	now := s.now()
	nameKey := "n:" + strings.ToLower(name)
	clientKey := "c:" + clientAddr(c.Request, s.cfg.TrustedProxies).String()
	if d := s.dash.throttle.wait(now, nameKey, clientKey); d > 0 {
		c.Header("Retry-After", fmt.Sprint(int(math.Ceil(d.Seconds()))))
		s.renderLogin(c, http.StatusTooManyRequests, name, next, fmt.Sprintf(t.Throttled, int(math.Ceil(d.Seconds()))))
		return
	}
	u, err := s.auth.Check(c.Request.Context(), name, f.Get("password"))
	if err != nil {
		if survey.ErrorCode(err) != survey.EUNAUTHORIZED {
			s.dashFailErr(c, err)
			return
		}
		s.dash.throttle.fail(now, nameKey, throttleFreeName)
		s.dash.throttle.fail(now, clientKey, throttleFreeClient)
		s.log.Info("sign-in failed", "name", name)
		s.renderLogin(c, http.StatusUnauthorized, name, next, t.BadLogin)
		return
	}
	s.dash.throttle.reset(nameKey)
	if err := s.startSession(c, u); err != nil {
		s.dashFailErr(c, err)
		return
	}
	s.setCookie(c, csrfCookie, "", -1)
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) handleLogout(c *gin.Context) {
	if v, ok := c.Get(sessionTokenKey); ok {
		if err := s.store.DeleteSession(c.Request.Context(), tokenHash(v.(string))); err != nil {
			s.dashFailErr(c, err)
			return
		}
	}
	s.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}

// passwordPage is the change-password form.
type passwordPage struct {
	dashBase
	Error, Done string
}

func (s *Server) handlePasswordShow(c *gin.Context) {
	p := &passwordPage{dashBase: s.dashBase(c, dtr(langOf(c)).PwTitle)}
	if c.Query("done") == "1" {
		p.Done = p.T.PwChanged
	}
	s.render(c, http.StatusOK, "password", p)
}

// handlePassword changes the signed-in user's password after checking the
// current one, and signs out their other sessions.
func (s *Server) handlePassword(c *gin.Context) {
	t := dtr(langOf(c))
	u := currentUser(c)
	f := c.Request.PostForm
	fail := func(status int, msg string) {
		p := &passwordPage{dashBase: s.dashBase(c, t.PwTitle), Error: msg}
		s.render(c, status, "password", p)
	}
	now := s.now()
	key := "n:" + strings.ToLower(u.Name)
	if d := s.dash.throttle.wait(now, key); d > 0 {
		fail(http.StatusTooManyRequests, fmt.Sprintf(t.Throttled, int(math.Ceil(d.Seconds()))))
		return
	}
	if _, err := s.auth.Check(c.Request.Context(), u.Name, f.Get("current")); err != nil {
		if survey.ErrorCode(err) != survey.EUNAUTHORIZED {
			s.dashFailErr(c, err)
			return
		}
		s.dash.throttle.fail(now, key, throttleFreeName)
		fail(http.StatusBadRequest, t.PwWrong)
		return
	}
	if f.Get("new") != f.Get("confirm") {
		fail(http.StatusBadRequest, t.PwMismatch)
		return
	}
	hash, err := HashPassword(f.Get("new"))
	if err != nil {
		if survey.ErrorCode(err) == survey.EINVALID {
			fail(http.StatusBadRequest, t.PwShort)
			return
		}
		s.dashFailErr(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := s.store.SetPassword(ctx, u.Name, hash, actor(c)); err != nil {
		s.dashFailErr(c, err)
		return
	}
	v, _ := c.Get(sessionTokenKey)
	tok, _ := v.(string)
	if err := s.store.DeleteUserSessions(ctx, u.ID, tokenHash(tok)); err != nil {
		s.dashFailErr(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/account/password?done=1"+map[bool]string{true: "&lang=en"}[langOf(c) == "en"])
}

// handleDashboardHome sends the user to the overview of their agency (an
// admin's: the first root agency).
func (s *Server) handleDashboardHome(c *gin.Context) {
	u := currentUser(c)
	code := u.AgencyCode
	if u.Role == survey.RoleAdmin || code == "" {
		as, err := s.store.ListAgencies(c.Request.Context(), "")
		if err != nil {
			s.dashFailErr(c, err)
			return
		}
		for _, a := range as {
			if a.ParentCode == "" {
				code = a.Code
				break
			}
		}
	}
	if code == "" {
		s.dashFail(c, http.StatusNotFound, dtr(langOf(c)).NoChildren)
		return
	}
	target := "/dashboard/overview/" + code
	if langOf(c) == "en" {
		target += "?lang=en"
	}
	c.Redirect(http.StatusSeeOther, target)
}

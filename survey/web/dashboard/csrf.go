package dashboard

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// CSRF protection. Every form of a signed-in user carries a synchronizer
// token derived from the session token (HMAC-SHA256 keyed by it), so it is
// valid for that session only and needs no storage. The sign-in form has no
// session yet: it uses a double-submit cookie (a random value in an
// HttpOnly cookie that the form must echo).
const (
	csrfField  = "csrf_token"
	csrfCookie = "sipas_csrf"
)

// csrfToken returns the form token of the request's session ("" without
// one).
func csrfToken(c *gin.Context) string {
	v, _ := c.Get(sessionTokenKey)
	tok, _ := v.(string)
	if tok == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(tok))
	m.Write([]byte("sipas csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func equalTokens(a, b string) bool {
	return a != "" && len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// RequireCSRF refuses a state-changing request whose form does not carry
// the session's token: 403, and nothing is changed.
func (h *Handler) RequireCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	if err := c.Request.ParseForm(); err != nil || !equalTokens(c.Request.PostForm.Get(csrfField), csrfToken(c)) {
		h.Fail(c, fail(http.StatusForbidden, dtr(httpx.Lang(c)).CSRFFailed))
		c.Abort()
		return
	}
	c.Next()
}

// loginCSRF returns the double-submit value for the sign-in form, setting
// its cookie when the browser has none yet.
func (h *Handler) loginCSRF(c *gin.Context) string {
	if ck, err := c.Request.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 && len(ck.Value) <= 100 {
		return ck.Value
	}
	v := newToken()
	h.setCookie(c, csrfCookie, v, 0)
	return v
}

// checkLoginCSRF reports whether the sign-in form echoes its cookie.
func checkLoginCSRF(c *gin.Context) bool {
	ck, err := c.Request.Cookie(csrfCookie)
	return err == nil && equalTokens(c.Request.PostForm.Get(csrfField), ck.Value)
}

package dashboard

import (
	"crypto/hmac"
	"crypto/rand"
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
//
// Pages are sent gzipped, and a secret that stays the same in every page
// next to text an attacker can choose is what BREACH recovers from
// compressed sizes. So a page never carries the token itself but a masked
// copy, made with a fresh one-time pad for each render (as Rails and Django
// do): base64url(pad || pad XOR token). Every page then shows another
// string, and the check unmasks before comparing in constant time.
const (
	csrfField  = "csrf_token"
	csrfCookie = "sipas_csrf"
)

// sessionCSRF returns the form token of the request's session, unmasked
// (nil without a session).
func sessionCSRF(c *gin.Context) []byte {
	v, _ := c.Get(sessionTokenKey)
	tok, _ := v.(string)
	if tok == "" {
		return nil
	}
	m := hmac.New(sha256.New, []byte(tok))
	m.Write([]byte("sipas csrf v1"))
	return m.Sum(nil)
}

// csrfToken returns the form token of the request's session, masked afresh
// for this page ("" without a session).
func csrfToken(c *gin.Context) string {
	tok := sessionCSRF(c)
	if tok == nil {
		return ""
	}
	return maskToken(tok)
}

// maskToken returns base64url(pad || pad XOR secret) with a random pad as
// long as secret.
func maskToken(secret []byte) string {
	out := make([]byte, 2*len(secret))
	rand.Read(out[:len(secret)])
	subtle.XORBytes(out[len(secret):], out[:len(secret)], secret)
	return base64.RawURLEncoding.EncodeToString(out)
}

// unmaskToken returns the secret of a token made by maskToken, or nil for
// anything else (not base64url, odd or zero length, too long).
func unmaskToken(masked string) []byte {
	if masked == "" || len(masked) > 400 {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(masked)
	if err != nil || len(b) == 0 || len(b)%2 != 0 {
		return nil
	}
	n := len(b) / 2
	secret := make([]byte, n)
	subtle.XORBytes(secret, b[:n], b[n:])
	return secret
}

// checkMasked reports whether masked is a masking of want (a non-empty
// secret), comparing in constant time.
func checkMasked(masked string, want []byte) bool {
	got := unmaskToken(masked)
	return len(want) > 0 && got != nil && subtle.ConstantTimeCompare(got, want) == 1
}

// RequireCSRF refuses a state-changing request whose form does not carry
// the session's token: 403, and nothing is changed.
func (h *Handler) RequireCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	if err := c.Request.ParseForm(); err != nil || !checkMasked(c.Request.PostForm.Get(csrfField), sessionCSRF(c)) {
		h.Fail(c, fail(http.StatusForbidden, dtr(httpx.Lang(c)).CSRFFailed))
		c.Abort()
		return
	}
	c.Next()
}

// loginCSRF returns the double-submit value for the sign-in form, masked
// for this page, setting its cookie when the browser has none yet.
func (h *Handler) loginCSRF(c *gin.Context) string {
	if ck, err := c.Request.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 && len(ck.Value) <= 100 {
		return maskToken([]byte(ck.Value))
	}
	v := newToken()
	h.setCookie(c, csrfCookie, v, 0)
	return maskToken([]byte(v))
}

// checkLoginCSRF reports whether the sign-in form echoes its cookie.
func checkLoginCSRF(c *gin.Context) bool {
	ck, err := c.Request.Cookie(csrfCookie)
	return err == nil && checkMasked(c.Request.PostForm.Get(csrfField), []byte(ck.Value))
}

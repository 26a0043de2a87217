package dashboard

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// Session cookie and lifetimes: a session ends after SessionIdle without
// use, and SessionMaxAge after sign-in whatever happens.
const (
	sessionCookie = "sipas_session"
	SessionIdle   = 8 * time.Hour
	SessionMaxAge = 7 * 24 * time.Hour
	// sessionTouchEvery limits the writes that sliding expiry costs: a
	// session's expiry moves at most once a minute.
	sessionTouchEvery = time.Minute
	sessionTokenKey   = "sipas.session_token"
)

// newToken returns 32 random bytes, URL-safe base64 encoded.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the sessions table stores instead of the token.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// setCookie sets an HttpOnly, SameSite=Lax cookie on the whole site;
// Secure when the server is served over HTTPS. maxAge < 0 deletes it; 0
// makes it a browser-session cookie.
func (h *Handler) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: strings.HasPrefix(h.BaseURL, "https://"),
	})
}

// sessionExpiry is the expiry of a session used at now: idle time from
// now, but never past the maximum age.
func sessionExpiry(created, now time.Time) time.Time {
	exp := now.Add(SessionIdle)
	if hard := created.Add(SessionMaxAge); exp.After(hard) {
		exp = hard
	}
	return exp
}

// startSession signs the user in: a new session row and cookie. Unless the
// user asked to be remembered, the cookie is a browser-session cookie (no
// Max-Age), gone when the browser closes — what a shared office PC needs;
// remembered, it lasts SessionMaxAge. Either way the server ends the
// session after SessionIdle without use or SessionMaxAge after sign-in.
func (h *Handler) startSession(c *gin.Context, u *survey.User, remember bool) error {
	tok := newToken()
	now := h.Now()
	if _, err := h.Store.CreateSession(c.Request.Context(), tokenHash(tok), u.ID, now, sessionExpiry(now, now)); err != nil {
		return err
	}
	maxAge := 0
	if remember {
		maxAge = int(SessionMaxAge / time.Second)
	}
	h.setCookie(c, sessionCookie, tok, maxAge)
	c.Set(sessionTokenKey, tok)
	return nil
}

// loadSession returns the signed-in user of the request, or nil, sliding
// the session's expiry forward.
func (h *Handler) loadSession(c *gin.Context) *survey.User {
	ck, err := c.Request.Cookie(sessionCookie)
	if err != nil || ck.Value == "" || len(ck.Value) > 100 {
		return nil
	}
	ctx := c.Request.Context()
	now := h.Now()
	th := tokenHash(ck.Value)
	sess, u, err := h.Store.FindSession(ctx, th, now)
	if err != nil {
		if survey.ErrorCode(err) != survey.ENOTFOUND {
			h.Log.Error("find session", "id", httpx.RequestID(c), "err", err)
		}
		return nil
	}
	if u.Disabled || !survey.MaySee(u) {
		// Disabling deletes the sessions too; this covers a session
		// created in the moment between. An account turned into an
		// integration account keeps no way into the dashboard either.
		return nil
	}
	if now.Sub(sess.SeenAt) >= sessionTouchEvery {
		if err := h.Store.TouchSession(ctx, th, now, sessionExpiry(sess.CreatedAt, now)); err != nil {
			h.Log.Error("touch session", "id", httpx.RequestID(c), "err", err)
		}
	}
	c.Set(sessionTokenKey, ck.Value)
	httpx.SetUser(c, u)
	return u
}

// RequireSession lets signed-in users through. Others are sent to the
// sign-in page, which brings them back to the page they asked for.
func (h *Handler) RequireSession(c *gin.Context) {
	if h.loadSession(c) != nil {
		c.Header("Cache-Control", "no-store")
		c.Next()
		return
	}
	next := "/dashboard"
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		next = c.Request.URL.RequestURI()
	}
	c.Redirect(http.StatusSeeOther, "/login?"+url.Values{"next": {next}}.Encode())
	c.Abort()
}

// localNext returns next when it is a path on this site, else "/dashboard":
// a crafted next= must not send a user elsewhere after signing in.
func localNext(next string) string {
	const home = "/dashboard"
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\\\r\n\t\x00") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return home
	}
	if u.Path == "/login" || strings.HasPrefix(u.Path, "/logout") {
		return home
	}
	return u.RequestURI()
}

package api

import (
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

const basicChallenge = `Basic realm="sipas", charset="UTF-8"`

// RequireBasic authenticates the request with HTTP Basic credentials,
// under the same sign-in throttle as the dashboard's form, so that Basic
// auth is no way around it for guessing passwords.
func (h *Handler) RequireBasic(c *gin.Context) {
	if err := h.basic(c); err != nil {
		h.Fail(c, err)
		c.Abort()
		return
	}
	c.Next()
}

func (h *Handler) basic(c *gin.Context) error {
	name, pw, ok := c.Request.BasicAuth()
	if !ok {
		c.Header("WWW-Authenticate", basicChallenge)
		return httpx.Errorf(http.StatusUnauthorized, "authentication required")
	}
	if len(name) > 100 {
		name = strings.ToValidUTF8(name[:100], "")
	}
	// Credentials proven within the last minute skip the throttle: a
	// client sending many requests at once is not guessing.
	u, known, release := h.Auth.Remembered(c.Request.Context(), name, pw)
	if !known {
		var err error
		func() {
			defer release() // whatever happens, the requests waiting on it go on
			u, err = h.checkThrottled(c, name, pw)
		}()
		if err != nil {
			return err
		}
	}
	// Successful Basic sign-ins are not audited: clients send credentials
	// with every request, and the changes they make are audited by name.
	// A browser that once answered the Basic prompt sends the credentials
	// with any request, also one forged by another site: state-changing API
	// calls must be JSON (or CSV for imports), which a cross-site form
	// cannot send without a CORS preflight that this server never grants.
	if m := c.Request.Method; m != http.MethodGet && m != http.MethodHead && strings.HasPrefix(c.Request.URL.Path, "/api/") {
		if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt != "application/json" && !(mt == "text/csv" && httpx.CSVUpload(c.Request.URL.Path)) {
			return httpx.Errorf(http.StatusUnsupportedMediaType, "Content-Type must be application/json (text/csv for imports)")
		}
	}
	httpx.SetUser(c, u)
	return nil
}

// checkThrottled checks credentials under the sign-in throttle, by
// (client, name) and client, never by name alone, so that nobody can lock
// an account out by failing on purpose.
func (h *Handler) checkThrottled(c *gin.Context, name, pw string) (*survey.User, error) {
	client := httpx.ClientAddr(c.Request, h.TrustedProxies)
	d, done := h.Throttle.Begin(h.Now(), client, name)
	if done == nil {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
		return nil, httpx.Errorf(http.StatusTooManyRequests, "too many failed sign-ins; try again later")
	}
	u, err := h.Auth.Check(c.Request.Context(), name, pw)
	done(err == nil)
	if err != nil {
		if survey.ErrorCode(err) == survey.EUNAUTHORIZED {
			c.Header("WWW-Authenticate", basicChallenge)
			// Counted per minute in the audit log, without the name or
			// password typed. A failure to count does not change the
			// answer.
			if cerr := h.Store.CountFailedSignIn(c.Request.Context(), survey.SignInBasic); cerr != nil {
				h.Log.Error("count failed sign-in", "id", httpx.RequestID(c), "err", cerr)
			}
		}
		return nil, err
	}
	return u, nil
}

// RequireAdmin lets only admins through.
func (h *Handler) RequireAdmin(c *gin.Context) {
	if !httpx.IsAdmin(c) {
		h.Fail(c, httpx.Errorf(http.StatusForbidden, "this action needs an admin account"))
		c.Abort()
		return
	}
	c.Next()
}

// RequireSee lets through the accounts that read the API's data (admins
// and officials, survey.MaySee): an integration account may only register
// dossiers and volumes.
func (h *Handler) RequireSee(c *gin.Context) {
	if !survey.MaySee(httpx.CurrentUser(c)) {
		h.Fail(c, httpx.Errorf(http.StatusForbidden, "an integration account may only register dossiers and volumes"))
		c.Abort()
		return
	}
	c.Next()
}

// RequireRegister lets through the accounts that register dossiers and
// volumes: integration accounts and admins. Which agencies each may
// register for is survey.CanRegister's to say, in the handlers.
func (h *Handler) RequireRegister(c *gin.Context) {
	if !survey.MayRegister(httpx.CurrentUser(c)) {
		h.Fail(c, httpx.Errorf(http.StatusForbidden, "this action needs an integration or admin account"))
		c.Abort()
		return
	}
	c.Next()
}

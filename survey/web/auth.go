package web

import (
	"context"
	"crypto/sha256"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"github.com/sipas/sipas/survey"
)

// HashPassword returns the bcrypt hash of a password.
func HashPassword(pw string) (string, error) {
	if len(pw) < survey.MinPasswordLen {
		return "", survey.Errorf(survey.EINVALID, "password must have at least %d characters", survey.MinPasswordLen)
	}
	if len(pw) > 72 {
		return "", survey.Errorf(survey.EINVALID, "password must have at most 72 bytes")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// dummyHash is compared against when the user does not exist, so that an
// unknown name takes as long as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("sipas-no-such-user"), bcrypt.DefaultCost)

// basicAuth checks HTTP Basic credentials against the user store. A
// successful check is remembered for a minute (keyed by a hash of name,
// password and stored hash) so that API clients do not pay bcrypt on every
// request.
type basicAuth struct {
	users survey.UserStore
	mu    sync.Mutex
	ok    map[[32]byte]time.Time
}

func newBasicAuth(users survey.UserStore) *basicAuth {
	return &basicAuth{users: users, ok: map[[32]byte]time.Time{}}
}

// Check returns the user for name and password, or EUNAUTHORIZED with the
// same message whether the name or the password was wrong.
func (a *basicAuth) Check(ctx context.Context, name, password string) (*survey.User, error) {
	bad := survey.Errorf(survey.EUNAUTHORIZED, "wrong user name or password")
	u, err := a.users.FindUser(ctx, name)
	// A disabled account answers exactly like an unknown one, so the
	// answer does not tell whether the account exists.
	if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && u.Disabled) {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	key := sha256.Sum256([]byte(name + "\x00" + password + "\x00" + u.PasswordHash))
	now := time.Now()
	a.mu.Lock()
	exp, hit := a.ok[key]
	a.mu.Unlock()
	if hit && now.Before(exp) {
		return u, nil
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return nil, bad
	}
	a.mu.Lock()
	if len(a.ok) > 10000 {
		a.ok = map[[32]byte]time.Time{}
	}
	a.ok[key] = now.Add(time.Minute)
	a.mu.Unlock()
	return u, nil
}

const userKey = "sipas.user"

// requireBasic authenticates the request with HTTP Basic credentials.
func (s *Server) requireBasic(c *gin.Context) {
	name, pw, ok := c.Request.BasicAuth()
	if !ok {
		c.Header("WWW-Authenticate", `Basic realm="sipas", charset="UTF-8"`)
		s.fail(c, http.StatusUnauthorized, "authentication required")
		c.Abort()
		return
	}
	// The same throttle as the sign-in form: Basic auth must not be a way
	// around it for guessing passwords.
	now := s.now()
	if len(name) > 100 {
		name = name[:100]
	}
	nameKey := "n:" + strings.ToLower(name)
	clientKey := "c:" + clientAddr(c.Request, s.cfg.TrustedProxies).String()
	if d := s.dash.throttle.wait(now, nameKey, clientKey); d > 0 {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
		s.fail(c, http.StatusTooManyRequests, "too many failed sign-ins; try again later")
		c.Abort()
		return
	}
	u, err := s.auth.Check(c.Request.Context(), name, pw)
	if err != nil {
		if survey.ErrorCode(err) == survey.EUNAUTHORIZED {
			c.Header("WWW-Authenticate", `Basic realm="sipas", charset="UTF-8"`)
			s.dash.throttle.fail(now, nameKey, throttleFreeName)
			s.dash.throttle.fail(now, clientKey, throttleFreeClient)
		}
		s.failErr(c, err)
		c.Abort()
		return
	}
	s.dash.throttle.reset(nameKey)
	// A browser that once answered the Basic prompt sends the credentials
	// with any request, also one forged by another site: state-changing API
	// calls must be JSON (or CSV for imports), which a cross-site form
	// cannot send without a CORS preflight that this server never grants.
	if m := c.Request.Method; m != http.MethodGet && m != http.MethodHead && isAPI(c) {
		if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt != "application/json" && !(mt == "text/csv" && strings.HasSuffix(c.Request.URL.Path, "/import")) {
			s.fail(c, http.StatusUnsupportedMediaType, "Content-Type must be application/json (text/csv for imports)")
			c.Abort()
			return
		}
	}
	c.Set(userKey, u)
	c.Next()
}

func currentUser(c *gin.Context) *survey.User {
	v, _ := c.Get(userKey)
	u, _ := v.(*survey.User)
	return u
}

func actor(c *gin.Context) survey.Actor {
	u := currentUser(c)
	if u == nil {
		return survey.Actor{}
	}
	return survey.Actor{UserID: u.ID, Name: u.Name}
}

func (s *Server) requireAdmin(c *gin.Context) {
	if u := currentUser(c); u == nil || u.Role != survey.RoleAdmin {
		s.fail(c, http.StatusForbidden, "this action needs an admin account")
		c.Abort()
		return
	}
	c.Next()
}

// canSee reports whether the user may see agency code: admins see all,
// officials their own agency and everything beneath it.
func (s *Server) canSee(ctx context.Context, u *survey.User, code string) (bool, error) {
	if u == nil {
		return false, nil
	}
	if u.Role == survey.RoleAdmin {
		return true, nil
	}
	sub, err := s.store.ListAgencies(ctx, u.AgencyCode)
	if err != nil {
		return false, err
	}
	for _, a := range sub {
		if a.Code == code {
			return true, nil
		}
	}
	return false, nil
}

// authorizeAgency answers 404 for an unknown agency and 403 for one outside
// the user's subtree; it returns the agency when access is allowed.
func (s *Server) authorizeAgency(c *gin.Context, code string) *survey.Agency {
	ctx := c.Request.Context()
	a, err := s.store.FindAgency(ctx, code)
	if err != nil {
		s.failErr(c, err)
		return nil
	}
	ok, err := s.canSee(ctx, currentUser(c), code)
	if err != nil {
		s.failErr(c, err)
		return nil
	}
	if !ok {
		s.fail(c, http.StatusForbidden, "you may not see this agency")
		return nil
	}
	return a
}

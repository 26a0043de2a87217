package webtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// Client is a browser for the dashboard: it keeps cookies between requests
// and, once signed in, the session's CSRF token. A 5xx answer fails the
// test.
type Client struct {
	tb testing.TB
	h  http.Handler
	// Jar holds the cookies by name.
	Jar map[string]string
	// Remote is the browser's address (RemoteAddr).
	Remote string
	// Token is the session's CSRF token, set by Login.
	Token string
}

// NewClient returns a browser without cookies that sends its requests to h
// from 198.51.100.7.
func NewClient(tb testing.TB, h http.Handler) *Client {
	return &Client{tb: tb, h: h, Jar: map[string]string{}, Remote: "198.51.100.7:5555"}
}

// Client returns a new browser on the Env's router.
func (e *Env) Client(tb testing.TB) *Client { return NewClient(tb, e.Handler) }

// Do sends a request (method "" is GET) with the browser's cookies, and a
// form body when form is not nil, and keeps the cookies the answer sets.
func (c *Client) Do(method, path string, form url.Values) *httptest.ResponseRecorder {
	c.tb.Helper()
	if method == "" {
		method = http.MethodGet
	}
	path, _, _ = strings.Cut(path, "#") // a browser keeps the fragment to itself
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.RemoteAddr = c.Remote
	for k, v := range c.Jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, req)
	for _, ck := range w.Result().Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.Jar, ck.Name)
		} else {
			c.Jar[ck.Name] = ck.Value
		}
	}
	if w.Code >= 500 {
		c.tb.Fatalf("%s %s: status %d: %s", method, path, w.Code, w.Body)
	}
	return w
}

// Get sends a GET.
func (c *Client) Get(path string) *httptest.ResponseRecorder {
	c.tb.Helper()
	return c.Do(http.MethodGet, path, nil)
}

// Post submits a form with the session's CSRF token (set on form, which
// may be nil).
func (c *Client) Post(path string, form url.Values) *httptest.ResponseRecorder {
	c.tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", c.Token)
	return c.Do(http.MethodPost, path, form)
}

// TryLogin fills in and submits the sign-in form as a browser would, and
// returns the answer.
func (c *Client) TryLogin(name, password, next string) *httptest.ResponseRecorder {
	c.tb.Helper()
	page := c.Get("/login")
	f := url.Values{"name": {name}, "password": {password}, "csrf_token": {FormToken(c.tb, page.Body.String())}, "next": {next}}
	return c.Do(http.MethodPost, "/login", f)
}

// Login signs in as an account of the standard province (password
// sqlitetest.Password) and keeps the session's CSRF token; the test fails
// unless the sign-in succeeds.
func (c *Client) Login(name string) {
	c.tb.Helper()
	c.LoginWith(name, sqlitetest.Password)
}

// LoginWith is Login with another password.
func (c *Client) LoginWith(name, password string) {
	c.tb.Helper()
	w := c.TryLogin(name, password, "")
	if w.Code != http.StatusSeeOther {
		c.tb.Fatalf("login %s: got %d, want 303: %s", name, w.Code, w.Body)
	}
	c.Token = FormToken(c.tb, c.Get("/account/password").Body.String())
}

// csrfRE finds a form's CSRF token.
var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)

// FormToken returns the csrf_token of the first form in an HTML page.
func FormToken(tb testing.TB, page string) string {
	tb.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		tb.Fatalf("no csrf_token in page: %.300s", page)
	}
	return m[1]
}

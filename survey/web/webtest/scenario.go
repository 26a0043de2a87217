package webtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Scenario is one row of a scenario table: a request, what its answer must
// be, and what must be stored afterwards. Placeholders (see the package
// comment) are replaced in URL, Body, Header and the wanted strings.
type Scenario struct {
	Name string
	// Method, URL, Body, ContentType, User, Header, Remote and Chunked
	// are those of Request.
	Method, URL, Body, ContentType, User string
	Header                               map[string]string
	Remote                               string
	Chunked                              bool
	// Session signs in through /login as this account first; the request
	// then carries the session cookie and, when it is a POST, Body is a
	// form to which the session's CSRF token is added.
	Session string
	// Before are sent first, in order (e.g. a first submission before a
	// replay); each must answer below 400.
	Before []Request
	// WantStatus is the answer's status.
	WantStatus int
	// WantContains must all be in the body, WantNot none of them.
	WantContains, WantNot []string
	// WantStored is the number of stored responses afterwards, flagged
	// ones included: 0 (the zero value) checks that nothing was stored;
	// -1 leaves it unchecked.
	WantStored int
	// Check, when set, checks anything else.
	Check func(t *testing.T, e *Env, w *httptest.ResponseRecorder)
}

// Request returns the request s sends.
func (s Scenario) Request() Request {
	return Request{Method: s.Method, URL: s.URL, Body: s.Body, ContentType: s.ContentType, User: s.User,
		Header: s.Header, Remote: s.Remote, Chunked: s.Chunked}
}

// Run runs each scenario as a parallel subtest on a fresh Env built with
// opts. Besides what a scenario wants, every answer under /api/ with a
// status of 400 or more must be JSON {"error": …}.
func Run(t *testing.T, scenarios []Scenario, opts ...Option) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			e := New(t, opts...)
			for _, b := range s.Before {
				if w := e.Do(t, b); w.Code >= 400 {
					t.Fatalf("before: %s %s: got %d: %.500s", b.Method, b.URL, w.Code, w.Body)
				}
			}
			w := s.send(t, e)
			body := w.Body.String()
			if w.Code != s.WantStatus {
				t.Fatalf("got status %d, want %d; body:\n%.2000s", w.Code, s.WantStatus, body)
			}
			for _, want := range s.WantContains {
				if want = e.Replace(want); !strings.Contains(body, want) {
					t.Fatalf("body does not contain %q:\n%.3000s", want, body)
				}
			}
			for _, not := range s.WantNot {
				if not = e.Replace(not); strings.Contains(body, not) {
					t.Fatalf("body contains %q:\n%.3000s", not, body)
				}
			}
			if strings.HasPrefix(s.URL, "/api/") && w.Code >= 400 {
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || !strings.Contains(body, `"error":`) {
					t.Fatalf("API error is not JSON {\"error\": …}: %s %s", ct, body)
				}
			}
			if s.WantStored >= 0 {
				if n := e.Responses(t); n != s.WantStored {
					t.Fatalf("got %d stored responses, want %d", n, s.WantStored)
				}
			}
			if s.Check != nil {
				s.Check(t, e, w)
			}
		})
	}
}

// send sends the scenario's request, through a signed-in Client when it
// has a Session.
func (s Scenario) send(t *testing.T, e *Env) *httptest.ResponseRecorder {
	t.Helper()
	if s.Session == "" {
		return e.Do(t, s.Request())
	}
	c := e.Client(t)
	c.Login(s.Session)
	u := e.Replace(s.URL)
	if s.Method != http.MethodPost {
		return c.Do(s.Method, u, nil)
	}
	form, err := url.ParseQuery(e.Replace(s.Body))
	if err != nil {
		t.Fatalf("session scenario body %q is not a form: %v", s.Body, err)
	}
	return c.Post(u, form)
}

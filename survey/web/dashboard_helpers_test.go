package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web"
)

// dashEnv is a secEnv with a settable clock and two more children of P:
//
//	P ─┬─ A ── A1
//	   ├─ B
//	   ├─ C
//	   └─ D
type dashEnv struct {
	*secEnv
	mu  sync.Mutex
	now time.Time
}

func newDashEnv(tb testing.TB) *dashEnv {
	tb.Helper()
	e := &dashEnv{secEnv: newSecEnv(tb, web.Config{}), now: time.Date(2026, 4, 15, 10, 0, 0, 0, survey.Vietnam)}
	e.nowFn = e.clock
	ctx := tb.Context()
	by := survey.Actor{Name: "test"}
	for _, code := range []string{"C", "D"} {
		if err := e.db.CreateAgency(ctx, &survey.Agency{Code: code, Name: "Sở " + code, ParentCode: "P"}, by); err != nil {
			tb.Fatalf("agency %s: %v", code, err)
		}
		cn := &survey.Counter{AgencyCode: code, Code: "Q1", Name: "Quầy 1", Instrument: "sipas-2017"}
		if err := e.db.CreateCounter(ctx, cn, by); err != nil {
			tb.Fatalf("counter: %v", err)
		}
		e.ids[code+"/Q1"] = cn.ID
	}
	return e
}

func (e *dashEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *dashEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// seedSpec asks for n responses at a counter on a day, all items answered
// with the same value, optionally with a comment.
type seedSpec struct {
	counter string // "A/Q1"
	day     string // YYYY-MM-DD (Vietnam)
	n       int
	value   uint8
	comment string
}

// seed stores responses through BulkLoad (which keeps stats_monthly).
func (e *dashEnv) seed(specs ...seedSpec) {
	e.tb.Helper()
	ctx := e.tb.Context()
	var subs []*survey.Submission
	for _, sp := range specs {
		ag, _, _ := strings.Cut(sp.counter, "/")
		a, err := e.db.FindAgency(ctx, ag)
		if err != nil {
			e.tb.Fatalf("agency %s: %v", ag, err)
		}
		cn, err := e.db.FindCounterByID(ctx, e.ids[sp.counter])
		if err != nil {
			e.tb.Fatalf("counter %s: %v", sp.counter, err)
		}
		in, err := e.reg.Current(cn.Instrument)
		if err != nil {
			e.tb.Fatalf("instrument: %v", err)
		}
		day, err := time.ParseInLocation("2006-01-02", sp.day, survey.Vietnam)
		if err != nil {
			e.tb.Fatalf("day: %v", err)
		}
		for i := 0; i < sp.n; i++ {
			ans := make([]uint8, len(in.Items))
			for k := range ans {
				ans[k] = sp.value
			}
			subs = append(subs, &survey.Submission{SubmissionID: secSubmissionID(), CounterID: cn.ID, AgencyID: a.ID,
				Instrument: in, Answers: ans, Comment: sp.comment, Channel: "web", Lang: "vi",
				ReceivedAt: day.Add(9*time.Hour + time.Duration(len(subs))*time.Second)})
		}
	}
	i := 0
	if _, err := e.db.BulkLoad(ctx, func() (*survey.Submission, error) {
		if i == len(subs) {
			return nil, nil
		}
		i++
		return subs[i-1], nil
	}); err != nil {
		e.tb.Fatalf("bulk load: %v", err)
	}
}

// client is a browser: it keeps cookies between requests and knows the
// session's CSRF token.
type client struct {
	tb     testing.TB
	h      http.Handler
	jar    map[string]string
	remote string
	token  string
}

func (e *dashEnv) client() *client {
	return &client{tb: e.tb, h: e.h, jar: map[string]string{}, remote: "198.51.100.7:5555"}
}

func (b *client) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	b.tb.Helper()
	path, _, _ = strings.Cut(path, "#") // a browser keeps the fragment to itself
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.RemoteAddr = b.remote
	for k, v := range b.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, req)
	for _, ck := range w.Result().Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(b.jar, ck.Name)
		} else {
			b.jar[ck.Name] = ck.Value
		}
	}
	if w.Code >= 500 {
		b.tb.Fatalf("%s %s: status %d: %s", method, path, w.Code, w.Body)
	}
	return w
}

func (b *client) get(path string) *httptest.ResponseRecorder {
	b.tb.Helper()
	return b.do("GET", path, nil)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)

// formToken returns the csrf_token of the first form on the page.
func formToken(tb testing.TB, body string) string {
	tb.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no csrf_token in page: %.300s", body)
	}
	return m[1]
}

// tryLogin submits the sign-in form as a browser would.
func (b *client) tryLogin(name, password, next string) *httptest.ResponseRecorder {
	b.tb.Helper()
	page := b.get("/login")
	f := url.Values{"name": {name}, "password": {password}, "csrf_token": {formToken(b.tb, page.Body.String())}, "next": {next}}
	return b.do("POST", "/login", f)
}

// login signs in and remembers the session's form token.
func (b *client) login(name string) {
	b.tb.Helper()
	w := b.tryLogin(name, secPassword, "")
	if w.Code != http.StatusSeeOther {
		b.tb.Fatalf("login %s: got %d, want 303: %s", name, w.Code, w.Body)
	}
	b.token = formToken(b.tb, b.get("/account/password").Body.String())
}

// post submits a form with the session's token.
func (b *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	b.tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", b.token)
	return b.do("POST", path, form)
}

// row returns the HTML of the table row with the given attribute value.
func row(tb testing.TB, body, attr, code string) string {
	tb.Helper()
	start := strings.Index(body, fmt.Sprintf(`<tr %s="%s"`, attr, code))
	if start < 0 {
		tb.Fatalf("no row %s=%s in page", attr, code)
	}
	end := strings.Index(body[start:], "</tr>")
	return body[start : start+end]
}

// cellText returns the text of the first <td class="class"> in html.
func cellText(tb testing.TB, html, class string) string {
	tb.Helper()
	re := regexp.MustCompile(`<td[^>]* class="` + class + `"[^>]*>(.*?)</td>`)
	m := re.FindStringSubmatch(html)
	if m == nil {
		tb.Fatalf("no td.%s in %s", class, html)
	}
	return strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
}

// tdAttr returns an attribute of the first <td class="class"> in html.
func tdAttr(tb testing.TB, html, class, attr string) string {
	tb.Helper()
	m := regexp.MustCompile(`<td[^>]* class="` + class + `"[^>]*>`).FindString(html)
	if m == "" {
		tb.Fatalf("no td.%s in %s", class, html)
	}
	v := regexp.MustCompile(` ` + attr + `="([^"]*)"`).FindStringSubmatch(m)
	if v == nil {
		return ""
	}
	return v[1]
}

package web_test

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey/web"
)

// Access kinds of routeCases.
const (
	accessPublic = "public" // anyone, no credentials
	accessAgency = "agency" // any account, but only for agencies in its subtree ({agency} in the path)
	accessList   = "list"   // any account; the answer is limited to its subtree
	accessAdmin  = "admin"  // admin accounts only
	// accessSession: the dashboard's cookie-session pages. HTTP Basic
	// credentials do not open them: every caller here is sent to /login
	// (303). Roles and agencies are checked in dashboard_test.go
	// (TestDashboardAccess), which signs in.
	accessSession = "session"
)

// routeCase says who may use a route and how to call it. Placeholders in
// path: {agency} (replaced by the agency under test), {token} (a valid
// survey token of A/Q1), {id} (a flagged response).
type routeCase struct {
	access string
	path   string
	body   string
	ctype  string // Content-Type when not the default for the path
	want   int    // status for an allowed caller; 0: anything but 401, 403 or 5xx
}

// routeTable lists EVERY route of the server. A route added to server.go
// without an entry here fails TestRouteTableComplete; add its entry with the
// access it must have. (Session-authenticated pages: add an access kind and
// a branch in checkRoute.)
var routeTable = map[string]routeCase{
	"GET /healthz":           {access: accessPublic, path: "/healthz", want: 200},
	"GET /readyz":            {access: accessPublic, path: "/readyz", want: 200},
	"GET /metrics":           {access: accessPublic, path: "/metrics", want: 200},
	"GET /static/*file":      {access: accessPublic, path: "/static/survey.css", want: 200},
	"GET /favicon.ico":       {access: accessPublic, path: "/favicon.ico", want: 301},
	"GET /s/:token":          {access: accessPublic, path: "/s/{token}", want: 200},
	"POST /s/:token":         {access: accessPublic, path: "/s/{token}", body: "submission_id=x", want: 400},
	"POST /s/:token/more":    {access: accessPublic, path: "/s/{token}/more", body: "submission_id=x", want: 400},
	"GET /s/:token/thanks":   {access: accessPublic, path: "/s/{token}/thanks", want: 200},
	"GET /s/:token/qr.png":   {access: accessPublic, path: "/s/{token}/qr.png", want: 200},
	"GET /s/:token/qr.svg":   {access: accessPublic, path: "/s/{token}/qr.svg", want: 200},
	"GET /s/:token/poster":   {access: accessPublic, path: "/s/{token}/poster", want: 200},
	"POST /api/v1/responses": {access: accessPublic, path: "/api/v1/responses", body: `{}`, want: 400},

	"GET /api/v1/agencies":                         {access: accessList, path: "/api/v1/agencies", want: 200},
	"GET /api/v1/agencies/:code":                   {access: accessAgency, path: "/api/v1/agencies/{agency}", want: 200},
	"GET /api/v1/agencies/:code/counters":          {access: accessAgency, path: "/api/v1/agencies/{agency}/counters", want: 200},
	"GET /api/v1/agencies/:code/counters/:counter": {access: accessAgency, path: "/api/v1/agencies/{agency}/counters/Q1", want: 200},
	"GET /agencies/:code/posters":                  {access: accessAgency, path: "/agencies/{agency}/posters", want: 200},
	"GET /api/v1/scores":                           {access: accessAgency, path: "/api/v1/scores?agency={agency}&from=2025-01-01&to=2025-12-31", want: 200},
	"GET /api/v1/scores/children":                  {access: accessAgency, path: "/api/v1/scores/children?agency={agency}&from=2025-01-01&to=2025-12-31", want: 200},
	"GET /api/v1/scores/trend":                     {access: accessAgency, path: "/api/v1/scores/trend?agency={agency}&from=2025-01-01&to=2025-12-31", want: 200},

	"POST /api/v1/agencies/import":                         {access: accessAdmin, path: "/api/v1/agencies/import", body: "code,name,parent\nI{agency},Nhập,{agency}\n", ctype: "text/csv", want: 201},
	"POST /api/v1/counters/import":                         {access: accessAdmin, path: "/api/v1/counters/import", body: "agency,code,name\n{agency},I1,Nhập\n", ctype: "text/csv", want: 201},
	"POST /api/v1/agencies":                                {access: accessAdmin, path: "/api/v1/agencies", body: `{"code":"N{agency}","name":"Mới","parent":"{agency}"}`, want: 201},
	"PATCH /api/v1/agencies/:code":                         {access: accessAdmin, path: "/api/v1/agencies/{agency}", body: `{"name":"Đổi tên"}`, want: 200},
	"POST /api/v1/agencies/:code/counters":                 {access: accessAdmin, path: "/api/v1/agencies/{agency}/counters", body: `{"code":"N1","name":"Quầy mới"}`},
	"PATCH /api/v1/agencies/:code/counters/:counter":       {access: accessAdmin, path: "/api/v1/agencies/{agency}/counters/Q1", body: `{"name":"Quầy một"}`, want: 200},
	"POST /api/v1/agencies/:code/counters/:counter/rotate": {access: accessAdmin, path: "/api/v1/agencies/{agency}/counters/Q1/rotate", body: `{}`, want: 200},
	"GET /api/v1/flagged":                                  {access: accessAdmin, path: "/api/v1/flagged?agency={agency}", want: 200},
	"POST /api/v1/flagged/:id/accept":                      {access: accessAdmin, path: "/api/v1/flagged/{id}/accept", body: `{}`},
	"POST /api/v1/flagged/:id/reject":                      {access: accessAdmin, path: "/api/v1/flagged/{id}/reject", body: `{}`},
	"GET /api/v1/audit":                                    {access: accessAdmin, path: "/api/v1/audit", want: 200},

	"GET /login":                                     {access: accessPublic, path: "/login", want: 200},
	"POST /login":                                    {access: accessPublic, path: "/login", body: "name=admin&password=x", want: 403}, // no CSRF cookie
	"POST /logout":                                   {access: accessSession, path: "/logout"},
	"GET /account/password":                          {access: accessSession, path: "/account/password"},
	"POST /account/password":                         {access: accessSession, path: "/account/password"},
	"GET /dashboard":                                 {access: accessSession, path: "/dashboard"},
	"GET /dashboard/overview/:code":                  {access: accessSession, path: "/dashboard/overview/{agency}"},
	"GET /dashboard/overview/:code/export.csv":       {access: accessSession, path: "/dashboard/overview/{agency}/export.csv"},
	"GET /dashboard/overview/:code/export.xlsx":      {access: accessSession, path: "/dashboard/overview/{agency}/export.xlsx"},
	"GET /dashboard/agency/:code":                    {access: accessSession, path: "/dashboard/agency/{agency}"},
	"GET /dashboard/agency/:code/posters":            {access: accessSession, path: "/dashboard/agency/{agency}/posters"},
	"GET /dashboard/agency/:code/export.csv":         {access: accessSession, path: "/dashboard/agency/{agency}/export.csv"},
	"GET /dashboard/agency/:code/export.xlsx":        {access: accessSession, path: "/dashboard/agency/{agency}/export.xlsx"},
	"GET /dashboard/agency/:code/responses.csv":      {access: accessSession, path: "/dashboard/agency/{agency}/responses.csv"},
	"POST /dashboard/agency/:code/counters":          {access: accessSession, path: "/dashboard/agency/{agency}/counters", body: "code=N1&name=x"},
	"POST /dashboard/agency/:code/counters/:counter": {access: accessSession, path: "/dashboard/agency/{agency}/counters/Q1", body: "action=close"},
	"GET /dashboard/users":                           {access: accessSession, path: "/dashboard/users"},
	"POST /dashboard/users":                          {access: accessSession, path: "/dashboard/users", body: "name=x&role=admin&password=long-enough"},
	"POST /dashboard/users/:name":                    {access: accessSession, path: "/dashboard/users/offA", body: "action=disable"},
}

func engineRoutes(t *testing.T, h http.Handler) []string {
	t.Helper()
	eng, ok := h.(*gin.Engine)
	if !ok {
		t.Fatalf("Handler() is %T, want *gin.Engine", h)
	}
	var out []string
	for _, r := range eng.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	sort.Strings(out)
	return out
}

func TestRouteTableComplete(t *testing.T) {
	e := newSecEnv(t, web.Config{})
	seen := map[string]bool{}
	for _, r := range engineRoutes(t, e.h) {
		seen[r] = true
		if _, ok := routeTable[r]; !ok {
			t.Errorf("route %s has no entry in routeTable: say who may use it", r)
		}
	}
	for r := range routeTable {
		if !seen[r] {
			t.Errorf("routeTable has %s, which the server does not register", r)
		}
	}
}

// TestRouteAccess checks every route: no credentials → 401 (authenticated
// routes), an official of A on B's resources → 403, on an unknown agency
// → 404, an official on admin routes → 403, and allowed callers get in.
func TestRouteAccess(t *testing.T) {
	e := newSecEnv(t, web.Config{})
	flaggedID := e.flaggedResponse("A/Q1")
	badChecked := false
	for _, route := range engineRoutes(t, e.h) {
		rc, ok := routeTable[route]
		if !ok {
			continue // reported by TestRouteTableComplete
		}
		method := strings.Fields(route)[0]
		t.Run(route, func(t *testing.T) {
			call := func(agency, user, password string) int {
				t.Helper()
				p := strings.NewReplacer("{agency}", agency, "{token}", e.tokens["A/Q1"], "{id}", strconv.FormatInt(flaggedID, 10))
				w := e.do(secReq{method: method, path: p.Replace(rc.path), body: p.Replace(rc.body), contentType: rc.ctype, user: user, password: password})
				if w.Code >= 500 {
					t.Fatalf("%s as %q on %s: status %d: %s", route, user, agency, w.Code, w.Body)
				}
				if w.Code == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
					t.Errorf("%s: 401 without WWW-Authenticate", route)
				}
				return w.Code
			}
			allowed := func(agency, user string) {
				t.Helper()
				got := call(agency, user, "")
				if rc.want != 0 && got != rc.want {
					t.Errorf("%s as %s on %s: got %d, want %d", route, user, agency, got, rc.want)
				}
				if rc.want == 0 && (got == http.StatusUnauthorized || got == http.StatusForbidden) {
					t.Errorf("%s as %s on %s: got %d, want access", route, user, agency, got)
				}
			}
			denied := func(agency, user, password string, want int) {
				t.Helper()
				if got := call(agency, user, password); got != want {
					t.Errorf("%s as %q on %s: got %d, want %d", route, user, agency, got, want)
				}
			}
			// Wrong credentials meet the same middleware (requireBasic) on
			// every route, and bcrypt is slow under -race: try them on the
			// first authenticated route only.
			badCredentials := func() {
				t.Helper()
				if badChecked {
					return
				}
				badChecked = true
				denied("A", "offA", "wrong-password", http.StatusUnauthorized)
				denied("A", "nobody", "", http.StatusUnauthorized)
			}
			switch rc.access {
			case accessPublic:
				allowed("A", "")
			case accessList:
				denied("A", "", "", http.StatusUnauthorized)
				badCredentials()
				allowed("A", "offA")
				allowed("A", "admin")
			case accessAgency:
				denied("A", "", "", http.StatusUnauthorized)
				badCredentials()
				denied("B", "offA", "", http.StatusForbidden)
				denied("P", "offA", "", http.StatusForbidden) // the parent is not in A's subtree
				denied("A", "offB", "", http.StatusForbidden)
				denied("ZZ", "offA", "", http.StatusNotFound)
				allowed("A", "offA")
				allowed("A1", "offA") // beneath A
				allowed("B", "offB")
				allowed("B", "admin")
			case accessAdmin:
				denied("A", "", "", http.StatusUnauthorized)
				badCredentials()
				denied("A", "offA", "", http.StatusForbidden) // even on its own agency
				denied("B", "offA", "", http.StatusForbidden)
				denied("B", "offB", "", http.StatusForbidden)
				allowed("B", "admin")
			case accessSession:
				denied("A", "", "", http.StatusSeeOther)
				denied("A", "admin", "", http.StatusSeeOther)
			default:
				t.Fatalf("unknown access kind %q", rc.access)
			}
		})
	}
}

// TestAgencyListScoped checks that an official's agency list holds only
// its subtree.
func TestAgencyListScoped(t *testing.T) {
	e := newSecEnv(t, web.Config{})
	tests := []struct {
		user string
		want []string
	}{
		{"offA", []string{"A", "A1"}},
		{"offB", []string{"B"}},
		{"admin", []string{"A", "A1", "B", "P"}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			w := e.do(secReq{method: "GET", path: "/api/v1/agencies", user: tt.user})
			if w.Code != http.StatusOK {
				t.Fatalf("got %d, want 200: %s", w.Code, w.Body)
			}
			var as []struct{ Code string }
			secDecode(t, w, &as)
			var got []string
			for _, a := range as {
				got = append(got, a.Code)
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

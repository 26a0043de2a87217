package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/webtest"
)

// Access kinds of routeCases.
const (
	accessPublic = "public" // anyone, no credentials
	accessAgency = "agency" // any account, but only for agencies in its subtree ({agency} in the path)
	accessList   = "list"   // any account; the answer is limited to its subtree
	accessAdmin  = "admin"  // admin accounts only
	// accessSession: the dashboard's cookie-session pages. HTTP Basic
	// credentials do not open them: every caller here is sent to /login
	// (303). Roles and agencies are checked by TestDashboardAccess, below,
	// which signs in.
	accessSession = "session"
	// accessRegister: the one-stop software's routes (dossiers, volumes):
	// integration accounts for agencies in their subtree ({agency} in the
	// path or body) and admins; officials never.
	accessRegister = "register"
)

// routeCase says who may use a route and how to call it. Placeholders in
// path: {agency} (replaced by the agency under test), {token} (a valid
// survey token of D1/Q1), {id} (a flagged response), {dtoken} (the token
// of dossier AZP-D1); dossiers AZP-{agency} are registered for P, D1, C1
// and D2.
type routeCase struct {
	access string
	path   string
	body   string
	ctype  string // Content-Type when not the default for the path
	want   int    // status for an allowed caller; 0: anything but 401, 403 or 5xx
	// unknown is the status for an agency that does not exist
	// (accessRegister; 0: 404). Imports answer 400: bad input, by line.
	unknown int
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
	"GET /s/:token/slip":     {access: accessPublic, path: "/s/{dtoken}/slip", want: 200},
	"POST /api/v1/responses": {access: accessPublic, path: "/api/v1/responses", body: `{}`, want: 400},

	// Every public GET answers HEAD the same way, without the body.
	"HEAD /healthz":         {access: accessPublic, path: "/healthz", want: 200},
	"HEAD /readyz":          {access: accessPublic, path: "/readyz", want: 200},
	"HEAD /metrics":         {access: accessPublic, path: "/metrics", want: 200},
	"HEAD /static/*file":    {access: accessPublic, path: "/static/survey.css", want: 200},
	"HEAD /favicon.ico":     {access: accessPublic, path: "/favicon.ico", want: 301},
	"HEAD /s/:token":        {access: accessPublic, path: "/s/{token}", want: 200},
	"HEAD /s/:token/thanks": {access: accessPublic, path: "/s/{token}/thanks", want: 200},
	"HEAD /s/:token/qr.png": {access: accessPublic, path: "/s/{token}/qr.png", want: 200},
	"HEAD /s/:token/qr.svg": {access: accessPublic, path: "/s/{token}/qr.svg", want: 200},
	"HEAD /s/:token/poster": {access: accessPublic, path: "/s/{token}/poster", want: 200},
	"HEAD /s/:token/slip":   {access: accessPublic, path: "/s/{dtoken}/slip", want: 200},

	"GET /api/v1/agencies":                         {access: accessList, path: "/api/v1/agencies", want: 200},
	"GET /api/v1/agencies/:code":                   {access: accessAgency, path: "/api/v1/agencies/{agency}", want: 200},
	"GET /api/v1/agencies/:code/counters":          {access: accessAgency, path: "/api/v1/agencies/{agency}/counters", want: 200},
	"GET /api/v1/agencies/:code/counters/:counter": {access: accessAgency, path: "/api/v1/agencies/{agency}/counters/Q1", want: 200},
	"GET /agencies/:code/posters":                  {access: accessAgency, path: "/agencies/{agency}/posters", want: 200},
	"GET /api/v1/scores":                           {access: accessAgency, path: "/api/v1/scores?agency={agency}&from=2025-01-01&to=2025-12-31", want: 200},
	"GET /api/v1/scores/children":                  {access: accessAgency, path: "/api/v1/scores/children?agency={agency}&from=2025-01-01&to=2025-12-31", want: 200},
	"GET /api/v1/scores/trend":                     {access: accessAgency, path: "/api/v1/scores/trend?agency={agency}&from=2025-01-01&to=2025-12-31", want: 200},
	"GET /api/v1/integrity":                        {access: accessAgency, path: "/api/v1/integrity?agency={agency}&from=2026-04-01&to=2026-04-30", want: 200},
	"GET /api/v1/agencies/:code/hours":             {access: accessAgency, path: "/api/v1/agencies/{agency}/hours", want: 200},
	"GET /api/v1/agencies/:code/lineage":           {access: accessAgency, path: "/api/v1/agencies/{agency}/lineage", want: 200},
	"GET /api/v1/holidays":                         {access: accessList, path: "/api/v1/holidays", want: 200},

	"POST /api/v1/agencies/import": {access: accessAdmin, path: "/api/v1/agencies/import", body: "code,name,parent\nI{agency},Nhập,{agency}\n", ctype: "text/csv", want: 201},
	"POST /api/v1/counters/import": {access: accessAdmin, path: "/api/v1/counters/import", body: "agency,code,name\n{agency},I1,Nhập\n", ctype: "text/csv", want: 201},
	"POST /api/v1/agencies":        {access: accessAdmin, path: "/api/v1/agencies", body: `{"code":"N{agency}","name":"Mới","parent":"{agency}"}`, want: 201},
	"PATCH /api/v1/agencies/:code": {access: accessAdmin, path: "/api/v1/agencies/{agency}", body: `{"name":"Đổi tên"}`, want: 200},
	// Reorganisations that reach the store and are refused there (an
	// unknown agency: 400), so that the tree stays as the other routes'
	// cases need it; api_reorg_test.go applies real ones.
	"POST /api/v1/agencies/merge": {access: accessAdmin, path: "/api/v1/agencies/merge", want: 400,
		body: `{"into":"M{agency}","from":["ZZ{agency}"],"date":"2026-04-15"}`},
	"POST /api/v1/agencies/split": {access: accessAdmin, path: "/api/v1/agencies/split", want: 400,
		body: `{"from":"ZZ{agency}","date":"2026-04-15","into":[{"code":"S{agency}","name":"Tách"}]}`},
	"POST /api/v1/agencies/reorganise": {access: accessAdmin, path: "/api/v1/agencies/reorganise", ctype: "text/csv", want: 400,
		body: "kind,date,agency,parent,into,from,name,counters\nmove,2026-04-15,{agency},ZZ,,,,\n"},
	"POST /api/v1/agencies/:code/counters":                       {access: accessAdmin, path: "/api/v1/agencies/{agency}/counters", body: `{"code":"N1","name":"Quầy mới"}`},
	"PATCH /api/v1/agencies/:code/counters/:counter":             {access: accessAdmin, path: "/api/v1/agencies/{agency}/counters/Q1", body: `{"name":"Quầy một"}`, want: 200},
	"POST /api/v1/agencies/:code/counters/:counter/rotate":       {access: accessAdmin, path: "/api/v1/agencies/{agency}/counters/Q1/rotate", body: `{}`, want: 200},
	"POST /api/v1/agencies/:code/counters/:counter/rotate-kiosk": {access: accessAdmin, path: "/api/v1/agencies/{agency}/counters/Q1/rotate-kiosk", body: `{}`, want: 200},
	"GET /api/v1/flagged":                                        {access: accessAdmin, path: "/api/v1/flagged?agency={agency}", want: 200},
	"POST /api/v1/flagged/:id/accept":                            {access: accessAdmin, path: "/api/v1/flagged/{id}/accept", body: `{}`},
	"POST /api/v1/flagged/:id/reject":                            {access: accessAdmin, path: "/api/v1/flagged/{id}/reject", body: `{}`},
	"GET /api/v1/audit":                                          {access: accessAdmin, path: "/api/v1/audit", want: 200},
	// Webhooks: an IP literal, so that creating needs no DNS; the others
	// answer 404 or the webhook created.
	"POST /api/v1/webhooks": {access: accessAdmin, path: "/api/v1/webhooks", want: 201,
		body: `{"url":"https://93.184.216.34/{agency}","events":["response.created"],"secret":"a-long-enough-secret"}`},
	"GET /api/v1/webhooks":                {access: accessAdmin, path: "/api/v1/webhooks", want: 200},
	"GET /api/v1/webhooks/:id":            {access: accessAdmin, path: "/api/v1/webhooks/1"},
	"DELETE /api/v1/webhooks/:id":         {access: accessAdmin, path: "/api/v1/webhooks/1"},
	"GET /api/v1/webhooks/:id/deliveries": {access: accessAdmin, path: "/api/v1/webhooks/1/deliveries"},
	"POST /api/v1/plans": {access: accessAgency, path: "/api/v1/plans", want: 201,
		body: `{"agency":"{agency}","year":2026,"title":"Kế hoạch","targets":[{"indicator":"overall","target":90}]}`},
	"GET /api/v1/plans":                  {access: accessList, path: "/api/v1/plans", want: 200},
	"GET /api/v1/plans/:id":              {access: accessList, path: "/api/v1/plans/{plan}", want: 200},
	"PATCH /api/v1/plans/:id":            {access: accessList, path: "/api/v1/plans/{plan}", body: `{"title":"Kế hoạch mới"}`, want: 200},
	"GET /api/v1/plans/:id/tasks":        {access: accessList, path: "/api/v1/plans/{plan}/tasks", want: 200},
	"GET /api/v1/plans/:id/tasks/:tid":   {access: accessList, path: "/api/v1/plans/{plan}/tasks/{task}", want: 200},
	"PATCH /api/v1/plans/:id/tasks/:tid": {access: accessList, path: "/api/v1/plans/{plan}/tasks/{task}", body: `{"note":"x"}`, want: 200},
	"POST /api/v1/plans/:id/tasks": {access: accessList, path: "/api/v1/plans/{plan}/tasks", want: 201,
		body: `{"title":"Niêm yết","responsible":"C1","criteria":["TT1"],"start":"2026-04-01","due":"2026-06-30"}`},
	"GET /api/v1/plans/:id/tasks/:tid/effect": {access: accessList, path: "/api/v1/plans/{plan}/tasks/{task}/effect", want: 200},
	"GET /api/v1/reports":                     {access: accessAgency, path: "/api/v1/reports?agency={agency}&period=2026-Q1", want: 200},
	"GET /api/v1/alerts":                      {access: accessAgency, path: "/api/v1/alerts?agency={agency}", want: 200},
	"POST /api/v1/alerts/:id/ack":             {access: accessList, path: "/api/v1/alerts/999999/ack", body: `{}`, want: 404},
	"GET /api/v1/official-results":            {access: accessAgency, path: "/api/v1/official-results?agency={agency}", want: 200},
	"POST /api/v1/official-results": {access: accessAdmin, path: "/api/v1/official-results", want: 201,
		body: `{"agency":"{agency}","index":"SIPAS","year":2021,"score":85.54,"rank":48,"of":63}`},
	"PUT /api/v1/agencies/:code/hours": {access: accessAdmin, path: "/api/v1/agencies/{agency}/hours", body: `{"hours":{"mon":["07:30-11:30"]}}`, want: 200},
	"PUT /api/v1/holidays":             {access: accessAdmin, path: "/api/v1/holidays", body: `{"holidays":[{"date":"2026-09-02","name":"Quốc khánh"}]}`, want: 200},

	"POST /api/v1/dossiers": {access: accessRegister, path: "/api/v1/dossiers", want: 201,
		body: `{"code":"AZ-{agency}","agency":"{agency}","received_at":"2026-04-01T08:00:00+07:00"}`},
	"POST /api/v1/dossiers/import": {access: accessRegister, path: "/api/v1/dossiers/import", ctype: "text/csv", want: 201, unknown: 400,
		body: "code,agency,received_at\nAZI-{agency},{agency},2026-04-01T08:00:00+07:00\n"},
	"POST /api/v1/dossiers/slips":  {access: accessRegister, path: "/api/v1/dossiers/slips", body: `{"codes":["AZP-{agency}"]}`, want: 200},
	"PATCH /api/v1/dossiers/*code": {access: accessRegister, path: "/api/v1/dossiers/AZP-{agency}", body: `{"returned_at":"2026-04-10T10:00:00+07:00"}`, want: 200},
	"POST /api/v1/volumes/import": {access: accessRegister, path: "/api/v1/volumes/import", ctype: "text/csv", want: 201, unknown: 400,
		body: "agency,month,dossiers\n{agency},2026-03,10\n"},

	"GET /login":                                     {access: accessPublic, path: "/login", want: 200},
	"HEAD /login":                                    {access: accessPublic, path: "/login", want: 200},
	"POST /login":                                    {access: accessPublic, path: "/login", body: "name=admin&password=x", want: 403}, // no CSRF cookie
	"POST /logout":                                   {access: accessSession, path: "/logout"},
	"GET /account/password":                          {access: accessSession, path: "/account/password"},
	"POST /account/password":                         {access: accessSession, path: "/account/password"},
	"GET /account/notifications":                     {access: accessSession, path: "/account/notifications"},
	"POST /account/notifications":                    {access: accessSession, path: "/account/notifications"},
	"GET /dashboard":                                 {access: accessSession, path: "/dashboard"},
	"GET /dashboard/overview/:code":                  {access: accessSession, path: "/dashboard/overview/{agency}"},
	"GET /dashboard/overview/:code/export.csv":       {access: accessSession, path: "/dashboard/overview/{agency}/export.csv"},
	"GET /dashboard/overview/:code/export.xlsx":      {access: accessSession, path: "/dashboard/overview/{agency}/export.xlsx"},
	"GET /dashboard/agency/:code":                    {access: accessSession, path: "/dashboard/agency/{agency}"},
	"GET /dashboard/agency/:code/posters":            {access: accessSession, path: "/dashboard/agency/{agency}/posters"},
	"GET /dashboard/agency/:code/integrity":          {access: accessSession, path: "/dashboard/agency/{agency}/integrity"},
	"GET /dashboard/agency/:code/export.csv":         {access: accessSession, path: "/dashboard/agency/{agency}/export.csv"},
	"GET /dashboard/agency/:code/export.xlsx":        {access: accessSession, path: "/dashboard/agency/{agency}/export.xlsx"},
	"GET /dashboard/agency/:code/responses.csv":      {access: accessSession, path: "/dashboard/agency/{agency}/responses.csv"},
	"POST /dashboard/agency/:code/counters":          {access: accessSession, path: "/dashboard/agency/{agency}/counters", body: "code=N1&name=x"},
	"POST /dashboard/agency/:code/counters/:counter": {access: accessSession, path: "/dashboard/agency/{agency}/counters/Q1", body: "action=close"},
	"GET /dashboard/users":                           {access: accessSession, path: "/dashboard/users"},
	"POST /dashboard/users":                          {access: accessSession, path: "/dashboard/users", body: "name=x&role=admin&password=long-enough"},
	"POST /dashboard/users/:name":                    {access: accessSession, path: "/dashboard/users/off", body: "action=disable"},
	"GET /dashboard/webhooks":                        {access: accessSession, path: "/dashboard/webhooks"},
	"POST /dashboard/webhooks":                       {access: accessSession, path: "/dashboard/webhooks", body: "url=https://93.184.216.34/x&events=alert.created&secret=a-long-enough-secret"},
	"POST /dashboard/webhooks/:id/disable":           {access: accessSession, path: "/dashboard/webhooks/1/disable"},
	"GET /dashboard/flagged":                         {access: accessSession, path: "/dashboard/flagged?agency={agency}"},
	"POST /dashboard/flagged/:id/accept":             {access: accessSession, path: "/dashboard/flagged/{id}/accept", body: "note=x"},
	"POST /dashboard/flagged/:id/reject":             {access: accessSession, path: "/dashboard/flagged/{id}/reject", body: "note=x"},
	"GET /dashboard/alerts":                          {access: accessSession, path: "/dashboard/alerts"},
	"POST /dashboard/alerts/:id/ack":                 {access: accessSession, path: "/dashboard/alerts/999999/ack"},
	"GET /dashboard/plans":                           {access: accessSession, path: "/dashboard/plans"},
	"POST /dashboard/plans":                          {access: accessSession, path: "/dashboard/plans", body: "title=x"},
	"GET /dashboard/plans/:id":                       {access: accessSession, path: "/dashboard/plans/{plan}"},
	"POST /dashboard/plans/:id":                      {access: accessSession, path: "/dashboard/plans/{plan}", body: "title=x"},
	"POST /dashboard/plans/:id/tasks":                {access: accessSession, path: "/dashboard/plans/{plan}/tasks", body: "title=x"},
	"GET /dashboard/plans/:id/tasks/:tid":            {access: accessSession, path: "/dashboard/plans/{plan}/tasks/{task}"},
	"POST /dashboard/plans/:id/tasks/:tid":           {access: accessSession, path: "/dashboard/plans/{plan}/tasks/{task}", body: "note=x"},
	"GET /dashboard/reports/:code":                   {access: accessSession, path: "/dashboard/reports/{agency}?period=2026-Q1"},
	"GET /dashboard/reports/:code/report.xlsx":       {access: accessSession, path: "/dashboard/reports/{agency}/report.xlsx?period=2026-Q1"},
	"POST /dashboard/agency/:code/official":          {access: accessSession, path: "/dashboard/agency/{agency}/official", body: "index=SIPAS"},
	"POST /dashboard/agency/:code/public":            {access: accessSession, path: "/dashboard/agency/{agency}/public", body: "public=true"},

	// Public results: open to anyone, and nothing is published here, so
	// every caller, an admin too, gets the same 404 (public_test.go
	// publishes).
	"GET /p/:code":               {access: accessPublic, path: "/p/{agency}", want: 404},
	"HEAD /p/:code":              {access: accessPublic, path: "/p/{agency}", want: 404},
	"GET /api/v1/public/scores":  {access: accessPublic, path: "/api/v1/public/scores?agency={agency}", want: 404},
	"HEAD /api/v1/public/scores": {access: accessPublic, path: "/api/v1/public/scores?agency={agency}", want: 404},
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
	e := webtest.New(t)
	seen := map[string]bool{}
	for _, r := range engineRoutes(t, e.Handler) {
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
// routes), an official of D1 on D2's resources → 403, on an unknown agency
// → 404, an official on admin routes → 403, and allowed callers get in.
func TestRouteAccess(t *testing.T) {
	e := webtest.New(t)
	flaggedID := e.Flagged(t, "D1/Q1")
	var dtoken string
	for _, a := range []string{"P", "D1", "C1", "D2"} {
		_, tok := e.Dossier(t, survey.DossierRegistration{Code: "AZP-" + a, AgencyCode: a, ReceivedAt: webtest.Start().AddDate(0, 0, -7)})
		if a == "D1" {
			dtoken = tok
		}
	}
	// A plan of D1 with a task of C1: the official of D1 may edit both.
	plan, task := routePlan(t, e)
	badChecked := false
	for _, route := range engineRoutes(t, e.Handler) {
		rc, ok := routeTable[route]
		if !ok {
			continue // reported by TestRouteTableComplete
		}
		method := strings.Fields(route)[0]
		t.Run(route, func(t *testing.T) {
			call := func(agency, user, password string) int {
				t.Helper()
				p := strings.NewReplacer("{agency}", agency, "{token}", e.Token(t, "D1/Q1"), "{id}", strconv.FormatInt(flaggedID, 10), "{dtoken}", dtoken,
					"{plan}", strconv.FormatInt(plan, 10), "{task}", strconv.FormatInt(task, 10))
				w := e.Do(t, webtest.Request{Method: method, URL: p.Replace(rc.path), Body: p.Replace(rc.body), ContentType: rc.ctype, User: user, Password: password})
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
				denied("D1", "off", "wrong-password", http.StatusUnauthorized)
				denied("D1", "nobody", "", http.StatusUnauthorized)
			}
			switch rc.access {
			case accessPublic:
				allowed("D1", "")
			case accessList:
				denied("D1", "", "", http.StatusUnauthorized)
				badCredentials()
				denied("D1", "integ", "", http.StatusForbidden) // reads nothing
				allowed("D1", "off")
				allowed("D1", "admin")
			case accessAgency:
				denied("D1", "", "", http.StatusUnauthorized)
				badCredentials()
				denied("D2", "off", "", http.StatusForbidden)
				denied("P", "off", "", http.StatusForbidden) // the parent is not in D1's subtree
				denied("D1", "off2", "", http.StatusForbidden)
				denied("ZZ", "off", "", http.StatusNotFound)
				denied("D1", "integ", "", http.StatusForbidden) // not even its own agency's
				denied("C1", "integ", "", http.StatusForbidden)
				allowed("D1", "off")
				allowed("C1", "off") // beneath D1
				allowed("D2", "off2")
				allowed("D2", "admin")
			case accessAdmin:
				denied("D1", "", "", http.StatusUnauthorized)
				badCredentials()
				denied("D1", "off", "", http.StatusForbidden) // even on its own agency
				denied("D2", "off", "", http.StatusForbidden)
				denied("D2", "off2", "", http.StatusForbidden)
				denied("D1", "integ", "", http.StatusForbidden)
				allowed("D2", "admin")
			case accessSession:
				denied("D1", "", "", http.StatusSeeOther)
				denied("D1", "admin", "", http.StatusSeeOther)
				denied("D1", "integ", "", http.StatusSeeOther)
			case accessRegister:
				unknown := rc.unknown
				if unknown == 0 {
					unknown = http.StatusNotFound
				}
				denied("D1", "", "", http.StatusUnauthorized)
				badCredentials()
				denied("D1", "off", "", http.StatusForbidden) // officials never, even for their own agency
				denied("D2", "off2", "", http.StatusForbidden)
				denied("D2", "integ", "", http.StatusForbidden)
				denied("P", "integ", "", http.StatusForbidden) // the parent is not in D1's subtree
				denied("ZZ", "integ", "", unknown)
				denied("ZZ", "admin", "", unknown)
				allowed("D1", "integ")
				allowed("C1", "integ") // beneath D1
				allowed("D2", "admin")
			default:
				t.Fatalf("unknown access kind %q", rc.access)
			}
		})
	}
}

// routePlan stores a plan of D1 for 2026 with a task of C1 and returns
// their ids.
func routePlan(t *testing.T, e *webtest.Env) (plan, task int64) {
	t.Helper()
	p, err := survey.ParsePlan(survey.PlanInput{Agency: "D1", Year: 2026, Title: "Kế hoạch của D1",
		Targets: []survey.PlanTarget{{Indicator: "overall", Target: 85}}}, e.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := e.DB.CreatePlan(ctx, p, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	tk, err := survey.ParseTask(p, survey.TaskInput{Title: "Niêm yết", Responsible: "C1", Criteria: []string{"TT1"},
		Start: "2026-03-01", Due: "2026-05-31"}, e.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.DB.CreateTask(ctx, tk, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	return p.ID, tk.ID
}

// TestAgencyListScoped checks that an account's agency list holds its
// subtree, parents before children.
func TestAgencyListScoped(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "off", URL: "/api/v1/agencies", User: "off", WantStatus: 200, Check: wantCodes("D1,C1")},
		{Name: "off2", URL: "/api/v1/agencies", User: "off2", WantStatus: 200, Check: wantCodes("D2")},
		{Name: "admin", URL: "/api/v1/agencies", User: "admin", WantStatus: 200, Check: wantCodes("P,D1,C1,D2,D3,D4")},
	})
}

// TestAPIBasicAuth checks the API's answers to missing and wrong
// credentials.
func TestAPIBasicAuth(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "no credentials", URL: "/api/v1/agencies", WantStatus: 401, WantContains: []string{"authentication required"},
			Check: func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
				if !strings.Contains(w.Header().Get("WWW-Authenticate"), "Basic") {
					t.Fatalf("got WWW-Authenticate %q", w.Header().Get("WWW-Authenticate"))
				}
			}},
		{Name: "wrong password", URL: "/api/v1/agencies", User: "wrongpw", WantStatus: 401, WantContains: []string{"wrong user name or password"},
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				other := e.Do(t, webtest.Request{URL: "/api/v1/agencies", User: "ghost"})
				if other.Code != 401 || other.Body.String() != w.Body.String() {
					t.Fatalf("unknown user: got %d %s; wrong password: %s; want the same 401", other.Code, other.Body, w.Body)
				}
				if w.Header().Get("WWW-Authenticate") == "" {
					t.Fatalf("no WWW-Authenticate challenge")
				}
			}},
	})
}

// Basic auth shares the sign-in throttle: repeated wrong passwords for a
// name get 429, even with the right password, until the delay passes.
func TestBasicAuthThrottled(t *testing.T) {
	e := webtest.New(t)
	codes := []int{}
	for i := 0; i < 5; i++ {
		w := e.Do(t, webtest.Request{URL: "/api/v1/agencies", User: "off", Password: "wrong-password"})
		codes = append(codes, w.Code)
	}
	if codes[0] != http.StatusUnauthorized || codes[len(codes)-1] != http.StatusTooManyRequests {
		t.Fatalf("wrong passwords: got %v, want 401 first and 429 at the end", codes)
	}
	w := e.Do(t, webtest.Request{URL: "/api/v1/agencies", User: "off"})
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("right password while throttled: got %d, want 429 with Retry-After", w.Code)
	}
}

// dashRoutes are every session route with an agency in the path.
var dashRoutes = []struct {
	method, path string
	admin        bool
	want         int
}{
	{"GET", "/dashboard/overview/{a}?" + q1, false, 200},
	{"GET", "/dashboard/overview/{a}/export.csv?" + q1, false, 200},
	{"GET", "/dashboard/overview/{a}/export.xlsx?" + q1, false, 200},
	{"GET", "/dashboard/agency/{a}?" + q1, false, 200},
	{"GET", "/dashboard/agency/{a}/export.csv?" + q1, false, 200},
	{"GET", "/dashboard/agency/{a}/export.xlsx?" + q1, false, 200},
	{"GET", "/dashboard/agency/{a}/responses.csv?" + q1, true, 200},
	{"GET", "/dashboard/agency/{a}/posters", false, 200},
	{"GET", "/dashboard/agency/{a}/integrity?" + q1, false, 200},
	{"POST", "/dashboard/agency/{a}/counters", true, 303},
	{"POST", "/dashboard/agency/{a}/counters/Q1", true, 303},
	{"GET", "/dashboard/reports/{a}?period=2026-Q1", false, 200},
	{"GET", "/dashboard/reports/{a}/report.xlsx?period=2026-Q1", false, 200},
	{"POST", "/dashboard/agency/{a}/official", true, 303},
	{"POST", "/dashboard/agency/{a}/public", true, 303},
}

// TestDashboardAccess tries every dashboard route with an agency in its
// path as each kind of signed-in user (and as nobody).
func TestDashboardAccess(t *testing.T) {
	e := webtest.New(t)
	seedLeague(t, e)
	users := map[string]*webtest.Client{}
	for _, u := range []string{"admin", "off", "off2"} {
		users[u] = e.Client(t)
		users[u].Login(u)
	}
	anon := e.Client(t)
	form := func(path string) url.Values {
		if strings.HasSuffix(path, "/official") {
			return url.Values{"index": {"SIPAS"}, "year": {"2021"}, "score": {"85,54"}, "rank": {"48"}, "of": {"63"}}
		}
		if strings.HasSuffix(path, "/public") {
			return url.Values{"public": {"true"}}
		}
		if strings.HasSuffix(path, "/counters") {
			return url.Values{"code": {"T" + time.Now().Format("150405.000000")}, "name": {"Quầy thử"}, "instrument": {"quick"}}
		}
		return url.Values{"action": {"rename"}, "name": {"Quầy một"}}
	}
	type access struct {
		who, agency string
		want        int
	}
	for _, rt := range dashRoutes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			call := func(b *webtest.Client, agency string) int {
				t.Helper()
				p := strings.ReplaceAll(rt.path, "{a}", agency)
				if rt.method == "POST" {
					if b == anon {
						return b.Do("POST", p, form(p)).Code
					}
					return b.Post(p, form(p)).Code
				}
				return b.Get(p).Code
			}
			cases := []access{
				{"anon", "D1", http.StatusSeeOther},
				{"off", "D2", http.StatusForbidden},
				{"off", "P", http.StatusForbidden},
				{"off2", "D1", http.StatusForbidden},
				{"admin", "ZZ", http.StatusNotFound},
				{"admin", "D2", rt.want},
			}
			if rt.admin {
				// The role is checked before the agency.
				cases = append(cases, access{"off", "D1", http.StatusForbidden}, access{"off", "ZZ", http.StatusForbidden})
			} else {
				cases = append(cases, access{"off", "ZZ", http.StatusNotFound})
				cases = append(cases, access{"off", "D1", rt.want}, access{"off", "C1", rt.want})
			}
			for _, c := range cases {
				b := anon
				if c.who != "anon" {
					b = users[c.who]
				}
				if got := call(b, c.agency); got != c.want {
					t.Errorf("%s on %s: got %d, want %d", c.who, c.agency, got, c.want)
				}
			}
		})
	}
}

package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/webtest"
)

// alertEnv is a server with four alerts: drops at P and D1, an overdue
// task at C1 (under D1) and a counter at D2.
func alertEnv(t *testing.T) (*webtest.Env, map[string]*survey.Alert) {
	e := webtest.New(t)
	as := map[string]*survey.Alert{
		"P":  e.Alert(t, survey.AlertDrop, "P", "sipas-2017/overall", "2026-03"),
		"D1": e.Alert(t, survey.AlertDrop, "D1", "sipas-2017/overall", "2026-03"),
		"C1": e.Alert(t, survey.AlertTaskOverdue, "C1", "7", "2026-03-31"),
		"D2": e.Alert(t, survey.AlertSetAside, "D2", "Q1", "2026-03"),
	}
	return e, as
}

// alertAgencies lists the agencies of the alerts a request answers, in order.
func alertAgencies(t *testing.T, e *webtest.Env, user, query string) string {
	t.Helper()
	w := e.Do(t, webtest.Request{URL: "/api/v1/alerts" + query, User: user})
	if w.Code != http.StatusOK {
		t.Fatalf("%s GET alerts%s: got %d, want 200: %s", user, query, w.Code, w.Body)
	}
	var out []survey.Alert
	decodeInto(t, w, &out)
	var codes []string
	for _, a := range out {
		codes = append(codes, a.Agency)
	}
	return strings.Join(codes, ",")
}

// TestAPIAlertsList: admins read every alert, officials their subtree's;
// the filters select within the scope; bad filter values are 400, an agency
// outside the scope 403, an unknown one 404, and only officials and admins
// may read alerts at all.
func TestAPIAlertsList(t *testing.T) {
	e, as := alertEnv(t)
	if _, err := e.DB.AckAlert(t.Context(), as["P"].ID, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ user, query, want string }{
		{"admin", "", "D2,C1,D1,P"},
		{"off", "", "C1,D1"},
		{"off2", "", "D2"},
		{"admin", "?agency=D1", "C1,D1"},
		{"off", "?agency=C1", "C1"},
		{"admin", "?kind=index.drop", "D1,P"},
		{"admin", "?acked=true", "P"},
		{"admin", "?acked=false", "D2,C1,D1"},
		{"off", "?acked=false&kind=task.overdue", "C1"},
		{"admin", "?limit=2", "D2,C1"},
	} {
		if got := alertAgencies(t, e, tc.user, tc.query); got != tc.want {
			t.Errorf("%s GET alerts%s: got %s, want %s", tc.user, tc.query, got, tc.want)
		}
	}

	w := e.Do(t, webtest.Request{URL: "/api/v1/alerts?agency=D1", User: "admin"})
	var one []map[string]any
	decodeInto(t, w, &one)
	for _, k := range []string{"id", "kind", "key", "period", "agency", "agency_name", "message", "value", "low", "high", "link", "created_at"} {
		if _, ok := one[0][k]; !ok {
			t.Errorf("alert JSON lacks %q: %v", k, one[0])
		}
	}
	if _, ok := one[0]["acked_at"]; ok {
		t.Errorf("open alert has acked_at: %v", one[0])
	}

	webtest.Run(t, []webtest.Scenario{
		{Name: "bad kind", URL: "/api/v1/alerts?kind=index.rise", User: "admin", WantStatus: 400, WantContains: []string{`"error"`, "kind must be"}},
		{Name: "bad acked", URL: "/api/v1/alerts?acked=yes", User: "admin", WantStatus: 400, WantContains: []string{"acked must be true or false"}},
		{Name: "limit zero", URL: "/api/v1/alerts?limit=0", User: "admin", WantStatus: 400, WantContains: []string{"limit must be between 1 and 1000"}},
		{Name: "limit too big", URL: "/api/v1/alerts?limit=1001", User: "admin", WantStatus: 400},
		{Name: "limit not a number", URL: "/api/v1/alerts?limit=ten", User: "admin", WantStatus: 400},
		{Name: "agency out of scope", URL: "/api/v1/alerts?agency=D2", User: "off", WantStatus: 403},
		{Name: "unknown agency", URL: "/api/v1/alerts?agency=NOPE", User: "admin", WantStatus: 404},
		{Name: "integration account", URL: "/api/v1/alerts", User: "integ", WantStatus: 403},
		{Name: "anonymous", URL: "/api/v1/alerts", WantStatus: 401},
	})
}

// TestAPIAlertAck: anyone who can see an alert's agency acknowledges it,
// once, in the audit log; a second acknowledgement keeps the first; an
// alert outside the caller's scope is the same 404 as an unknown one; the
// body must be a JSON object.
func TestAPIAlertAck(t *testing.T) {
	e, as := alertEnv(t)
	ack := func(user string, id int64, body string, want int) survey.Alert {
		t.Helper()
		w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/alerts/" + strconv.FormatInt(id, 10) + "/ack", Body: body, User: user})
		if w.Code != want {
			t.Fatalf("%s ack %d: got %d, want %d: %s", user, id, w.Code, want, w.Body)
		}
		var a survey.Alert
		if want == http.StatusOK {
			decodeInto(t, w, &a)
		}
		return a
	}
	audits := func() int { return e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'alert.ack'`) }

	ack("off", as["D2"].ID, `{}`, http.StatusNotFound)
	ack("off2", as["C1"].ID, `{}`, http.StatusNotFound)
	ack("off", 99999, `{}`, http.StatusNotFound)
	if w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/alerts/abc/ack", Body: `{}`, User: "admin"}); w.Code != http.StatusNotFound {
		t.Fatalf("ack abc: got %d, want 404", w.Code)
	}
	if w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/alerts/" + strconv.FormatInt(as["C1"].ID, 10) + "/ack", User: "off", ContentType: "application/x-www-form-urlencoded"}); w.Code != http.StatusUnsupportedMediaType {
		t.Fatalf("ack as a form: got %d, want 415", w.Code)
	}
	ack("off", as["C1"].ID, `{"note": "x"}`, http.StatusBadRequest)
	if n := audits(); n != 0 {
		t.Fatalf("refused acknowledgements audited: %d", n)
	}

	a := ack("off", as["C1"].ID, `{}`, http.StatusOK)
	if a.AckedBy != "off" || a.AckedAt == nil || a.Agency != "C1" {
		t.Fatalf("acked: %+v", a)
	}
	again := ack("admin", as["C1"].ID, `{}`, http.StatusOK)
	if again.AckedBy != "off" || !again.AckedAt.Equal(*a.AckedAt) {
		t.Fatalf("second ack replaced the first: %+v", again)
	}
	if n := audits(); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
	if got := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'alert.ack' AND user_name = 'off' AND detail LIKE '%task.overdue C1%'`); got != 1 {
		t.Fatal("the audit entry does not name the official and the alert")
	}
	if got := alertAgencies(t, e, "off", "?acked=true"); got != "C1" {
		t.Fatalf("acknowledged for off: %s", got)
	}
}

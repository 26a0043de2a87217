package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

// The reorganisations of the API on the standard province (P > D1 > C1,
// D2, D3, D4), whose clock stands at 2026-04-15.

const reorgCSVHeader = "kind,date,agency,parent,into,from,name,counters\n"

// reorgCall sends a request as admin (unless user is set) and fails the
// test unless it answers want.
func reorgCall(t *testing.T, e *webtest.Env, r webtest.Request, want int) *httptest.ResponseRecorder {
	t.Helper()
	if r.User == "" {
		r.User = "admin"
	}
	w := e.Do(t, r)
	if w.Code != want {
		t.Fatalf("%s %s: got %d, want %d: %s", r.Method, r.URL, w.Code, want, w.Body)
	}
	return w
}

// lineageOf reads an agency's lineage through the API.
func lineageOf(t *testing.T, e *webtest.Env, code string) survey.Lineage {
	t.Helper()
	var l survey.Lineage
	decodeInto(t, reorgCall(t, e, webtest.Request{URL: "/api/v1/agencies/" + code + "/lineage"}, 200), &l)
	return l
}

// agencyList is the API's list of every agency, as text: what a refused
// reorganisation must leave as it was.
func agencyList(t *testing.T, e *webtest.Env) string {
	t.Helper()
	return reorgCall(t, e, webtest.Request{URL: "/api/v1/agencies"}, 200).Body.String()
}

func TestAPIReorgMove(t *testing.T) {
	e := webtest.New(t)
	e.Seed(t, sqlitetest.Spec{Counter: "C1/Q1", Day: "2026-04-10", N: 6, Value: 4})
	w := reorgCall(t, e, webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/C1", Body: `{"parent":"D2","date":"2026-03-01"}`}, 200)
	var a survey.Agency
	decodeInto(t, w, &a)
	if a.Code != "C1" || a.ParentCode != "D2" || a.Name != "UBND xã Nhơn Ái" {
		t.Fatalf("got %+v, want C1 under D2", a)
	}
	l := lineageOf(t, e, "C1")
	if n := len(l.Parents); n != 2 || l.Parents[0].Parent != "D1" || l.Parents[0].To != "2026-03-01" ||
		l.Parents[1].Parent != "D2" || l.Parents[1].From != "2026-03-01" || l.Parents[1].To != "" {
		t.Fatalf("parents of C1: got %+v, want D1 until 2026-03-01, then D2", l.Parents)
	}
	// In a later period, C1 is one of D2's children; D1's no longer.
	var kids struct {
		As       string
		Children []struct{ Code string }
	}
	decodeInto(t, reorgCall(t, e, webtest.Request{URL: "/api/v1/scores/children?agency=D2&from=2026-04-01&to=2026-04-15&instrument=quick"}, 200), &kids)
	if kids.As != "dated" || len(kids.Children) != 1 || kids.Children[0].Code != "C1" {
		t.Fatalf("children of D2 in April: got %+v, want C1 (as dated)", kids)
	}
	// Also for a period starting on the move's day, whose previous period
	// had C1 under D1.
	decodeInto(t, reorgCall(t, e, webtest.Request{URL: "/api/v1/scores/children?agency=D2&from=2026-03-01&to=2026-04-15&instrument=quick"}, 200), &kids)
	if len(kids.Children) != 1 || kids.Children[0].Code != "C1" {
		t.Fatalf("children of D2 from the move on: got %+v, want C1", kids)
	}
	decodeInto(t, reorgCall(t, e, webtest.Request{URL: "/api/v1/scores/children?agency=D1&from=2026-04-01&to=2026-04-15&instrument=quick"}, 200), &kids)
	for _, k := range kids.Children {
		if k.Code == "C1" {
			t.Fatalf("children of D1 in April: got %+v, C1 had moved", kids)
		}
	}
	// Rolled up under today's tree, the answer says so.
	w = reorgCall(t, e, webtest.Request{URL: "/api/v1/scores?agency=D2&from=2026-01-01&to=2026-04-15&instrument=quick&as=current"}, 200)
	if !strings.Contains(w.Body.String(), `"as":"current"`) {
		t.Fatalf("as=current: got %.300s", w.Body)
	}
	// Without a date, a move is dated today in Vietnam.
	reorgCall(t, e, webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D4", Body: `{"parent":"D3"}`}, 200)
	if l := lineageOf(t, e, "D4"); len(l.Parents) != 2 || l.Parents[1].Parent != "D3" || l.Parents[1].From != "2026-04-15" {
		t.Fatalf("parents of D4: got %+v, want D3 from 2026-04-15", l.Parents)
	}
	// An unknown agency in the URL is 404, an unknown parent in the body
	// 400.
	reorgCall(t, e, webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/ZZ", Body: `{"parent":"D2"}`}, 404)
	reorgCall(t, e, webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D4", Body: `{"parent":"ZZ"}`}, 400)
	// A rename still works as before.
	reorgCall(t, e, webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D4", Body: `{"name":"Sở Tài chính mới"}`}, 200)
}

func TestAPIReorgMerge(t *testing.T) {
	e := webtest.New(t)
	d3, d4 := e.Token(t, "D3/Q1"), e.Token(t, "D4/Q1")
	w := reorgCall(t, e, webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge",
		Body: `{"into":"X","from":["D3","D4"],"date":"2026-04-01","name":"Phường Mới","counters":"move"}`}, 201)
	var got struct {
		Into     survey.Agency
		Lineage  survey.Lineage
		Counters []survey.CounterChange
	}
	decodeInto(t, w, &got)
	if got, want := fmt.Sprint(got.Counters), "[{D3/Q1 X/Q1 moved} {D4/Q1 X/D4-Q1 moved}]"; got != want {
		t.Fatalf("counters: got %s, want %s", got, want)
	}
	if got.Into.Code != "X" || got.Into.Name != "Phường Mới" || got.Into.ParentCode != "P" || got.Into.ClosedAt != nil {
		t.Fatalf("into: got %+v, want a new open X under P", got.Into)
	}
	var preds []string
	for _, p := range got.Lineage.Predecessors {
		preds = append(preds, p.Predecessor+"@"+p.Date)
	}
	if strings.Join(preds, ",") != "D3@2026-04-01,D4@2026-04-01" {
		t.Fatalf("predecessors of X: got %v", preds)
	}
	if loc := w.Header().Get("Location"); loc != "/api/v1/agencies/X" {
		t.Fatalf("Location %q", loc)
	}
	for _, code := range []string{"D3", "D4"} {
		var a survey.Agency
		decodeInto(t, reorgCall(t, e, webtest.Request{URL: "/api/v1/agencies/" + code}, 200), &a)
		if a.ClosedAt == nil {
			t.Fatalf("%s is still open after the merge", code)
		}
		if l := lineageOf(t, e, code); len(l.Successors) != 1 || l.Successors[0].Successor != "X" {
			t.Fatalf("successors of %s: got %+v", code, l.Successors)
		}
	}
	// The moved counters' QR codes still open the survey form.
	for _, tok := range []string{d3, d4} {
		if w := e.Do(t, webtest.Request{URL: "/s/" + tok}); w.Code != 200 {
			t.Fatalf("GET /s/{token} of a merged agency's counter: got %d: %.300s", w.Code, w.Body)
		}
	}
	// Merging into an agency that exists answers 200, without Location;
	// closed counters have no "to".
	w = reorgCall(t, e, webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"X","from":["D2"],"date":"2026-04-10"}`}, 200)
	if !strings.Contains(w.Body.String(), `"counters":[{"from":"D2/Q1","to":"X/D2-Q1","action":"moved"}]`) || w.Header().Get("Location") != "" {
		t.Fatalf("merge into X: got %s (Location %q)", w.Body, w.Header().Get("Location"))
	}
	w = reorgCall(t, e, webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"X","from":["C1"],"date":"2026-04-10","counters":"close"}`}, 200)
	if !strings.Contains(w.Body.String(), `"counters":[{"from":"C1/Q1","action":"closed"}]`) {
		t.Fatalf("merge into X, counters closed: got %s", w.Body)
	}
	// A merge of agencies without open counters lists none.
	w = reorgCall(t, e, webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"Y","from":["D1"],"date":"2026-04-12","name":"Y","counters":"close"}`}, 201)
	if !strings.Contains(w.Body.String(), `"counters":[{"from":"D1/K1","action":"closed"},{"from":"D1/Q1","action":"closed"},{"from":"D1/R1","action":"closed"}]`) {
		t.Fatalf("merge into Y: got %s", w.Body)
	}
}

func TestAPIReorgSplit(t *testing.T) {
	e := webtest.New(t)
	var l struct {
		survey.Lineage
		Counters []survey.CounterChange
	}
	decodeInto(t, reorgCall(t, e, webtest.Request{Method: "POST", URL: "/api/v1/agencies/split",
		Body: `{"from":"D2","date":"2026-04-01","into":[{"code":"D2A","name":"Phong Điền A","counters":["Q1"]},{"code":"D2B","name":"Phong Điền B","parent":"D1"}]}`}, 200), &l)
	if got, want := fmt.Sprint(l.Counters), "[{D2/Q1 D2A/Q1 moved}]"; got != want {
		t.Fatalf("counters: got %s, want %s", got, want)
	}
	var succ []string
	for _, s := range l.Successors {
		succ = append(succ, s.Successor)
	}
	if l.Agency != "D2" || strings.Join(succ, ",") != "D2A,D2B" {
		t.Fatalf("lineage of D2: got %+v, want successors D2A, D2B", l)
	}
	if w := e.Do(t, webtest.Request{URL: "/api/v1/agencies/D2A/counters/Q1", User: "admin"}); w.Code != 200 {
		t.Fatalf("D2A/Q1: got %d: %s", w.Code, w.Body)
	}
}

func TestAPIReorgCSV(t *testing.T) {
	e := webtest.New(t)
	// C1 moves out of D1, which then closes (its counters Q1, K1 and R1 with
	// it; Z1 was closed), and D3 and D4 merge, their counters moving.
	csv := reorgCSVHeader + "move,2026-04-01,C1,D2,,,,\nmerge,2026-04-01,,,X,D3;D4,Phường Mới,move\nclose,2026-04-01,D1,,,,,\n"
	w := reorgCall(t, e, webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv", Body: csv}, 200)
	if got, want := strings.TrimSpace(w.Body.String()), `{"events":3,"counters_moved":2,"counters_closed":3}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	var d1 survey.Agency
	decodeInto(t, reorgCall(t, e, webtest.Request{URL: "/api/v1/agencies/D1"}, 200), &d1)
	if d1.ClosedAt == nil || !d1.ClosedAt.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, survey.Vietnam)) {
		t.Fatalf("D1 closed at %v, want 2026-04-01 00:00 in Vietnam", d1.ClosedAt)
	}
	if l := lineageOf(t, e, "D1"); len(l.Successors) != 0 || len(l.Parents) != 1 || l.Parents[0].Parent != "P" || l.Parents[0].To != "" {
		t.Fatalf("D1's lineage: got %+v, want no successor and P as its parent still", l)
	}
	// The closed counters' QR codes no longer open the form.
	if w := e.Do(t, webtest.Request{URL: "/s/" + e.Token(t, "D1/Q1")}); w.Code == 200 {
		t.Fatalf("GET /s/{token} of a closed counter: got %d", w.Code)
	}
	// Closed by an event, not merged: it may be reopened.
	reorgCall(t, e, webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D1", Body: `{"closed":false}`}, 200)
	if got := agencyCodes(t, reorgCall(t, e, webtest.Request{URL: "/api/v1/agencies"}, 200)); !strings.Contains(got, "X") {
		t.Fatalf("agencies after the import: %s", got)
	}
	if w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/plain", Body: csv, User: "admin"}); w.Code != 415 {
		t.Fatalf("text/plain: got %d", w.Code)
	}
}

// TestAPIReorgRefused: bad input is 400 with a clear message (the line in
// an import) and changes nothing.
func TestAPIReorgRefused(t *testing.T) {
	merged := webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", User: "admin",
		Body: `{"into":"X","from":["D3","D4"],"date":"2026-04-01","name":"Phường Mới"}`}
	tests := []struct {
		name   string
		before []webtest.Request
		req    webtest.Request
		want   string
		line   int
	}{
		{name: "cycle", req: webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D1", Body: `{"parent":"C1"}`}, want: "cycle"},
		{name: "under itself", req: webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D1", Body: `{"parent":"D1"}`}, want: "its own parent"},
		{name: "unknown parent", req: webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D1", Body: `{"parent":"ZZ"}`}, want: "not found"},
		{name: "move with rename", req: webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/C1", Body: `{"parent":"D2","name":"Xã mới"}`}, want: "cannot be combined"},
		{name: "date without parent", req: webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/C1", Body: `{"date":"2026-04-01"}`}, want: "give it with parent"},
		{name: "move too far ahead", req: webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/C1", Body: `{"parent":"D2","date":"2027-06-01"}`}, want: "date: 2027-06-01 is "},
		{name: "merge too far ahead", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"X","from":["D3"],"date":"2027-06-01","name":"X"}`}, want: "date: 2027-06-01 is "},
		{name: "empty from", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"X","from":[],"date":"2026-04-01","name":"X"}`}, want: "from is empty"},
		{name: "merge unknown", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"X","from":["ZZ"],"date":"2026-04-01","name":"X"}`}, want: "not found"},
		{name: "merge new without name", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"X","from":["D3"],"date":"2026-04-01"}`}, want: "give a name"},
		{name: "merge closed", before: []webtest.Request{merged},
			req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"D2","from":["D3"],"date":"2026-04-10"}`}, want: "D3 is already closed"},
		// A predecessor stays closed (it cannot be reopened), so a merge
		// into it is refused as a merge into a closed agency.
		{name: "merge into a predecessor", before: []webtest.Request{merged},
			req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"D3","from":["X"],"date":"2026-04-10"}`}, want: "D3 is closed"},
		{name: "reopen a predecessor", before: []webtest.Request{merged},
			req: webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/D3", Body: `{"closed":false}`}, want: "cannot be reopened"},
		{name: "merge before the successor existed", before: []webtest.Request{merged},
			req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"X","from":["D2"],"date":"2026-03-01"}`}, want: "before X existed"},
		{name: "move before the current span", before: []webtest.Request{merged},
			req: webtest.Request{Method: "PATCH", URL: "/api/v1/agencies/X", Body: `{"parent":"D1","date":"2026-03-01"}`}, want: "2026-04-01"},
		{name: "split no successors", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/split", Body: `{"from":"D2","date":"2026-04-01","into":[]}`}, want: "into is empty"},
		{name: "split unknown counter", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/split",
			Body: `{"from":"D2","date":"2026-04-01","into":[{"code":"D2A","name":"A","counters":["NOPE"]}]}`}, want: "NOPE"},
		{name: "unknown key", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"X","from":["D3"],"date":"2026-04-01","nom":"X"}`}, want: "unknown field"},
		{name: "csv third event refused by the store", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv",
			Body: reorgCSVHeader + "move,2026-04-01,C1,D2,,,,\nmerge,2026-04-01,,,X,D3;D4,Phường Mới,move\nmerge,2026-04-05,,,D2,D3,,\n"}, want: "D3 is already closed", line: 4},
		{name: "csv third event malformed", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv",
			Body: reorgCSVHeader + "move,2026-04-01,C1,D2,,,,\nmerge,2026-04-01,,,X,D3;D4,Phường Mới,move\nmove,2027-06-01,D1,D2,,,,\n"}, want: "date: 2027-06-01 is ", line: 4},
		{name: "csv cycle", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv",
			Body: reorgCSVHeader + "move,2026-04-01,D2,C1,,,,\nmove,2026-04-01,D1,D2,,,,\n"}, want: "cycle", line: 3},
		{name: "csv close with an open sub-agency", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv",
			Body: reorgCSVHeader + "merge,2026-04-01,,,X,D3;D4,Phường Mới,move\nclose,2026-04-01,D1,,,,,\n"}, want: "D1 has open sub-agencies (C1)", line: 3},
		{name: "csv close twice", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv",
			Body: reorgCSVHeader + "close,2026-04-01,D2,,,,,\nclose,2026-04-02,D2,,,,,\n"}, want: "D2 is already closed", line: 3},
		{name: "csv close unknown", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv",
			Body: reorgCSVHeader + "close,2026-04-01,ZZ,,,,,\n"}, want: `agency "ZZ" not found`, line: 2},
		{name: "csv close before its parent span", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv",
			Body: reorgCSVHeader + "move,2026-04-01,D3,D2,,,,\nclose,2026-03-01,D3,,,,,\n"}, want: "2026-03-01 is a date before D3 existed under its current parent", line: 3},
		{name: "csv close in the future", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv",
			Body: reorgCSVHeader + "close,2026-04-16,D2,,,,,\n"}, want: "date: 2026-04-16 is in the future", line: 2},
		{name: "csv close with a parent", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv",
			Body: reorgCSVHeader + "close,2026-04-01,D2,P,,,,\n"}, want: "parent: a close does not use this column", line: 2},
		{name: "csv empty", req: webtest.Request{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv", Body: reorgCSVHeader}, want: "no rows", line: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := webtest.New(t)
			for _, b := range tt.before {
				reorgCall(t, e, b, map[bool]int{true: 201, false: 200}[b.URL == merged.URL])
			}
			was := agencyList(t, e)
			audits := e.Count(t, `SELECT count(*) FROM audit_log`)
			w := reorgCall(t, e, tt.req, 400)
			var got struct {
				Error string
				Line  int
			}
			decodeInto(t, w, &got)
			if !strings.Contains(got.Error, tt.want) || got.Line != tt.line {
				t.Fatalf("got %q at line %d, want %q at line %d", got.Error, got.Line, tt.want, tt.line)
			}
			if now := agencyList(t, e); now != was {
				t.Fatalf("agencies changed:\nwas %s\nnow %s", was, now)
			}
			if n := e.Count(t, `SELECT count(*) FROM audit_log`); n != audits {
				t.Fatalf("%d audit entries were written", n-audits)
			}
		})
	}
}

func TestAPIReorgAccess(t *testing.T) {
	e := webtest.New(t)
	was := agencyList(t, e)
	for _, r := range []webtest.Request{
		{Method: "PATCH", URL: "/api/v1/agencies/C1", Body: `{"parent":"D2"}`},
		{Method: "POST", URL: "/api/v1/agencies/merge", Body: `{"into":"C1","from":["D2"],"date":"2026-04-01"}`},
		{Method: "POST", URL: "/api/v1/agencies/split", Body: `{"from":"C1","date":"2026-04-01","into":[{"code":"C1A","name":"A"}]}`},
		{Method: "POST", URL: "/api/v1/agencies/reorganise", ContentType: "text/csv", Body: reorgCSVHeader + "move,2026-04-01,C1,D2,,,,\n"},
	} {
		r.User = "off" // the official of D1, above C1
		reorgCall(t, e, r, http.StatusForbidden)
	}
	if now := agencyList(t, e); now != was {
		t.Fatalf("agencies changed:\nwas %s\nnow %s", was, now)
	}
	// The lineage: whoever may see the agency.
	reorgCall(t, e, webtest.Request{URL: "/api/v1/agencies/C1/lineage", User: "off"}, 200)
	reorgCall(t, e, webtest.Request{URL: "/api/v1/agencies/D2/lineage", User: "off"}, 403)
	reorgCall(t, e, webtest.Request{URL: "/api/v1/agencies/ZZ/lineage"}, 404)
}

func TestAPIScoresAs(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "scores bogus", URL: "/api/v1/scores?agency=P&from=2026-01-01&to=2026-03-31&as=bogus", User: "admin", WantStatus: 400, WantContains: []string{`as must be \"dated\" or \"current\"`}},
		{Name: "children bogus", URL: "/api/v1/scores/children?agency=P&from=2026-01-01&to=2026-03-31&as=bogus", User: "admin", WantStatus: 400},
		{Name: "trend bogus", URL: "/api/v1/scores/trend?agency=P&from=2026-01-01&to=2026-03-31&as=bogus", User: "admin", WantStatus: 400},
		// On a tree that never changed, both modes are one roll-up, and the
		// report answers "as":"dated" whatever was asked (TestAPIReorgMove
		// checks "current" after a move).
		{Name: "scores current", URL: "/api/v1/scores?agency=P&from=2026-01-01&to=2026-03-31&as=current", User: "admin", WantStatus: 200, WantContains: []string{`"as":`}},
		{Name: "children current", URL: "/api/v1/scores/children?agency=P&from=2026-01-01&to=2026-03-31&as=current", User: "admin", WantStatus: 200, WantContains: []string{`"as":`}},
		{Name: "trend current", URL: "/api/v1/scores/trend?agency=P&from=2026-01-01&to=2026-03-31&as=current", User: "admin", WantStatus: 200},
		{Name: "scores dated", URL: "/api/v1/scores?agency=P&from=2026-01-01&to=2026-03-31&as=dated", User: "admin", WantStatus: 200, WantContains: []string{`"as":"dated"`}},
	})
}

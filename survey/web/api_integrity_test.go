package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

// integrityURL is the integrity report of D1 for April 2026, the month of
// integrityScene.
const integrityURL = "/api/v1/integrity?agency=D1&from=2026-04-01&to=2026-04-30"

// integrityScene is a day of D1 with manufactured ratings among honest
// ones, judged the real way (server with --rate-limit 5):
//
//   - history at Q1: 10 ratings on each weekday from 6 to 14 April, all 3
//     or all 4;
//   - 15 April (Wednesday) at Q1: 12 honest phones from 09:00, ten minutes
//     apart; a bot at 11:00 (honeypot); from 14:00 a burst of 20 all-5
//     ratings from one phone, 15 s apart: the rate limit flags all but the
//     first 5, the integrity scan sets those 5 aside;
//   - at K1 (the tablet, quick): one rating at 10:30, and three all-5
//     ratings from 21:00, set aside at submission (off hours);
//   - the scan of the day at 22:00.
func integrityScene(t *testing.T) *webtest.Env {
	t.Helper()
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 5}))
	var specs []sqlitetest.Spec
	for d := 6; d <= 14; d++ {
		day := time.Date(2026, 4, d, 0, 0, 0, 0, survey.Vietnam)
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		specs = append(specs, sqlitetest.Spec{Counter: "D1/Q1", Day: day.Format("2006-01-02"), N: 10, Value: uint8(3 + d%2)})
	}
	e.Seed(t, specs...)
	at := func(h, m int) time.Time { return time.Date(2026, 4, 15, h, m, 0, 0, survey.Vietnam) }
	for i := range 12 {
		e.SetNow(at(9, 0).Add(time.Duration(i) * 10 * time.Minute))
		e.Rate(t, "D1/Q1", strconv.Itoa(3+i%2), fmt.Sprintf("198.51.100.%d", 10+i), false)
	}
	e.SetNow(at(10, 30))
	e.Rate(t, "D1/K1", "3", "198.51.100.200", true)
	e.SetNow(at(11, 0))
	e.Flagged(t, "D1/Q1")
	for i := range 20 {
		e.SetNow(at(14, 0).Add(time.Duration(i) * 15 * time.Second))
		e.Rate(t, "D1/Q1", "5", "203.0.113.9", false)
	}
	for i := range 3 {
		e.SetNow(at(21, 0).Add(time.Duration(i) * 3 * time.Minute))
		e.Rate(t, "D1/K1", "5", "198.51.100.200", true)
	}
	if n := e.Count(t, `SELECT count(*) FROM responses WHERE flag = ?`, survey.FlagIntegrity); n != 3 {
		t.Fatalf("before the scan: %d ratings set aside by the integrity rule, want the 3 of the kiosk out of hours", n)
	}
	e.SetNow(at(22, 0))
	if res := e.Scan(t, "2026-04-15"); res.SetAside != 5 {
		t.Fatalf("scan: %+v; want the 5 counted ratings of the burst set aside", res)
	}
	return e
}

// integrityJSON is the answer of GET /api/v1/integrity, as far as the
// tests read it.
type integrityJSON struct {
	Agency, From, To, Instrument string
	Counters                     []struct {
		Counter, Name, Instrument string
		Counted, Accepted, Bots   int64
		SetAside                  int64            `json:"set_aside"`
		ByReason                  map[string]int64 `json:"by_reason"`
		Windows                   []struct {
			Date, From, To    string
			Reasons           []string
			Ratings, Observed int64
			Expected          float64
		}
		Index struct {
			With    estimateJSON `json:"with_set_aside"`
			Without estimateJSON
		}
		Channels struct {
			Dossier, Open struct {
				Respondents int64
				Overall     estimateJSON
			}
			Diff struct{ Significant string }
		}
	}
}

type estimateJSON struct {
	Index      *float64
	CILow      *float64 `json:"ci_low"`
	CIHigh     *float64 `json:"ci_high"`
	N          int64
	Reportable bool
}

// counter returns the index of a counter's row (code; "" for the dossier
// ratings without a counter).
func (j *integrityJSON) counter(t *testing.T, code string) int {
	t.Helper()
	for i, c := range j.Counters {
		if c.Counter == code {
			return i
		}
	}
	t.Fatalf("no counter %q in the report", code)
	return -1
}

func getIntegrity(t *testing.T, e *webtest.Env, url, user string) (*integrityJSON, string) {
	t.Helper()
	w := e.Do(t, webtest.Request{URL: url, User: user})
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s as %s: got %d: %s", url, user, w.Code, w.Body)
	}
	var out integrityJSON
	decodeInto(t, w, &out)
	return &out, w.Body.String()
}

// clockRE finds times of day (HH:MM) and timestampRE date-times in an
// answer.
var (
	clockRE     = regexp.MustCompile(`\b([0-2]\d):([0-5]\d)\b`)
	timestampRE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}`)
)

// checkNoIdentity fails when body tells anything finer than the windows:
// a client field or hash, a submission time, a date-time, a time of day
// that is not a multiple of ten minutes.
func checkNoIdentity(t *testing.T, e *webtest.Env, body string) {
	t.Helper()
	for _, bad := range []string{`"client"`, "submitted_at", "submission_id", "hash"} {
		if strings.Contains(body, bad) {
			t.Errorf("the answer holds %q", bad)
		}
	}
	if m := timestampRE.FindString(body); m != "" {
		t.Errorf("the answer holds a date-time %q", m)
	}
	for _, m := range clockRE.FindAllStringSubmatch(body, -1) {
		if mm, _ := strconv.Atoi(m[2]); mm%10 != 0 {
			t.Errorf("the answer holds a time of day %s finer than ten minutes", m[0])
		}
	}
	rows, err := e.RO.Query(`SELECT DISTINCT client FROM responses WHERE client IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		seen++
		if strings.Contains(body, strconv.FormatInt(c, 10)) {
			t.Errorf("the answer holds the client hash %d", c)
		}
	}
	if seen == 0 {
		t.Errorf("no client hash stored: the check above checked nothing")
	}
}

func TestIntegrityReport(t *testing.T) {
	e := integrityScene(t)
	r, body := getIntegrity(t, e, integrityURL, "off")
	if r.Agency != "D1" || r.From != "2026-04-01" || r.To != "2026-04-30" || r.Instrument != "" {
		t.Fatalf("head: %+v", r)
	}
	checkNoIdentity(t, e, body)
	for _, c := range r.Counters {
		if c.Counter == "" || c.Counter == "Z1" {
			t.Errorf("counter %q listed: no dossier ratings without a counter, and Z1 is closed without ratings", c.Counter)
		}
		for _, k := range []string{"burst", "device", "repetition", "off_hours", "multi", "rate_limited"} {
			if _, ok := c.ByReason[k]; !ok {
				t.Errorf("%s: by_reason has no %q: %v", c.Counter, k, c.ByReason)
			}
		}
	}

	q := r.Counters[r.counter(t, "Q1")]
	// 70 seeded and 12 honest phones counted; the burst's 20 set aside:
	// 15 by the rate limit at submission, 5 by the scan; the bot apart.
	if q.Counted != 82 || q.SetAside != 20 || q.Bots != 1 || q.Accepted != 0 {
		t.Fatalf("Q1: counted %d, set aside %d, bots %d, accepted %d; want 82, 20, 1, 0", q.Counted, q.SetAside, q.Bots, q.Accepted)
	}
	if q.ByReason["rate_limited"] != 15 || q.ByReason["burst"] != 5 || q.ByReason["device"] != 5 || q.ByReason["off_hours"] != 0 {
		t.Fatalf("Q1 by reason: %v", q.ByReason)
	}
	if want := e.Count(t, `SELECT count(*) FROM responses r JOIN counters c ON c.id = r.counter_id WHERE c.code = 'Q1' AND r.agency_id = ? AND r.flag IN ('integrity', 'rate_limited')`,
		e.Agency(t, "D1").ID); int64(want) != q.SetAside {
		t.Fatalf("Q1 set aside: report %d, database %d", q.SetAside, want)
	}
	if len(q.Windows) != 1 {
		t.Fatalf("Q1 windows: %+v", q.Windows)
	}
	w := q.Windows[0]
	if w.Date != "2026-04-15" || w.From != "14:00" || w.To < "14:10" || w.Ratings != 20 || w.Observed < 20 || w.Expected >= 1 ||
		!strings.Contains(strings.Join(w.Reasons, ","), "burst") || !strings.Contains(strings.Join(w.Reasons, ","), "device") {
		t.Fatalf("Q1 window: %+v", w)
	}
	with, without := q.Index.With, q.Index.Without
	if !with.Reportable || !without.Reportable || with.N != 102 || without.N != 82 || *with.Index <= *without.Index {
		t.Fatalf("Q1 index: with %+v, without %+v; want n 102 and 82, the burst of 5s raising it", with, without)
	}
	if q.Channels.Open.Respondents != 82 || q.Channels.Dossier.Respondents != 0 || q.Channels.Diff.Significant != "" {
		t.Fatalf("Q1 channels: %+v", q.Channels)
	}

	k := r.Counters[r.counter(t, "K1")]
	if k.Instrument != "quick" || k.Counted != 1 || k.SetAside != 3 || k.ByReason["off_hours"] != 3 {
		t.Fatalf("K1: %+v", k)
	}
	if len(k.Windows) != 1 || k.Windows[0].From != "21:00" || k.Windows[0].To != "21:10" || strings.Join(k.Windows[0].Reasons, ",") != "off_hours" || k.Windows[0].Ratings != 3 {
		t.Fatalf("K1 windows: %+v", k.Windows)
	}
	if k.Index.Without.Reportable || k.Index.Without.N != 1 || k.Index.With.N != 4 {
		t.Fatalf("K1 index: %+v", k.Index)
	}
	if r := r.Counters[r.counter(t, "R1")]; r.Counted != 0 || r.SetAside != 0 || len(r.Windows) != 0 || r.Index.Without.N != 0 {
		t.Fatalf("R1, no ratings: %+v", r)
	}

	// One instrument only.
	qk, _ := getIntegrity(t, e, integrityURL+"&instrument=quick", "admin")
	if qk.Instrument != "quick" || len(qk.Counters) != 1 || qk.Counters[0].Counter != "K1" {
		t.Fatalf("instrument=quick: %+v", qk)
	}

	// An admin accepts one rating of the burst back: it is counted again,
	// in the index and out of the window's count.
	id := e.Count(t, `SELECT min(id) FROM responses WHERE flag = ?`, survey.FlagRateLimited)
	if a := e.Do(t, webtest.Request{Method: "POST", URL: fmt.Sprintf("/api/v1/flagged/%d/accept", id), Body: `{}`, User: "admin"}); a.Code != http.StatusOK {
		t.Fatalf("accept: %d %s", a.Code, a.Body)
	}
	r2, _ := getIntegrity(t, e, integrityURL, "admin")
	q2 := r2.Counters[r2.counter(t, "Q1")]
	if q2.Counted != 83 || q2.SetAside != 19 || q2.Accepted != 1 || q2.ByReason["rate_limited"] != 14 || q2.Windows[0].Ratings != 19 || q2.Index.Without.N != 83 {
		t.Fatalf("Q1 after an accept: %+v", q2)
	}
}

func TestIntegrityReportRefused(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "no credentials", URL: integrityURL, WantStatus: 401},
		{Name: "official of a sibling agency", URL: integrityURL, User: "off2", WantStatus: 403},
		{Name: "official on a sibling agency", URL: "/api/v1/integrity?agency=D2&from=2026-04-01&to=2026-04-30", User: "off", WantStatus: 403},
		{Name: "official on the parent", URL: "/api/v1/integrity?agency=P&from=2026-04-01&to=2026-04-30", User: "off", WantStatus: 403},
		{Name: "integration account", URL: integrityURL, User: "integ", WantStatus: 403},
		{Name: "unknown agency", URL: "/api/v1/integrity?agency=ZZ&from=2026-04-01&to=2026-04-30", User: "admin", WantStatus: 404},
		{Name: "no agency", URL: "/api/v1/integrity?from=2026-04-01&to=2026-04-30", User: "admin", WantStatus: 400, WantContains: []string{"agency is required"}},
		{Name: "bad date", URL: "/api/v1/integrity?agency=D1&from=2026-02-30&to=2026-04-30", User: "off", WantStatus: 400},
		{Name: "from after to", URL: "/api/v1/integrity?agency=D1&from=2026-05-01&to=2026-04-30", User: "off", WantStatus: 400},
		{Name: "unknown instrument", URL: integrityURL + "&instrument=nope", User: "off", WantStatus: 400, WantContains: []string{"nope"}},
		{Name: "official beneath", URL: "/api/v1/integrity?agency=C1&from=2026-04-01&to=2026-04-30", User: "off", WantStatus: 200,
			WantContains: []string{`"agency":"C1"`, `"counter":"Q1"`}},
	})
}

// TestAgencyHoursAPI sets, reads, inherits and refuses opening hours; bad
// hours answer 400 and change nothing.
func TestAgencyHoursAPI(t *testing.T) {
	e := webtest.New(t)
	put := func(code, body, user string) (int, string) {
		t.Helper()
		w := e.Do(t, webtest.Request{Method: "PUT", URL: "/api/v1/agencies/" + code + "/hours", Body: body, User: user})
		return w.Code, strings.TrimSpace(w.Body.String())
	}
	get := func(code string) string {
		t.Helper()
		w := e.Do(t, webtest.Request{URL: "/api/v1/agencies/" + code + "/hours", User: "off"})
		if w.Code != http.StatusOK {
			t.Fatalf("GET hours of %s: %d %s", code, w.Code, w.Body)
		}
		return strings.TrimSpace(w.Body.String())
	}
	def := `{"agency":"D1","hours":{"fri":["07:00-11:30","13:30-17:00"],"mon":["07:00-11:30","13:30-17:00"],"sat":[],"sun":[],` +
		`"thu":["07:00-11:30","13:30-17:00"],"tue":["07:00-11:30","13:30-17:00"],"wed":["07:00-11:30","13:30-17:00"]},"set_on":""}`
	if got := get("D1"); got != def {
		t.Fatalf("default hours:\ngot  %s\nwant %s", got, def)
	}
	code, body := put("D1", `{"hours":{"mon":["13:30-17:00","07:00-11:30"],"sat":["07:30-11:00"]}}`, "admin")
	own := `{"agency":"D1","hours":{"fri":[],"mon":["07:00-11:30","13:30-17:00"],"sat":["07:30-11:00"],"sun":[],"thu":[],"tue":[],"wed":[]},"set_on":"D1"}`
	if code != http.StatusOK || body != own {
		t.Fatalf("set hours: %d\ngot  %s\nwant %s", code, body, own)
	}
	if got := get("C1"); !strings.Contains(got, `"set_on":"D1"`) || !strings.Contains(got, `"sat":["07:30-11:00"]`) {
		t.Fatalf("C1 inherits D1's hours: %s", got)
	}
	audits := e.Count(t, `SELECT count(*) FROM audit_log`)
	for _, c := range []struct{ name, body, want string }{
		{"overlapping spans", `{"hours":{"mon":["07:00-11:30","11:00-12:00"]}}`, "overlaps"},
		{"empty span", `{"hours":{"mon":["07:00-07:00"]}}`, "empty"},
		{"span ending before it starts", `{"hours":{"tue":["17:00-07:00"]}}`, "ends before"},
		{"malformed span", `{"hours":{"mon":["7-11"]}}`, "HH:MM-HH:MM"},
		{"no open day", `{"hours":{"mon":[],"sun":[]}}`, "no day is open"},
		{"no day at all", `{"hours":{}}`, "no day is open"},
		{"unknown day", `{"hours":{"funday":["07:00-11:00"]}}`, "unknown day"},
		{"a day twice", `{"hours":{"mon":["07:00-11:00"],"mon":["13:00-17:00"]}}`, "duplicate key"},
		{"unknown field", `{"hours":{"mon":["07:00-11:00"]},"closed":true}`, "unknown field"},
		{"both", `{"hours":{"mon":["07:00-11:00"]},"inherit":true}`, "not both"},
		{"neither", `{}`, "inherit"},
		{"not an object", `{"hours":["07:00-11:00"]}`, "wrong type"},
	} {
		code, body := put("D1", c.body, "admin")
		if code != http.StatusBadRequest || !strings.Contains(body, `"error":`) || !strings.Contains(body, c.want) {
			t.Errorf("%s: got %d %s, want 400 saying %q", c.name, code, body, c.want)
		}
	}
	if got := get("D1"); got != own {
		t.Fatalf("after bad input the hours changed:\ngot  %s\nwant %s", got, own)
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log`); n != audits {
		t.Fatalf("bad input wrote %d audit entries", n-audits)
	}
	if code, _ := put("D1", `{"hours":{"mon":["08:00-09:00"]}}`, "off"); code != http.StatusForbidden {
		t.Fatalf("an official sets hours: got %d, want 403", code)
	}
	if code, _ := put("ZZ", `{"inherit":true}`, "admin"); code != http.StatusNotFound {
		t.Fatalf("unknown agency: got %d, want 404", code)
	}
	if code, body := put("D1", `{"inherit":true}`, "admin"); code != http.StatusOK || body != def {
		t.Fatalf("inherit: %d %s", code, body)
	}
	// Hours set on D1 are what its kiosk is judged by: a Saturday
	// morning rating on the tablet counts, as the hours say it is open.
	put("D1", `{"hours":{"sat":["07:30-11:00"]}}`, "admin")
	e.SetNow(time.Date(2026, 4, 18, 9, 0, 0, 0, survey.Vietnam))
	e.Rate(t, "D1/K1", "4", "198.51.100.200", true)
	if r := e.LastResponse(t); r.Flag != "" || r.Channel != survey.ChannelKiosk {
		t.Fatalf("kiosk rating on an open Saturday: flag %q channel %q, want counted on the kiosk", r.Flag, r.Channel)
	}
}

// TestHolidaysAPI sets and reads the public holidays; a date that does not
// parse or is listed twice answers 400 and changes nothing.
func TestHolidaysAPI(t *testing.T) {
	e := webtest.New(t)
	put := func(body, user string) (int, string) {
		t.Helper()
		w := e.Do(t, webtest.Request{Method: "PUT", URL: "/api/v1/holidays", Body: body, User: user})
		return w.Code, strings.TrimSpace(w.Body.String())
	}
	get := func(user string) string {
		t.Helper()
		w := e.Do(t, webtest.Request{URL: "/api/v1/holidays", User: user})
		if w.Code != http.StatusOK {
			t.Fatalf("GET holidays as %s: %d %s", user, w.Code, w.Body)
		}
		return strings.TrimSpace(w.Body.String())
	}
	if got := get("off"); got != `{"holidays":[]}` {
		t.Fatalf("no holidays: %s", got)
	}
	set := `{"holidays":[{"date":"2026-09-02","name":"Quốc khánh"},{"date":"2026-04-30","name":" Ngày Giải phóng miền Nam "}]}`
	want := `{"holidays":[{"date":"2026-04-30","name":"Ngày Giải phóng miền Nam"},{"date":"2026-09-02","name":"Quốc khánh"}]}`
	if code, body := put(set, "admin"); code != http.StatusOK || body != want {
		t.Fatalf("set holidays: %d\ngot  %s\nwant %s", code, body, want)
	}
	audits := e.Count(t, `SELECT count(*) FROM audit_log`)
	for _, c := range []struct{ name, body, want string }{
		{"no such date", `{"holidays":[{"date":"2026-02-30","name":"x"}]}`, "is not a date"},
		{"not padded", `{"holidays":[{"date":"2026-9-2","name":"x"}]}`, "is not a date"},
		{"not a date", `{"holidays":[{"date":"Tết","name":"x"}]}`, "is not a date"},
		{"listed twice", `{"holidays":[{"date":"2026-09-02","name":"a"},{"date":"2026-09-02","name":"b"}]}`, "listed twice"},
		{"unknown field", `{"holidays":[{"date":"2026-09-02","nam":"x"}]}`, "unknown field"},
		{"no list", `{}`, "holidays"},
		{"not a list", `{"holidays":{"date":"2026-09-02"}}`, "wrong type"},
	} {
		code, body := put(c.body, "admin")
		if code != http.StatusBadRequest || !strings.Contains(body, `"error":`) || !strings.Contains(body, c.want) {
			t.Errorf("%s: got %d %s, want 400 saying %q", c.name, code, body, c.want)
		}
	}
	if got := get("admin"); got != want {
		t.Fatalf("after bad input the holidays changed: %s", got)
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log`); n != audits {
		t.Fatalf("bad input wrote %d audit entries", n-audits)
	}
	if code, _ := put(`{"holidays":[]}`, "off"); code != http.StatusForbidden {
		t.Fatalf("an official sets holidays: got %d, want 403", code)
	}
	if w := e.Do(t, webtest.Request{URL: "/api/v1/holidays"}); w.Code != http.StatusUnauthorized {
		t.Fatalf("no credentials: got %d, want 401", w.Code)
	}
	// A kiosk rating on a holiday is out of hours, whatever the weekday.
	e.SetNow(time.Date(2026, 4, 30, 9, 0, 0, 0, survey.Vietnam))
	e.Rate(t, "D1/K1", "5", "198.51.100.200", true)
	if r := e.LastResponse(t); r.Flag != survey.FlagIntegrity {
		t.Fatalf("kiosk rating on a holiday: flag %q, want %q", r.Flag, survey.FlagIntegrity)
	}
	if code, body := put(`{"holidays":[]}`, "admin"); code != http.StatusOK || body != `{"holidays":[]}` {
		t.Fatalf("clear holidays: %d %s", code, body)
	}
}

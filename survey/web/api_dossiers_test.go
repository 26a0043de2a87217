package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

// dossierAnswer is the JSON of a dossier registration.
type dossierAnswer struct {
	Code          string  `json:"code"`
	Agency        string  `json:"agency"`
	Counter       *string `json:"counter"`
	Procedure     string  `json:"procedure"`
	ProcedureName string  `json:"procedure_name"`
	ReceivedAt    string  `json:"received_at"`
	DueAt         *string `json:"due_at"`
	ReturnedAt    *string `json:"returned_at"`
	Timeliness    *string `json:"timeliness"`
	Rated         bool    `json:"rated"`
	Created       bool    `json:"created"`
	RatingURL     string  `json:"rating_url"`
	QRPNGURL      string  `json:"qr_png_url"`
	QRSVGURL      string  `json:"qr_svg_url"`
	SlipURL       string  `json:"slip_url"`
}

const dossierH13 = `{"code": "H13.22-261102-0017", "agency": "D1", "counter": "Q1", "procedure": "1.004227",
	"procedure_name": "Cấp bản sao trích lục hộ tịch", "received_at": "2026-04-02T08:15:00+07:00",
	"due_at": "2026-04-09T17:00:00+07:00", "returned_at": null}`

// dossierRows is how many dossiers are stored.
func dossierRows(t *testing.T, e *webtest.Env) int {
	t.Helper()
	return e.Count(t, `SELECT count(*) FROM dossiers`)
}

// wantDossiers checks how many dossiers are stored.
func wantDossiers(n int) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
	return func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
		t.Helper()
		if got := dossierRows(t, e); got != n {
			t.Fatalf("got %d stored dossiers, want %d", got, n)
		}
	}
}

// wantVolumes checks how many monthly volumes are stored.
func wantVolumes(n int) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
	return func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
		t.Helper()
		if got := e.Count(t, `SELECT count(*) FROM volumes`); got != n {
			t.Fatalf("got %d stored volumes, want %d", got, n)
		}
	}
}

// wantLine checks the CSV line of an import's JSON error.
func wantLine(line int, also func(*testing.T, *webtest.Env, *httptest.ResponseRecorder)) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
	return func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
		t.Helper()
		var ae struct {
			Line int `json:"line"`
		}
		decodeInto(t, w, &ae)
		if ae.Line != line {
			t.Fatalf("error names line %d, want %d: %s", ae.Line, line, w.Body)
		}
		also(t, e, w)
	}
}

// register registers a dossier through the API as user and decodes the
// answer, which must have status want.
func register(t *testing.T, e *webtest.Env, user, body string, want int) dossierAnswer {
	t.Helper()
	w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/dossiers", Body: body, User: user})
	if w.Code != want {
		t.Fatalf("register: got %d, want %d: %s", w.Code, want, w.Body)
	}
	var d dossierAnswer
	decodeInto(t, w, &d)
	return d
}

func TestDossierRegisterAndUpdate(t *testing.T) {
	e := webtest.New(t)
	first := register(t, e, "integ", dossierH13, http.StatusCreated)
	if !first.Created || first.Code != "H13.22-261102-0017" || first.Agency != "D1" || first.Counter == nil || *first.Counter != "Q1" ||
		first.Procedure != "1.004227" || first.ProcedureName != "Cấp bản sao trích lục hộ tịch" || first.Rated ||
		first.ReceivedAt != "2026-04-02T08:15:00+07:00" || first.DueAt == nil || *first.DueAt != "2026-04-09T17:00:00+07:00" || first.ReturnedAt != nil {
		t.Fatalf("got %+v", first)
	}
	// Now (2026-04-15) is past due, and it is not returned.
	if first.Timeliness == nil || *first.Timeliness != survey.Late {
		t.Fatalf("timeliness %v, want late", first.Timeliness)
	}
	// The rating URL's token names the dossier, signed; the other URLs hang
	// off it.
	base := webtest.BaseURL + "/s/"
	if !strings.HasPrefix(first.RatingURL, base) {
		t.Fatalf("rating_url %q, want it under %s", first.RatingURL, base)
	}
	id, err := e.Signer.VerifyDossier(strings.TrimPrefix(first.RatingURL, base))
	if err != nil {
		t.Fatalf("rating_url token: %v", err)
	}
	d, err := e.DB.FindDossier(t.Context(), e.Signer.DossierHash("H13.22-261102-0017"))
	if err != nil || d.ID != id {
		t.Fatalf("the token names dossier %d; the code's is %+v (%v)", id, d, err)
	}
	for got, want := range map[string]string{first.QRPNGURL: first.RatingURL + "/qr.png", first.QRSVGURL: first.RatingURL + "/qr.svg", first.SlipURL: first.RatingURL + "/slip"} {
		if got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	for _, u := range []string{first.RatingURL, first.QRPNGURL, first.QRSVGURL, first.SlipURL} {
		if w := e.Do(t, webtest.Request{URL: strings.TrimPrefix(u, webtest.BaseURL)}); w.Code != http.StatusOK {
			t.Fatalf("GET %s: got %d", u, w.Code)
		}
	}

	// The same code again: 200, the same URLs, the dates updated, the
	// counter and procedure kept when not named.
	again := register(t, e, "integ", `{"code": "H13.22-261102-0017", "agency": "D1", "received_at": "2026-04-02T08:15:00+07:00",
		"due_at": "2026-04-20T17:00:00+07:00", "returned_at": "2026-04-14T09:00:00+07:00"}`, http.StatusOK)
	if again.Created || again.RatingURL != first.RatingURL || again.SlipURL != first.SlipURL || again.Counter == nil || *again.Counter != "Q1" ||
		again.Procedure != "1.004227" || *again.DueAt != "2026-04-20T17:00:00+07:00" || *again.ReturnedAt != "2026-04-14T09:00:00+07:00" ||
		*again.Timeliness != survey.OnTime {
		t.Fatalf("re-registration: got %+v", again)
	}
	if n := dossierRows(t, e); n != 1 {
		t.Fatalf("got %d dossiers, want 1", n)
	}

	// PATCH sets the return date (and the due date).
	w := e.Do(t, webtest.Request{Method: "PATCH", URL: "/api/v1/dossiers/H13.22-261102-0017", User: "integ",
		Body: `{"returned_at": "2026-04-21T08:00:00+07:00"}`})
	if w.Code != http.StatusOK {
		t.Fatalf("patch: got %d: %s", w.Code, w.Body)
	}
	var p dossierAnswer
	decodeInto(t, w, &p)
	if *p.ReturnedAt != "2026-04-21T08:00:00+07:00" || *p.DueAt != "2026-04-20T17:00:00+07:00" || *p.Timeliness != survey.Late || p.RatingURL != first.RatingURL {
		t.Fatalf("patch: got %+v", p)
	}
	w = e.Do(t, webtest.Request{Method: "PATCH", URL: "/api/v1/dossiers/H13.22-261102-0017", User: "admin", Body: `{"due_at": "2026-04-22T17:00:00+07:00"}`})
	if decodeInto(t, w, &p); w.Code != http.StatusOK || *p.Timeliness != survey.OnTime {
		t.Fatalf("patch due_at: got %d %s", w.Code, w.Body)
	}
}

// A code may hold '/': the PATCH path takes it as it is or escaped.
func TestDossierCodeWithSlash(t *testing.T) {
	e := webtest.New(t)
	const code = "000.00.22.H13/2026/0017"
	register(t, e, "integ", `{"code": "`+code+`", "agency": "C1", "received_at": "2026-04-02T08:15:00+07:00"}`, http.StatusCreated)
	for _, path := range []string{"/api/v1/dossiers/" + code, "/api/v1/dossiers/" + url.PathEscape(code), "/api/v1/dossiers/000.00.22.H13%2F2026%2F0017"} {
		w := e.Do(t, webtest.Request{Method: "PATCH", URL: path, User: "integ", Body: `{"returned_at": "2026-04-03T08:00:00+07:00"}`})
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"code":"`+code+`"`) {
			t.Fatalf("PATCH %s: got %d %s", path, w.Code, w.Body)
		}
	}
}

func TestDossierBadInput(t *testing.T) {
	reg := func(fields string) string {
		return `{"code": "H13.22-261102-0017", ` + fields + `}`
	}
	const recv = `"received_at": "2026-04-02T08:15:00+07:00"`
	long := strings.Repeat("X", 65)
	first := webtest.Request{Method: "POST", URL: "/api/v1/dossiers", User: "integ", Body: dossierH13}
	d2 := webtest.Request{Method: "POST", URL: "/api/v1/dossiers", User: "admin", Body: `{"code": "D2-0001", "agency": "D2", ` + recv + `}`}
	patch := func(name, path, body, user string, want int, msg string) webtest.Scenario {
		return webtest.Scenario{Name: name, Method: "PATCH", URL: path, Body: body, User: user, Before: []webtest.Request{first, d2},
			WantStatus: want, WantContains: []string{msg}, Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				wantDossiers(2)(t, e, nil)
				if n := e.Count(t, `SELECT count(*) FROM dossiers WHERE returned_at IS NOT NULL OR due_at > ?`, time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC).UnixMilli()); n != 0 {
					t.Fatalf("a refused PATCH changed %d dossiers", n)
				}
			}}
	}
	scenarios := []webtest.Scenario{
		{Name: "unknown agency", Body: reg(`"agency": "ZZ", ` + recv), User: "admin", WantStatus: 404, WantContains: []string{`agency \"ZZ\" not found`}},
		{Name: "unknown agency for integration", Body: reg(`"agency": "ZZ", ` + recv), WantStatus: 404, WantContains: []string{"ZZ"}},
		{Name: "unknown counter", Body: reg(`"agency": "D1", "counter": "Q9", ` + recv), WantStatus: 404, WantContains: []string{`counter \"Q9\" of agency \"D1\" not found`}},
		{Name: "counter of another agency", Body: reg(`"agency": "C1", "counter": "K1", ` + recv), WantStatus: 404, WantContains: []string{`counter \"K1\"`}},
		{Name: "closed counter", Body: reg(`"agency": "D1", "counter": "Z1", ` + recv), WantStatus: 410, WantContains: []string{"closed"}},
		{Name: "closed agency", Body: reg(`"agency": "C1", ` + recv), WantStatus: 410, WantContains: []string{"closed"},
			Before: []webtest.Request{{Method: "PATCH", URL: "/api/v1/agencies/C1", User: "admin", Body: `{"closed": true}`}}},
		{Name: "agency outside the subtree", Body: reg(`"agency": "D2", ` + recv), WantStatus: 403, WantContains: []string{`agency \"D2\" is not in this account's agencies`}},
		{Name: "the parent is outside the subtree", Body: reg(`"agency": "P", ` + recv), WantStatus: 403},
		{Name: "official", Body: dossierH13, User: "off", WantStatus: 403, WantContains: []string{"integration or admin"}},
		{Name: "no credentials", Body: dossierH13, User: "-", WantStatus: 401},
		{Name: "unparsable received_at", Body: reg(`"agency": "D1", "received_at": "02/04/2026 08:15"`), WantStatus: 400, WantContains: []string{"received_at", "is not a date"}},
		{Name: "date without offset", Body: reg(`"agency": "D1", "received_at": "2026-04-02T08:15:00"`), WantStatus: 400, WantContains: []string{"received_at"}},
		{Name: "unparsable due_at", Body: reg(`"agency": "D1", "due_at": "soon", ` + recv), WantStatus: 400, WantContains: []string{"due_at"}},
		{Name: "returned before received", Body: reg(`"agency": "D1", "returned_at": "2026-04-01T08:00:00+07:00", ` + recv), WantStatus: 400, WantContains: []string{"returned_at is before received_at"}},
		{Name: "due before received", Body: reg(`"agency": "D1", "due_at": "2026-04-01T08:00:00+07:00", ` + recv), WantStatus: 400, WantContains: []string{"due_at is before received_at"}},
		{Name: "received_at missing", Body: reg(`"agency": "D1"`), WantStatus: 400, WantContains: []string{"received_at is required"}},
		{Name: "code too long", Body: `{"code": "` + long + `", "agency": "D1", ` + recv + `}`, WantStatus: 400, WantContains: []string{"longer than 64"}},
		{Name: "code with control characters", Body: `{"code": "H13\u0007-0017", "agency": "D1", ` + recv + `}`, WantStatus: 400, WantContains: []string{"control characters"}},
		{Name: "code with a newline", Body: `{"code": "H13\n0017", "agency": "D1", ` + recv + `}`, WantStatus: 400, WantContains: []string{"control characters"}},
		{Name: "code missing", Body: `{"agency": "D1", ` + recv + `}`, WantStatus: 400, WantContains: []string{"code is required"}},
		{Name: "unknown field", Body: reg(`"agency": "D1", "citizen": "Nguyễn Văn A", ` + recv), WantStatus: 400, WantContains: []string{"unknown field"}},
		{Name: "wrong content type", Body: dossierH13, ContentType: "text/plain", WantStatus: 415},
		{Name: "code registered for another agency", Body: reg(`"agency": "D1", ` + recv), User: "admin", WantStatus: 409,
			Before: []webtest.Request{{Method: "POST", URL: "/api/v1/dossiers", User: "admin", Body: reg(`"agency": "D2", ` + recv)}},
			Check:  wantDossiers(1)},
	}
	for i := range scenarios {
		s := &scenarios[i]
		s.Method, s.URL = "POST", "/api/v1/dossiers"
		switch s.User {
		case "":
			s.User = "integ"
		case "-":
			s.User = ""
		}
		if s.Check == nil {
			s.Check = wantDossiers(0)
		}
	}
	scenarios = append(scenarios,
		patch("patch unknown code", "/api/v1/dossiers/H13-NOPE", `{"returned_at": "2026-04-03T08:00:00+07:00"}`, "integ", 404, "dossier not found"),
		patch("patch outside the subtree", "/api/v1/dossiers/D2-0001", `{"returned_at": "2026-04-03T08:00:00+07:00"}`, "integ", 403, "D2"),
		patch("patch by an official", "/api/v1/dossiers/H13.22-261102-0017", `{"returned_at": "2026-04-03T08:00:00+07:00"}`, "off", 403, "integration or admin"),
		patch("patch unparsable date", "/api/v1/dossiers/H13.22-261102-0017", `{"returned_at": "yesterday"}`, "integ", 400, "returned_at"),
		patch("patch returned before received", "/api/v1/dossiers/H13.22-261102-0017", `{"returned_at": "2026-04-01T08:00:00+07:00"}`, "integ", 400, "returned_at is before received_at"),
		patch("patch nothing", "/api/v1/dossiers/H13.22-261102-0017", `{}`, "integ", 400, "give returned_at or due_at"),
		patch("patch code too long", "/api/v1/dossiers/"+long, `{"returned_at": "2026-04-03T08:00:00+07:00"}`, "integ", 400, "longer than 64"),
		patch("patch unknown field", "/api/v1/dossiers/H13.22-261102-0017", `{"received_at": "2026-04-03T08:00:00+07:00"}`, "integ", 400, "unknown field"),
	)
	webtest.Run(t, scenarios)
}

func TestDossierImport(t *testing.T) {
	const head = "code,agency,counter,procedure,procedure_name,received_at,due_at,returned_at\n"
	good := head +
		"H13-0001,D1,Q1,1.004227,Cấp bản sao trích lục hộ tịch,2026-04-01T08:00:00+07:00,2026-04-08T17:00:00+07:00,\n" +
		"H13-0002,C1,,,,2026-04-02T08:00:00+07:00,,2026-04-03T08:00:00+07:00\n"
	imp := func(name, user, body string, want int, contains []string, check func(*testing.T, *webtest.Env, *httptest.ResponseRecorder)) webtest.Scenario {
		return webtest.Scenario{Name: name, Method: "POST", URL: "/api/v1/dossiers/import", ContentType: "text/csv", User: user, Body: body,
			WantStatus: want, WantContains: contains, Check: check}
	}
	webtest.Run(t, []webtest.Scenario{
		imp("imports every row", "integ", good, 201, []string{`"imported":2`, `"created":2`, `"updated":0`}, func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
			wantDossiers(2)(t, e, nil)
			d, err := e.DB.FindDossier(t.Context(), e.Signer.DossierHash("H13-0001"))
			if err != nil || d.AgencyCode != "D1" || d.CounterCode != "Q1" || d.DueAt == nil || d.ReturnedAt != nil {
				t.Fatalf("got %+v (%v)", d, err)
			}
			// Imported again: the same dossiers, updated.
			w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/dossiers/import", ContentType: "text/csv", User: "admin", Body: good})
			if w.Code != 200 || !strings.Contains(w.Body.String(), `"created":0,"updated":2`) {
				t.Fatalf("again: got %d %s", w.Code, w.Body)
			}
			wantDossiers(2)(t, e, nil)
		}),
		imp("a bad date on line 4 stores nothing", "integ", good+"H13-0003,D1,,,,2026-04-31T08:00:00+07:00,,\n", 400,
			[]string{"received_at"}, wantLine(4, wantDossiers(0))),
		imp("returned before received", "integ", good+"H13-0003,D1,,,,2026-04-02T08:00:00+07:00,,2026-04-01T08:00:00+07:00\n", 400,
			[]string{"returned_at is before received_at"}, wantLine(4, wantDossiers(0))),
		imp("an agency outside the subtree", "integ", good+"H13-0003,D2,,,,2026-04-02T08:00:00+07:00,,\n", 403,
			[]string{"D2"}, wantLine(4, wantDossiers(0))),
		imp("an unknown agency", "integ", head+"H13-0003,ZZ,,,,2026-04-02T08:00:00+07:00,,\n"+good[len(head):], 400,
			[]string{"ZZ"}, wantLine(2, wantDossiers(0))),
		imp("an unknown agency (admin)", "admin", good+"H13-0003,ZZ,,,,2026-04-02T08:00:00+07:00,,\n", 400,
			[]string{"ZZ"}, wantLine(4, wantDossiers(0))),
		imp("a counter of another agency", "integ", good+"H13-0003,C1,K1,,,2026-04-02T08:00:00+07:00,,\n", 400,
			[]string{"K1"}, wantLine(4, wantDossiers(0))),
		imp("a code too long", "integ", good+strings.Repeat("X", 65)+",D1,,,,2026-04-02T08:00:00+07:00,,\n", 400,
			[]string{"longer than 64"}, wantLine(4, wantDossiers(0))),
		imp("a code twice", "integ", good+"H13-0001,D1,,,,2026-04-02T08:00:00+07:00,,\n", 400,
			[]string{"already on line 2"}, wantLine(4, wantDossiers(0))),
		imp("a missing column", "integ", "code,agency\nH13-0001,D1\n", 400, []string{"received_at"}, wantDossiers(0)),
		imp("an official", "off", good, 403, nil, wantDossiers(0)),
		{Name: "JSON is not CSV", Method: "POST", URL: "/api/v1/dossiers/import", User: "integ", Body: `{}`, WantStatus: 415, Check: wantDossiers(0)},
	})
}

func TestVolumeImport(t *testing.T) {
	const head = "agency,month,dossiers\n"
	imp := func(name, user, body string, want int, contains []string, check func(*testing.T, *webtest.Env, *httptest.ResponseRecorder)) webtest.Scenario {
		return webtest.Scenario{Name: name, Method: "POST", URL: "/api/v1/volumes/import", ContentType: "text/csv", User: user, Body: body,
			WantStatus: want, WantContains: contains, Check: check}
	}
	webtest.Run(t, []webtest.Scenario{
		imp("imports and says what it replaced", "integ", head+"D1,2026-03,4000\nC1,2026-03,60\n", 201,
			[]string{`"imported":2`, `{"agency":"D1","month":"2026-03","dossiers":4000,"replaced_import":null,"registered_dossiers_replaced":2}`,
				`{"agency":"C1","month":"2026-03","dossiers":60,"replaced_import":null,"registered_dossiers_replaced":0}`},
			func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				wantVolumes(2)(t, e, nil)
				w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/volumes/import", ContentType: "text/csv", User: "admin", Body: head + "D1,2026-03,4100\n"})
				if w.Code != 201 || !strings.Contains(w.Body.String(), `{"agency":"D1","month":"2026-03","dossiers":4100,"replaced_import":4000,"registered_dossiers_replaced":2}`) {
					t.Fatalf("again: got %d %s", w.Code, w.Body)
				}
				wantVolumes(2)(t, e, nil)
			}),
		imp("month 2026-13", "integ", head+"D1,2026-03,10\nD1,2026-13,10\n", 400, []string{"2026-13"}, wantLine(3, wantVolumes(0))),
		imp("a negative count", "integ", head+"D1,2026-03,-1\n", 400, []string{"negative"}, wantLine(2, wantVolumes(0))),
		imp("not a number", "integ", head+"D1,2026-03,many\n", 400, []string{"whole number"}, wantLine(2, wantVolumes(0))),
		imp("an agency outside the subtree", "integ", head+"D1,2026-03,10\nD2,2026-03,10\n", 403, []string{"D2"}, wantLine(3, wantVolumes(0))),
		imp("an unknown agency", "admin", head+"D1,2026-03,10\nZZ,2026-03,10\n", 400, []string{"ZZ"}, wantLine(3, wantVolumes(0))),
		imp("an unknown agency for integration", "integ", head+"ZZ,2026-03,10\n", 400, []string{"ZZ"}, wantLine(2, wantVolumes(0))),
		imp("a month twice", "integ", head+"D1,2026-03,10\nD1,2026-03,11\n", 400, []string{"already on line 2"}, wantLine(3, wantVolumes(0))),
		imp("an official", "off", head+"D1,2026-03,10\n", 403, nil, wantVolumes(0)),
	}, webtest.WithDossiers(map[string]survey.DossierRegistration{
		"a": {AgencyCode: "D1", ReceivedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, survey.Vietnam)},
		"b": {AgencyCode: "D1", ReceivedAt: time.Date(2026, 3, 31, 16, 0, 0, 0, survey.Vietnam)},
		"c": {AgencyCode: "D1", ReceivedAt: time.Date(2026, 4, 1, 8, 0, 0, 0, survey.Vietnam)},
	}))
}

// The dossier code is never stored or logged in clear: not in the
// database file, its write-ahead log, the audit log or the server's log.
func TestDossierCodeNeverInClear(t *testing.T) {
	e := webtest.New(t)
	const code = "H13.22-261102-0017"
	register(t, e, "integ", dossierH13, http.StatusCreated)
	register(t, e, "integ", dossierH13, http.StatusOK)
	if w := e.Do(t, webtest.Request{Method: "PATCH", URL: "/api/v1/dossiers/" + code, User: "integ", Body: `{"returned_at": "2026-04-03T08:00:00+07:00"}`}); w.Code != 200 {
		t.Fatalf("patch: %d %s", w.Code, w.Body)
	}
	csv := "code,agency,received_at\nH13.22-261102-0018,D1,2026-04-02T08:00:00+07:00\n"
	if w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/dossiers/import", ContentType: "text/csv", User: "integ", Body: csv}); w.Code != 201 {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	for _, path := range []string{e.Path, e.Path + "-wal"} {
		b, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("261102-001")) {
			t.Fatalf("%s holds a dossier code in clear", path)
		}
	}
	if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE instr(detail, '261102') > 0`); n != 0 {
		t.Fatalf("the audit log holds a dossier code in clear")
	}
	if strings.Contains(e.Log.String(), "261102") {
		t.Fatalf("the server's log holds a dossier code in clear")
	}
}

// An integration account cannot sign in to the dashboard: the sign-in
// form comes back with the reason, and no session.
func TestIntegrationNoDashboard(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	w := b.TryLogin("integ", sqlitetest.Password, "/dashboard")
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Tài khoản tích hợp chỉ dùng cho API, không đăng nhập được bảng điều khiển.") {
		t.Fatalf("got %d: %.2000s", w.Code, w.Body)
	}
	if n := e.Count(t, `SELECT count(*) FROM sessions`); n != 0 {
		t.Fatalf("got %d sessions, want none", n)
	}
	if w := b.Get("/dashboard"); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("dashboard after a refused sign-in: got %d %s", w.Code, w.Header().Get("Location"))
	}
	// An official turned into an integration account loses the session
	// it had.
	off := e.Client(t)
	off.Login("off")
	role := survey.RoleIntegration
	if _, err := e.DB.UpdateUser(t.Context(), "off", survey.UserUpdate{Role: &role}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if w := off.Get("/dashboard"); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("dashboard as an account turned integration: got %d %s", w.Code, w.Header().Get("Location"))
	}
	// The API refuses it everything but registrations.
	for _, u := range []string{"/api/v1/scores?agency=D1&from=2026-01-01&to=2026-03-31", "/api/v1/agencies", "/api/v1/agencies/D1", "/agencies/D1/posters"} {
		if w := e.Do(t, webtest.Request{URL: u, User: "integ"}); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "only register dossiers and volumes") {
			t.Fatalf("GET %s as integ: got %d %s", u, w.Code, w.Body)
		}
	}
}

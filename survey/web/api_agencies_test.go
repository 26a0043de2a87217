package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

// agencyCodes decodes a JSON list of agencies into their codes, in order.
func agencyCodes(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var as []struct{ Code string }
	decodeInto(t, w, &as)
	var out []string
	for _, a := range as {
		out = append(out, a.Code)
	}
	return strings.Join(out, ",")
}

func wantCodes(want string) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
	return func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
		t.Helper()
		if got := agencyCodes(t, w); got != want {
			t.Fatalf("got agencies %s, want %s", got, want)
		}
	}
}

// counterURLs checks the URL fields of one counter JSON object, and that
// they work.
func counterURLs(t *testing.T, e *webtest.Env, c map[string]any) {
	t.Helper()
	base := strings.TrimSuffix(e.Config.BaseURL, "/")
	su, _ := c["survey_url"].(string)
	if !strings.HasPrefix(su, base+"/s/") {
		t.Fatalf("survey_url %q, want it under %s/s/", su, base)
	}
	for k, suffix := range map[string]string{"qr_png_url": "/qr.png", "qr_svg_url": "/qr.svg", "poster_url": "/poster"} {
		if got, _ := c[k].(string); got != su+suffix {
			t.Fatalf("%s = %q, want %q", k, got, su+suffix)
		}
	}
	// The URL works: the token is real.
	for _, u := range []string{su, su + "/qr.png", su + "/poster"} {
		if w := e.Do(t, webtest.Request{URL: strings.TrimPrefix(u, base)}); w.Code != 200 {
			t.Fatalf("GET %s: got %d", u, w.Code)
		}
	}
}

func TestAPIAgencies(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "admin lists all", URL: "/api/v1/agencies", User: "admin", WantStatus: 200, Check: wantCodes("P,D1,C1,D2,D3,D4")},
		{Name: "official lists own subtree", URL: "/api/v1/agencies", User: "off", WantStatus: 200, Check: wantCodes("D1,C1")},
		{Name: "official reads own agency", URL: "/api/v1/agencies/C1", User: "off", WantStatus: 200, WantContains: []string{`"code":"C1"`, `"parent":"D1"`}},
		{Name: "official reads another agency", URL: "/api/v1/agencies/D2", User: "off", WantStatus: 403},
		{Name: "official reads the parent", URL: "/api/v1/agencies/P", User: "off", WantStatus: 403},
		{Name: "unknown agency", URL: "/api/v1/agencies/NOPE", User: "admin", WantStatus: 404},
		{Name: "official cannot create agencies", Method: "POST", URL: "/api/v1/agencies", Body: `{"code": "C2", "name": "Xã mới", "parent": "D1"}`, User: "off", WantStatus: 403,
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if w := e.Do(t, webtest.Request{URL: "/api/v1/agencies/C2", User: "admin"}); w.Code != 404 {
					t.Fatalf("agency created by an official: %d", w.Code)
				}
			}},
		{Name: "admin creates an agency", Method: "POST", URL: "/api/v1/agencies", Body: `{"code": "C2", "name": "UBND xã Mỹ Khánh", "parent": "D2"}`, User: "admin", WantStatus: 201,
			WantContains: []string{`"code":"C2"`, `"parent":"D2"`, `"name":"UBND xã Mỹ Khánh"`},
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				if loc := w.Header().Get("Location"); loc != "/api/v1/agencies/C2" {
					t.Fatalf("got Location %q", loc)
				}
				wantCodes("P,D1,C1,D2,C2,D3,D4")(t, e, e.Do(t, webtest.Request{URL: "/api/v1/agencies", User: "admin"}))
			}},
		{Name: "admin creates a root agency", Method: "POST", URL: "/api/v1/agencies", Body: `{"code": "P2", "name": "Tỉnh khác"}`, User: "admin", WantStatus: 201},
		{Name: "duplicate agency", Method: "POST", URL: "/api/v1/agencies", Body: `{"code": "D1", "name": "Lại"}`, User: "admin", WantStatus: 409, WantContains: []string{"already exists"}},
		{Name: "unknown parent", Method: "POST", URL: "/api/v1/agencies", Body: `{"code": "C2", "name": "Xã", "parent": "NOPE"}`, User: "admin", WantStatus: 400, WantContains: []string{"parent"}},
		{Name: "invalid agency code", Method: "POST", URL: "/api/v1/agencies", Body: `{"code": "c 2", "name": "Xã"}`, User: "admin", WantStatus: 400, WantContains: []string{"invalid code"}},
		{Name: "agency without name", Method: "POST", URL: "/api/v1/agencies", Body: `{"code": "C2"}`, User: "admin", WantStatus: 400},
		{Name: "agency unknown field", Method: "POST", URL: "/api/v1/agencies", Body: `{"code": "C2", "name": "Xã", "id": 4}`, User: "admin", WantStatus: 400},
		{Name: "agency wrong content type", Method: "POST", URL: "/api/v1/agencies", Body: `{"code": "C2", "name": "Xã"}`, ContentType: "text/plain", User: "admin", WantStatus: 415},
		{Name: "rename agency", Method: "PATCH", URL: "/api/v1/agencies/D1", Body: `{"name": "Sở Tư pháp tỉnh Demo"}`, User: "admin", WantStatus: 200,
			WantContains: []string{`"name":"Sở Tư pháp tỉnh Demo"`}},
	})
}

// tokenVersion checks that a refused request left D1/Q1's token alone.
func tokenVersion(want int) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
	return func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
		t.Helper()
		if c := e.Counter(t, "D1/Q1"); c.TokenVersion != want {
			t.Fatalf("D1/Q1 token version %d, want %d", c.TokenVersion, want)
		}
	}
}

func TestAPICounters(t *testing.T) {
	const rotate = "/api/v1/agencies/D1/counters/Q1/rotate"
	webtest.Run(t, []webtest.Scenario{
		{Name: "official lists own counters", URL: "/api/v1/agencies/D1/counters", User: "off", WantStatus: 200,
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				var cs []map[string]any
				decodeInto(t, w, &cs)
				if len(cs) != 4 {
					t.Fatalf("got %d counters, want 4 (closed included)", len(cs))
				}
				for _, c := range cs {
					if c["code"] == "Q1" {
						if c["instrument"] != "sipas-2017" || c["agency"] != "D1" || c["name"] != "Quầy hộ tịch" {
							t.Fatalf("got %v", c)
						}
						counterURLs(t, e, c)
					}
				}
			}},
		{Name: "official lists counters of a sub-agency", URL: "/api/v1/agencies/C1/counters", User: "off", WantStatus: 200, WantContains: []string{"Quầy xã"}},
		{Name: "official lists another agency's counters", URL: "/api/v1/agencies/D2/counters", User: "off", WantStatus: 403, WantNot: []string{"Quầy đất đai"}},
		{Name: "official reads another agency's counter", URL: "/api/v1/agencies/D2/counters/Q1", User: "off", WantStatus: 403},
		{Name: "admin reads a counter", URL: "/api/v1/agencies/D2/counters/Q1", User: "admin", WantStatus: 200, WantContains: []string{`"survey_url":"` + webtest.BaseURL + "/s/{D2/Q1}"}},
		{Name: "unknown counter", URL: "/api/v1/agencies/D2/counters/NOPE", User: "admin", WantStatus: 404},
		{Name: "admin creates a counter", Method: "POST", URL: "/api/v1/agencies/D2/counters", Body: `{"code": "K9", "name": "Ki-ốt", "instrument": "quick"}`, User: "admin", WantStatus: 201,
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				var c map[string]any
				decodeInto(t, w, &c)
				if c["code"] != "K9" || c["instrument"] != "quick" || c["agency"] != "D2" || c["token_version"] != float64(1) {
					t.Fatalf("got %v", c)
				}
				counterURLs(t, e, c)
				if loc := w.Header().Get("Location"); loc != "/api/v1/agencies/D2/counters/K9" {
					t.Fatalf("got Location %q", loc)
				}
			}},
		{Name: "counter default instrument", Method: "POST", URL: "/api/v1/agencies/D2/counters", Body: `{"code": "Q2", "name": "Quầy 2"}`, User: "admin", WantStatus: 201, WantContains: []string{`"instrument":"sipas-2017"`}},
		{Name: "official cannot create counters", Method: "POST", URL: "/api/v1/agencies/D1/counters", Body: `{"code": "Q9", "name": "Quầy 9"}`, User: "off", WantStatus: 403},
		{Name: "duplicate counter", Method: "POST", URL: "/api/v1/agencies/D1/counters", Body: `{"code": "Q1", "name": "Lại"}`, User: "admin", WantStatus: 409},
		{Name: "counter unknown instrument", Method: "POST", URL: "/api/v1/agencies/D1/counters", Body: `{"code": "Q9", "name": "Quầy 9", "instrument": "nps"}`, User: "admin", WantStatus: 400, WantContains: []string{"unknown instrument"}},
		{Name: "counter of unknown agency", Method: "POST", URL: "/api/v1/agencies/NOPE/counters", Body: `{"code": "Q9", "name": "Quầy 9"}`, User: "admin", WantStatus: 404},
		{Name: "rotate", Method: "POST", URL: rotate, Body: ``, User: "admin", WantStatus: 200, WantContains: []string{`"token_version":2`},
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				if old := e.Do(t, webtest.Request{URL: "/s/{D1/Q1}"}); old.Code != 410 {
					t.Fatalf("old QR after rotation: got %d, want 410", old.Code)
				}
				var c map[string]any
				decodeInto(t, w, &c)
				counterURLs(t, e, c)
			}},
		{Name: "official cannot rotate", Method: "POST", URL: rotate, Body: ``, User: "off", WantStatus: 403, Check: tokenVersion(1)},
		// A state-changing API call must be JSON, so that a form on another
		// site cannot ride on credentials a browser remembers for the Basic
		// prompt.
		{Name: "rotate without content type", Method: "POST", URL: rotate, Body: "x=1", ContentType: "-", User: "admin", WantStatus: 415, Check: tokenVersion(1)},
		{Name: "rotate as a form", Method: "POST", URL: rotate, Body: "x=1", ContentType: "application/x-www-form-urlencoded", User: "admin", WantStatus: 415, Check: tokenVersion(1)},
		{Name: "rotate as text", Method: "POST", URL: rotate, Body: "x=1", ContentType: "text/plain", User: "admin", WantStatus: 415, Check: tokenVersion(1)},
		{Name: "close counter", Method: "PATCH", URL: "/api/v1/agencies/D1/counters/Q1", Body: `{"closed": true}`, User: "admin", WantStatus: 200,
			WantContains: []string{`"closed_at":`},
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if w := e.Do(t, webtest.Request{URL: "/s/{D1/Q1}"}); w.Code != 410 {
					t.Fatalf("closed counter's form: got %d, want 410", w.Code)
				}
			}},
	})
}

// TestAPICounterRotateKiosk: an admin gives a counter's tablet a new kiosk
// key without touching its QR codes; the old key is refused (API: 400; the
// form: no kiosk channel), the new one in the answer's kiosk_url is taken.
func TestAPICounterRotateKiosk(t *testing.T) {
	const rotate = "/api/v1/agencies/D1/counters/Q1/rotate-kiosk"
	kioskVersion := func(want int) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
		return func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
			t.Helper()
			if c := e.Counter(t, "D1/Q1"); c.KioskVersion != want {
				t.Fatalf("D1/Q1 kiosk version %d, want %d", c.KioskVersion, want)
			}
		}
	}
	webtest.Run(t, []webtest.Scenario{
		{Name: "rotate kiosk", Method: "POST", URL: rotate, Body: `{}`, User: "admin", WantStatus: 200,
			WantContains: []string{`"kiosk_version":2`, `"token_version":1`, `"kiosk_url":"` + webtest.BaseURL + `/s/{D1/Q1}?kiosk=`},
			WantNot:      []string{"kiosk={KIOSK:D1/Q1}"},
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				if got := e.Do(t, webtest.Request{URL: "/s/{D1/Q1}"}); got.Code != http.StatusOK {
					t.Fatalf("QR code after a kiosk rotation: got %d, want 200", got.Code)
				}
				var c struct {
					KioskURL string `json:"kiosk_url"`
				}
				decodeInto(t, w, &c)
				_, newKey, _ := strings.Cut(c.KioskURL, "?kiosk=")
				if newKey != e.KioskKey(t, "D1/Q1") {
					t.Fatalf("kiosk_url carries %q, want the new key %q", newKey, e.KioskKey(t, "D1/Q1"))
				}
				api := func(key string) *httptest.ResponseRecorder {
					return e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/responses",
						Body: strings.Replace(e.JSONSubmission(t, "D1/Q1", sqlitetest.SubmissionID()), `{"answers"`, `{"kiosk":"`+key+`","answers"`, 1)})
				}
				if got := api(e.Replace("{KIOSK:D1/Q1}")); got.Code != http.StatusBadRequest || !strings.Contains(got.Body.String(), "kiosk") {
					t.Fatalf("old kiosk key over the API: got %d %s, want 400", got.Code, got.Body)
				}
				if got := api(newKey); got.Code != http.StatusCreated || e.LastResponse(t).Channel != "kiosk" {
					t.Fatalf("new kiosk key over the API: got %d %s, want 201 on the kiosk channel", got.Code, got.Body)
				}
				f := e.FormSubmission(t, "D1/Q1", sqlitetest.SubmissionID())
				f.Set("kiosk", e.Replace("{KIOSK:D1/Q1}"))
				if got := e.Do(t, webtest.Request{Method: "POST", URL: "/s/{D1/Q1}", Body: f.Encode()}); got.Code != http.StatusSeeOther || e.LastResponse(t).Channel != "web" {
					t.Fatalf("form with the old kiosk key: got %d, channel %q; want 303 on the web channel", got.Code, e.LastResponse(t).Channel)
				}
				if n := e.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'counter.rotate_kiosk' AND detail = 'D1/Q1' AND user_name = 'admin'`); n != 1 {
					t.Fatalf("audit entries of the rotation: got %d, want 1", n)
				}
			}, WantStored: -1},
		{Name: "official cannot rotate the kiosk key", Method: "POST", URL: rotate, Body: `{}`, User: "off", WantStatus: 403, Check: kioskVersion(1)},
		{Name: "rotate kiosk as a form", Method: "POST", URL: rotate, Body: "x=1", ContentType: "application/x-www-form-urlencoded", User: "admin", WantStatus: 415, Check: kioskVersion(1)},
		{Name: "rotate kiosk of an unknown counter", Method: "POST", URL: "/api/v1/agencies/D1/counters/NOPE/rotate-kiosk", Body: `{}`, User: "admin", WantStatus: 404},
	})
}

// A base URL given with a trailing slash gives the same URLs as without.
func TestAPIBaseURLTrailingSlash(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "counter URLs", URL: "/api/v1/agencies/D1/counters/Q1", User: "admin", WantStatus: 200,
			WantContains: []string{`"survey_url":"` + webtest.BaseURL + `/s/{D1/Q1}"`},
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				var c map[string]any
				decodeInto(t, w, &c)
				counterURLs(t, e, c)
			}},
		{Name: "poster", URL: "/s/{D1/Q1}/poster", WantStatus: 200, WantContains: []string{webtest.BaseURL + "/s/{D1/Q1}"}, WantNot: []string{webtest.BaseURL + "//"}},
	}, webtest.WithConfig(web.Config{BaseURL: webtest.BaseURL + "/"}))
}

// CSV imports over the API: all or nothing, errors name the CSV line.
func TestAPIImports(t *testing.T) {
	e := webtest.New(t)
	csvReq := func(path, body, user string) *httptest.ResponseRecorder {
		return e.Do(t, webtest.Request{Method: "POST", URL: path, Body: body, ContentType: "text/csv", User: user})
	}
	agencies := func() int { return e.Count(t, `SELECT count(*) FROM agencies`) }
	before := agencies()
	for _, tc := range []struct {
		name, path, body string
		want             int
		contains         string
	}{
		{"agencies ok", "/api/v1/agencies/import", "code,name,parent\nX1,Xã Một,D1\nX2,Xã Hai,X1\n", 201, `"imported":2`},
		{"unknown parent on line 3", "/api/v1/agencies/import", "code,name,parent\nY1,Một,D1\nY2,Hai,NOPE\n", 400, `"line":3`},
		{"duplicate code on line 2", "/api/v1/agencies/import", "code,name,parent\nD1,Trùng,\n", 409, `"line":2`},
		{"malformed CSV", "/api/v1/agencies/import", "code,name,parent\n\"open,quote\n", 400, `"line":2`},
		{"counters ok", "/api/v1/counters/import", "agency,code,name,instrument\nX1,Q1,Quầy 1,quick\n", 201, `"imported":1`},
		{"unknown instrument on line 2", "/api/v1/counters/import", "agency,code,name,instrument\nX1,Q2,Quầy 2,nope\n", 400, `"line":2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := csvReq(tc.path, tc.body, "admin")
			if w.Code != tc.want || !strings.Contains(w.Body.String(), tc.contains) {
				t.Fatalf("got %d %s, want %d containing %s", w.Code, w.Body.String(), tc.want, tc.contains)
			}
		})
	}
	if got := agencies(); got != before+2 {
		t.Fatalf("agencies: got %d, want %d (only the good file imported)", got, before+2)
	}
	if w := csvReq("/api/v1/agencies/import", "code,name\nZ1,Z\n", "off"); w.Code != http.StatusForbidden {
		t.Fatalf("official import: got %d, want 403", w.Code)
	}
	if w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/agencies/import", Body: "code,name\nZ1,Z\n", ContentType: "text/plain", User: "admin"}); w.Code != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain import: got %d, want 415", w.Code)
	}
}

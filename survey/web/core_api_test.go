package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func apiPost(url, body, user string) coreReq {
	return coreReq{method: http.MethodPost, url: url, body: body, user: user}
}

func apiGet(url, user string) coreReq { return coreReq{method: http.MethodGet, url: url, user: user} }

// respBody is a POST /api/v1/responses body for token tok with answers.
func respBody(tok, sub, answers string, extra ...string) string {
	parts := []string{`"token": "` + tok + `"`, `"submission_id": "` + sub + `"`, `"answers": ` + answers}
	return "{" + strings.Join(append(parts, extra...), ", ") + "}"
}

const apiSub = "api-submission-00000001"

// decodeInto decodes the JSON body of w into v.
func decodeInto(t *testing.T, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %s: %v", w.Body, err)
	}
}

func TestCoreAPIResponses(t *testing.T) {
	good := respBody("{Q1}", apiSub, sipasJSON("5", map[string]string{"CC1": `"na"`}), `"comment": "Rất tốt"`)
	runCoreScenarios(t, []coreScenario{
		{name: "created", req: apiPost("/api/v1/responses", good, ""), wantStatus: 201, wantStored: 1,
			wantContains: []string{`"submission_id":"` + apiSub + `"`, `"replay":false`},
			check: func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
				var got struct{ ID int64 }
				decodeInto(t, w, &got)
				r := e.lastResponse(t)
				if got.ID != r.ID || r.Channel != "api" || r.CounterCode != "Q1" || r.AgencyCode != "D1" || r.InstrumentID != "sipas-2017" ||
					r.Comment != "Rất tốt" || r.Answers[9] != 6 || r.Answers[0] != 5 {
					t.Fatalf("got id %d and stored %+v", got.ID, r)
				}
			}},
		{name: "replay", before: []coreReq{apiPost("/api/v1/responses", good, "")},
			req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("1", nil)), ""), wantStatus: 200, wantStored: 1,
			wantContains: []string{`"replay":true`},
			check: func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
				var got struct{ ID int64 }
				decodeInto(t, w, &got)
				if r := e.lastResponse(t); got.ID != r.ID || r.Answers[0] != 5 {
					t.Fatalf("replay answered id %d; stored %+v", got.ID, r)
				}
			}},
		{name: "quick with follow-up", req: apiPost("/api/v1/responses", respBody("{K1}", apiSub, `{"OV": 2}`, `"followup": "2+"`, `"comment": "Phải đi lại nhiều lần"`), ""),
			wantStatus: 201, wantStored: 1, check: stored("K1", "D1", "api", 3)},
		{name: "bad JSON", req: apiPost("/api/v1/responses", `{"token": `, ""), wantStatus: 400, wantContains: []string{"invalid JSON"}},
		{name: "not an object", req: apiPost("/api/v1/responses", `[1, 2]`, ""), wantStatus: 400},
		{name: "empty body", req: apiPost("/api/v1/responses", ``, ""), wantStatus: 400, wantContains: []string{"empty body"}},
		{name: "trailing data", req: apiPost("/api/v1/responses", good+` {}`, ""), wantStatus: 400, wantContains: []string{"trailing data"}},
		{name: "unknown field", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", nil), `"phone": "0903"`), ""),
			wantStatus: 400, wantContains: []string{`unknown field \"phone\"`}},
		{name: "wrong type", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, `[5]`), ""), wantStatus: 400, wantContains: []string{"wrong type"}},
		{name: "wrong content type", req: coreReq{method: http.MethodPost, url: "/api/v1/responses", body: good, ctype: "text/plain"}, wantStatus: 415},
		{name: "form content type", req: coreReq{method: http.MethodPost, url: "/api/v1/responses", body: good, ctype: "application/x-www-form-urlencoded"}, wantStatus: 415},
		{name: "no content type", req: coreReq{method: http.MethodPost, url: "/api/v1/responses", body: good, ctype: "-"}, wantStatus: 415},
		{name: "JSON with charset", req: coreReq{method: http.MethodPost, url: "/api/v1/responses", body: good, ctype: "application/json; charset=utf-8"}, wantStatus: 201, wantStored: 1},
		{name: "unknown item", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", map[string]string{"XX1": "5"})), ""),
			wantStatus: 400, wantContains: []string{"unknown item(s): XX1"}},
		{name: "value 6", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", map[string]string{"TT1": "6"})), ""),
			wantStatus: 400, wantContains: []string{"TT1"}},
		{name: "value 0", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", map[string]string{"TT1": "0"})), ""), wantStatus: 400},
		{name: "fraction", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", map[string]string{"TT1": "4.5"})), ""), wantStatus: 400},
		{name: "null answer", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", map[string]string{"TT1": "null"})), ""), wantStatus: 400},
		{name: "object answer", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", map[string]string{"TT1": "{}"})), ""), wantStatus: 400},
		{name: "other string", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", map[string]string{"TT1": `"good"`})), ""), wantStatus: 400},
		{name: "missing items", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", nil, "GY1", "GY2")), ""),
			wantStatus: 400, wantContains: []string{"missing answer for: GY1, GY2", `"GY1":"missing"`}},
		{name: "no answers", req: apiPost("/api/v1/responses", `{"token": "{Q1}", "submission_id": "`+apiSub+`"}`, ""), wantStatus: 400, wantContains: []string{"answers is required"}},
		{name: "na on quick", req: apiPost("/api/v1/responses", respBody("{K1}", apiSub, `{"OV": "na"}`), ""), wantStatus: 400},
		{name: "unknown follow-up", req: apiPost("/api/v1/responses", respBody("{K1}", apiSub, `{"OV": 5}`, `"followup": "3"`), ""), wantStatus: 400},
		{name: "follow-up on sipas", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", nil), `"followup": "1"`), ""), wantStatus: 400},
		{name: "missing token", req: apiPost("/api/v1/responses", `{"submission_id": "`+apiSub+`", "answers": {"OV": 5}}`, ""), wantStatus: 400, wantContains: []string{"token is required"}},
		{name: "forged token", req: apiPost("/api/v1/responses", respBody("{FORGED}", apiSub, sipasJSON("5", nil)), ""), wantStatus: 404},
		{name: "rotated token", req: apiPost("/api/v1/responses", respBody("{ROT}", apiSub, sipasJSON("5", nil)), ""), wantStatus: 410, wantContains: []string{"no longer in use"}},
		{name: "closed counter", req: apiPost("/api/v1/responses", respBody("{CLOSED}", apiSub, sipasJSON("5", nil)), ""), wantStatus: 410},
		{name: "bad submission id", req: apiPost("/api/v1/responses", respBody("{Q1}", "short", sipasJSON("5", nil)), ""), wantStatus: 400, wantContains: []string{"submission_id"}},
		{name: "invalid UTF-8", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", nil), "\"comment\": \"\xff\""), ""), wantStatus: 400, wantContains: []string{"UTF-8"}},
		{name: "comment too long", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", nil), `"comment": "`+strings.Repeat("ạ", 2001)+`"`), ""), wantStatus: 400},
		{name: "oversized body", req: apiPost("/api/v1/responses", respBody("{Q1}", apiSub, sipasJSON("5", nil), `"comment": "`+strings.Repeat("a", 70<<10)+`"`), ""), wantStatus: 413},
		{name: "oversized body without length", req: coreReq{method: http.MethodPost, url: "/api/v1/responses", chunked: true,
			body: respBody("{Q1}", apiSub, sipasJSON("5", nil), `"comment": "`+strings.Repeat("a", 70<<10)+`"`)}, wantStatus: 413},
		{name: "GET not allowed", req: apiGet("/api/v1/responses", ""), wantStatus: 405},
		{name: "unknown API path", req: apiGet("/api/v1/nothing", "admin"), wantStatus: 404},
	})
}

// agencyCodes decodes a JSON list of agencies into their codes.
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

func wantCodes(want string) func(*testing.T, *coreEnv, *httptest.ResponseRecorder) {
	return func(t *testing.T, _ *coreEnv, w *httptest.ResponseRecorder) {
		t.Helper()
		if got := agencyCodes(t, w); got != want {
			t.Fatalf("got agencies %s, want %s", got, want)
		}
	}
}

// counterURLs checks the URL fields of one counter JSON object.
func counterURLs(t *testing.T, e *coreEnv, c map[string]any) {
	t.Helper()
	su, _ := c["survey_url"].(string)
	if !strings.HasPrefix(su, coreBase+"/s/") {
		t.Fatalf("survey_url %q, want it under %s/s/", su, coreBase)
	}
	for k, suffix := range map[string]string{"qr_png_url": "/qr.png", "qr_svg_url": "/qr.svg", "poster_url": "/poster"} {
		if got, _ := c[k].(string); got != su+suffix {
			t.Fatalf("%s = %q, want %q", k, got, su+suffix)
		}
	}
	// The URL works: the token is real.
	for _, u := range []string{su, su + "/qr.png", su + "/poster"} {
		if w := e.do(t, get(strings.TrimPrefix(u, coreBase))); w.Code != 200 {
			t.Fatalf("GET %s: got %d", u, w.Code)
		}
	}
}

func TestCoreAPIAuthAndAgencies(t *testing.T) {
	sameMessage := func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
		other := e.do(t, apiGet("/api/v1/agencies", "ghost"))
		if other.Code != 401 || other.Body.String() != w.Body.String() {
			t.Fatalf("unknown user: got %d %s; wrong password: %s; want the same 401", other.Code, other.Body, w.Body)
		}
		if w.Header().Get("WWW-Authenticate") == "" {
			t.Fatalf("no WWW-Authenticate challenge")
		}
	}
	runCoreScenarios(t, []coreScenario{
		{name: "no credentials", req: apiGet("/api/v1/agencies", ""), wantStatus: 401, wantContains: []string{"authentication required"},
			check: func(t *testing.T, _ *coreEnv, w *httptest.ResponseRecorder) {
				if !strings.Contains(w.Header().Get("WWW-Authenticate"), "Basic") {
					t.Fatalf("got WWW-Authenticate %q", w.Header().Get("WWW-Authenticate"))
				}
			}},
		{name: "wrong password", req: apiGet("/api/v1/agencies", "wrongpw"), wantStatus: 401, wantContains: []string{"wrong user name or password"}, check: sameMessage},
		{name: "admin lists all", req: apiGet("/api/v1/agencies", "admin"), wantStatus: 200, check: wantCodes("P,D1,C1,D2")},
		{name: "official lists own subtree", req: apiGet("/api/v1/agencies", "off"), wantStatus: 200, check: wantCodes("D1,C1")},
		{name: "official reads own agency", req: apiGet("/api/v1/agencies/C1", "off"), wantStatus: 200, wantContains: []string{`"code":"C1"`, `"parent":"D1"`}},
		{name: "official reads another agency", req: apiGet("/api/v1/agencies/D2", "off"), wantStatus: 403},
		{name: "official reads the parent", req: apiGet("/api/v1/agencies/P", "off"), wantStatus: 403},
		{name: "unknown agency", req: apiGet("/api/v1/agencies/NOPE", "admin"), wantStatus: 404},
		{name: "official lists own counters", req: apiGet("/api/v1/agencies/D1/counters", "off"), wantStatus: 200,
			check: func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
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
		{name: "official lists counters of a sub-agency", req: apiGet("/api/v1/agencies/C1/counters", "off"), wantStatus: 200, wantContains: []string{"Quầy xã"}},
		{name: "official lists another agency's counters", req: apiGet("/api/v1/agencies/D2/counters", "off"), wantStatus: 403, wantNot: []string{"Quầy đất đai"}},
		{name: "official reads another agency's counter", req: apiGet("/api/v1/agencies/D2/counters/Q1", "off"), wantStatus: 403},
		{name: "admin reads a counter", req: apiGet("/api/v1/agencies/D2/counters/Q1", "admin"), wantStatus: 200, wantContains: []string{`"survey_url":"` + coreBase + "/s/{D2Q1}"}},
		{name: "unknown counter", req: apiGet("/api/v1/agencies/D2/counters/NOPE", "admin"), wantStatus: 404},
		{name: "official cannot create agencies", req: apiPost("/api/v1/agencies", `{"code": "C2", "name": "Xã mới", "parent": "D1"}`, "off"), wantStatus: 403, wantStored: 0,
			check: func(t *testing.T, e *coreEnv, _ *httptest.ResponseRecorder) {
				if w := e.do(t, apiGet("/api/v1/agencies/C2", "admin")); w.Code != 404 {
					t.Fatalf("agency created by an official: %d", w.Code)
				}
			}},
		{name: "admin creates an agency", req: apiPost("/api/v1/agencies", `{"code": "C2", "name": "UBND xã Mỹ Khánh", "parent": "D2"}`, "admin"), wantStatus: 201,
			wantContains: []string{`"code":"C2"`, `"parent":"D2"`, `"name":"UBND xã Mỹ Khánh"`},
			check: func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
				if loc := w.Header().Get("Location"); loc != "/api/v1/agencies/C2" {
					t.Fatalf("got Location %q", loc)
				}
				wantCodes("P,D1,C1,D2,C2")(t, e, e.do(t, apiGet("/api/v1/agencies", "admin")))
			}},
		{name: "admin creates a root agency", req: apiPost("/api/v1/agencies", `{"code": "P2", "name": "Tỉnh khác"}`, "admin"), wantStatus: 201},
		{name: "duplicate agency", req: apiPost("/api/v1/agencies", `{"code": "D1", "name": "Lại"}`, "admin"), wantStatus: 409, wantContains: []string{"already exists"}},
		{name: "unknown parent", req: apiPost("/api/v1/agencies", `{"code": "C2", "name": "Xã", "parent": "NOPE"}`, "admin"), wantStatus: 400, wantContains: []string{"parent"}},
		{name: "invalid agency code", req: apiPost("/api/v1/agencies", `{"code": "c 2", "name": "Xã"}`, "admin"), wantStatus: 400, wantContains: []string{"invalid code"}},
		{name: "agency without name", req: apiPost("/api/v1/agencies", `{"code": "C2"}`, "admin"), wantStatus: 400},
		{name: "agency unknown field", req: apiPost("/api/v1/agencies", `{"code": "C2", "name": "Xã", "id": 4}`, "admin"), wantStatus: 400},
		{name: "agency wrong content type", req: coreReq{method: http.MethodPost, url: "/api/v1/agencies", body: `{"code": "C2", "name": "Xã"}`, ctype: "text/plain", user: "admin"}, wantStatus: 415},
		{name: "admin creates a counter", req: apiPost("/api/v1/agencies/D2/counters", `{"code": "K9", "name": "Ki-ốt", "instrument": "quick"}`, "admin"), wantStatus: 201,
			check: func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
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
		{name: "counter default instrument", req: apiPost("/api/v1/agencies/D2/counters", `{"code": "Q2", "name": "Quầy 2"}`, "admin"), wantStatus: 201, wantContains: []string{`"instrument":"sipas-2017"`}},
		{name: "official cannot create counters", req: apiPost("/api/v1/agencies/D1/counters", `{"code": "Q9", "name": "Quầy 9"}`, "off"), wantStatus: 403},
		{name: "duplicate counter", req: apiPost("/api/v1/agencies/D1/counters", `{"code": "Q1", "name": "Lại"}`, "admin"), wantStatus: 409},
		{name: "counter unknown instrument", req: apiPost("/api/v1/agencies/D1/counters", `{"code": "Q9", "name": "Quầy 9", "instrument": "nps"}`, "admin"), wantStatus: 400, wantContains: []string{"unknown instrument"}},
		{name: "counter of unknown agency", req: apiPost("/api/v1/agencies/NOPE/counters", `{"code": "Q9", "name": "Quầy 9"}`, "admin"), wantStatus: 404},
		{name: "rotate", req: apiPost("/api/v1/agencies/D1/counters/Q1/rotate", ``, "admin"), wantStatus: 200, wantContains: []string{`"token_version":2`},
			check: func(t *testing.T, e *coreEnv, w *httptest.ResponseRecorder) {
				if old := e.do(t, get("/s/{Q1}")); old.Code != 410 {
					t.Fatalf("old QR after rotation: got %d, want 410", old.Code)
				}
				var c map[string]any
				decodeInto(t, w, &c)
				counterURLs(t, e, c)
			}},
		{name: "official cannot rotate", req: apiPost("/api/v1/agencies/D1/counters/Q1/rotate", ``, "off"), wantStatus: 403},
		{name: "close counter", req: coreReq{method: http.MethodPatch, url: "/api/v1/agencies/D1/counters/Q1", body: `{"closed": true}`, user: "admin"}, wantStatus: 200,
			wantContains: []string{`"closed_at":`},
			check: func(t *testing.T, e *coreEnv, _ *httptest.ResponseRecorder) {
				if w := e.do(t, get("/s/{Q1}")); w.Code != 410 {
					t.Fatalf("closed counter's form: got %d, want 410", w.Code)
				}
			}},
		{name: "rename agency", req: coreReq{method: http.MethodPatch, url: "/api/v1/agencies/D1", body: `{"name": "Sở Tư pháp tỉnh Demo"}`, user: "admin"}, wantStatus: 200,
			wantContains: []string{`"name":"Sở Tư pháp tỉnh Demo"`}},
	})
}

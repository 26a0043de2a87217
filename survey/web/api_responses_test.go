package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

const (
	apiSub    = "api-submission-00000001"
	responses = "/api/v1/responses"
)

func TestAPIResponses(t *testing.T) {
	body, answers := webtest.ResponseBody, webtest.SipasAnswers
	good := body("{D1/Q1}", apiSub, answers("5", map[string]string{"CC1": `"na"`}), `"comment": "Rất tốt"`)
	long := strings.Repeat("a", 70<<10)
	webtest.Run(t, []webtest.Scenario{
		{Name: "created", Method: "POST", URL: responses, Body: good, WantStatus: 201, WantStored: 1,
			WantContains: []string{`"submission_id":"` + apiSub + `"`, `"replay":false`},
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				var got struct{ ID string }
				decodeInto(t, w, &got)
				r := e.LastResponse(t)
				if got.ID != e.Signer.PublicID(r.ID) || r.Channel != "api" || r.CounterCode != "Q1" || r.AgencyCode != "D1" || r.InstrumentID != "sipas-2017" ||
					r.Comment != "Rất tốt" || r.Answers[9] != 6 || r.Answers[0] != 5 {
					t.Fatalf("got id %s and stored %+v", got.ID, r)
				}
			}},
		{Name: "replay", Before: []webtest.Request{{Method: "POST", URL: responses, Body: good}},
			Method: "POST", URL: responses, Body: good, WantStatus: 200, WantStored: 1,
			WantContains: []string{`"replay":true`},
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				var got struct{ ID string }
				decodeInto(t, w, &got)
				if r := e.LastResponse(t); got.ID != e.Signer.PublicID(r.ID) || r.Answers[0] != 5 {
					t.Fatalf("replay answered id %s; stored %+v", got.ID, r)
				}
			}},
		{Name: "submission id reused with other answers", Before: []webtest.Request{{Method: "POST", URL: responses, Body: good}},
			Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("1", nil)), WantStatus: 409, WantStored: 1,
			WantContains: []string{"already used"},
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if r := e.LastResponse(t); r.Answers[0] != 5 {
					t.Fatalf("the reused id replaced the first answers: %+v", r)
				}
			}},
		{Name: "submission id reused at another counter", Before: []webtest.Request{{Method: "POST", URL: responses, Body: good}},
			Method: "POST", URL: responses, Body: body("{D2/Q1}", apiSub, answers("5", map[string]string{"CC1": `"na"`}), `"comment": "Rất tốt"`), WantStatus: 409, WantStored: 1,
			Check: func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
				if r := e.LastResponse(t); r.AgencyCode != "D1" {
					t.Fatalf("the reused id moved the response: %+v", r)
				}
			}},
		{Name: "quick with follow-up", Method: "POST", URL: responses, Body: body("{D1/K1}", apiSub, `{"OV": 2}`, `"followup": "2+"`, `"comment": "Phải đi lại nhiều lần"`),
			WantStatus: 201, WantStored: 1, Check: stored("K1", "D1", "api", 3)},
		{Name: "bad JSON", Method: "POST", URL: responses, Body: `{"token": `, WantStatus: 400, WantContains: []string{"invalid JSON"}},
		{Name: "not an object", Method: "POST", URL: responses, Body: `[1, 2]`, WantStatus: 400},
		// encoding/json alone matched keys case-insensitively and let the last
		// of two equal keys win: "Answers" merged into answers and changed TC1.
		{Name: "key in another case", Method: "POST", URL: responses,
			Body: strings.Replace(good, `"answers"`, `"Answers": {"TC1": 1}, "answers"`, 1), WantStatus: 400,
			WantContains: []string{`unknown field \"Answers\"`}},
		{Name: "duplicate key", Method: "POST", URL: responses,
			Body: strings.Replace(good, `"token"`, `"token": "{D2/Q1}", "token"`, 1), WantStatus: 400,
			WantContains: []string{`duplicate key \"token\"`}},
		{Name: "duplicate answer", Method: "POST", URL: responses,
			Body: strings.Replace(good, `"TC1": 5`, `"TC1": 1, "TC1": 5`, 1), WantStatus: 400,
			WantContains: []string{`duplicate key \"TC1\"`}},
		{Name: "empty body", Method: "POST", URL: responses, Body: ``, WantStatus: 400, WantContains: []string{"empty body"}},
		{Name: "trailing data", Method: "POST", URL: responses, Body: good + ` {}`, WantStatus: 400, WantContains: []string{"trailing data"}},
		{Name: "unknown field", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", nil), `"phone": "0903"`),
			WantStatus: 400, WantContains: []string{`unknown field \"phone\"`}},
		{Name: "wrong type", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, `[5]`), WantStatus: 400, WantContains: []string{"wrong type"}},
		{Name: "wrong content type", Method: "POST", URL: responses, Body: good, ContentType: "text/plain", WantStatus: 415},
		{Name: "form content type", Method: "POST", URL: responses, Body: good, ContentType: "application/x-www-form-urlencoded", WantStatus: 415},
		{Name: "no content type", Method: "POST", URL: responses, Body: good, ContentType: "-", WantStatus: 415},
		{Name: "JSON with charset", Method: "POST", URL: responses, Body: good, ContentType: "application/json; charset=utf-8", WantStatus: 201, WantStored: 1},
		{Name: "unknown item", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", map[string]string{"XX1": "5"})),
			WantStatus: 400, WantContains: []string{"unknown item(s): XX1"}},
		{Name: "value 6", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", map[string]string{"TT1": "6"})),
			WantStatus: 400, WantContains: []string{"TT1"}},
		{Name: "value 0", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", map[string]string{"TT1": "0"})), WantStatus: 400},
		{Name: "fraction", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", map[string]string{"TT1": "4.5"})), WantStatus: 400},
		{Name: "null answer", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", map[string]string{"TT1": "null"})), WantStatus: 400},
		{Name: "object answer", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", map[string]string{"TT1": "{}"})), WantStatus: 400},
		{Name: "other string", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", map[string]string{"TT1": `"good"`})), WantStatus: 400},
		// Answers are numbers 1..5 or the string "na": the string "5" is refused.
		{Name: "answers as strings", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers(`"5"`, nil)), WantStatus: 400},
		{Name: "missing items", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", nil, "GY1", "GY2")),
			WantStatus: 400, WantContains: []string{"missing answer for: GY1, GY2", `"GY1":"missing"`}},
		{Name: "no answers", Method: "POST", URL: responses, Body: `{"token": "{D1/Q1}", "submission_id": "` + apiSub + `"}`, WantStatus: 400, WantContains: []string{"answers is required"}},
		{Name: "na on quick", Method: "POST", URL: responses, Body: body("{D1/K1}", apiSub, `{"OV": "na"}`), WantStatus: 400},
		{Name: "unknown follow-up", Method: "POST", URL: responses, Body: body("{D1/K1}", apiSub, `{"OV": 5}`, `"followup": "3"`), WantStatus: 400},
		{Name: "follow-up on sipas", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", nil), `"followup": "1"`), WantStatus: 400},
		{Name: "missing token", Method: "POST", URL: responses, Body: `{"submission_id": "` + apiSub + `", "answers": {"OV": 5}}`, WantStatus: 400, WantContains: []string{"token is required"}},
		{Name: "forged token", Method: "POST", URL: responses, Body: body("{FORGED}", apiSub, answers("5", nil)), WantStatus: 404},
		{Name: "rotated token", Method: "POST", URL: responses, Body: body("{ROT}", apiSub, answers("5", nil)), WantStatus: 410, WantContains: []string{"no longer in use"}},
		{Name: "closed counter", Method: "POST", URL: responses, Body: body("{D1/Z1}", apiSub, answers("5", nil)), WantStatus: 410},
		{Name: "bad submission id", Method: "POST", URL: responses, Body: body("{D1/Q1}", "short", answers("5", nil)), WantStatus: 400, WantContains: []string{"submission_id"}},
		{Name: "invalid UTF-8", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", nil), "\"comment\": \"\xff\""), WantStatus: 400, WantContains: []string{"UTF-8"}},
		{Name: "comment too long", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", nil), `"comment": "`+strings.Repeat("ạ", 2001)+`"`), WantStatus: 400},
		{Name: "oversized body", Method: "POST", URL: responses, Body: body("{D1/Q1}", apiSub, answers("5", nil), `"comment": "`+long+`"`), WantStatus: 413},
		{Name: "oversized body without length", Method: "POST", URL: responses, Chunked: true,
			Body: body("{D1/Q1}", apiSub, answers("5", nil), `"comment": "`+long+`"`), WantStatus: 413},
		{Name: "GET not allowed", URL: responses, WantStatus: 405},
		{Name: "unknown API path", URL: "/api/v1/nothing", User: "admin", WantStatus: 404},
	})
}

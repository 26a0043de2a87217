package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

// at is the Env's start moved by d.
func at(d time.Duration) *time.Time {
	t := webtest.Start().Add(d)
	return &t
}

const day = 24 * time.Hour

// dossiers are the dossiers every Env of these tests registers, dated
// around webtest.Start (the clock's time when they are rated).
func dossiers() webtest.Option {
	return webtest.WithDossiers(map[string]survey.DossierRegistration{
		// D1/Q1 (sipas-2017), not returned, due in 4 days: pending.
		"q1": {AgencyCode: "D1", CounterCode: "Q1", ReceivedAt: *at(-3 * day), DueAt: at(4 * day)},
		// D1/K1 (quick): pending.
		"k1": {AgencyCode: "D1", CounterCode: "K1", ReceivedAt: *at(-time.Hour), DueAt: at(7 * day)},
		// D1 without a counter: sipas-2017; no due date: pending.
		"none": {AgencyCode: "D1", ReceivedAt: *at(-time.Hour)},
		// Returned a day before it was due: on time.
		"ontime": {AgencyCode: "D1", CounterCode: "Q1", ReceivedAt: *at(-5 * day), DueAt: at(-day), ReturnedAt: at(-2 * day)},
		// Not returned, past due: late.
		"overdue": {AgencyCode: "D1", ReceivedAt: *at(-10 * day), DueAt: at(-2 * day)},
		// Returned after it was due: late.
		"returnedlate": {AgencyCode: "D1", CounterCode: "Q1", ReceivedAt: *at(-10 * day), DueAt: at(-5 * day), ReturnedAt: at(-3 * day)},
		// Another agency's counterless dossier.
		"d2": {AgencyCode: "D2", ReceivedAt: *at(-time.Hour)},
	})
}

// dossierRating checks the newest stored response: a dossier rating with
// channel dossier at counter ("" for none) of agency, with instrument and
// timeliness class.
func dossierRating(counter, agency, instrument, timeliness string) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
	return func(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
		t.Helper()
		r := e.LastResponse(t)
		if r.CounterCode != counter || r.AgencyCode != agency || r.InstrumentID != instrument || r.Channel != survey.ChannelDossier ||
			r.DossierID == 0 || r.Timeliness != timeliness {
			t.Fatalf("got %+v, want counter %q agency %s instrument %s channel dossier timeliness %q", r, counter, agency, instrument, timeliness)
		}
		nulls := e.Count(t, `SELECT count(*) FROM responses WHERE id = (SELECT max(id) FROM responses) AND counter_id IS NULL`)
		if want := counter == ""; (nulls == 1) != want {
			t.Fatalf("counter_id IS NULL: got %v, want %v", nulls == 1, want)
		}
	}
}

// tap is the body of a one-tap quick rating.
func tap(sid, value string) string {
	return url.Values{"submission_id": {sid}, "OV": {value}}.Encode()
}

func TestDossierForm(t *testing.T) {
	rated := []webtest.Request{{Method: "POST", URL: "/s/{DOSSIER:q1}", Body: webtest.SipasForm("4", nil)}}
	webtest.Run(t, []webtest.Scenario{
		{Name: "open QR code unchanged", Method: "POST", URL: "/s/{D1/Q1}", Body: webtest.SipasForm("4", nil),
			WantStatus: 303, WantStored: 1, Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				stored("Q1", "D1", "web", 0)(t, e, w)
				if r := e.LastResponse(t); r.DossierID != 0 || r.Timeliness != "" {
					t.Fatalf("open-QR rating bound to a dossier: %+v", r)
				}
			}},
		{Name: "dossier of a sipas-2017 counter", URL: "/s/{DOSSIER:q1}", WantStatus: 200,
			WantContains: []string{"Đánh giá sự hài lòng về dịch vụ hành chính công", "Sở Tư pháp — Quầy hộ tịch",
				`action="/s/{DOSSIER:q1}"`, `href="/s/{DOSSIER:q1}?lang=en"`},
			WantNot: []string{`name="kiosk"`, "<script"}, Check: allRadios},
		{Name: "dossier form in English", URL: "/s/{DOSSIER:q1}?lang=en", WantStatus: 200,
			WantContains: []string{`<html lang="en">`, "Access to the service", `name="lang" value="en"`}, Check: allRadios},
		{Name: "dossier of a quick counter", URL: "/s/{DOSSIER:k1}", WantStatus: 200,
			WantContains: []string{"Sở Tư pháp — Máy tính bảng", `<button type="submit" name="OV" value="5">`, `action="/s/{DOSSIER:k1}"`},
			WantNot:      []string{`value="na"`}},
		{Name: "dossier without a counter: sipas-2017, the agency alone", URL: "/s/{DOSSIER:none}", WantStatus: 200,
			WantContains: []string{`<p class="agency">Sở Tư pháp</p>`, "Đánh giá sự hài lòng về dịch vụ hành chính công"},
			WantNot:      []string{"Sở Tư pháp —"}, Check: allRadios},
		{Name: "kiosk key ignored on a dossier", URL: "/s/{DOSSIER:q1}?kiosk={KIOSK:D1/Q1}", WantStatus: 200,
			WantContains: []string{`action="/s/{DOSSIER:q1}"`}, WantNot: []string{`name="kiosk"`, "{KIOSK:D1/Q1}"}},
		{Name: "forged dossier token", URL: "/s/{FORGED-DOSSIER}", WantStatus: 404, WantContains: []string{"Mã không hợp lệ"}},
		{Name: "garbled dossier token", URL: "/s/{DOSSIER:q1}x", WantStatus: 404, WantContains: []string{"Mã không hợp lệ"}},
		{Name: "dossier token cut short", URL: "/s/{DOSSIER:q1}/../x", WantStatus: 404},
		{Name: "forged dossier token POST", Method: "POST", URL: "/s/{FORGED-DOSSIER}", Body: webtest.SipasForm("4", nil), WantStatus: 404},

		{Name: "rating a dossier of a counter", Method: "POST", URL: "/s/{DOSSIER:q1}", Body: webtest.SipasForm("4", nil),
			WantStatus: 303, WantStored: 1, Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				location("/s/{DOSSIER:q1}/thanks")(t, e, w)
				dossierRating("Q1", "D1", "sipas-2017", survey.Pending)(t, e, w)
			}},
		{Name: "rating a dossier without a counter", Method: "POST", URL: "/s/{DOSSIER:none}", Body: webtest.SipasForm("5", nil),
			WantStatus: 303, WantStored: 1, Check: dossierRating("", "D1", "sipas-2017", survey.Pending)},
		{Name: "rating a quick dossier in English", Method: "POST", URL: "/s/{DOSSIER:k1}", Body: tap("dossier-tap-000000001", "5") + "&lang=en",
			WantStatus: 303, WantStored: 1, Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				location("/s/{DOSSIER:k1}/thanks?lang=en&more=dossier-tap-000000001")(t, e, w)
				dossierRating("K1", "D1", "quick", survey.Pending)(t, e, w)
			}},
		{Name: "kiosk key on a dossier is not the kiosk channel", Method: "POST", URL: "/s/{DOSSIER:q1}?kiosk={KIOSK:D1/Q1}",
			Body: webtest.SipasForm("4", map[string]string{"kiosk": "{KIOSK:D1/Q1}"}), WantStatus: 303, WantStored: 1,
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				location("/s/{DOSSIER:q1}/thanks")(t, e, w)
				dossierRating("Q1", "D1", "sipas-2017", survey.Pending)(t, e, w)
			}},
		{Name: "on time", Method: "POST", URL: "/s/{DOSSIER:ontime}", Body: webtest.SipasForm("4", nil),
			WantStatus: 303, WantStored: 1, Check: dossierRating("Q1", "D1", "sipas-2017", survey.OnTime)},
		{Name: "past due, not returned", Method: "POST", URL: "/s/{DOSSIER:overdue}", Body: webtest.SipasForm("4", nil),
			WantStatus: 303, WantStored: 1, Check: dossierRating("", "D1", "sipas-2017", survey.Late)},
		{Name: "returned late", Method: "POST", URL: "/s/{DOSSIER:returnedlate}", Body: webtest.SipasForm("4", nil),
			WantStatus: 303, WantStored: 1, Check: dossierRating("Q1", "D1", "sipas-2017", survey.Late)},

		{Name: "rated: GET answers 409", Before: rated, URL: "/s/{DOSSIER:q1}", WantStatus: 409, WantStored: 1,
			WantContains: []string{survey.MsgDossierRated}, WantNot: []string{"<form", `type="radio"`}},
		{Name: "rated: GET in English", Before: rated, URL: "/s/{DOSSIER:q1}?lang=en", WantStatus: 409, WantStored: 1,
			WantContains: []string{"This dossier has already been rated. Thank you!"}, WantNot: []string{"<form"}},
		{Name: "rated: a new rating answers 409", Before: rated, Method: "POST", URL: "/s/{DOSSIER:q1}",
			Body: webtest.SipasForm("2", map[string]string{"submission_id": "another-submission-0001"}), WantStatus: 409, WantStored: 1,
			WantContains: []string{survey.MsgDossierRated}, WantNot: []string{"<form"}},
		{Name: "rated: a new rating of a counterless dossier", Method: "POST", URL: "/s/{DOSSIER:none}",
			Before: []webtest.Request{{Method: "POST", URL: "/s/{DOSSIER:none}", Body: webtest.SipasForm("4", nil)}},
			Body:   webtest.SipasForm("2", map[string]string{"submission_id": "another-submission-0001"}), WantStatus: 409, WantStored: 1,
			WantContains: []string{survey.MsgDossierRated}},
		{Name: "rated: an incomplete new form answers 409 too", Before: rated, Method: "POST", URL: "/s/{DOSSIER:q1}",
			Body: webtest.SipasForm("2", map[string]string{"submission_id": "another-submission-0001"}, "TC1"), WantStatus: 409, WantStored: 1,
			WantContains: []string{survey.MsgDossierRated}},
		{Name: "rated: the rating's id with other answers", Before: rated, Method: "POST", URL: "/s/{DOSSIER:q1}",
			Body: webtest.SipasForm("2", nil), WantStatus: 409, WantStored: 1, WantContains: []string{survey.MsgDossierRated}},
		{Name: "double tap is a replay", Before: rated, Method: "POST", URL: "/s/{DOSSIER:q1}", Body: webtest.SipasForm("4", nil),
			WantStatus: 303, WantStored: 1, Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				location("/s/{DOSSIER:q1}/thanks")(t, e, w)
				dossierRating("Q1", "D1", "sipas-2017", survey.Pending)(t, e, w)
			}},
		{Name: "rated: the thank-you page still thanks", Before: rated, URL: "/s/{DOSSIER:q1}/thanks", WantStatus: 200, WantStored: 1,
			WantContains: []string{"Cảm ơn Ông/Bà!"}, WantNot: []string{`href="/s/{DOSSIER:q1}"`, "Đánh giá lần khác"}},
		{Name: "a dossier's one rating is not another dossier's", Before: rated, Method: "POST", URL: "/s/{DOSSIER:ontime}",
			Body: webtest.SipasForm("4", map[string]string{"submission_id": "another-submission-0001"}), WantStatus: 303, WantStored: 2},
		{Name: "an open-QR rating's id on a dossier", Method: "POST", URL: "/s/{DOSSIER:q1}",
			Before: []webtest.Request{{Method: "POST", URL: "/s/{D1/Q1}", Body: webtest.SipasForm("4", nil)}},
			Body:   webtest.SipasForm("4", nil), WantStatus: 409, WantStored: 1,
			// Not the dossier's rating: the usual conflict, answers kept
			// under a new id.
			WantContains: []string{"Phiếu này đã được gửi trước đó", `type="radio"`}, WantNot: []string{survey.MsgDossierRated}},

		{Name: "dossier QR code PNG", URL: "/s/{DOSSIER:none}/qr.png", WantStatus: 200, Check: func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
			if ct := w.Header().Get("Content-Type"); ct != "image/png" || !bytes.HasPrefix(w.Body.Bytes(), []byte("\x89PNG\r\n\x1a\n")) {
				t.Fatalf("got %s, not a PNG", ct)
			}
		}},
		{Name: "dossier QR code SVG", URL: "/s/{DOSSIER:q1}/qr.svg", WantStatus: 200, Check: func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
			if ct := w.Header().Get("Content-Type"); ct != "image/svg+xml" {
				t.Fatalf("got content type %q", ct)
			}
			webtest.CheckSVG(t, w.Body.Bytes())
		}},
		{Name: "forged dossier QR code", URL: "/s/{FORGED-DOSSIER}/qr.png", WantStatus: 404},
		{Name: "no poster for a dossier", URL: "/s/{DOSSIER:q1}/poster", WantStatus: 404, WantContains: []string{"Không tìm thấy trang"}},
		{Name: "no poster for a counterless dossier", URL: "/s/{DOSSIER:none}/poster", WantStatus: 404},
		{Name: "the counter's poster unchanged", URL: "/s/{D1/Q1}/poster", WantStatus: 200, WantContains: []string{"Quầy hộ tịch"}},
	}, dossiers())
}

// The one-tap follow-up completes a dossier's quick rating.
func TestDossierFollowup(t *testing.T) {
	e := webtest.New(t, dossiers())
	sid := sqlitetest.SubmissionID()
	tok := e.Replace("{DOSSIER:k1}")
	w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/" + tok, Body: tap(sid, "4")})
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.Contains(loc, "more="+sid) {
		t.Fatalf("tap: got %d %q, want 303 offering more", w.Code, loc)
	}
	page := e.Do(t, webtest.Request{URL: loc})
	if page.Code != 200 || !strings.Contains(page.Body.String(), `action="/s/`+tok+`/more"`) {
		t.Fatalf("thank-you page: got %d without the follow-up form: %.2000s", page.Code, page.Body)
	}
	w = e.Do(t, webtest.Request{Method: "POST", URL: "/s/" + tok + "/more", Body: url.Values{"submission_id": {sid}, "trips": {"1"}, "comment": {"nhanh"}}.Encode()})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("more: got %d: %.500s", w.Code, w.Body)
	}
	if r := e.LastResponse(t); r.Followup == 0 || r.Comment != "nhanh" || r.Channel != survey.ChannelDossier {
		t.Fatalf("follow-up not added: %+v", r)
	}

	// Counterless: sipas-2017 has no follow-up question, so its thank-you
	// page offers none, ?more= or not.
	none := e.Replace("{DOSSIER:none}")
	page = e.Do(t, webtest.Request{URL: "/s/" + none + "/thanks?more=" + sid})
	if page.Code != 200 || strings.Contains(page.Body.String(), "/more") {
		t.Fatalf("counterless thank-you page: got %d: %.2000s", page.Code, page.Body)
	}
}

// A counter closed, or an agency closed, after the dossier was registered:
// its URL, QR codes and thank-you page answer 410 like any token gone.
func TestDossierGone(t *testing.T) {
	e := webtest.New(t)
	_, tok := e.Dossier(t, survey.DossierRegistration{AgencyCode: "D1", CounterCode: "Q1"})
	_, tok3 := e.Dossier(t, survey.DossierRegistration{AgencyCode: "D3"})
	closed := true
	if _, err := e.DB.UpdateCounter(t.Context(), "D1", "Q1", survey.CounterUpdate{Closed: &closed}, survey.Actor{Name: "test"}); err != nil {
		t.Fatalf("close counter: %v", err)
	}
	if _, err := e.DB.UpdateAgency(t.Context(), "D3", survey.AgencyUpdate{Closed: &closed}, survey.Actor{Name: "test"}); err != nil {
		t.Fatalf("close agency: %v", err)
	}
	for _, tk := range []string{tok, tok3} {
		for _, r := range []webtest.Request{
			{URL: "/s/" + tk},
			{Method: "POST", URL: "/s/" + tk, Body: webtest.SipasForm("4", nil)},
			{URL: "/s/" + tk + "/qr.png"},
			{URL: "/s/" + tk + "/thanks"},
			{Method: "POST", URL: "/api/v1/responses", Body: webtest.ResponseBody(tk, "gone-submission-000001", webtest.SipasAnswers("4", nil))},
		} {
			w := e.Do(t, r)
			if w.Code != http.StatusGone {
				t.Fatalf("%s %s: got %d, want 410: %.300s", r.Method, r.URL, w.Code, w.Body)
			}
			if !strings.HasPrefix(r.URL, "/api/") && !strings.Contains(w.Body.String(), "Mã QR này không còn sử dụng") {
				t.Fatalf("%s %s: not the gone page: %.1000s", r.Method, r.URL, w.Body)
			}
			// The slip's code is not reprinted: the page does not send the
			// citizen to a poster at the counter.
			if r.URL == "/s/"+tk && (!strings.Contains(w.Body.String(), "mã trên phiếu không còn nhận đánh giá") || strings.Contains(w.Body.String(), "quét mã QR mới")) {
				t.Fatalf("%s %s: not the dossier's gone page: %.1000s", r.Method, r.URL, w.Body)
			}
		}
	}
	if n := e.Responses(t); n != 0 {
		t.Fatalf("got %d stored responses, want 0", n)
	}
}

// The dossier's QR code decodes to its rating URL.
func TestDossierQRDecodes(t *testing.T) {
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not found (scripts/test-deps.sh installs it; TestQRCodesDecodeToSurveyURL requires it)")
	}
	e := webtest.New(t)
	_, tok := e.Dossier(t, survey.DossierRegistration{AgencyCode: "D1"})
	w := e.Do(t, webtest.Request{URL: "/s/" + tok + "/qr.png"})
	if w.Code != 200 {
		t.Fatalf("qr.png: got %d", w.Code)
	}
	path := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(path, w.Body.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--quiet", "--raw", path).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got, want := strings.TrimSpace(string(out)), webtest.BaseURL+"/s/"+tok; got != want {
		t.Fatalf("QR code says %q, want %q", got, want)
	}
}

// apiError checks a JSON error's message.
func apiError(want string) func(*testing.T, *webtest.Env, *httptest.ResponseRecorder) {
	return func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
		t.Helper()
		var ae struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &ae); err != nil || ae.Error != want {
			t.Fatalf("got %s, want error %q", w.Body, want)
		}
	}
}

func TestDossierAPI(t *testing.T) {
	body := func(token, sid, value string) string {
		return webtest.ResponseBody(token, sid, webtest.SipasAnswers(value, nil))
	}
	first := []webtest.Request{{Method: "POST", URL: "/api/v1/responses", Body: body("{DOSSIER:q1}", "api-dossier-000000001", "4")}}
	webtest.Run(t, []webtest.Scenario{
		{Name: "rating a dossier", Method: "POST", URL: "/api/v1/responses", Body: body("{DOSSIER:q1}", "api-dossier-000000001", "4"),
			WantStatus: 201, WantContains: []string{`"replay":false`}, WantStored: 1, Check: dossierRating("Q1", "D1", "sipas-2017", survey.Pending)},
		{Name: "rating a counterless late dossier", Method: "POST", URL: "/api/v1/responses", Body: body("{DOSSIER:overdue}", "api-dossier-000000001", "4"),
			WantStatus: 201, WantStored: 1, Check: dossierRating("", "D1", "sipas-2017", survey.Late)},
		{Name: "rated: 409", Before: first, Method: "POST", URL: "/api/v1/responses", Body: body("{DOSSIER:q1}", "api-dossier-000000002", "4"),
			WantStatus: 409, WantStored: 1, Check: apiError(survey.MsgDossierRated)},
		{Name: "rated: the rating's id with other answers", Before: first, Method: "POST", URL: "/api/v1/responses",
			Body: body("{DOSSIER:q1}", "api-dossier-000000001", "2"), WantStatus: 409, WantStored: 1, Check: apiError(survey.MsgDossierRated)},
		{Name: "replay", Before: first, Method: "POST", URL: "/api/v1/responses", Body: body("{DOSSIER:q1}", "api-dossier-000000001", "4"),
			WantStatus: 200, WantContains: []string{`"replay":true`}, WantStored: 1},
		{Name: "kiosk key with a dossier token", Method: "POST", URL: "/api/v1/responses",
			Body:       webtest.ResponseBody("{DOSSIER:q1}", "api-dossier-000000001", webtest.SipasAnswers("4", nil), `"kiosk": "{KIOSK:D1/Q1}"`),
			WantStatus: 400, Check: apiError("kiosk applies to a counter's token, not a dossier's")},
		{Name: "forged dossier token", Method: "POST", URL: "/api/v1/responses", Body: body("{FORGED-DOSSIER}", "api-dossier-000000001", "4"),
			WantStatus: 404, Check: apiError(survey.MsgBadToken)},
		{Name: "open QR code still api", Method: "POST", URL: "/api/v1/responses", Body: body("{D1/Q1}", "api-dossier-000000001", "4"),
			WantStatus: 201, WantStored: 1, Check: stored("Q1", "D1", "api", 0)},
	}, dossiers())
}

// Counterless dossier ratings are rate-limited per agency and client, like
// a counter's: two agencies' do not share a count.
func TestDossierRateLimit(t *testing.T) {
	e := webtest.New(t, webtest.WithConfig(web.Config{RateLimit: 1}), dossiers())
	post := func(token, sid string) {
		t.Helper()
		if w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/" + e.Replace(token), Body: webtest.SipasForm("4", map[string]string{"submission_id": sid})}); w.Code != http.StatusSeeOther {
			t.Fatalf("%s: got %d: %.300s", token, w.Code, w.Body)
		}
	}
	flag := func(sid string) string {
		var f string
		if err := e.RO.QueryRow(`SELECT flag FROM responses WHERE submission_id = ?`, sid).Scan(&f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	post("{DOSSIER:none}", "limit-submission-00001")
	post("{DOSSIER:d2}", "limit-submission-00002")
	post("{DOSSIER:overdue}", "limit-submission-00003")
	for sid, want := range map[string]string{"limit-submission-00001": "", "limit-submission-00002": "", "limit-submission-00003": survey.FlagRateLimited} {
		if got := flag(sid); got != want {
			t.Fatalf("%s: got flag %q, want %q", sid, got, want)
		}
	}
}

// FuzzSurveyToken opens the form of arbitrary tokens, mutated from a
// counter's and dossiers' (with and without a counter, rated): it never
// answers 5xx, a 200 or 409 is only for a token issued, and anything else
// is the 404 or 410 page.
func FuzzSurveyToken(f *testing.F) {
	e := webtest.New(f, dossiers())
	issued := map[string]bool{}
	for _, p := range []string{"{D1/Q1}", "{ROT}", "{FORGED}", "{DOSSIER:q1}", "{DOSSIER:none}", "{DOSSIER:k1}", "{FORGED-DOSSIER}"} {
		tok := e.Replace(p)
		issued[tok] = p != "{FORGED}" && p != "{FORGED-DOSSIER}"
		f.Add(tok)
	}
	if w := e.Do(f, webtest.Request{Method: "POST", URL: "/s/{DOSSIER:none}", Body: webtest.SipasForm("4", nil)}); w.Code != http.StatusSeeOther {
		f.Fatalf("rate: got %d", w.Code)
	}
	f.Add("")
	f.Add(".")
	f.Add("AQ.")
	f.Fuzz(func(t *testing.T, token string) {
		if strings.ContainsAny(token, "/?#%") || token == "" || token == "." || token == ".." {
			return // another route, or no token
		}
		req := httptest.NewRequest("GET", "/s/"+url.PathEscape(token), nil)
		w := httptest.NewRecorder()
		e.Handler.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK, http.StatusConflict:
			if !issued[token] {
				t.Fatalf("status %d for a token not issued: %q", w.Code, token)
			}
		case http.StatusNotFound, http.StatusGone:
		default:
			t.Fatalf("status %d for token %q: %.300s", w.Code, token, w.Body)
		}
	})
}

// A dossier's ratings are counted under channel dossier: stored, a double
// tap as a replay, a second rating as a conflict.
func TestDossierMetrics(t *testing.T) {
	e := webtest.New(t, dossiers())
	for _, r := range []struct {
		body string
		want int
	}{
		{webtest.SipasForm("4", nil), http.StatusSeeOther},
		{webtest.SipasForm("4", nil), http.StatusSeeOther},
		{webtest.SipasForm("4", map[string]string{"submission_id": "another-submission-0001"}), http.StatusConflict},
	} {
		if w := e.Do(t, webtest.Request{Method: "POST", URL: "/s/{DOSSIER:none}", Body: r.body}); w.Code != r.want {
			t.Fatalf("got %d, want %d: %.300s", w.Code, r.want, w.Body)
		}
	}
	body := e.Do(t, webtest.Request{URL: "/metrics"}).Body.String()
	for _, want := range []string{
		`sipas_submissions_stored_total{channel="dossier"} 1`,
		`sipas_submissions_replayed_total{channel="dossier"} 1`,
		`sipas_submissions_conflicts_total{channel="dossier"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Fatalf("metrics lack %q", want)
		}
	}
}

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
)

func TestParseCounterURLs(t *testing.T) {
	out := `S01/K1 (Máy đánh giá tại sảnh, quick)
  survey: http://127.0.0.1:9999/s/AgE.6F1dPtkFi_e5n6tT
  kiosk:  http://127.0.0.1:9999/s/AgE.6F1dPtkFi_e5n6tT?kiosk=1
  poster: http://127.0.0.1:9999/s/AgE.6F1dPtkFi_e5n6tT/poster
S01/Q1 (Quầy 1 – Tiếp nhận (một cửa), sipas-2017)
  survey: http://127.0.0.1:9999/s/AQE.iwJ0sB1PnOgCRcRw
`
	got, err := parseCounterURLs(strings.NewReader(out))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	want := []counterURL{
		{Counter: "S01/K1", Instrument: "quick", Token: "AgE.6F1dPtkFi_e5n6tT"},
		{Counter: "S01/Q1", Instrument: "sipas-2017", Token: "AQE.iwJ0sB1PnOgCRcRw"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestParseCounterURLsErrors(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"no parenthesis", "S01/Q1 sipas-2017\n"},
		{"url before counter", "  survey: http://x/s/abc\n"},
		{"counter without url", "S01/Q1 (Quầy 1, sipas-2017)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := parseCounterURLs(strings.NewReader(tc.in)); err == nil {
				t.Fatalf("got %v, want an error", got)
			}
		})
	}
}

func TestParseAgencyCodes(t *testing.T) {
	out := "CODE      NAME                   PARENT  STATUS\nDEMO      UBND tỉnh Demo                 open\nH01-X001  Xã Ô Môn               H01     open\n\n"
	if got, want := strings.Join(parseAgencyCodes(strings.NewReader(out)), ","), "DEMO,H01-X001"; got != want {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestBodiesAreValidSubmissions checks every generated body against the
// real sipas-2017 instrument, so a change to the instrument shows here
// rather than as a benchmark full of 400s.
func TestBodiesAreValidSubmissions(t *testing.T) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatalf("instruments: %v", err)
	}
	in, err := reg.Current("sipas-2017")
	if err != nil {
		t.Fatalf("instrument: %v", err)
	}
	seen := map[string]bool{}
	na := 0
	for client := range 4 {
		for seq := range 200 {
			body := appendBody(nil, `tok"en`, "0123abcd", client, seq)
			var req struct {
				Token        string                     `json:"token"`
				SubmissionID string                     `json:"submission_id"`
				Answers      map[string]json.RawMessage `json:"answers"`
				Comment      string                     `json:"comment"`
			}
			dec := json.NewDecoder(strings.NewReader(string(body)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if req.Token != `tok"en` || !survey.ValidSubmissionID(req.SubmissionID) || seen[req.SubmissionID] {
				t.Fatalf("got token %q id %q (seen %v), want the token and a new valid id", req.Token, req.SubmissionID, seen[req.SubmissionID])
			}
			seen[req.SubmissionID] = true
			raw := map[string]string{}
			for code, v := range req.Answers {
				var s string
				if json.Unmarshal(v, &s) == nil {
					raw[code] = s
					na++
				} else {
					raw[code] = string(v)
				}
			}
			if _, verr := survey.ParseAnswers(in, raw); verr != nil {
				t.Fatalf("body %s: %v", body, verr)
			}
			if _, cerr := survey.CleanComment(req.Comment); cerr != nil {
				t.Fatalf("comment %q: %v", req.Comment, cerr)
			}
		}
	}
	if na == 0 {
		t.Fatalf("got no \"na\" answer in 800 bodies, want some")
	}
	if a, b := appendBody(nil, "t", "r", 3, 7), appendBody(nil, "t", "r", 3, 7); string(a) != string(b) {
		t.Fatalf("got %s and %s, want the same body for the same (client, seq)", a, b)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ms(7), 0.99, 7 * time.Millisecond},
		{"median of four", ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond},
		{"p50 of 100", ms(hundred...), 0.5, 50 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"max", ms(1, 2, 3), 1, 3 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.sorted, tc.q); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestVerdict(t *testing.T) {
	ok := loadSummary{Requests: 10000, OK: 10000}
	for _, tc := range []struct {
		name string
		s    summary
		want int // failures
	}{
		{"clean", summary{Bare: ok, Sipas: ok, StoredRows: 10000}, 0},
		{"errors within 0.1%", summary{Bare: ok, Sipas: loadSummary{Requests: 10000, OK: 9990, Errors: 10, ErrorRate: 0.001}, StoredRows: 9990}, 0},
		{"too many sipas errors", summary{Bare: ok, Sipas: loadSummary{Requests: 10000, OK: 9980, Errors: 20, ErrorRate: 0.002}, StoredRows: 9980}, 1},
		{"too many bare errors", summary{Bare: loadSummary{Requests: 100, OK: 90, Errors: 10, ErrorRate: 0.1}, Sipas: ok, StoredRows: 10000}, 1},
		{"a 201 not stored", summary{Bare: ok, Sipas: ok, StoredRows: 9999}, 1},
		{"more rows than 201s", summary{Bare: ok, Sipas: ok, StoredRows: 10001}, 1},
		{"journey clean", summary{Scenario: scenarioJourney, Bare: ok, Sipas: ok, StoredRows: 10004, Acknowledged: 10004}, 0},
		{"journey: a thank-you not stored", summary{Scenario: scenarioJourney, Bare: ok, Sipas: ok, StoredRows: 10003, Acknowledged: 10004, Missing: 1}, 1},
		{"journey: stored in another language", summary{Scenario: scenarioJourney, Bare: ok, Sipas: ok, StoredRows: 10004, Acknowledged: 10004, Mismatched: 1}, 1},
		{"journey: errors", summary{Scenario: scenarioJourney, Bare: ok, Sipas: loadSummary{Requests: 10000, OK: 9980, Errors: 20, ErrorRate: 0.002}, StoredRows: 9984, Acknowledged: 9984}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := verdict(&tc.s); len(got) != tc.want {
				t.Fatalf("got %v, want %d failures", got, tc.want)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr bool
	}{
		{"defaults", nil, false},
		{"all", []string{"--sipas", "x", "--duration", "2s", "--clients", "8", "--out", "o.json"}, false},
		{"zero clients", []string{"--clients", "0"}, true},
		{"negative duration", []string{"--duration", "-1s"}, true},
		{"extra argument", []string{"serve"}, true},
		{"journey", []string{"--scenario", "journey"}, false},
		{"journey with clients", []string{"--scenario", "journey", "--clients", "8"}, false},
		{"unknown scenario", []string{"--scenario", "walk"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, io.Discard)
			if (err != nil) != tc.wantErr {
				t.Fatalf("got %v, want error %v", err, tc.wantErr)
			}
			if tc.name == "defaults" && (o.clients != 256 || o.duration != 10*time.Second || o.sipas != "bin/sipas") {
				t.Fatalf("got %+v, want 256 clients, 10s, bin/sipas", o)
			}
			if want := map[string]int{"journey": 64, "journey with clients": 8}[tc.name]; want > 0 && o.clients != want {
				t.Fatalf("got %d clients, want %d", o.clients, want)
			}
		})
	}
}

// TestLoadAgainstBareGin runs a short load against the in-process bare Gin
// server: every request must succeed and be counted and timed.
func TestLoadAgainstBareGin(t *testing.T) {
	addr, stop, err := startBareGin()
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	defer stop()
	res := runLoad(context.Background(), loadConfig{
		URL: "http://" + addr + "/api/v1/responses", Clients: 4, Duration: 150 * time.Millisecond,
		Tokens: []string{"a", "b"}, Run: "test", WantStatus: 200,
	})
	if res.OK == 0 || res.Errors != 0 || res.Statuses[200] != res.OK || len(res.Latencies) != res.OK {
		t.Fatalf("got ok %d errors %d statuses %v latencies %d, want only 200s, all timed", res.OK, res.Errors, res.Statuses, len(res.Latencies))
	}
	// A status other than the wanted one counts as an error, with a sample.
	res = runLoad(context.Background(), loadConfig{
		URL: "http://" + addr + "/nowhere", Clients: 2, Duration: 50 * time.Millisecond,
		Tokens: []string{"a"}, Run: "test", WantStatus: 200,
	})
	if res.OK != 0 || res.Errors == 0 || len(res.FirstErrs) == 0 || !regexp.MustCompile(`^404 `).MatchString(res.FirstErrs[0]) {
		t.Fatalf("got ok %d errors %d samples %q, want only 404 errors", res.OK, res.Errors, res.FirstErrs)
	}
}

// Two forms in the markup of survey/web/citizen/templates/survey.html: the
// full instrument (radio groups with "no opinion") and the one-tap quick
// form (the item as submit buttons, an optional follow-up, a comment).
const (
	fullForm = `<!doctype html><html lang="vi"><head><style>a{b:c}</style></head><body>
<svg class="defs"><defs><symbol id="f1"><circle cx="1"/></symbol></defs></svg>
<form method="get" action="/search"><input name="q" value="x"></form>
<form method="post" action="/s/TOK" accept-charset="utf-8" novalidate>
<input type="hidden" name="submission_id" value="AbCdEfGhIjKlMnOpQrStUv">
<input type="hidden" name="lang" value="en">
<div class="hp" aria-hidden="true"><label>Website <input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<fieldset id="q-TC1"><div class="opts">
<label class="opt"><input type="radio" name="TC1" value="5"><span>5</span></label>
<label class="opt"><input type="radio" name="TC1" value="4"><span>4</span></label>
<label class="opt"><input type="radio" name="TC1" value="3"><span>3</span></label>
<label class="opt"><input type="radio" name="TC1" value="2"><span>2</span></label>
<label class="opt"><input type="radio" name="TC1" value="1"><span>1</span></label>
<label class="opt naopt"><input type="radio" name="TC1" value="na"><span>na</span></label>
</div></fieldset>
<fieldset id="q-TC2"><div class="opts">
<label class="opt"><input type="radio" name="TC2" value="5" checked><span>5</span></label>
<label class="opt"><input type="radio" name="TC2" value="1"><span>1</span></label>
<label class="opt"><input type="radio" name="TC2" value="na" disabled><span>na</span></label>
</div></fieldset>
<p><textarea id="comment" name="comment" maxlength="2000">
</textarea></p>
<button class="submit" type="submit">Send</button>
</form></body></html>`
	quickForm = `<!doctype html><html><body>
<form method="POST" action="/s/QTOK?kiosk=1">
<input type="hidden" name="submission_id" value="Qq0123456789abcdefghij">
<input type="hidden" name="lang" value="vi">
<input type="hidden" name="kiosk" value="1">
<div class="hp"><input type="text" name="website"></div>
<fieldset id="q-OV"><div class="tap">
<button type="submit" name="OV" value="5"><svg><use href="#f5"/></svg> Rất hài lòng</button>
<button type="submit" name="OV" value="4">4</button>
<button type="submit" name="OV" value="3">3</button>
<button type="submit" name="OV" value="2">2</button>
<button type="submit" name="OV" value="1">1</button>
</div></fieldset>
<fieldset><div class="opts na">
<label class="opt"><input type="radio" name="trips" value="0"><span>0</span></label>
<label class="opt"><input type="radio" name="trips" value="1"><span>1</span></label>
<label class="opt"><input type="radio" name="trips" value="2&#43;"><span>2+</span></label>
</div></fieldset>
<textarea id="comment" name="comment">Đã &lt;ghi&gt;</textarea>
<button type="button" name="noise" value="x">not sent</button>
</form></body></html>`
)

var (
	fullSpec  = formSpec{Items: []string{"TC1", "TC2"}}
	quickSpec = formSpec{Items: []string{"OV"}, Followup: "trips"}
)

func TestParseForm(t *testing.T) {
	f, err := parseForm([]byte(quickForm))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if f.Action != "/s/QTOK?kiosk=1" {
		t.Fatalf("got action %q, want /s/QTOK?kiosk=1", f.Action)
	}
	if got, want := fmt.Sprint(f.values("radio", "trips")), "[0 1 2+]"; got != want {
		t.Fatalf("got trips %s, want %s (character references decoded)", got, want)
	}
	if got, want := fmt.Sprint(f.values("submit", "OV")), "[5 4 3 2 1]"; got != want {
		t.Fatalf("got buttons %s, want %s", got, want)
	}
	var comment string
	for _, c := range f.Controls {
		if c.Name == "comment" {
			comment = c.Value
		}
		if c.Name == "noise" {
			t.Fatalf("got a type=button control %+v, want it left out", c)
		}
	}
	if comment != "Đã <ghi>" {
		t.Fatalf("got comment %q, want %q", comment, "Đã <ghi>")
	}
	f, err = parseForm([]byte(fullForm))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if f.Action != "/s/TOK" || fmt.Sprint(f.values("radio", "TC2")) != "[5 1]" {
		t.Fatalf("got action %q, TC2 %v, want the POST form's action and no disabled option", f.Action, f.values("radio", "TC2"))
	}
	// Markup a browser reads the same way: any case, either quote or none,
	// and no control taken from a comment or a style sheet.
	odd := `<style>p::before{content:"<input name=css>"}</style><!-- <form method=post action=/no><input name=x> -->
<FORM Method=POST action='/s/T?a=1&amp;b=2'><Input TYPE=hidden name=submission_id value='it&#39;s' name=other>
<input type=radio name=A value=1 checked><input type="radio" name="A" value="2" disabled><textarea name=c>x&amp;y</TEXTAREA></Form>`
	f, err = parseForm([]byte(odd))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if got, want := fmt.Sprint(f), "&{/s/T?a=1&b=2 [{hidden submission_id it's false} {radio A 1 true} {textarea c x&y false}]}"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestFill(t *testing.T) {
	for _, tc := range []struct {
		name  string
		page  string
		spec  formSpec
		sid   string
		fixed map[string]string // fields sent as the page holds them
		items map[string]string // item → the values it may take
	}{
		{"full", fullForm, fullSpec, "AbCdEfGhIjKlMnOpQrStUv",
			map[string]string{"submission_id": "AbCdEfGhIjKlMnOpQrStUv", "lang": "en", "website": ""},
			map[string]string{"TC1": "5 4 3 2 1 na", "TC2": "5 1"}},
		{"quick", quickForm, quickSpec, "Qq0123456789abcdefghij",
			map[string]string{"submission_id": "Qq0123456789abcdefghij", "lang": "vi", "kiosk": "1", "website": ""},
			map[string]string{"OV": "5 4 3 2 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseForm([]byte(tc.page))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			na, trips := 0, 0
			for h := range uint64(400) {
				body, sid, err := fill(f, tc.spec, mix(h))
				if err != nil {
					t.Fatalf("fill: %v", err)
				}
				if sid != tc.sid {
					t.Fatalf("got submission id %q, want %q", sid, tc.sid)
				}
				v, err := url.ParseQuery(body)
				if err != nil {
					t.Fatalf("body %q: %v", body, err)
				}
				for k, want := range tc.fixed {
					if got := v[k]; len(got) != 1 || got[0] != want {
						t.Fatalf("body %q: got %s=%q, want %q once", body, k, got, want)
					}
				}
				for k, allowed := range tc.items {
					if got := v[k]; len(got) != 1 || !slices.Contains(strings.Fields(allowed), got[0]) {
						t.Fatalf("body %q: got %s=%q, want one of %s", body, k, got, allowed)
					}
					if v.Get(k) == "na" {
						na++
					}
				}
				if _, ok := v["comment"]; !ok {
					t.Fatalf("body %q: got no comment field, want it sent (empty or not)", body)
				}
				if got := v["trips"]; len(got) > 0 {
					if tc.spec.Followup == "" || len(got) != 1 || !slices.Contains([]string{"0", "1", "2+"}, got[0]) {
						t.Fatalf("body %q: got trips %q, want at most one of 0, 1, 2+", body, got)
					}
					trips++
				}
				if len(v) != len(tc.fixed)+len(tc.items)+1+min(len(v["trips"]), 1) {
					t.Fatalf("body %q: got fields no form sends", body)
				}
			}
			if tc.name == "full" && na == 0 {
				t.Fatalf("got no \"na\" answer in 400 forms, want some")
			}
			if tc.name == "quick" && (trips == 0 || trips == 400) {
				t.Fatalf("got the follow-up answered %d times in 400, want sometimes", trips)
			}
		})
	}
}

func TestFillErrors(t *testing.T) {
	for _, tc := range []struct{ name, page string }{
		{"no POST form", `<form method="get"><input name="q"></form>`},
		{"form not closed", `<form method="post"><input name="TC1" type="radio" value="1">`},
		{"item missing", strings.Replace(fullForm, `name="TC2"`, `name="XX"`, -1)},
		{"no submission id", strings.Replace(fullForm, `name="submission_id"`, `name="sid"`, 1)},
		{"no send button", strings.Replace(fullForm, `<button class="submit" type="submit">Send</button>`, "", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseForm([]byte(tc.page))
			if err == nil {
				_, _, err = fill(f, fullSpec, 1)
			}
			if err == nil {
				t.Fatalf("got no error, want one")
			}
		})
	}
	f, err := parseForm([]byte(quickForm))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if _, _, err := fill(f, formSpec{Items: []string{"OV", "OV2"}}, 1); err == nil {
		t.Fatalf("got no error for an item the form lacks, want one")
	}
}

// TestJourneyAgainstBareGin walks short journey loads against the bare
// handler set built from the two forms: every journey must end on the
// thank-you page and its POST be acknowledged, in both languages.
func TestJourneyAgainstBareGin(t *testing.T) {
	tokens := [len(journeyInstruments)][]string{{"TOK", "TOK2"}, {"QTOK"}}
	caps := map[variant]*capture{}
	for k, page := range []string{fullForm, quickForm} {
		for _, lang := range journeyLangs {
			thanks := "/s/" + tokens[k][0] + "/thanks"
			if lang == "en" {
				thanks += "?lang=en"
			}
			p := strings.Replace(page, `name="lang" value="en"`, `name="lang" value="`+lang+`"`, 1)
			p = strings.Replace(p, `name="lang" value="vi"`, `name="lang" value="`+lang+`"`, 1)
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write([]byte(p))
			zw.Close()
			caps[variant{journeyInstruments[k], lang}] = &capture{form: []byte(p), formGzip: z.Bytes(), thanks: []byte("<h1>Thanks " + lang + "</h1>"), thanksURL: "http://x" + thanks}
		}
	}
	bj, err := newBareJourney(tokens, caps)
	if err != nil {
		t.Fatalf("bare: %v", err)
	}
	addr, stop, err := bj.start()
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	defer stop()
	// The form goes out as its precompressed bytes to a client that
	// accepts gzip, plain to one that does not; the short thank-you page
	// has no compressed bytes and goes out plain.
	want := caps[variant{journeyInstruments[0], "en"}]
	for _, tc := range []struct {
		path, accept, wantEncoding string
		want                       []byte
	}{
		{"/s/TOK2?lang=en", "gzip, deflate", "gzip", want.formGzip},
		{"/s/TOK2?lang=en", "", "", want.form},
		{"/s/TOK2/thanks?lang=en", "gzip", "", want.thanks},
	} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+tc.path, nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != tc.wantEncoding || !bytes.Equal(body, tc.want) {
			t.Fatalf("%s (Accept-Encoding %q): got %d, encoding %q, %d bytes; want 200, %q, the %d bytes captured", tc.path, tc.accept, resp.StatusCode, resp.Header.Get("Content-Encoding"), len(body), tc.wantEncoding, len(tc.want))
		}
	}
	res, acks := runJourneys(context.Background(), journeyConfig{
		Base: "http://" + addr, Clients: 4, Duration: 200 * time.Millisecond,
		Tokens: tokens, Specs: [len(journeyInstruments)]formSpec{fullSpec, quickSpec}, Seed: 7,
	})
	if res.OK == 0 || res.Errors != 0 || res.Acked != res.OK || len(acks) != res.OK || len(res.Latencies) != res.OK {
		t.Fatalf("got ok %d errors %d acked %d (%d) latencies %d, samples %q; want every journey done and acknowledged", res.OK, res.Errors, res.Acked, len(acks), len(res.Latencies), res.FirstErrs)
	}
	seen := map[variant]bool{}
	for _, a := range acks {
		seen[variant{a.Instrument, a.Lang}] = true
	}
	if len(seen) != 4 {
		t.Fatalf("got variants %v, want both instruments in both languages", seen)
	}
	// A counter the bare set does not know fails at the form, with a sample.
	tokens[0] = []string{"nowhere"}
	res, acks = runJourneys(context.Background(), journeyConfig{
		Base: "http://" + addr, Clients: 2, Duration: 50 * time.Millisecond,
		Tokens: tokens, Specs: [len(journeyInstruments)]formSpec{fullSpec, quickSpec},
	})
	if res.Errors == 0 || res.Statuses[404] != res.Errors || len(res.FirstErrs) == 0 || !strings.HasPrefix(res.FirstErrs[0], "form: 404") || len(acks) != res.OK {
		t.Fatalf("got ok %d errors %d statuses %v samples %q, want 404s at the form", res.OK, res.Errors, res.Statuses, res.FirstErrs)
	}
}

// TestJourneyEndToEnd builds sipas (or takes $SIPAS_BIN) and runs a short
// journey benchmark against it: no failure, and every acknowledged
// submission stored.
func TestJourneyEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs sipas")
	}
	dir := t.TempDir()
	bin := os.Getenv("SIPAS_BIN")
	if bin == "" {
		bin = filepath.Join(dir, "sipas")
		if b, err := exec.Command("go", "build", "-o", bin, "github.com/sipas/sipas/cmd/sipas").CombinedOutput(); err != nil {
			t.Fatalf("build sipas: %v\n%s", err, b)
		}
	}
	out := filepath.Join(dir, "journey.json")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--sipas", bin, "--scenario", "journey", "--duration", "1s", "--rounds", "1", "--clients", "4", "--out", out}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("got exit %d, want 0\n%s%s", code, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("summary: %v", err)
	}
	var s summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary: %v", err)
	}
	if s.Bare.OK == 0 || s.Sipas.OK == 0 || !s.Durable || s.StoredRows != int64(s.Acknowledged) || s.Acknowledged < s.Sipas.OK+s.SetupJourneys || len(s.Pages) != 4 {
		t.Fatalf("got %s, want journeys on both sides and every acknowledged one stored", b)
	}
}

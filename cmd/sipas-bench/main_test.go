package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
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
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, io.Discard)
			if (err != nil) != tc.wantErr {
				t.Fatalf("got %v, want error %v", err, tc.wantErr)
			}
			if tc.name == "defaults" && (o.clients != 256 || o.duration != 10*time.Second || o.sipas != "bin/sipas") {
				t.Fatalf("got %+v, want 256 clients, 10s, bin/sipas", o)
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

package survey_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

// allAnswers returns raw answers giving every item of in the value v.
func allAnswers(in *survey.Instrument, v string) map[string]string {
	raw := map[string]string{}
	for _, it := range in.Items {
		raw[it.Code] = v
	}
	return raw
}

func TestParseAnswers(t *testing.T) {
	reg := MustInstruments(t)
	sipas := MustInstrument(t, reg, "sipas-2017")
	quick := MustInstrument(t, reg, "quick")
	with := func(in *survey.Instrument, v string, set map[string]string, drop ...string) map[string]string {
		raw := allAnswers(in, v)
		for k, v := range set {
			raw[k] = v
		}
		for _, k := range drop {
			delete(raw, k)
		}
		return raw
	}
	tests := []struct {
		name       string
		in         *survey.Instrument
		raw        map[string]string
		wantFields map[string]string // nil: valid
		wantMsg    string
		wantAt     map[string]uint8 // answers expected even on failure
	}{
		{name: "all fives", in: sipas, raw: with(sipas, "5", nil), wantAt: map[string]uint8{"TC1": 5, "GY4": 5}},
		{name: "no opinion", in: sipas, raw: with(sipas, "3", map[string]string{"CC2": "na"}), wantAt: map[string]uint8{"CC2": survey.AnswerNA, "TC1": 3}},
		{name: "every level", in: sipas, raw: with(sipas, "1", map[string]string{"TC2": "2", "TC3": "3", "TC4": "4", "TT1": "5"}),
			wantAt: map[string]uint8{"TC1": 1, "TC2": 2, "TC3": 3, "TC4": 4, "TT1": 5}},
		{name: "missing two", in: sipas, raw: with(sipas, "4", nil, "TC1", "GY4"),
			wantFields: map[string]string{"TC1": survey.MsgMissing, "GY4": survey.MsgMissing},
			wantMsg:    "missing answer for: TC1, GY4", wantAt: map[string]uint8{"TC1": 0, "TC2": 4}},
		{name: "empty value is missing", in: sipas, raw: with(sipas, "4", map[string]string{"KQ2": ""}),
			wantFields: map[string]string{"KQ2": survey.MsgMissing}, wantMsg: "missing answer for: KQ2"},
		{name: "nothing at all", in: sipas, raw: map[string]string{}, wantMsg: "missing answer for: TC1, TC2"},
		{name: "unknown item", in: sipas, raw: with(sipas, "4", map[string]string{"XX9": "5"}),
			wantFields: map[string]string{"XX9": "unknown item"}, wantMsg: "unknown item(s): XX9"},
		{name: "value 6", in: sipas, raw: with(sipas, "4", map[string]string{"TT3": "6"}),
			wantFields: map[string]string{"TT3": survey.MsgBadValue}, wantMsg: "invalid value for: TT3"},
		{name: "value 0", in: sipas, raw: with(sipas, "4", map[string]string{"TT3": "0"}), wantFields: map[string]string{"TT3": survey.MsgBadValue}},
		{name: "two digits", in: sipas, raw: with(sipas, "4", map[string]string{"TT3": "55"}), wantFields: map[string]string{"TT3": survey.MsgBadValue}},
		{name: "padded", in: sipas, raw: with(sipas, "4", map[string]string{"TT3": " 5"}), wantFields: map[string]string{"TT3": survey.MsgBadValue}},
		{name: "NA upper case", in: sipas, raw: with(sipas, "4", map[string]string{"TT3": "NA"}), wantFields: map[string]string{"TT3": survey.MsgBadValue}},
		{name: "quick ok", in: quick, raw: map[string]string{"OV": "2"}, wantAt: map[string]uint8{"OV": 2}},
		{name: "quick na not allowed", in: quick, raw: map[string]string{"OV": "na"}, wantFields: map[string]string{"OV": survey.MsgBadValue}},
		{name: "quick missing", in: quick, raw: map[string]string{}, wantFields: map[string]string{"OV": survey.MsgMissingOne}, wantMsg: "missing answer for: OV"},
		{name: "quick with a sipas item", in: quick, raw: map[string]string{"OV": "5", "TC1": "5"}, wantFields: map[string]string{"TC1": "unknown item"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans, err := survey.ParseAnswers(tt.in, tt.raw)
			if len(ans) != len(tt.in.Items) {
				t.Fatalf("got %d answers, want %d", len(ans), len(tt.in.Items))
			}
			valid := tt.wantFields == nil && tt.wantMsg == ""
			if valid && err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if !valid {
				if err == nil {
					t.Fatalf("got no error, want fields %v", tt.wantFields)
				}
				if err.Code != survey.EINVALID {
					t.Fatalf("got code %s, want %s", err.Code, survey.EINVALID)
				}
				for k, v := range tt.wantFields {
					if err.Fields[k] != v {
						t.Fatalf("field %s: got %q, want %q (all: %v)", k, err.Fields[k], v, err.Fields)
					}
				}
				if tt.wantFields != nil && len(err.Fields) != len(tt.wantFields) {
					t.Fatalf("got fields %v, want exactly %v", err.Fields, tt.wantFields)
				}
				if !strings.Contains(err.Message, tt.wantMsg) {
					t.Fatalf("got message %q, want it to contain %q", err.Message, tt.wantMsg)
				}
			}
			for code, want := range tt.wantAt {
				k, _ := tt.in.ItemIndex(code)
				if ans[k] != want {
					t.Fatalf("answer %s: got %d, want %d", code, ans[k], want)
				}
			}
		})
	}
}

func TestParseAnswersOptionalItems(t *testing.T) {
	in := MustInstrument(t, MustInstruments(t), "sipas-2017")
	opt := *in
	opt.RequireAll = false
	ans, err := survey.ParseAnswers(&opt, map[string]string{"TC1": "5"})
	if err != nil {
		t.Fatalf("got %v, want no error when items are optional", err)
	}
	if ans[0] != 5 || ans[1] != survey.AnswerBlank {
		t.Fatalf("got %v, want TC1=5 and the rest blank", ans)
	}
}

func TestCleanComment(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"plain", "Cán bộ nhiệt tình", "Cán bộ nhiệt tình", false},
		{"trimmed", "  xin cảm ơn \n", "xin cảm ơn", false},
		{"newlines and tabs kept", "dòng 1\r\ndòng\t2", "dòng 1\ndòng\t2", false},
		{"controls removed", "a\x00b\x07c\x1bd\u0085e", "abcde", false},
		{"empty", "", "", false},
		{"exactly the cap", strings.Repeat("ệ", survey.MaxCommentRunes), strings.Repeat("ệ", survey.MaxCommentRunes), false},
		{"over the cap", strings.Repeat("ệ", survey.MaxCommentRunes+1), "", true},
		{"invalid UTF-8", "ok \xff\xfe", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := survey.CleanComment(tt.in)
			if tt.wantErr {
				if err == nil || err.Code != survey.EINVALID || err.Fields["comment"] == "" {
					t.Fatalf("got %v, want EINVALID with a comment field message", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLocalDate(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 3, 14, 23, 30, 0, 0, time.UTC), "2024-03-15"},
		{time.Date(2024, 3, 14, 16, 59, 59, 0, time.UTC), "2024-03-14"},
		{time.Date(2024, 3, 14, 17, 0, 0, 0, time.UTC), "2024-03-15"},
		{time.Date(2024, 12, 31, 17, 0, 0, 0, time.UTC), "2025-01-01"},
	}
	for _, tt := range tests {
		if got := survey.LocalDate(tt.at); got != tt.want {
			t.Fatalf("LocalDate(%v) = %s, want %s", tt.at, got, tt.want)
		}
	}
}

func TestValidSubmissionID(t *testing.T) {
	tests := map[string]bool{
		"abcdefghijklmnop":       true,
		"AZaz09-_AZaz09-_":       true,
		strings.Repeat("a", 64):  true,
		strings.Repeat("a", 15):  false,
		strings.Repeat("a", 65):  false,
		"abcdefghijklmno/":       false,
		"abcdefghijklmnop\n":     false,
		"abcdefghijklmnoé":       false,
		"":                       false,
		"abcd efghijklmnopqrstu": false,
	}
	for id, want := range tests {
		if got := survey.ValidSubmissionID(id); got != want {
			t.Fatalf("ValidSubmissionID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestErrorHelpers(t *testing.T) {
	e := survey.Errorf(survey.ECONFLICT, "code %q taken", "X")
	if survey.ErrorCode(e) != survey.ECONFLICT || survey.ErrorMessage(e) != `code "X" taken` {
		t.Fatalf("got %s / %s", survey.ErrorCode(e), survey.ErrorMessage(e))
	}
	e.Line = 7
	if got := e.Error(); got != `line 7: code "X" taken` {
		t.Fatalf("got %q, want the line prefix", got)
	}
	plain := errors.New("disk on fire") // a non-domain error
	if survey.ErrorCode(plain) != survey.EINTERNAL || survey.ErrorMessage(plain) != "internal error" {
		t.Fatalf("got %s / %s for a plain error, want internal", survey.ErrorCode(plain), survey.ErrorMessage(plain))
	}
	if survey.ErrorCode(nil) != "" {
		t.Fatalf("ErrorCode(nil) = %q, want empty", survey.ErrorCode(nil))
	}
}

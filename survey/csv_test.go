package survey_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
)

func TestParseAgenciesCSV(t *testing.T) {
	in := "\ufeffname , CODE,parent\n" +
		"UBND tỉnh Demo,DEMO,\n" +
		"\n" +
		"\"Sở Tư pháp, tỉnh Demo\",S01,DEMO\n" +
		"Huyện Phong Điền,H01,DEMO\n" +
		"\n" +
		"  Xã Nhơn Ái ,X01,H01\n"
	as, lines, err := survey.ParseAgenciesCSV(strings.NewReader(in))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	want := []struct {
		code, name, parent string
		line               int
	}{
		{"DEMO", "UBND tỉnh Demo", "", 2},
		{"S01", "Sở Tư pháp, tỉnh Demo", "DEMO", 4},
		{"H01", "Huyện Phong Điền", "DEMO", 5},
		{"X01", "Xã Nhơn Ái", "H01", 7},
	}
	if len(as) != len(want) || len(lines) != len(want) {
		t.Fatalf("got %d agencies and %d lines, want %d", len(as), len(lines), len(want))
	}
	for i, w := range want {
		a := as[i]
		if a.Code != w.code || a.Name != w.name || a.ParentCode != w.parent || lines[i] != w.line {
			t.Fatalf("row %d: got %s %q parent %s line %d, want %s %q parent %s line %d",
				i, a.Code, a.Name, a.ParentCode, lines[i], w.code, w.name, w.parent, w.line)
		}
	}
}

func TestParseAgenciesCSVParentOptional(t *testing.T) {
	as, _, err := survey.ParseAgenciesCSV(strings.NewReader("code,name\r\nA,Tỉnh A\r\nB,Tỉnh B\r\n"))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if len(as) != 2 || as[1].Code != "B" || as[1].Name != "Tỉnh B" || as[1].ParentCode != "" {
		t.Fatalf("got %+v", as)
	}
}

func TestParseCSVErrors(t *testing.T) {
	reg := MustInstruments(t)
	const head = "code,name,parent\n"
	tests := []struct {
		name     string
		counters bool
		in       string
		wantLine int
		wantMsg  string
	}{
		{"empty file", false, "", 1, "empty file"},
		{"header only", false, head, 2, "no rows"},
		{"unknown column", false, "code,name,colour\nA,B,red\n", 1, `unknown column "colour"`},
		{"column twice", false, "code,name,code\nA,Tỉnh A,B\n", 1, `"code" appears twice`},
		{"missing column", false, "code,parent\nA,\n", 1, `missing column "name"`},
		{"bad code", false, head + "A,Tỉnh A,\nB B,Tỉnh B,A\n", 3, "invalid code"},
		{"empty name", false, head + "A,Tỉnh A,\nB,  ,A\n", 3, "name is required"},
		{"own parent", false, head + "A,Tỉnh A,A\n", 2, "own parent"},
		{"bad parent code", false, head + "A,Tỉnh A,x y\n", 2, "invalid parent code"},
		{"duplicate code", false, head + "A,Tỉnh A,\nB,Sở B,A\nA,Lại A,\n", 4, `repeats line 2`},
		{"too few fields", false, head + "A,Tỉnh A,\nB,Sở B\n", 3, "wrong number of fields"},
		{"too many fields", false, head + "A,Tỉnh A,,x\n", 2, "wrong number of fields"},
		{"bare quote", false, head + "A,Tỉnh A,\nB,Sở \"B\" x,A\n", 3, "malformed CSV"},
		{"unterminated quote", false, head + "A,Tỉnh A,\nB,\"Sở B,A\nC,Sở C,A\n", 3, "malformed CSV"},
		{"name over two lines", false, head + "A,Tỉnh A,\n\nB,\"Sở\nB\",A\n", 4, "one line"},
		{"parent over two lines", false, head + "A,Tỉnh A,\"x\ny\"\n", 2, "invalid parent code"},
		{"invalid UTF-8", false, head + "A,Tỉnh A,\nB,S\xffB,A\n", 3, "UTF-8"},
		{"counter unknown instrument", true, "agency,code,name,instrument\nA,Q1,Quầy 1,sipas-2017\nA,Q2,Quầy 2,nps\n", 3, `unknown instrument "nps"`},
		{"counter bad code", true, "agency,code,name\nA,Q 1,Quầy 1\n", 2, "invalid code"},
		{"counter missing agency column", true, "code,name\nQ1,Quầy 1\n", 1, `missing column "agency"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.counters {
				_, _, err = survey.ParseCountersCSV(strings.NewReader(tt.in), reg)
			} else {
				_, _, err = survey.ParseAgenciesCSV(strings.NewReader(tt.in))
			}
			var e *survey.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *survey.Error", err)
			}
			if e.Code != survey.EINVALID || e.Line != tt.wantLine || !strings.Contains(e.Message, tt.wantMsg) {
				t.Fatalf("got %s line %d %q, want invalid line %d containing %q", e.Code, e.Line, e.Message, tt.wantLine, tt.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("got %q, want the message to start with the line", err)
			}
		})
	}
}

func TestParseCountersCSV(t *testing.T) {
	reg := MustInstruments(t)
	in := "agency,code,name,instrument\nS01,Q1,Quầy 1,\nS01,Q2,Quầy kiosk,quick\nH01,Q1,Quầy 1,sipas-2017\n"
	cs, lines, err := survey.ParseCountersCSV(strings.NewReader(in), reg)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	want := []string{"S01/Q1/sipas-2017", "S01/Q2/quick", "H01/Q1/sipas-2017"}
	for i, w := range want {
		if got := cs[i].AgencyCode + "/" + cs[i].Code + "/" + cs[i].Instrument; got != w || lines[i] != i+2 {
			t.Fatalf("row %d: got %s line %d, want %s line %d", i, got, lines[i], w, i+2)
		}
	}
}

func TestImportLine(t *testing.T) {
	lines := []int{2, 5, 9}
	err := survey.ImportLine(&survey.Error{Code: survey.ECONFLICT, Message: "taken", Line: 3}, lines)
	if got := err.Error(); got != "line 9: taken" {
		t.Fatalf("got %q, want line 9", got)
	}
	plain := errors.New("x")
	if survey.ImportLine(plain, lines) != plain {
		t.Fatalf("a plain error must pass through")
	}
	if got := survey.ImportLine(&survey.Error{Message: "m", Line: 4}, lines).Error(); got != "line 4: m" {
		t.Fatalf("out-of-range position: got %q, want it unchanged", got)
	}
}

func TestValidateCode(t *testing.T) {
	tests := map[string]bool{
		"A": true, "S01": true, "demo.so-tu_phap": true, "9X": true,
		strings.Repeat("a", 40): true, strings.Repeat("a", 41): false,
		"": false, "-A": false, ".A": false, "A B": false, "A/B": false, "Sở": false, "A\n": false, "A'": false,
	}
	for code, ok := range tests {
		err := survey.ValidateCode(code)
		if (err == nil) != ok {
			t.Fatalf("ValidateCode(%q) = %v, want ok=%v", code, err, ok)
		}
		if err != nil && err.Code != survey.EINVALID {
			t.Fatalf("ValidateCode(%q): got code %s, want invalid", code, err.Code)
		}
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Sở Tư pháp", "Sở Tư pháp", true},
		{"  Quầy 1\t", "Quầy 1", true},
		{strings.Repeat("ệ", survey.MaxNameRunes), strings.Repeat("ệ", survey.MaxNameRunes), true},
		{strings.Repeat("ệ", survey.MaxNameRunes+1), "", false},
		{"", "", false},
		{"   ", "", false},
		{"a\nb", "", false},
		{"a\rb", "", false},
		{"a\x00b", "", false},
		{"a\xffb", "", false},
	}
	for _, tt := range tests {
		got, err := survey.ValidateName(tt.in)
		if (err == nil) != tt.ok {
			t.Fatalf("ValidateName(%q) error %v, want ok=%v", tt.in, err, tt.ok)
		}
		if tt.ok && got != tt.want {
			t.Fatalf("ValidateName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCounterValidateDefaultsInstrument(t *testing.T) {
	reg := MustInstruments(t)
	c := &survey.Counter{AgencyCode: "A", Code: "Q1", Name: " Quầy 1 "}
	if err := c.Validate(reg); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if c.Instrument != "sipas-2017" || c.Name != "Quầy 1" {
		t.Fatalf("got instrument %q name %q, want sipas-2017 and a trimmed name", c.Instrument, c.Name)
	}
}

package survey_test

import (
	"bytes"
	"errors"
	"net/url"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
)

// The fuzz targets of package survey. Seed corpora are committed under
// testdata/fuzz/<target>; `make fuzz-short` runs each for a few seconds and
// docs/fuzzing.md records the long runs.

func fuzzRegistry(f *testing.F) *survey.Instruments {
	f.Helper()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		f.Fatalf("instruments: %v", err)
	}
	return reg
}

// FuzzParseAnswers feeds form-encoded answers to the validator of each
// instrument: it never panics, always returns one answer per item, in
// range, and either no error or one naming the fields to fix.
func FuzzParseAnswers(f *testing.F) {
	reg := fuzzRegistry(f)
	f.Add("sipas-2017", "TC1=5&TC2=4&CC2=na")
	f.Add("quick", "OV=3")
	f.Add("quick", "OV=6&XX=1")
	f.Add("sipas-2017", "TC1=%FF&TC1=1")
	f.Fuzz(func(t *testing.T, inst, query string) {
		in, err := reg.Current(inst)
		if err != nil {
			return
		}
		form, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		raw := map[string]string{}
		for k, vs := range form {
			raw[k] = vs[0]
		}
		ans, verr := survey.ParseAnswers(in, raw)
		if len(ans) != len(in.Items) {
			t.Fatalf("got %d answers, want %d", len(ans), len(in.Items))
		}
		for i, a := range ans {
			if a > survey.AnswerNA || (a == survey.AnswerNA && !in.AllowNoOpinion) {
				t.Fatalf("answer %d = %d out of range", i, a)
			}
		}
		if verr != nil {
			if verr.Code != survey.EINVALID || len(verr.Fields) == 0 || verr.Message == "" {
				t.Fatalf("error without code, fields or message: %+v", verr)
			}
			return
		}
		for k := range raw {
			if _, ok := in.ItemIndex(k); !ok {
				t.Fatalf("unknown item %q accepted", k)
			}
		}
		if in.RequireAll {
			for i, a := range ans {
				if a == survey.AnswerBlank {
					t.Fatalf("item %d blank but accepted", i)
				}
			}
		}
	})
}

// fuzzSigner signs with a fixed key; the seeds are its tokens for these
// (counter, version) pairs.
var (
	fuzzKey    = bytes.Repeat([]byte("k"), 32)
	fuzzTokens = [][2]int{{1, 1}, {42, 3}, {1 << 40, 1 << 30}}
)

// FuzzSignerVerify mutates tokens: Verify never panics and never accepts a
// token for a (counter, version) it was not issued for.
func FuzzSignerVerify(f *testing.F) {
	s := survey.NewSigner(fuzzKey)
	issued := map[[2]int]bool{}
	for _, p := range fuzzTokens {
		f.Add(s.Token(int64(p[0]), p[1]))
		issued[p] = true
	}
	f.Add("")
	f.Add(".")
	f.Add("AQE.")
	f.Fuzz(func(t *testing.T, token string) {
		id, v, err := s.Verify(token)
		if err != nil {
			if survey.ErrorCode(err) != survey.EINVALID {
				t.Fatalf("error code %q, want %q", survey.ErrorCode(err), survey.EINVALID)
			}
			return
		}
		if !issued[[2]int{int(id), v}] {
			t.Fatalf("forged token %q accepted for counter %d version %d", token, id, v)
		}
		if id2, v2, err := s.Verify(s.Token(id, v)); err != nil || id2 != id || v2 != v {
			t.Fatalf("round trip of (%d, %d): got (%d, %d, %v)", id, v, id2, v2, err)
		}
	})
}

// checkCSVError asserts that a CSV importer's error is a survey.Error with
// EINVALID and a file line.
func checkCSVError(t *testing.T, err error) {
	t.Helper()
	var e *survey.Error
	if !errors.As(err, &e) || e.Code != survey.EINVALID || e.Line < 1 || e.Message == "" {
		t.Fatalf("error %#v: want a survey.Error with EINVALID, a line and a message", err)
	}
}

// FuzzParseAgenciesCSV: no panic; an error is EINVALID with a line; what is
// accepted is valid, unique and in file order.
func FuzzParseAgenciesCSV(f *testing.F) {
	f.Add([]byte("code,name,parent\nP,Tỉnh,\nA,Sở A,P\n"))
	f.Add([]byte("\ufeffname,code\n\"Sở, A\",A\n"))
	f.Add([]byte("code,name\nA,\"unterminated\n"))
	f.Add([]byte("code,name\nA,x\nA,y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		as, lines, err := survey.ParseAgenciesCSV(bytes.NewReader(data))
		if err != nil {
			checkCSVError(t, err)
			return
		}
		if len(as) == 0 || len(lines) != len(as) {
			t.Fatalf("got %d agencies and %d lines", len(as), len(lines))
		}
		seen := map[string]bool{}
		for i, a := range as {
			if err := a.Validate(); err != nil {
				t.Fatalf("accepted invalid agency %+v: %v", a, err)
			}
			if seen[a.Code] {
				t.Fatalf("duplicate code %q accepted", a.Code)
			}
			seen[a.Code] = true
			if i > 0 && lines[i] <= lines[i-1] {
				t.Fatalf("lines not increasing: %v", lines)
			}
		}
	})
}

// FuzzParseCountersCSV: as FuzzParseAgenciesCSV, for counters.
func FuzzParseCountersCSV(f *testing.F) {
	reg := fuzzRegistry(f)
	f.Add([]byte("agency,code,name,instrument\nA,Q1,Quầy 1,sipas-2017\nA,Q2,Quầy 2,quick\n"))
	f.Add([]byte("agency,code,name\nA,Q1,Quầy 1\n"))
	f.Add([]byte("agency,code,name,instrument\nA,Q1,x,nope\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, lines, err := survey.ParseCountersCSV(bytes.NewReader(data), reg)
		if err != nil {
			checkCSVError(t, err)
			return
		}
		if len(cs) == 0 || len(lines) != len(cs) {
			t.Fatalf("got %d counters and %d lines", len(cs), len(lines))
		}
		for _, c := range cs {
			if err := c.Validate(reg); err != nil {
				t.Fatalf("accepted invalid counter %+v: %v", c, err)
			}
			if err := survey.ValidateCode(c.AgencyCode); err != nil {
				t.Logf("agency code %q is checked by the store", c.AgencyCode)
			}
		}
	})
}

package survey_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
)

// MustInstruments loads the embedded instruments or fails the test.
func MustInstruments(tb testing.TB) *survey.Instruments {
	tb.Helper()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		tb.Fatalf("load embedded instruments: %v", err)
	}
	return reg
}

// MustInstrument returns the current version of instrument id.
func MustInstrument(tb testing.TB, reg *survey.Instruments, id string) *survey.Instrument {
	tb.Helper()
	in, err := reg.Current(id)
	if err != nil {
		tb.Fatalf("instrument %s: %v", id, err)
	}
	return in
}

var sipasCodes = []string{
	"TC1", "TC2", "TC3", "TC4",
	"TT1", "TT2", "TT3", "TT4", "TT5",
	"CC1", "CC2", "CC3", "CC4", "CC5", "CC6",
	"KQ1", "KQ2", "KQ3",
	"GY1", "GY2", "GY3", "GY4",
}

func TestEmbeddedSIPAS2017(t *testing.T) {
	reg := MustInstruments(t)
	in := MustInstrument(t, reg, "sipas-2017")
	if in.Version != 1 {
		t.Fatalf("got version %d, want 1", in.Version)
	}
	if len(in.Items) != 22 {
		t.Fatalf("got %d items, want 22", len(in.Items))
	}
	for k, code := range sipasCodes {
		it := in.Items[k]
		if it.Code != code {
			t.Fatalf("item %d: got code %s, want %s", k, it.Code, code)
		}
		if it.Element != code[:2] {
			t.Fatalf("item %s: got element %s, want %s", code, it.Element, code[:2])
		}
		if it.VI == "" || it.EN == "" {
			t.Fatalf("item %s: missing Vietnamese or English wording: %+v", code, it.Text)
		}
		if got, ok := in.ItemIndex(code); !ok || got != k {
			t.Fatalf("ItemIndex(%s) = %d, %v; want %d, true", code, got, ok, k)
		}
	}
	wantElems := []string{"TC", "TT", "CC", "KQ", "GY"}
	wantSizes := []int{4, 5, 6, 3, 4}
	if len(in.Elements) != len(wantElems) {
		t.Fatalf("got %d elements, want 5", len(in.Elements))
	}
	groups := in.ElementItems()
	for i, e := range in.Elements {
		if e.Code != wantElems[i] || e.VI == "" || e.EN == "" {
			t.Fatalf("element %d: got %+v, want code %s with both wordings", i, e, wantElems[i])
		}
		if len(groups[i]) != wantSizes[i] {
			t.Fatalf("element %s: got %d items, want %d", e.Code, len(groups[i]), wantSizes[i])
		}
	}
	if !in.AllowNoOpinion || !in.RequireAll {
		t.Fatalf("sipas-2017 must allow no opinion and require every item: %+v", in)
	}
	if in.Title.In("vi") == in.Title.In("en") {
		t.Fatalf("title has no English version: %+v", in.Title)
	}
	if _, ok := in.ItemIndex("OV"); ok {
		t.Fatalf("sipas-2017 has an OV item")
	}
}

func TestEmbeddedQuick(t *testing.T) {
	reg := MustInstruments(t)
	in := MustInstrument(t, reg, "quick")
	if len(in.Items) != 1 || in.Items[0].Code != "OV" {
		t.Fatalf("got items %+v, want the single item OV", in.Items)
	}
	if len(in.Elements) != 0 || in.AllowNoOpinion || !in.Comment {
		t.Fatalf("quick: got elements=%d allow_no_opinion=%v comment=%v, want 0, false, true", len(in.Elements), in.AllowNoOpinion, in.Comment)
	}
	f := in.Followup
	if f == nil || f.VI != "Số lần phải đi lại" {
		t.Fatalf("got follow-up %+v, want “Số lần phải đi lại”", f)
	}
	var values []string
	for _, o := range f.Options {
		values = append(values, o.Value)
	}
	if got := strings.Join(values, ","); got != "0,1,2+" {
		t.Fatalf("got follow-up options %s, want 0,1,2+", got)
	}
	for v, want := range map[string]int{"0": 1, "1": 2, "2+": 3, "": 0, "3": 0} {
		if got := in.FollowupIndex(v); got != want {
			t.Fatalf("FollowupIndex(%q) = %d, want %d", v, got, want)
		}
	}
	if got := strings.Join(reg.IDs(), ","); got != "quick,sipas-2017" {
		t.Fatalf("got ids %s, want quick,sipas-2017", got)
	}
}

func TestInstrumentLookups(t *testing.T) {
	reg := MustInstruments(t)
	if _, err := reg.Current("nope"); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("Current(nope): got %v, want EINVALID", err)
	}
	if _, err := reg.Version("sipas-2017", 99); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("Version(sipas-2017, 99): got %v, want ENOTFOUND", err)
	}
	if in, err := reg.Version("quick", 1); err != nil || in.ID != "quick" {
		t.Fatalf("Version(quick, 1): got %v, %v", in, err)
	}
}

const okInstrument = `{"id": "t", "version": %d, "title": {"vi": "Thử"}, "elements": [{"code": "A", "vi": "A"}],
 "items": [{"code": "A1", "element": "A", "vi": "Câu 1"}, {"code": "A2", "element": "A", "vi": "Câu 2"}],
 "allow_no_opinion": true, "require_all": true, "comment": false}`

func instrumentJSON(version int) string { return fmt.Sprintf(okInstrument, version) }

func TestLoadInstrumentsVersions(t *testing.T) {
	fsys := fstest.MapFS{
		"t.v1.json": {Data: []byte(instrumentJSON(1))},
		"t.v2.json": {Data: []byte(instrumentJSON(2))},
		"README.md": {Data: []byte("not an instrument")},
	}
	reg, err := survey.LoadInstruments(fsys)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if in := MustInstrument(t, reg, "t"); in.Version != 2 {
		t.Fatalf("Current: got version %d, want 2", in.Version)
	}
	if in, err := reg.Version("t", 1); err != nil || in.Version != 1 {
		t.Fatalf("Version(t, 1): got %v, %v", in, err)
	}
}

func TestLoadInstrumentsRejectsMalformed(t *testing.T) {
	mod := func(old, new string) string { return strings.Replace(instrumentJSON(1), old, new, 1) }
	tests := []struct {
		name, file, body, want string
	}{
		{"not JSON", "t.v1.json", `{"id": "t",`, "t.v1.json"},
		{"unknown field", "t.v1.json", mod(`"comment": false`, `"comment": false, "colour": "red"`), "unknown field"},
		{"wrong file name", "other.v1.json", instrumentJSON(1), "must be named t.v1.json"},
		{"version 0", "t.v0.json", mod(`"version": 1`, `"version": 0`), "bad id or version"},
		{"bad id", "t.v1.json", mod(`"id": "t"`, `"id": "t t"`), "bad id or version"},
		{"no Vietnamese title", "t.v1.json", mod(`"vi": "Thử"`, `"vi": ""`), "Vietnamese title"},
		{"no items", "t.v1.json", `{"id": "t", "version": 1, "title": {"vi": "Thử"}, "items": []}`, "at least one item"},
		{"duplicate item", "t.v1.json", mod(`"code": "A2"`, `"code": "A1"`), "duplicate item A1"},
		{"item without wording", "t.v1.json", mod(`"vi": "Câu 2"`, `"vi": ""`), "bad item"},
		{"unknown element", "t.v1.json", mod(`"element": "A", "vi": "Câu 2"`, `"element": "B", "vi": "Câu 2"`), "unknown element"},
		{"element without items", "t.v1.json", mod(`[{"code": "A", "vi": "A"}]`, `[{"code": "A", "vi": "A"}, {"code": "B", "vi": "B"}]`), "element B has no items"},
		{"duplicate element", "t.v1.json", mod(`[{"code": "A", "vi": "A"}]`, `[{"code": "A", "vi": "A"}, {"code": "A", "vi": "A"}]`), "duplicate element"},
		{"follow-up clashes", "t.v1.json", mod(`"comment": false`, `"comment": false, "followup": {"code": "A1", "vi": "x", "options": [{"value": "0", "vi": "0"}]}`), "clashes"},
		{"follow-up without options", "t.v1.json", mod(`"comment": false`, `"comment": false, "followup": {"code": "F", "vi": "x", "options": []}`), "bad follow-up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"good.v1.json": {Data: []byte(strings.Replace(instrumentJSON(1), `"id": "t"`, `"id": "good"`, 1))},
				tt.file:        {Data: []byte(tt.body)},
			}
			reg, err := survey.LoadInstruments(fsys)
			if err == nil {
				t.Fatalf("got registry %v, want an error containing %q", reg.IDs(), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %q, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := survey.LoadInstruments(fstest.MapFS{}); err == nil {
		t.Fatalf("empty FS: got no error, want one")
	}
}

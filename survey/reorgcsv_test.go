package survey_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

const reorgHeader = "kind,date,agency,parent,into,from,name,counters\n"

var reorgToday = time.Date(2026, 4, 15, 10, 0, 0, 0, survey.Vietnam)

func TestParseReorganisation(t *testing.T) {
	in := "\ufeff" + reorgHeader +
		"move,2025-07-01,C1,D2,,,,\n" +
		"\n" +
		"merge,2025-07-01,,,P-MOI, X-A ;X-B;X-C,Phường Mới,close\n" +
		"MERGE,2025-07-01,,P,Q-MOI,Y-A,,\n" +
		"split,2025-07-01,OLD,P,NEW1;NEW2,,Tên 1;,NEW1=Q1 Q2;NEW2=Q3\n" +
		"Close,2025-07-01, H01 ,,,,,\n"
	evs, err := survey.ParseReorganisation(strings.NewReader(in), reorgToday)
	if err != nil {
		t.Fatal(err)
	}
	want := []survey.Event{
		{Kind: survey.EventMove, Line: 2, Move: &survey.Move{Agency: "C1", Parent: "D2", Date: "2025-07-01"}},
		{Kind: survey.EventMerge, Line: 4, Merge: &survey.Merge{Into: "P-MOI", From: []string{"X-A", "X-B", "X-C"}, Date: "2025-07-01",
			Name: "Phường Mới", Counters: survey.CountersClose}},
		{Kind: survey.EventMerge, Line: 5, Merge: &survey.Merge{Into: "Q-MOI", From: []string{"Y-A"}, Date: "2025-07-01", Parent: "P",
			Counters: survey.CountersMove}},
		{Kind: survey.EventSplit, Line: 6, Split: &survey.Split{From: "OLD", Date: "2025-07-01", Into: []survey.SplitPart{
			{Code: "NEW1", Name: "Tên 1", Parent: "P", Counters: []string{"Q1", "Q2"}},
			{Code: "NEW2", Parent: "P", Counters: []string{"Q3"}},
		}}},
		{Kind: survey.EventClose, Line: 7, Close: &survey.Close{Agency: "H01", Date: "2025-07-01"}},
	}
	if !reflect.DeepEqual(evs, want) {
		t.Fatalf("got\n%#v\nwant\n%#v", evs, want)
	}
	for i := range evs {
		if evs[i].Kind == survey.EventMerge {
			if got, want := *evs[i].Merge, *want[i].Merge; !reflect.DeepEqual(got, want) {
				t.Errorf("event %d: got %+v, want %+v", i, got, want)
			}
		}
	}
}

func TestParseReorganisationErrors(t *testing.T) {
	tooMany := reorgHeader + strings.Repeat("move,2025-07-01,C1,D2,,,,\n", survey.MaxReorgEvents+1)
	tests := []struct {
		name, in string
		line     int
		want     string
	}{
		{"empty file", "", 1, "empty file"},
		{"header only", reorgHeader, 2, "no rows"},
		{"missing column", "kind,date,agency,parent,into,from,name\nmove,2025-07-01,C1,D2,,,\n", 1, `missing column "counters"`},
		{"unknown column", strings.TrimSuffix(reorgHeader, "\n") + ",note\n", 1, `unknown column "note"`},
		{"wrong field count", reorgHeader + "move,2025-07-01,C1,D2\n", 2, "wrong number of fields"},
		{"unknown kind", reorgHeader + "rename,2025-07-01,C1,,,,X,\n", 2, "kind"},
		{"no kind", reorgHeader + ",2025-07-01,C1,D2,,,,\n", 2, "kind is required"},
		{"no date", reorgHeader + "move,,C1,D2,,,,\n", 2, "date is required"},
		{"bad date", reorgHeader + "move,2025-13-01,C1,D2,,,,\n", 2, "date"},
		{"far future", reorgHeader + "move,2027-06-01,C1,D2,,,,\n", 2, "date: 2027-06-01 is "},
		{"too early", reorgHeader + "move,1999-12-31,C1,D2,,,,\n", 2, "before"},
		{"move without parent", reorgHeader + "move,2025-07-01,C1,,,,,\n", 2, "parent is required"},
		{"move under itself", reorgHeader + "move,2025-07-01,C1,C1,,,,\n", 2, "own parent"},
		{"move with a from", reorgHeader + "move,2025-07-01,C1,D2,,D3,,\n", 2, "from: a move does not use"},
		{"merge with agency", reorgHeader + "merge,2025-07-01,C1,,X,D3,,\n", 2, "agency: a merge does not use"},
		{"merge empty from", reorgHeader + "merge,2025-07-01,,,X,;,,\n", 2, "from is empty"},
		{"merge into itself", reorgHeader + "merge,2025-07-01,,,X,D3;X,,\n", 2, "column from: X cannot merge into itself"},
		{"merge twice", reorgHeader + "merge,2025-07-01,,,X,D3;D3,,\n", 2, "named twice"},
		{"merge counters", reorgHeader + "merge,2025-07-01,,,X,D3,,keep\n", 2, "counters must be"},
		{"split no agency", reorgHeader + "split,2025-07-01,,,N1,,,\n", 2, "agency is required"},
		{"split no successors", reorgHeader + "split,2025-07-01,OLD,,,,,\n", 2, "into is empty"},
		{"split names", reorgHeader + "split,2025-07-01,OLD,,N1;N2,,Tên 1,\n", 2, "1 names for 2 successors"},
		{"split counters form", reorgHeader + "split,2025-07-01,OLD,,N1,,,Q1\n", 2, "not CODE=counter"},
		{"split counters stranger", reorgHeader + "split,2025-07-01,OLD,,N1,,,N2=Q1\n", 2, "N2 is not one of the successors"},
		{"split counter twice", reorgHeader + "split,2025-07-01,OLD,,N1;N2,,,N1=Q1;N2=Q1\n", 2, "given to two successors"},
		{"split with from", reorgHeader + "split,2025-07-01,OLD,,N1,X,,\n", 2, "from: a split does not use"},
		{"close without agency", reorgHeader + "close,2025-07-01,,,,,,\n", 2, "agency is required"},
		{"close with a parent", reorgHeader + "close,2025-07-01,H01,P,,,,\n", 2, "parent: a close does not use"},
		{"close with a from", reorgHeader + "close,2025-07-01,H01,,,X-A,,\n", 2, "from: a close does not use"},
		{"close far future", reorgHeader + "close,2027-06-01,H01,,,,,\n", 2, "date: 2027-06-01 is "},
		{"close bad code", reorgHeader + "close,2025-07-01,H 01,,,,,\n", 2, "agency"},
		{"unknown kind names close", reorgHeader + "dissolve,2025-07-01,H01,,,,,\n", 2, "is not move, merge, split or close"},
		{"third event bad", reorgHeader + "move,2025-07-01,C1,D2,,,,\nmove,2025-07-01,D3,D2,,,,\nmove,2025-07-01,D4,,,,,\n", 4, "parent is required"},
		{"too many", tooMany, survey.MaxReorgEvents + 2, "too many events"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := survey.ParseReorganisation(strings.NewReader(tt.in), reorgToday)
			var e *survey.Error
			if !errors.As(err, &e) || e.Code != survey.EINVALID {
				t.Fatalf("got %v (%d events), want an EINVALID error", err, len(evs))
			}
			if e.Line != tt.line || !strings.Contains(e.Message, tt.want) {
				t.Fatalf("got line %d %q, want line %d containing %q", e.Line, e.Message, tt.line, tt.want)
			}
		})
	}
}

package sqlite_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// TreeHistory gives every span with ids and every link with codes.
func TestTreeHistory(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	mustReorganise(t, p,
		moveEv("D3", "D2", "2025-07-01"),
		mergeEv(survey.Merge{Into: "X", From: []string{"D3", "D4"}, Date: "2025-08-01", Name: "X", Parent: "D1"}))
	as, err := p.DB.ListAgencies(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	code := map[int64]string{0: "-"}
	for _, a := range as {
		code[a.ID] = a.Code
	}
	spans, links, err := p.DB.TreeHistory(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, s := range spans {
		if i > 0 && (spans[i-1].AgencyID > s.AgencyID || spans[i-1].AgencyID == s.AgencyID && spans[i-1].From >= s.From) {
			t.Fatalf("spans out of order at %d: %+v", i, spans)
		}
		got = append(got, fmt.Sprintf("%s<%s %s..%s", code[s.AgencyID], code[s.ParentID], s.From, s.To))
	}
	want := "P<- 0001-01-01.., D1<P 0001-01-01.., C1<D1 0001-01-01.., D2<P 0001-01-01.., " +
		"D3<P 0001-01-01..2025-07-01, D3<D2 2025-07-01.., D4<P 0001-01-01.., X<D1 2025-08-01.."
	if strings.Join(got, ", ") != want {
		t.Fatalf("spans:\ngot  %s\nwant %s", strings.Join(got, ", "), want)
	}
	if got, want := entries(links), "merge 2025-08-01 D3 Sở Xây dựng → X X by tester; merge 2025-08-01 D4 Sở Tài chính → X X by tester"; got != want {
		t.Fatalf("links:\ngot  %s\nwant %s", got, want)
	}
}

// An agency that merged lives on in its successor: it cannot be reopened,
// which would count its history twice (and is the only way a merger could
// loop back into a predecessor).
func TestReopenMergedRefused(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	mustReorganise(t, p, mergeEv(survey.Merge{Into: "D4", From: []string{"D3"}, Date: "2025-07-01"}))
	_, err := p.DB.UpdateAgency(t.Context(), "D3", survey.AgencyUpdate{Closed: ptr(false)}, testActor)
	if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(err.Error(), "cannot be reopened") {
		t.Fatalf("reopening a merged agency: %v, want EINVALID", err)
	}
	if a := p.Agency(t, "D3"); a.ClosedAt == nil {
		t.Fatal("D3 reopened")
	}
}

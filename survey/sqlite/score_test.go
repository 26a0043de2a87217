package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// A new version of an instrument must not corrupt the statistics of
// responses stored under the old one: scored under the new version, old
// items keep their counts and a new item simply has no answers yet.
func TestScoresAcrossInstrumentVersions(t *testing.T) {
	v1 := `{"id": "mini", "version": 1, "title": {"vi": "Thử"}, "elements": [{"code": "E", "vi": "E"}],
		"items": [{"code": "A", "element": "E", "vi": "A"}, {"code": "B", "element": "E", "vi": "B"}],
		"allow_no_opinion": true, "require_all": true, "comment": false}`
	v2 := `{"id": "mini", "version": 2, "title": {"vi": "Thử"}, "elements": [{"code": "E", "vi": "E"}],
		"items": [{"code": "A", "element": "E", "vi": "A"}, {"code": "B", "element": "E", "vi": "B"}, {"code": "C", "element": "E", "vi": "C"}],
		"allow_no_opinion": true, "require_all": true, "comment": false}`
	path := filepath.Join(t.TempDir(), "sipas.db")
	ctx := context.Background()
	old := registryWith(t, map[string]string{"mini.v1.json": v1})
	db, err := sqlite.Open(path, old, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAgency(ctx, &survey.Agency{Code: "A", Name: "A"}, testActor); err != nil {
		t.Fatal(err)
	}
	c := &survey.Counter{AgencyCode: "A", Code: "Q", Name: "Q", Instrument: "mini"}
	if err := db.CreateCounter(ctx, c, testActor); err != nil {
		t.Fatal(err)
	}
	in1, _ := old.Current("mini")
	at := time.Date(2026, 4, 10, 10, 0, 0, 0, survey.Vietnam)
	answers := [][]uint8{{5, 4}, {4, survey.AnswerNA}, {2, 5}}
	for i, a := range answers {
		mustStore(t, db, &survey.Submission{SubmissionID: "version-change-" + string(rune('a'+i)) + "-0000000000", CounterID: c.ID,
			AgencyID: c.AgencyID, Instrument: in1, Answers: a, Channel: "api", ReceivedAt: at.Add(time.Duration(i) * 24 * time.Hour)})
	}
	db.Close()

	both := registryWith(t, map[string]string{"mini.v1.json": v1, "mini.v2.json": v2})
	db, err = sqlite.Open(path, both, sqlite.Options{})
	if err != nil {
		t.Fatalf("reopen with v2: %v", err)
	}
	defer db.Close()
	in2, _ := both.Current("mini")
	for _, tc := range []struct{ from, to string }{
		{"2026-04-01", "2026-04-30"}, // the stored monthly row, projected
		{"2026-04-09", "2026-04-20"}, // the responses themselves, remapped
	} {
		p, err := survey.ParsePeriod(tc.from, tc.to)
		if err != nil {
			t.Fatal(err)
		}
		own, err := db.OwnStats(ctx, in2, p)
		if err != nil {
			t.Fatalf("%v: %v", tc, err)
		}
		b := own[c.AgencyID]
		if b == nil || b.Stats.N() != 3 {
			t.Fatalf("%v: got %+v, want 3 respondents", tc, b)
		}
		for k, want := range [][5]int64{{0, 1, 0, 1, 1}, {0, 0, 0, 1, 1}, {}} {
			got, _ := b.Stats.ItemCounts(k)
			if got != want {
				t.Fatalf("%v item %s: got %v, want %v", tc, in2.Items[k].Code, got, want)
			}
		}
	}
}

// The bootstrap's answer vectors of a set of agencies are their counted
// responses of the period: scored, they give what the stored statistics
// give.
func TestRespondents(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.SeedMonths(t)
	ctx := context.Background()
	in := p.Instrument(t, "sipas-2017")
	d, k := in.Design(), len(in.Items)
	per, err := survey.ParsePeriod("2026-01-10", "2026-02-20")
	if err != nil {
		t.Fatal(err)
	}
	own, err := p.DB.OwnStats(ctx, in, per)
	if err != nil {
		t.Fatal(err)
	}
	d1, d2 := p.Agency(t, "D1").ID, p.Agency(t, "D2").ID
	for _, ids := range [][]int64{{d1}, {d1, d2}, {}} {
		got, err := p.DB.Respondents(ctx, in, ids, per)
		if err != nil {
			t.Fatal(err)
		}
		if len(got)%k != 0 {
			t.Fatalf("%v: %d answers, not whole vectors of %d", ids, len(got), k)
		}
		want := scoring.NewStats(d)
		for _, id := range ids {
			if err := want.Merge(own[id].Stats); err != nil {
				t.Fatal(err)
			}
		}
		s := scoring.NewStats(d)
		for off := 0; off < len(got); off += k {
			if err := s.Add(got[off : off+k]); err != nil {
				t.Fatal(err)
			}
		}
		a, b := scoring.Compute(d, s, scoring.Options{}), scoring.Compute(d, want, scoring.Options{})
		if a.Respondents != b.Respondents || (len(ids) > 0 && (a.Respondents == 0 || *a.Overall.Index != *b.Overall.Index)) {
			t.Fatalf("%v: %d respondents, index %v; the stored statistics say %d, %v", ids, a.Respondents, a.Overall.Index, b.Respondents, b.Overall.Index)
		}
	}
}

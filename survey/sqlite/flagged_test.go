package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// statsRows returns every stats_monthly row as comparable bytes.
func statsRows(tb testing.TB, p *sqlitetest.Province) []string {
	tb.Helper()
	rows, err := p.RO.Query(`SELECT agency_id, instrument, instrument_version, month, respondents, followups, hex(data) FROM stats_monthly ORDER BY 1, 2, 3, 4`)
	if err != nil {
		tb.Fatalf("stats: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, v, n int64
		var inst, month, fu, data string
		if err := rows.Scan(&a, &inst, &v, &month, &n, &fu, &data); err != nil {
			tb.Fatalf("scan: %v", err)
		}
		out = append(out, fmt.Sprintf("%d %s v%d %s n=%d %s %s", a, inst, v, month, n, fu, data))
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("rows: %v", err)
	}
	return out
}

// TestAcceptEqualsNeverFlagged: accepting a flagged response leaves the
// indices exactly as if it had never been flagged (same statistics bytes,
// follow-up counts included); rejecting leaves them as if it were absent.
func TestAcceptEqualsNeverFlagged(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, survey.Vietnam)
	build := func(flagLast bool) (*sqlitetest.Province, []int64) {
		p := sqlitetest.New(t, sqlite.Options{})
		var ids []int64
		for i, v := range []uint8{5, 3, 1, 4, survey.AnswerNA, 2} {
			for _, c := range []string{"D1/Q1", "D1/K1"} {
				if c == "D1/K1" && v == survey.AnswerNA {
					v = 2 // quick has no "no opinion"
				}
				s := p.Submission(t, c, v, at.Add(time.Duration(i)*time.Hour))
				if c == "D1/K1" {
					s.Followup = i%3 + 1
				}
				if flagLast && i >= 4 {
					s.Flag = survey.FlagRateLimited
				}
				ids = append(ids, mustStore(t, p.DB, s).ResponseID)
			}
		}
		return p, ids
	}
	clean, _ := build(false)
	want := statsRows(t, clean)

	flagged, ids := build(true)
	before := statsRows(t, flagged)
	flaggedIDs := ids[len(ids)-4:]
	for _, id := range flaggedIDs {
		fr, err := flagged.DB.ReviewFlagged(ctx, id, true, "", testActor)
		if err != nil {
			t.Fatalf("accept %d: %v", id, err)
		}
		if fr.Review != survey.ReviewAccepted || fr.Flag != survey.FlagRateLimited || fr.ReviewedBy != testActor.Name {
			t.Fatalf("accepted entry: %+v", fr)
		}
	}
	got := statsRows(t, flagged)
	if len(got) != len(want) {
		t.Fatalf("stats rows: got %d, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("stats after accepting differ from never flagged:\n got %s\nwant %s", got[i], want[i])
		}
	}
	if before[0] == want[0] {
		t.Fatalf("flagged responses were counted before review")
	}

	// Review errors.
	tests := []struct {
		name string
		id   int64
		want string
	}{
		{"already accepted", flaggedIDs[0], survey.ECONFLICT},
		{"never flagged", ids[0], survey.ENOTFOUND},
		{"no such response", 999999, survey.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := flagged.DB.ReviewFlagged(ctx, tt.id, false, "", testActor)
			if got := survey.ErrorCode(err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestRejectAndList(t *testing.T) {
	ctx := context.Background()
	p := sqlitetest.New(t, sqlite.Options{})
	var ids []int64
	for _, c := range []string{"D1/Q1", "D2/Q1", "D1/Q1"} {
		s := p.Submission(t, c, 4, time.Time{})
		s.Flag = survey.FlagHoneypot
		ids = append(ids, mustStore(t, p.DB, s).ResponseID)
	}
	before := statsRows(t, p)
	fr, err := p.DB.ReviewFlagged(ctx, ids[0], false, "bot", testActor)
	if err != nil || fr.Review != survey.ReviewRejected {
		t.Fatalf("reject: %+v, %v", fr, err)
	}
	if got := statsRows(t, p); len(got) != len(before) {
		t.Fatalf("rejecting changed the indices")
	}
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE id = ? AND flag = 'honeypot'`, ids[0]); n != 1 {
		t.Fatalf("rejected response lost its flag")
	}
	list := func(ff survey.FlagFilter) []int64 {
		t.Helper()
		out, err := p.DB.ListFlagged(ctx, ff)
		if err != nil {
			t.Fatalf("list %+v: %v", ff, err)
		}
		var got []int64
		for _, r := range out {
			got = append(got, r.ID)
		}
		return got
	}
	tests := []struct {
		name string
		f    survey.FlagFilter
		want []int64
	}{
		{"pending, all agencies", survey.FlagFilter{}, []int64{ids[2], ids[1]}},
		{"pending in P's subtree", survey.FlagFilter{Agency: "P"}, []int64{ids[2], ids[1]}},
		{"pending in D1", survey.FlagFilter{Agency: "D1"}, []int64{ids[2]}},
		{"pending in C1", survey.FlagFilter{Agency: "C1"}, nil},
		{"reviewed", survey.FlagFilter{Status: "reviewed"}, []int64{ids[0]}},
		{"all, limit 2", survey.FlagFilter{Status: "all", Limit: 2}, []int64{ids[2], ids[1]}},
		{"all, before", survey.FlagFilter{Status: "all", Before: ids[1]}, []int64{ids[0]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := list(tt.f)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
	if _, err := p.DB.ListFlagged(ctx, survey.FlagFilter{Status: "nope"}); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("bad status: got %v, want EINVALID", err)
	}
	if _, err := p.DB.ListFlagged(ctx, survey.FlagFilter{Agency: "ZZ"}); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown agency: got %v, want ENOTFOUND", err)
	}
	es, err := p.DB.ListAudit(ctx, 0, 1)
	if err != nil || len(es) != 1 {
		t.Fatalf("audit: %v, %v", es, err)
	}
	if es[0].Action != "response.reject" || es[0].User != testActor.Name || es[0].Detail != fmt.Sprintf("response %d (flagged honeypot): bot", ids[0]) {
		t.Fatalf("audit entry: got %+v", es[0])
	}
}

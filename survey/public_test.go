package survey_test

import (
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

func TestParsePublicPeriod(t *testing.T) {
	// 2 December 2026, 00:30 in Vietnam (still 1 December in UTC).
	today := time.Date(2026, 12, 1, 17, 30, 0, 0, time.UTC)
	tests := []struct{ in, want, from, to string }{
		{"", "2026-11", "2026-11-01", "2026-11-30"},
		{"month", "2026-11", "2026-11-01", "2026-11-30"},
		{"Quarter", "2026-Q3", "2026-07-01", "2026-09-30"},
		{"half", "2026-H1", "2026-01-01", "2026-06-30"},
		{"year", "2025", "2025-01-01", "2025-12-31"},
		{"2026-11", "2026-11", "2026-11-01", "2026-11-30"},
		{"2026-q2", "2026-Q2", "2026-04-01", "2026-06-30"},
		{"2025", "2025", "2025-01-01", "2025-12-31"},
	}
	for _, tt := range tests {
		p, err := survey.ParsePublicPeriod(tt.in, today)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if p.Name != tt.want || p.FromString() != tt.from || p.ToString() != tt.to {
			t.Errorf("%q: got %s %s..%s, want %s %s..%s", tt.in, p.Name, p.FromString(), p.ToString(), tt.want, tt.from, tt.to)
		}
	}
	for _, bad := range []string{"week", "2026-12", "2026-Q4", "2026", "2026-13", "2026-Q5", "1990", "nov"} {
		if _, err := survey.ParsePublicPeriod(bad, today); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("%q: got %v, want EINVALID", bad, err)
		}
	}
	// On the first of January, the last complete quarter and year are the
	// ones just ended.
	jan := time.Date(2027, 1, 1, 8, 0, 0, 0, survey.Vietnam)
	for kind, want := range map[string]string{survey.KindMonth: "2026-12", survey.KindQuarter: "2026-Q4", survey.KindHalf: "2026-H2", survey.KindYear: "2026"} {
		if got := survey.LastComplete(kind, jan).Name; got != want {
			t.Errorf("LastComplete(%s) on 1 January: got %s, want %s", kind, got, want)
		}
	}
}

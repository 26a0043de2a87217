package dashboard

import (
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

func TestNextIsLocal(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/dashboard/agency/A?period=year", "/dashboard/agency/A?period=year"},
		{"", "/dashboard"},
		{"https://evil.example/", "/dashboard"},
		{"//evil.example/x", "/dashboard"},
		{"/\\evil.example", "/dashboard"},
		{"javascript:alert(1)", "/dashboard"},
		{"/login", "/dashboard"},
		{"dashboard", "/dashboard"},
		{"/ok\r\nSet-Cookie: x=1", "/dashboard"},
	}
	for _, tt := range tests {
		if got := localNext(tt.next); got != tt.want {
			t.Errorf("localNext(%q): got %q, want %q", tt.next, got, tt.want)
		}
	}
}

func TestPresetPeriods(t *testing.T) {
	for _, tc := range []struct{ today, preset, from, to string }{
		{"2026-11-27", presetLastMonth, "2026-10-01", "2026-10-31"},
		{"2026-11-27", presetLastQuarter, "2026-07-01", "2026-09-30"},
		{"2026-01-15", presetLastMonth, "2025-12-01", "2025-12-31"},
		{"2026-02-15", presetLastQuarter, "2025-10-01", "2025-12-31"},
		{"2026-11-27", presetQuarter, "2026-10-01", "2026-11-27"},
		{"2026-11-27", presetHalf, "2026-07-01", "2026-11-27"},
	} {
		today, _ := time.ParseInLocation("2006-01-02", tc.today, survey.Vietnam)
		p, ok := presetPeriod(tc.preset, today.Add(15*time.Hour))
		if !ok || p.FromString() != tc.from || p.ToString() != tc.to {
			t.Fatalf("%s on %s: got %s..%s, want %s..%s", tc.preset, tc.today, p.FromString(), p.ToString(), tc.from, tc.to)
		}
	}
}

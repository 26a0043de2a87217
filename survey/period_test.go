package survey

import (
	"testing"
	"time"
)

func TestPresetPeriods(t *testing.T) {
	for _, tc := range []struct{ today, preset, from, to string }{
		{"2026-11-27", PresetLastMonth, "2026-10-01", "2026-10-31"},
		{"2026-11-27", PresetLastQuarter, "2026-07-01", "2026-09-30"},
		{"2026-01-15", PresetLastMonth, "2025-12-01", "2025-12-31"},
		{"2026-02-15", PresetLastQuarter, "2025-10-01", "2025-12-31"},
		{"2026-11-27", PresetQuarter, "2026-10-01", "2026-11-27"},
		{"2026-11-27", PresetHalf, "2026-07-01", "2026-11-27"},
	} {
		today, _ := time.ParseInLocation("2006-01-02", tc.today, Vietnam)
		p, ok := PresetPeriod(tc.preset, today.Add(15*time.Hour))
		if !ok || p.FromString() != tc.from || p.ToString() != tc.to {
			t.Fatalf("%s on %s: got %s..%s, want %s..%s", tc.preset, tc.today, p.FromString(), p.ToString(), tc.from, tc.to)
		}
	}
}

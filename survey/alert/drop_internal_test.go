package alert

import (
	"testing"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey/report"
)

// family is candidates with the given p-values, every one a drop of 5
// points.
func family(ps ...float64) []candidate {
	out := make([]candidate, len(ps))
	for i, p := range ps {
		d, lo, hi, pv := -5.0, -9.0, -1.0, p
		out[i] = candidate{AgencyChange: report.AgencyChange{Code: "A", Change: scoring.Comparison{Diff: &d, CILow: &lo, CIHigh: &hi, P: &pv}}}
	}
	return out
}

// TestSignificantDrops: a drop significant alone (p = 0.01) is not
// significant after Holm across twenty agencies, one at p = 0.001 is; BH
// keeps a family Holm rejects; rises and changes without a p-value (not
// reportable) are never drops.
func TestSignificantDrops(t *testing.T) {
	many := func(first float64) []candidate {
		ps := []float64{first}
		for range 19 {
			ps = append(ps, 0.5)
		}
		return family(ps...)
	}
	rise := family(0.0001)
	up := 5.0
	rise[0].Change.Diff = &up
	none := family(0.0001)
	none[0].Change = scoring.Comparison{}
	for _, tc := range []struct {
		name   string
		cands  []candidate
		method string
		want   int
	}{
		{"alone", family(0.01), scoring.MethodHolm, 1},
		{"borderline among twenty", many(0.01), scoring.MethodHolm, 0},
		{"borderline among twenty, unknown method is holm", many(0.01), "", 0},
		{"strong among twenty", many(0.001), scoring.MethodHolm, 1},
		{"holm rejects the family", family(0.02, 0.03, 0.04, 0.045), scoring.MethodHolm, 0},
		{"bh keeps it", family(0.02, 0.03, 0.04, 0.045), scoring.MethodBH, 4},
		{"a rise", rise, scoring.MethodHolm, 0},
		{"not reportable", none, scoring.MethodHolm, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := significantDrops(tc.cands, tc.method, 0.95)
			if len(got) != tc.want {
				t.Fatalf("%d drops, want %d", len(got), tc.want)
			}
			for _, i := range got {
				if tc.cands[i].Change.PAdj == nil || *tc.cands[i].Change.PAdj >= 0.05 {
					t.Fatalf("drop %d with adjusted p %v", i, tc.cands[i].Change.PAdj)
				}
			}
		})
	}
}

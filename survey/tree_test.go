package survey

import "testing"

func TestTreeOn(t *testing.T) {
	spans := map[int64][]ParentSpan{
		2: {{AgencyID: 2, ParentID: 1, From: "0001-01-01", To: "2026-04-01"}, {AgencyID: 2, ParentID: 3, From: "2026-04-01"}},
		3: {{AgencyID: 3, ParentID: 1, From: "0001-01-01"}},
		4: {{AgencyID: 4, ParentID: 1, From: "0001-01-01"}},
		1: {{AgencyID: 1, From: "0001-01-01"}},
	}
	merged := map[int64]Merger{4: {Into: 3, Day: "2026-05-01"}}
	for _, tt := range []struct {
		day  string
		want map[int64]int64
	}{
		{"2026-03-31", map[int64]int64{2: 1, 3: 1, 4: 1}},
		{"2026-04-01", map[int64]int64{2: 3, 3: 1, 4: 1}},
		{"2026-05-01", map[int64]int64{2: 3, 3: 1, 4: 3}},
	} {
		got := TreeOn(spans, merged, tt.day)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %v, want %v", tt.day, got, tt.want)
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("%s: %v, want %v", tt.day, got, tt.want)
			}
		}
		if id, ok := TreeLoop(got); ok {
			t.Errorf("%s: loop through %d", tt.day, id)
		}
	}
	if id, ok := TreeLoop(map[int64]int64{2: 3, 3: 4, 4: 2, 5: 1}); !ok || (id != 2 && id != 3 && id != 4) {
		t.Errorf("loop 2 → 3 → 4 → 2: got %d, %v", id, ok)
	}
}

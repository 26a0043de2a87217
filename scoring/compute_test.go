package scoring

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// section2 is the 12-respondent, 3-criterion vector of statistics.md §2.
func section2() (Design, [][]uint8) {
	d := Design{Items: []string{"a", "b", "c"}, Elements: []Element{{Code: "E", Items: []int{0, 1, 2}}}}
	rows := parseAnswers(
		strings.Fields("5 4 3 - 5 2 4 5 1 4 5 3"),
		strings.Fields("4 4 - 5 5 3 4 2 2 - 5 4"),
		strings.Fields("5 3 4 4 - 1 5 5 3 4 4 5"),
	)
	return d, rows
}

func TestComputeSection2(t *testing.T) {
	d, rows := section2()
	res := Compute(d, mustStats(t, d, rows), Options{})
	const wantC, wantSE = 0.687878787878788, 0.115461844145849
	wantP := []float64{0.636363636363636, 0.7, 0.727272727272727}
	wantItemSE := []float64{0.151490105618375, 0.151357493732854, 0.140252584698158}

	for k, it := range res.Items {
		checkClose(t, "p "+it.Code, val(t, "index", it.Index), 100*wantP[k], 1e-12)
		checkClose(t, "item SE "+it.Code, val(t, "se", it.SE), 100*wantItemSE[k], 1e-12)
		w := Wilson(it.Satisfied, it.N, 0.95)
		checkClose(t, "item low", val(t, "low", it.CILow), 100*w.Low, 1e-12)
	}
	// The element and the overall index (one element) are the same composite.
	for name, e := range map[string]Estimate{"element": res.Elements[0].Estimate, "overall": res.Overall.Estimate} {
		t.Run(name, func(t *testing.T) {
			checkClose(t, "C", val(t, "index", e.Index), 100*wantC, 1e-12)
			checkClose(t, "SE", val(t, "se", e.SE), 100*wantSE, 1e-12)
			checkClose(t, "low", val(t, "low", e.CILow), 100*(wantC-Z(0.95)*wantSE), 1e-12)
			if e.N != 12 {
				t.Fatalf("got n %d, want 12", e.N)
			}
		})
	}
	// The direct per-respondent implementation agrees.
	c, v := refComposite(rows, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3})
	checkClose(t, "reference C", c, wantC, 1e-12)
	checkClose(t, "reference SE", math.Sqrt(v), wantSE, 1e-12)
	for k := range 3 {
		a := make([]float64, 3)
		a[k] = 1
		_, v := refComposite(rows, a)
		checkClose(t, "reference item SE", math.Sqrt(v), wantItemSE[k], 1e-12)
	}
}

func TestComputeCompleteData(t *testing.T) {
	// 8 respondents × 3 binary criteria, one criterion per element.
	bin := [][]uint8{{1, 1, 0}, {1, 1, 1}, {0, 1, 0}, {1, 0, 1}, {1, 1, 1}, {0, 0, 0}, {1, 1, 1}, {1, 0, 1}}
	rows := make([][]uint8, len(bin))
	for i, r := range bin {
		for _, y := range r {
			rows[i] = append(rows[i], 1+4*y) // 5 satisfied, 1 not
		}
	}
	d := Design{Items: []string{"X", "Y", "Z"}, Elements: []Element{
		{Code: "X", Items: []int{0}}, {Code: "Y", Items: []int{1}}, {Code: "Z", Items: []int{2}},
	}}
	res := Compute(d, mustStats(t, d, rows), Options{})
	for e, want := range []float64{75, 62.5, 62.5} {
		checkClose(t, "element", val(t, "index", res.Elements[e].Index), want, 1e-12)
	}
	checkClose(t, "C", val(t, "index", res.Overall.Index), 100*0.6666666667, 1e-9)
	se := val(t, "se", res.Overall.SE) / 100
	checkClose(t, "Var", se*se, 0.01587301587, 1e-9)

	// Without elements the overall index is the mean of the items: same numbers.
	flat := Design{Items: d.Items}
	res = Compute(flat, mustStats(t, flat, rows), Options{})
	se = val(t, "se", res.Overall.SE) / 100
	checkClose(t, "flat Var", se*se, 0.01587301587, 1e-9)
}

// TestComputeMatchesReference checks Stats+Compute against the direct
// per-respondent computation on random data with "no opinion" mixed in.
func TestComputeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	designs := map[string]Design{"sipas": sipasDesign(), "small": smallDesign(), "quick": quickDesign()}
	for name, d := range designs {
		t.Run(name, func(t *testing.T) {
			for trial := range 20 {
				pop := newPopulation(len(d.Items), 0.6, 0.1+0.4*float64(trial%3))
				rows := pop.sample(rng, 2+rng.IntN(200))
				if trial == 0 { // an item nobody answered
					for _, r := range rows {
						r[0] = 0
					}
				}
				res := Compute(d, mustStats(t, d, rows), Options{})
				checkAgainstReference(t, d, rows, res)
			}
		})
	}
}

// checkAgainstReference compares res with refComposite on rows.
func checkAgainstReference(t *testing.T, d Design, rows [][]uint8, res Result) {
	t.Helper()
	w := refWeights(d, rows, -1)
	if allZero(w) {
		if res.Overall.Index != nil {
			t.Fatalf("overall: got %v, want nil", *res.Overall.Index)
		}
		return
	}
	c, v := refComposite(rows, w)
	checkClose(t, "overall", val(t, "index", res.Overall.Index), 100*c, 1e-9)
	checkClose(t, "overall SE", val(t, "se", res.Overall.SE), 100*math.Sqrt(v), 1e-9)
	for e := range d.Elements {
		a := refWeights(d, rows, e)
		c, v := refComposite(rows, a)
		if allZero(a) {
			if res.Elements[e].Index != nil {
				t.Fatalf("element %d: got %v, want nil", e, *res.Elements[e].Index)
			}
			continue
		}
		checkClose(t, "element", val(t, "index", res.Elements[e].Index), 100*c, 1e-9)
		checkClose(t, "element SE", val(t, "se", res.Elements[e].SE), 100*math.Sqrt(v), 1e-9)
	}
	for k := range d.Items {
		a := make([]float64, len(d.Items))
		a[k] = 1
		c, v := refComposite(rows, a)
		if res.Items[k].N == 0 {
			if res.Items[k].Index != nil || res.Items[k].SE != nil {
				t.Fatalf("item %d: got values, want nil", k)
			}
			continue
		}
		checkClose(t, "item", val(t, "index", res.Items[k].Index), 100*c, 1e-9)
		checkClose(t, "item SE", val(t, "se", res.Items[k].SE), 100*math.Sqrt(v), 1e-9)
	}
}

func allZero(a []float64) bool {
	for _, v := range a {
		if v != 0 {
			return false
		}
	}
	return true
}

func TestComputeMeans(t *testing.T) {
	// The t-interval vector as one item: 5 4 4 3 5 2 4 4 5 3.
	d := quickDesign()
	rows := parseAnswers(strings.Fields("5 4 4 3 5 2 4 4 5 3 -"))
	res := Compute(d, mustStats(t, d, rows), Options{})
	for name, m := range map[string][3]*float64{
		"item":    {res.Items[0].Mean, res.Items[0].MeanCILow, res.Items[0].MeanCIHigh},
		"overall": {res.Overall.Mean, res.Overall.MeanCILow, res.Overall.MeanCIHigh},
	} {
		t.Run(name, func(t *testing.T) {
			checkClose(t, "mean", val(t, "mean", m[0]), 3.9, 1e-12)
			checkClose(t, "low", val(t, "low", m[1]), 3.188628400, 1e-9)
			checkClose(t, "high", val(t, "high", m[2]), 4.611371600, 1e-9)
		})
	}
	// One item: the overall index is the criterion, with its Wilson interval.
	if *res.Overall.CILow != *res.Items[0].CILow || *res.Overall.CIHigh != *res.Items[0].CIHigh || !near(*res.Overall.SE, *res.Items[0].SE, 1e-12) {
		t.Fatalf("got overall %+v, want the item's interval %+v", res.Overall.Estimate, res.Items[0].Estimate)
	}
	if res.Items[0].NoOpinion != 1 || res.Respondents != 11 || res.Overall.N != 10 {
		t.Fatalf("got no_opinion %d respondents %d n %d, want 1 11 10", res.Items[0].NoOpinion, res.Respondents, res.Overall.N)
	}
	// Element mean: mean over respondents of their mean over valid items.
	d2, rows2 := section2()
	res = Compute(d2, mustStats(t, d2, rows2), Options{})
	var sum, sq float64
	for _, r := range rows2 {
		s, c := 0.0, 0.0
		for _, a := range r {
			if a > 0 {
				s += float64(a)
				c++
			}
		}
		sum += s / c
		sq += (s / c) * (s / c)
	}
	mean, ci, _ := TInterval(12, sum, sq, 0.95)
	checkClose(t, "element mean", val(t, "mean", res.Elements[0].Mean), mean, 1e-12)
	checkClose(t, "element mean high", val(t, "high", res.Elements[0].MeanCIHigh), ci.High, 1e-12)
}

func TestComputeRules(t *testing.T) {
	d := quickDesign()
	rng := rand.New(rand.NewPCG(3, 4))
	gen := func(n, sat int) [][]uint8 {
		rows := make([][]uint8, n)
		for i := range rows {
			rows[i] = []uint8{uint8(1 + rng.IntN(3))}
			if i < sat {
				rows[i][0] = 5
			}
		}
		return rows
	}
	tests := []struct {
		name       string
		rows       [][]uint8
		rules      Rules
		reportable bool
		reason     string
		flags      []string
	}{
		{"no data", [][]uint8{{0}, {0}}, Rules{}, false, "no data", []string{}},
		{"n<30", gen(20, 18), Rules{}, false, "n < 30", []string{"n<50", "ci_wide"}},
		{"n=40 flagged", gen(40, 38), Rules{}, true, "", []string{"n<50"}},
		{"wide", gen(40, 20), Rules{}, true, "", []string{"n<50", "ci_wide"}},
		{"suppressed", gen(40, 20), Rules{MinN: 30, FlagN: 50, FlagWidth: 20, SuppressWidth: 25}, false, "ci wider than 25 points", []string{"n<50", "ci_wide"}},
		{"fine", gen(400, 300), Rules{}, true, "", []string{}},
		{"n=1 custom rules", gen(1, 1), Rules{MinN: 1, FlagN: 1, FlagWidth: 100, SuppressWidth: 100}, true, "", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Compute(d, mustStats(t, d, tt.rows), Options{Rules: tt.rules})
			e := res.Items[0].Estimate
			if e.Reportable != tt.reportable || e.Reason != tt.reason || strings.Join(e.Flags, ",") != strings.Join(tt.flags, ",") {
				t.Fatalf("got %v %q %v, want %v %q %v", e.Reportable, e.Reason, e.Flags, tt.reportable, tt.reason, tt.flags)
			}
		})
	}
	// With n = 1 a composite of several criteria has no SE: not
	// reportable, "no interval". A one-item composite keeps its Wilson
	// interval.
	loose := Options{Rules: Rules{MinN: 1, SuppressWidth: 100, FlagWidth: 100}}
	sd := smallDesign()
	res := Compute(sd, mustStats(t, sd, [][]uint8{filled(8, 4)}), loose)
	if o := res.Overall; o.Reportable || o.Reason != "no interval" || o.SE != nil || o.Index == nil {
		t.Fatalf("got %+v, want an index without interval", o.Estimate)
	}
	res = Compute(d, mustStats(t, d, gen(1, 1)), loose)
	if o := res.Overall; !o.Reportable || o.SE != nil || o.CILow == nil {
		t.Fatalf("got %+v, want a Wilson interval without SE", o.Estimate)
	}
}

func TestComputeEdges(t *testing.T) {
	d := sipasDesign()
	tests := []struct {
		name string
		rows [][]uint8
	}{
		{"empty", nil},
		{"one respondent", [][]uint8{make([]uint8, 22)}},
		{"all no opinion", [][]uint8{make([]uint8, 22), make([]uint8, 22)}},
		{"all satisfied", [][]uint8{filled(22, 5), filled(22, 4), filled(22, 5)}},
		{"none satisfied", [][]uint8{filled(22, 1), filled(22, 3)}},
		{"single answer", [][]uint8{append(filled(1, 5), make([]uint8, 21)...)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Compute(d, mustStats(t, d, tt.rows), Options{Level: 0.9})
			checkNoNaN(t, res)
			if res.Level != 0.9 {
				t.Fatalf("got level %v, want 0.9", res.Level)
			}
		})
	}
	res := Compute(d, mustStats(t, d, [][]uint8{filled(22, 5), filled(22, 4)}), Options{})
	if got := val(t, "index", res.Overall.Index); got != 100 || *res.Overall.SE != 0 || *res.Overall.CIHigh != 100 {
		t.Fatalf("got %v, want 100 with SE 0", got)
	}
	// Stats of another design.
	res = Compute(quickDesign(), NewStats(d), Options{})
	if res.Overall.Reason != "stats do not match design" || len(res.Items) != 0 {
		t.Fatalf("got %+v, want a mismatch result", res)
	}
	res = Compute(d, nil, Options{})
	if res.Overall.Index != nil {
		t.Fatalf("got %v, want nil", *res.Overall.Index)
	}
}

// filled returns k answers equal to v.
func filled(k int, v uint8) []uint8 {
	r := make([]uint8, k)
	for i := range r {
		r[i] = v
	}
	return r
}

// checkNoNaN fails when any number in res is NaN or infinite; JSON
// encoding fails on both, so encoding is the check.
func checkNoNaN(t *testing.T, res Result) {
	t.Helper()
	if _, err := json.Marshal(res); err != nil {
		t.Fatalf("got %v, want a JSON-encodable result", err)
	}
}

func TestResultJSON(t *testing.T) {
	d, rows := section2()
	res := Compute(d, mustStats(t, d, rows), Options{})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	item := m["items"].([]any)[0].(map[string]any)
	for _, key := range []string{"code", "index", "se", "ci_low", "ci_high", "n", "reportable", "reason", "flags",
		"satisfied", "counts", "no_opinion", "mean", "mean_ci_low", "mean_ci_high"} {
		if _, ok := item[key]; !ok {
			t.Fatalf("got item keys %v, want %q", item, key)
		}
	}
	el := m["elements"].([]any)[0].(map[string]any)
	for _, key := range []string{"code", "index", "alpha", "mean"} {
		if _, ok := el[key]; !ok {
			t.Fatalf("got element keys %v, want %q", el, key)
		}
	}
	ov := m["overall"].(map[string]any)
	if _, ok := ov["index"]; !ok {
		t.Fatalf("got overall %v, want flat estimate fields", ov)
	}
	// Missing values are null, not absent.
	empty, _ := json.Marshal(Compute(d, NewStats(d), Options{}))
	if !strings.Contains(string(empty), `"index":null`) {
		t.Fatalf("got %s, want null indices", empty)
	}
}

// When every respondent is satisfied with everything, the linearized SE is
// 0; the interval must still show the uncertainty of a finite sample, as
// Wilson's does for one criterion.
func TestComputeAllSatisfiedHasWidth(t *testing.T) {
	d := sipasDesign()
	rows := make([][]uint8, 60)
	for i := range rows {
		rows[i] = filled(len(d.Items), 5)
	}
	res := Compute(d, mustStats(t, d, rows), Options{})
	want := Wilson(60, 60, 0.95)
	for _, e := range append([]Estimate{res.Overall.Estimate}, res.Elements[0].Estimate) {
		if *e.Index != 100 || *e.SE != 0 {
			t.Fatalf("got index %v se %v, want 100 and 0", *e.Index, *e.SE)
		}
		checkClose(t, "low", *e.CILow, 100*want.Low, 1e-9)
		if *e.CIHigh != 100 {
			t.Fatalf("got high %v, want 100", *e.CIHigh)
		}
	}
}

package scoring

// Comparison is the difference a − b of two indices in percentage points,
// with its confidence interval and p-value. PAdj is the p-value adjusted for
// multiplicity; Significant is "higher" or "lower" (a relative to b) when
// PAdj < 1 − level, otherwise "". Pointers are nil when a side has no data.
type Comparison struct {
	Diff        *float64 `json:"diff"`
	CILow       *float64 `json:"ci_low"`
	CIHigh      *float64 `json:"ci_high"`
	P           *float64 `json:"p"`
	PAdj        *float64 `json:"p_adj"`
	Significant string   `json:"significant"`
}

// Adjustment methods for AdjustComparisons.
const (
	MethodHolm = "holm"
	MethodBH   = "bh"
)

// CompareEstimates compares two independent composite estimates (overall or
// element indices, in percent) with DiffTest: SE = √(SE_a² + SE_b²), normal
// interval and p-value. a and b must not share respondents: compare a unit
// with the rest of its parent (parent.Sub(child)), never with the parent.
// PAdj and Significant are set as for a family of one comparison; use
// AdjustComparisons for families.
func CompareEstimates(a, b Estimate, level float64) Comparison {
	if a.Index == nil || b.Index == nil || a.SE == nil || b.SE == nil {
		return Comparison{}
	}
	diff, ci, p := DiffTest(*a.Index, *a.SE, *b.Index, *b.SE, level)
	c := Comparison{Diff: ptr(diff), CILow: ptr(max(ci.Low, -100)), CIHigh: ptr(min(ci.High, 100)), P: ptr(p)}
	c.decide(p, level)
	return c
}

// CompareProportions compares two independent proportions x1/n1 and x2/n2
// in percentage points: Newcombe's hybrid score interval for the difference
// and the pooled two-proportion z-test for the p-value. Use it for a single
// criterion, or for the index of a one-item instrument.
func CompareProportions(x1, n1, x2, n2 int64, level float64) Comparison {
	if n1 <= 0 || n2 <= 0 {
		return Comparison{}
	}
	diff, ci := Newcombe(x1, n1, x2, n2, level)
	_, p := TwoProportionZ(x1, n1, x2, n2)
	c := Comparison{Diff: ptr(100 * diff), CILow: ptr(100 * ci.Low), CIHigh: ptr(100 * ci.High), P: ptr(p)}
	c.decide(p, level)
	return c
}

// CompareItems compares the same criterion in two independent results with
// CompareProportions (satisfied out of valid answers).
func CompareItems(a, b ItemResult, level float64) Comparison {
	return CompareProportions(a.Satisfied, a.N, b.Satisfied, b.N, level)
}

// decide sets PAdj and Significant from an adjusted p-value.
func (c *Comparison) decide(padj, level float64) {
	c.PAdj = ptr(padj)
	c.Significant = ""
	if c.Diff == nil || !(padj < 1-normLevel(level)) {
		return
	}
	switch {
	case *c.Diff > 0:
		c.Significant = "higher"
	case *c.Diff < 0:
		c.Significant = "lower"
	}
}

// AdjustComparisons adjusts the p-values of a family of comparisons in place
// with method "holm" (family-wise error, the default, also used for an
// unknown method) or "bh" (Benjamini–Hochberg false discovery rate), and
// sets Significant from the adjusted p-values only. Comparisons without a
// p-value are left out of the family and get a nil PAdj.
func AdjustComparisons(cs []Comparison, method string, level float64) {
	var idx []int
	var p []float64
	for i := range cs {
		if cs[i].P == nil {
			cs[i].PAdj, cs[i].Significant = nil, ""
			continue
		}
		idx = append(idx, i)
		p = append(p, *cs[i].P)
	}
	var adj []float64
	if method == MethodBH {
		adj = BenjaminiHochberg(p)
	} else {
		adj = Holm(p)
	}
	for j, i := range idx {
		cs[i].decide(adj[j], level)
	}
}

package scoring

import "fmt"

// Options controls Compute. The zero value means a 95% level and DefaultRules.
type Options struct {
	// Level is the confidence level; 0 (or any value outside (0, 1)) means 0.95.
	Level float64
	// Rules are the reporting rules; the zero value means DefaultRules().
	Rules Rules
}

// Rules are the publication rules applied to every estimate.
type Rules struct {
	// MinN is the smallest n for which an index is reportable.
	MinN int64 `json:"min_n"`
	// FlagN: an estimate with n < FlagN is flagged.
	FlagN int64 `json:"flag_n"`
	// FlagWidth: an estimate whose CI is wider (in points) is flagged.
	FlagWidth float64 `json:"flag_width"`
	// SuppressWidth: an estimate whose CI is wider (in points) is not reportable.
	SuppressWidth float64 `json:"suppress_width"`
}

// DefaultRules returns the default publication rules: show an index only
// when n ≥ 30, flag it when n < 50 or the CI is wider than 20 points, and
// suppress it when the CI is wider than 30 points.
func DefaultRules() Rules {
	return Rules{MinN: 30, FlagN: 50, FlagWidth: 20, SuppressWidth: 30}
}

// Flag values set in Estimate.Flags besides "n<FlagN".
const (
	FlagCIWide = "ci_wide"
)

// Estimate is a published index in percent (0..100) with its standard error
// in percentage points and its confidence interval. A pointer is nil (JSON
// null) when the quantity cannot be estimated; it is never NaN.
type Estimate struct {
	Index  *float64 `json:"index"`
	SE     *float64 `json:"se"`
	CILow  *float64 `json:"ci_low"`
	CIHigh *float64 `json:"ci_high"`
	// N is the number of valid answers (criterion) or of respondents with
	// at least one valid answer (element, overall).
	N int64 `json:"n"`
	// Reportable is true when N ≥ MinN and the CI is at most SuppressWidth wide.
	Reportable bool `json:"reportable"`
	// Reason says why the estimate is not reportable; empty when it is.
	Reason string `json:"reason"`
	// Flags are warnings: "n<50" (for FlagN = 50) and "ci_wide". Never nil.
	Flags []string `json:"flags"`
}

// ItemResult is the result for one criterion: its satisfaction index with
// the Wilson interval and linearized SE, the answer counts, and the mean
// score with its t-interval.
type ItemResult struct {
	Code string `json:"code"`
	Estimate
	Satisfied  int64    `json:"satisfied"`
	Counts     [5]int64 `json:"counts"` // answers 1..5
	NoOpinion  int64    `json:"no_opinion"`
	Mean       *float64 `json:"mean"`
	MeanCILow  *float64 `json:"mean_ci_low"`
	MeanCIHigh *float64 `json:"mean_ci_high"`
}

// ElementResult is the result for one element: the mean of its criterion
// indices with a linearized SE, the mean of respondents' mean scores with a
// t-interval, and Cronbach's alpha over the complete cases.
type ElementResult struct {
	Code string `json:"code"`
	Estimate
	Mean       *float64 `json:"mean"`
	MeanCILow  *float64 `json:"mean_ci_low"`
	MeanCIHigh *float64 `json:"mean_ci_high"`
	Alpha      *float64 `json:"alpha"`
	// AlphaN is the number of complete cases alpha is computed from.
	AlphaN int64 `json:"alpha_n"`
}

// OverallResult is the overall index with the mean of respondents' mean
// scores over all items and its t-interval.
type OverallResult struct {
	Estimate
	Mean       *float64 `json:"mean"`
	MeanCILow  *float64 `json:"mean_ci_low"`
	MeanCIHigh *float64 `json:"mean_ci_high"`
}

// Result is everything Compute publishes for one set of respondents.
type Result struct {
	Respondents int64           `json:"respondents"`
	Level       float64         `json:"level"`
	Overall     OverallResult   `json:"overall"`
	Elements    []ElementResult `json:"elements"`
	Items       []ItemResult    `json:"items"`
}

// apply sets Reportable, Reason and Flags from N and the interval.
func (r Rules) apply(e *Estimate) {
	e.Flags = []string{}
	e.Reportable = false
	if e.N == 0 || e.Index == nil {
		e.Reason = "no data"
		return
	}
	if e.N < r.FlagN {
		e.Flags = append(e.Flags, fmt.Sprintf("n<%d", r.FlagN))
	}
	width := -1.0
	if e.CILow != nil && e.CIHigh != nil {
		width = *e.CIHigh - *e.CILow
		if width > r.FlagWidth {
			e.Flags = append(e.Flags, FlagCIWide)
		}
	}
	switch {
	case e.N < r.MinN:
		e.Reason = fmt.Sprintf("n < %d", r.MinN)
	case width < 0:
		e.Reason = "no interval"
	case width > r.SuppressWidth:
		e.Reason = fmt.Sprintf("ci wider than %g points", r.SuppressWidth)
	default:
		e.Reason = ""
		e.Reportable = true
	}
}

// meanCI fills a mean and its t-interval from sufficient statistics.
func meanCI(n int64, sum, sumSq, level float64) (mean, lo, hi *float64) {
	if n <= 0 {
		return nil, nil, nil
	}
	m, ci, ok := TInterval(n, sum, sumSq, level)
	mean = ptr(m)
	if ok {
		lo, hi = ptr(ci.Low), ptr(ci.High)
	}
	return mean, lo, hi
}

package report

// DefaultLowResponseRate is the response rate (respondents ÷ dossiers)
// below which the dashboard highlights an index: under 5 % of the people
// served rated, so the ratings may speak for a self-selected few.
const DefaultLowResponseRate = 0.05

// ValidLowResponseRate reports whether x may be used as the threshold of a
// low response rate: a ratio strictly between 0 and 1.
func ValidLowResponseRate(x float64) bool { return x > 0 && x < 1 }

// LowResponse reports whether the response rate is known and below
// threshold (DefaultLowResponseRate when threshold is not valid).
func (d Denominators) LowResponse(threshold float64) bool {
	if !ValidLowResponseRate(threshold) {
		threshold = DefaultLowResponseRate
	}
	return d.ResponseRate != nil && *d.ResponseRate < threshold
}

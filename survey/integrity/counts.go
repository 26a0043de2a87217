package integrity

import "github.com/sipas/sipas/survey"

// CounterCounts is one counter's ratings of one instrument in a period,
// as stored.
type CounterCounts struct {
	CounterID int64
	// Instrument is the current version of the ratings' instrument; the
	// bundles are projected onto it.
	Instrument *survey.Instrument
	// Counted ratings are in the indices (never flagged, or accepted back
	// by an admin). SetAside ones are flagged survey.FlagIntegrity or
	// survey.FlagRateLimited and not accepted (pending review, or
	// rejected). Accepted counts the counted ones that had been set aside
	// and were accepted back. Bots are the honeypot's catch
	// (survey.FlagHoneypot): no person's rating, left out of both indices.
	Counted, SetAside, Accepted, Bots int64
	// ByReason counts the set-aside ratings by signal (each signal named in
	// a rating's reasons). A rating set aside for
	// several signals counts under each; ratings set aside by the rate
	// limit count under survey.FlagRateLimited.
	ByReason map[string]int64
	// Windows are the windows of the counter's days in the period in which
	// ratings were set aside.
	Windows []WindowView
	// Kept is the statistics of the counted ratings, All of the counted
	// and the set-aside ones.
	Kept, All *survey.Bundle
}

// WindowView is a stretch of one counter's day in which ratings were
// set aside, as the integrity report shows it. Its bounds are those stored: multiples of ten minutes, the
// finest time of day the report tells.
type WindowView struct {
	Date string `json:"date"` // YYYY-MM-DD, Vietnam
	// From and To are "HH:MM", Vietnam time ("24:00" for the end of the
	// day).
	From string `json:"from"`
	To   string `json:"to"`
	// Reasons are the signals that triggered, in integrity.Signals order.
	Reasons []string `json:"reasons"`
	// Ratings is how many of the window's ratings are set aside now (those
	// an admin accepted back are not).
	Ratings int64 `json:"ratings"`
	// Observed is the most ratings seen in one scan window of the stretch,
	// Expected what the counter's history predicted for it.
	Observed int64   `json:"observed"`
	Expected float64 `json:"expected"`
}

// Package integrity finds ratings that look manufactured — staff rating their
// own counter — and decides which to set aside: kept, left out of every
// index, reviewable by an admin.
//
// Every signal is a test against the counter's own history (its hourly
// arrival rate and how often its citizens give each answer vector) and its
// agency's opening hours, never against a fixed global number:
//
//   - burst: more ratings in a window (10 or 60 minutes) than the counter's
//     rate at that hour makes plausible (Poisson tail, the scan statistic
//     evaluated at every rating);
//   - device: one client (the daily keyed hash of its address) over-represented
//     among the window's ratings, against its share of the rest of the day;
//   - repetition: one answer vector over-represented among the window's
//     ratings, or among one client's ratings of the day, against how often
//     the counter's citizens give it;
//   - off_hours: a rating outside the opening hours. On the counter's own
//     tablet (kiosk) beyond a grace period it is enough on its own: the
//     tablet is inside a closed office. From a phone it is a weak signal,
//     weighted by how often the counter's phone ratings arrive out of hours;
//   - multi: one client rating three or more counters within an hour.
//
// The p-values of the signals that apply to a rating are combined by
// Fisher's method; a rating is set aside when the combined p-value is below
// Options.Alpha. One weak signal alone never reaches it (see Detect). The
// false-positive rate of the rule on honest traffic is measured by the
// simulation in package integrity/sim (make bench; docs/integrity.md).
package integrity

import (
	"context"
	"time"

	"github.com/sipas/sipas/survey"
)

// Signal names, as stored with a set-aside rating and shown on the
// integrity page.
const (
	SignalBurst      = "burst"
	SignalDevice     = "device"
	SignalRepetition = "repetition"
	SignalOffHours   = "off_hours"
	SignalMulti      = "multi"
)

// Signals lists the signal names in the order they are reported.
var Signals = []string{SignalBurst, SignalDevice, SignalRepetition, SignalOffHours, SignalMulti}

// Rating is one stored rating as the detector sees it.
type Rating struct {
	ID int64
	// Unit is what the rating is about: its counter's id, or the negated
	// agency id for a dossier rating without a counter.
	Unit  int64
	At    time.Time
	Kiosk bool // from the counter's own tablet
	// Client is the daily keyed hash of the client's address (0: unknown,
	// e.g. erased or imported).
	Client int64
	// Vector is the stored answers: two ratings with the same Vector gave
	// identical answers.
	Vector string
	// Counted: in the indices now (not flagged). Accepted: an admin accepted
	// it after a flag, so it is never set aside again. Ratings that are
	// neither are already excluded; they still show the pattern.
	Counted  bool
	Accepted bool
	// Bot: caught by the honeypot, no one's rating; the detector ignores
	// it. Limited: flagged by the rate limit at submission; it shows a
	// pattern for its own device only (see window).
	Bot, Limited bool
}

// Window is a stretch of one unit's day in which ratings were set aside,
// with the signals that triggered and the ratings set aside in it.
type Window struct {
	Unit     int64
	Agency   int64
	Date     string // YYYY-MM-DD, Vietnam
	From, To time.Time
	// Reasons are the signals (Signal*) that contributed to any of its
	// ratings, in Signals order; RatingReasons those of each rating.
	Reasons       []string
	RatingReasons map[int64][]string
	// Ratings are the ids set aside in the window: counted ones the scan
	// takes out, and ones already excluded that the rule also covers.
	Ratings []int64
	// Observed is the most ratings seen in one scan window of the stretch,
	// Expected what the unit's history predicted for it.
	Observed int
	Expected float64
	// P is the smallest combined p-value of a rating in the window.
	P float64
}

// Options tune the detector; the zero value means the defaults.
type Options struct {
	// Alpha is the combined p-value below which a rating is set aside
	// (default 1e-7).
	Alpha float64
	// Grace widens the opening hours for the kiosk rule (default 30
	// minutes: citizens still in the queue at closing time are served).
	Grace time.Duration
	// Off switches signals off (by Signal* name), for measuring what each
	// contributes; the server never sets it.
	Off map[string]bool
}

// Defaults of Options.
const (
	DefaultAlpha = 1e-7
	DefaultGrace = 30 * time.Minute
	// HistoryDays is how many days before the scanned day a unit's baseline
	// is built from.
	HistoryDays = 28
	// KeepClientDays is how many dates keep their ratings' client hashes:
	// today and yesterday, the dates the periodic scan judges; older ones
	// are erased by each pass.
	KeepClientDays = 2
)

func (o Options) alpha() float64 {
	if o.Alpha > 0 {
		return o.Alpha
	}
	return DefaultAlpha
}

func (o Options) grace() time.Duration {
	if o.Grace > 0 {
		return o.Grace
	}
	return DefaultGrace
}

// Store is what the integrity scan needs of the storage.
type Store interface {
	// IntegrityDays returns the ratings of the given dates (YYYY-MM-DD,
	// Vietnam) grouped by unit, each with its calendar and baseline (the
	// HistoryDays before the first date).
	IntegrityDays(ctx context.Context, dates []string) ([]*UnitDay, error)
	// SetAside records the windows: in one transaction, the counted ratings
	// they list are flagged (survey.FlagIntegrity, with their reasons) and
	// taken out of the statistics, ratings already excluded are attached to
	// their window, and the windows are stored. Ratings reviewed by an
	// admin are left as they are. A window that cannot be recorded (a
	// rating whose statistics disagree, say) is left out whole and named
	// in the error, the others are recorded all the same. The audit log
	// names by (the zero Actor: "system"). It returns how many ratings it
	// took out.
	SetAside(ctx context.Context, windows []Window, at time.Time, by survey.Actor) (int, error)
	// EraseClients erases the client hashes of ratings dated before date.
	EraseClients(ctx context.Context, before string) (int64, error)
}

// ConfigStore keeps the opening hours and public holidays the signals are
// judged against.
type ConfigStore interface {
	// Calendar returns the calendar of the agency with this id: its own
	// hours, else its nearest ancestor's, else DefaultHours; and the
	// holidays.
	Calendar(ctx context.Context, agencyID int64) (*Calendar, error)
	// AgencyHours returns the hours that apply to the agency and the code
	// of the agency they are set on ("" for the default). ENOTFOUND.
	AgencyHours(ctx context.Context, code string) (Hours, string, error)
	// SetAgencyHours sets the agency's own hours (nil: it takes its
	// parent's), with history and audit. ENOTFOUND.
	SetAgencyHours(ctx context.Context, code string, h *Hours, by survey.Actor) error
	// Holidays lists the public holidays by date.
	Holidays(ctx context.Context) ([]Holiday, error)
	// SetHolidays replaces the holidays (checked by ParseHolidays:
	// EINVALID, nothing changed), with audit.
	SetHolidays(ctx context.Context, list []Holiday, by survey.Actor) error
}

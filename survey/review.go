package survey

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Flags a response may carry when it is stored. A flagged response is kept
// but left out of every index until an admin accepts it.
const (
	FlagHoneypot    = "honeypot"     // the hidden "website" field was filled in: a bot
	FlagRateLimited = "rate_limited" // more submissions from one client at one counter than the limit
	// FlagIntegrity: set aside by the integrity signals (package
	// survey/integrity), at submission or by the periodic scan; the
	// response's reasons say which.
	FlagIntegrity = "integrity"
)

// Outcomes of reviewing a flagged response.
const (
	ReviewAccepted = "accepted" // counted in the indices from now on
	ReviewRejected = "rejected" // stays out of the indices, kept for the record
)

// FlaggedResponse is a response that was flagged when it arrived, with the
// outcome of its review if it has had one.
type FlaggedResponse struct {
	ID           int64      `json:"id"`
	SubmissionID string     `json:"submission_id"`
	AgencyCode   string     `json:"agency"`
	CounterCode  string     `json:"counter"`
	Instrument   string     `json:"instrument"`
	Version      int        `json:"instrument_version"`
	Channel      string     `json:"channel"`
	SubmittedAt  time.Time  `json:"submitted_at"`
	LocalDate    string     `json:"local_date"`
	Answers      []int      `json:"answers"` // 1..5, 6 = no opinion, 0 = blank, in item order
	Followup     int        `json:"followup"`
	Comment      string     `json:"comment"`
	Flag         string     `json:"flag"` // why it was flagged (kept after review)
	Review       string     `json:"review,omitempty"`
	ReviewedAt   *time.Time `json:"reviewed_at,omitempty"`
	ReviewedBy   string     `json:"reviewed_by,omitempty"`
	// Reasons are the integrity signals of a rating set aside (flag
	// FlagIntegrity; package survey/integrity's names, kept after review).
	Reasons []string `json:"reasons,omitempty"`
	// Window is the integrity window the rating was set aside in (or
	// attached to), "HH:MM–HH:MM" in Vietnam time, its bounds rounded out
	// to ten minutes as on the integrity page; empty when it is in none.
	Window string `json:"window,omitempty"`
}

// FlagFilter selects flagged responses.
type FlagFilter struct {
	// Agency, when set, limits the list to that agency and its subtree.
	Agency string
	// Status is "pending" (default: not yet reviewed), "reviewed" or "all".
	Status string
	// Before, when > 0, returns only responses with a smaller id (paging).
	Before int64
	// Limit caps the list (default 100, at most 1000).
	Limit int
}

// ReviewStore lets an admin see and review flagged responses.
type ReviewStore interface {
	// ListFlagged returns flagged responses, newest first. Returns EINVALID
	// or ENOTFOUND (agency).
	ListFlagged(ctx context.Context, f FlagFilter) ([]*FlaggedResponse, error)
	// ReviewFlagged accepts (adding the response to the indices in the same
	// transaction) or rejects a flagged response, and records the review in
	// the audit log with the reviewer's note. Returns ENOTFOUND (no such
	// flagged response) or ECONFLICT (already reviewed).
	ReviewFlagged(ctx context.Context, id int64, accept bool, note string, by Actor) (*FlaggedResponse, error)
}

// AuditEntry is one line of the audit log: who did what, when.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	User   string    `json:"user"`
	Action string    `json:"action"`
	Detail string    `json:"detail"`
	// Count is the number of events an aggregated entry stands for (failed
	// sign-ins of one minute on one channel); 0 for every other entry.
	Count int `json:"count,omitempty"`
}

// Channels of a sign-in, as the audit log names them: the dashboard's
// sign-in form, HTTP Basic credentials (API and posters sheet), and the
// current password asked by the dashboard's change-password form.
const (
	SignInDashboard = "dashboard"
	SignInBasic     = "basic"
	SignInPassword  = "password"
)

// Audit actions of sign-ins. Failed sign-ins are counted per minute and
// channel in one entry by AuditAnonymous, never with the name or password
// typed: a wrong name is often a password typed in the wrong field, and one
// entry per attempt would let an attack flood the log.
const (
	AuditSignIn       = "signin"
	AuditSignInFailed = "signin.failed"
	AuditAnonymous    = "anonymous"
)

// AuditStore reads the audit log and records sign-ins. Entries for changes
// are written by the stores in the same transaction as the change they
// record.
type AuditStore interface {
	// ListAudit returns entries newest first; before > 0 pages to older
	// entries, limit caps the list (default 100, at most 1000).
	ListAudit(ctx context.Context, before int64, limit int) ([]*AuditEntry, error)
	// RecordSignIn writes an AuditSignIn entry naming by, who has just
	// signed in on channel (a successful sign-in on the dashboard; Basic
	// credentials are checked on every API request and are not recorded).
	// Returns EINVALID for an unknown channel or an empty name.
	RecordSignIn(ctx context.Context, by Actor, channel string) error
	// CountFailedSignIn adds one failed sign-in on channel to the
	// AuditSignInFailed entry of the current minute (by AuditAnonymous,
	// Count the failures so far), creating it with the minute's first
	// failure: at most one entry per minute and channel, whatever the rate.
	// Returns EINVALID for an unknown channel.
	CountFailedSignIn(ctx context.Context, channel string) error
}

// ValidSignInChannel reports whether ch is one of the SignIn channels.
func ValidSignInChannel(ch string) bool {
	return ch == SignInDashboard || ch == SignInBasic || ch == SignInPassword
}

// MaxNoteRunes is the longest note an admin may give with a review.
const MaxNoteRunes = 500

// CleanNote normalises a review note for the audit log: control characters
// become spaces and runs of blanks one space. It returns EINVALID when the
// note is longer than MaxNoteRunes characters.
func CleanNote(note string) (string, error) {
	note = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, note)), " ")
	if utf8.RuneCountInString(note) > MaxNoteRunes {
		return "", Errorf(EINVALID, "note must have at most %d characters", MaxNoteRunes)
	}
	return note, nil
}

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
}

// AuditStore reads the audit log. Entries are written by the stores in the
// same transaction as the change they record.
type AuditStore interface {
	// ListAudit returns entries newest first; before > 0 pages to older
	// entries, limit caps the list (default 100, at most 1000).
	ListAudit(ctx context.Context, before int64, limit int) ([]*AuditEntry, error)
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

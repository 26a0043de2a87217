package survey

import (
	"context"
	"time"
)

// Session is an official's signed-in browser session. Only a SHA-256 hash
// of the session token is stored; the token itself lives in the cookie.
type Session struct {
	ID        int64
	UserID    int64
	CreatedAt time.Time
	SeenAt    time.Time
	// ExpiresAt is when the session ends unless it is used again (sliding
	// idle expiry, capped by the session's maximum age).
	ExpiresAt time.Time
}

// SessionStore keeps sessions.
type SessionStore interface {
	// CreateSession stores a session for the user with the given token hash.
	CreateSession(ctx context.Context, tokenHash []byte, userID int64, now, expires time.Time) (*Session, error)
	// FindSession returns the session with the token hash and its user.
	// Returns ENOTFOUND (also for an expired session, which it deletes).
	FindSession(ctx context.Context, tokenHash []byte, now time.Time) (*Session, *User, error)
	// TouchSession records use of the session and moves its expiry.
	TouchSession(ctx context.Context, tokenHash []byte, seen, expires time.Time) error
	// DeleteSession ends one session (a missing one is not an error).
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteUserSessions ends every session of the user except the one with
	// the token hash keep (nil: all of them).
	DeleteUserSessions(ctx context.Context, userID int64, keep []byte) error
}

// Comment is a citizen's comment as officials read it, with where and when
// it was given and the respondent's mean score.
type Comment struct {
	ResponseID  int64
	AgencyCode  string
	AgencyName  string
	CounterCode string
	CounterName string
	Instrument  string
	SubmittedAt time.Time
	LocalDate   string
	// Mean is the respondent's mean over their answers 1..5; nil when they
	// gave none.
	Mean *float64
	Text string
}

// CommentFilter selects comments.
type CommentFilter struct {
	// Agency is the root of the subtree whose comments are listed.
	Agency string
	Period Period
	// Instrument, when set, limits the list to responses to it.
	Instrument string
	// MinMean and MaxMean, when > 0, keep only respondents whose mean score
	// is within [MinMean, MaxMean] (respondents without a mean are left out
	// when either is set).
	MinMean, MaxMean float64
	// Limit caps the page (default 20, at most 500); Offset skips.
	Limit, Offset int
}

// ResponseFilter selects the raw responses of an export.
type ResponseFilter struct {
	// Agency is the root of the subtree.
	Agency     string
	Period     Period
	Instrument string
}

// DashboardStore reads what the officials' dashboard shows besides indices.
type DashboardStore interface {
	// ListComments returns the non-empty comments of unflagged responses in
	// the subtree and period, newest first, and the number of comments that
	// match the filter in all. The subtree (today's) holds, recursively,
	// the merge predecessors of its agencies (an agency's history), but not
	// a predecessor's former sub-agencies: only what CanSee admits for an
	// official of the root.
	// Returns ENOTFOUND (agency) or EINVALID.
	ListComments(ctx context.Context, f CommentFilter) ([]*Comment, int, error)
	// CounterResponseCounts returns the number of unflagged responses per
	// counter id of the agency's own counters within p.
	CounterResponseCounts(ctx context.Context, agency string, p Period) (map[int64]int64, error)
	// EachResponse calls fn with every response (flagged ones included,
	// with their flag) of the subtree (merge predecessors included, as
	// ListComments), period and instrument, oldest first.
	// fn must not keep the response. Returns ENOTFOUND (agency).
	EachResponse(ctx context.Context, f ResponseFilter, fn func(*Response) error) error
	// CounterChannelStats returns the statistics of the agency's own
	// unflagged responses to any version of in within p (projected onto
	// in's design), grouped by counter and by whether they rate a dossier.
	// Dossier ratings without a counter have CounterID 0. Groups without
	// responses are absent. Returns ENOTFOUND (agency).
	CounterChannelStats(ctx context.Context, in *Instrument, agency string, p Period) (map[CounterChannel]*Bundle, error)
}

// CounterChannel names a group of one agency's ratings: those of one
// counter (CounterID 0: no counter) that rate a registered dossier
// (Dossier) or that came through the counter's open QR code, kiosk or the
// API (!Dossier).
type CounterChannel struct {
	CounterID int64
	Dossier   bool
}

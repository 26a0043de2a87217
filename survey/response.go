package survey

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Vietnam is the time zone in which response dates are counted (UTC+7, no
// daylight saving).
var Vietnam = time.FixedZone("ICT", 7*3600)

// Submission is a validated response ready to be stored.
type Submission struct {
	// SubmissionID is chosen by the client (rendered into each form) so that a
	// retried or double-tapped submit stores one response.
	SubmissionID string
	CounterID    int64
	AgencyID     int64
	Instrument   *Instrument
	// Answers holds one value per instrument item, in item order: 1..5,
	// AnswerNA or AnswerBlank.
	Answers []uint8
	// Followup is the 1-based option of the follow-up question, 0 for none.
	Followup int
	Comment  string
	// Channel is how it arrived: ChannelWeb, ChannelKiosk, ChannelAPI or
	// ChannelDossier.
	Channel    string
	Lang       string
	ReceivedAt time.Time
	// Flag, when not empty, marks the response as suspicious (honeypot,
	// burst): it is stored but left out of every index until reviewed.
	Flag string
	// Reasons are the integrity signals (comma list) of a FlagIntegrity.
	Reasons string
	// Client is the day's keyed tag of the client's device
	// (RateLimiter.ClientTag; 0 unknown), kept for the integrity scan for
	// two calendar days and then erased.
	Client int64
	// DossierID is the dossier rated (0: an open QR code), and Timeliness
	// its class when rated (Dossier.Timeliness). A dossier has at most one
	// rating: a second returns ErrDossierRated.
	DossierID  int64
	Timeliness string
}

// Response is a stored submission as read back.
type Response struct {
	ID                int64
	SubmissionID      string
	CounterID         int64
	CounterCode       string
	AgencyID          int64
	AgencyCode        string
	InstrumentID      string
	InstrumentVersion int
	Answers           []uint8
	Followup          int
	Comment           string
	Channel           string
	SubmittedAt       time.Time
	LocalDate         string
	Flag              string
	// DossierID is the dossier rated (0: an open QR code), Timeliness its
	// class when rated.
	DossierID  int64
	Timeliness string
}

// Result is what storing a submission yields: the response id, and whether
// the same response had been stored before under the same submission id (a
// replay). The id is internal: give Signer.PublicID of it to the public.
type Result struct {
	ResponseID int64
	Replay     bool
}

// ResponseStore stores submissions durably.
type ResponseStore interface {
	// StoreResponse returns once the response is committed to disk (fsync).
	// A submission id seen before is a replay when it comes with the same
	// counter, answers, follow-up and comment (or, for an instrument with a
	// follow-up, without follow-up and comment, which may have been added
	// since): it returns the original id with Replay set and stores
	// nothing. The same id with another counter or other answers returns
	// ECONFLICT and stores nothing. Returns EINVALID, ECONFLICT or
	// EINTERNAL.
	StoreResponse(ctx context.Context, s *Submission) (Result, error)
	// FindResponse returns one stored response by id (ENOTFOUND).
	FindResponse(ctx context.Context, id int64) (*Response, error)
	// AddFollowup completes a response of a one-tap instrument with the
	// follow-up answer (1-based option) and comment asked after the tap: only
	// the response with that submission id at that counter, within window of
	// its arrival, and only once. Returns ENOTFOUND, ECONFLICT or EINVALID.
	AddFollowup(ctx context.Context, submissionID string, counterID int64, followup int, comment string, window time.Duration) error
}

// FollowupWindow is how long after a one-tap rating its optional follow-up
// and comment can still be added (AddFollowup).
const FollowupWindow = time.Hour

var submissionIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// ValidSubmissionID reports whether s is an acceptable submission id.
func ValidSubmissionID(s string) bool { return submissionIDRE.MatchString(s) }

// Messages for answer validation, in Vietnamese (shown to citizens) with
// English used by the JSON API.
const (
	MsgMissing    = "Vui lòng chọn một mức đánh giá hoặc “Không có ý kiến”."
	MsgMissingOne = "Vui lòng chọn một mức đánh giá."
	MsgBadValue   = "Giá trị không hợp lệ."
)

// ParseAnswers validates raw answers keyed by item code against the
// instrument. Values are "1".."5" or "na" (no opinion, where allowed). Keys
// that are not items of the instrument are rejected. On failure the *Error
// lists every field to fix in Fields; the partial answers are still returned
// so that a form can be shown again with what the citizen chose.
func ParseAnswers(in *Instrument, raw map[string]string) ([]uint8, *Error) {
	ans := make([]uint8, len(in.Items))
	fields := map[string]string{}
	for code, v := range raw {
		k, ok := in.ItemIndex(code)
		if !ok {
			fields[code] = "unknown item"
			continue
		}
		switch {
		case len(v) == 1 && v[0] >= '1' && v[0] <= '5':
			ans[k] = v[0] - '0'
		case v == "na" && in.AllowNoOpinion:
			ans[k] = AnswerNA
		case v == "":
		default:
			fields[code] = MsgBadValue
		}
	}
	if in.RequireAll {
		for k, it := range in.Items {
			if ans[k] == AnswerBlank && fields[it.Code] == "" {
				if in.AllowNoOpinion {
					fields[it.Code] = MsgMissing
				} else {
					fields[it.Code] = MsgMissingOne
				}
			}
		}
	}
	if len(fields) > 0 {
		return ans, &Error{Code: EINVALID, Message: answersMessage(in, fields), Fields: fields}
	}
	return ans, nil
}

func answersMessage(in *Instrument, fields map[string]string) string {
	var missing, bad []string
	for _, it := range in.Items {
		switch fields[it.Code] {
		case "":
		case MsgMissing, MsgMissingOne:
			missing = append(missing, it.Code)
		default:
			bad = append(bad, it.Code)
		}
	}
	var unknown []string
	for code, msg := range fields {
		if msg == "unknown item" {
			unknown = append(unknown, code)
		}
	}
	var parts []string
	if len(unknown) > 0 {
		parts = append(parts, "unknown item(s): "+strings.Join(sortStrings(unknown), ", "))
	}
	if len(bad) > 0 {
		parts = append(parts, "invalid value for: "+strings.Join(bad, ", ")+" (use 1..5 or \"na\")")
	}
	if len(missing) > 0 {
		parts = append(parts, "missing answer for: "+strings.Join(missing, ", "))
	}
	return strings.Join(parts, "; ")
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// CleanComment checks a free-text comment: valid UTF-8, at most
// MaxCommentRunes characters; control characters other than newlines are
// removed and the text is trimmed.
func CleanComment(s string) (string, *Error) {
	if !utf8.ValidString(s) {
		return "", &Error{Code: EINVALID, Message: "comment is not valid UTF-8", Fields: map[string]string{"comment": "Nội dung góp ý có ký tự không hợp lệ."}}
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r == '\r' || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxCommentRunes {
		return s, &Error{Code: EINVALID, Message: "comment is longer than 2000 characters", Fields: map[string]string{"comment": "Góp ý dài quá 2000 ký tự."}}
	}
	return s, nil
}

// LocalDate returns the calendar date of t in Vietnam, as YYYY-MM-DD.
func LocalDate(t time.Time) string { return t.In(Vietnam).Format("2006-01-02") }

package survey

// SubmissionInput is what a citizen's client sent for one rating, before
// validation: the form and the JSON API both reduce their request to it.
type SubmissionInput struct {
	SubmissionID string
	// Answers maps item codes to "1".."5", "na" (no opinion) or "" (blank).
	Answers map[string]string
	// Followup is the value of the chosen follow-up option, "" for none.
	Followup string
	Comment  string
}

// Field keys and messages of BuildSubmission's errors besides the item
// codes.
const (
	FieldSubmissionID = "submission_id"
	FieldFollowup     = "followup"
	FieldComment      = "comment"

	MsgBadSubmissionID = "submission_id must be 16-64 characters of A-Z, a-z, 0-9, '-' or '_'"
	MsgBadFollowup     = "followup is not one of the instrument's options"
	MsgNoComment       = "this instrument takes no comment"
)

// BuildSubmission validates a rating against its instrument and returns
// the submission to store; the caller sets the counter, agency, channel,
// language and time. It always returns the submission, with what could be
// read of the answers and the follow-up, so that a form can be shown again
// with the citizen's choices. On failure the *Error (EINVALID) lists in
// Fields every field to fix: item codes (with ParseAnswers' messages),
// FieldSubmissionID, FieldFollowup, and FieldComment (CleanComment's
// message, or MsgNoComment when the instrument takes no comment). Its
// Message is the first problem in that order.
func BuildSubmission(in *Instrument, input SubmissionInput) (*Submission, *Error) {
	sub := &Submission{SubmissionID: input.SubmissionID, Instrument: in}
	fields := map[string]string{}
	var first string
	note := func(key, msg, message string) {
		fields[key] = msg
		if first == "" {
			first = message
		}
	}
	if !ValidSubmissionID(input.SubmissionID) {
		note(FieldSubmissionID, MsgBadSubmissionID, MsgBadSubmissionID)
	}
	ans, aerr := ParseAnswers(in, input.Answers)
	sub.Answers = ans
	if aerr != nil {
		for k, v := range aerr.Fields {
			fields[k] = v
		}
		if first == "" {
			first = aerr.Message
		}
	}
	if input.Followup != "" {
		if in.Followup != nil {
			sub.Followup = in.FollowupIndex(input.Followup)
		}
		if sub.Followup == 0 {
			note(FieldFollowup, MsgBadFollowup, MsgBadFollowup)
		}
	}
	comment, cerr := CleanComment(input.Comment)
	switch {
	case cerr != nil:
		note(FieldComment, cerr.Fields["comment"], cerr.Message)
	case !in.Comment && comment != "":
		note(FieldComment, MsgNoComment, MsgNoComment)
	default:
		sub.Comment = comment
	}
	if len(fields) > 0 {
		return sub, &Error{Code: EINVALID, Message: first, Fields: fields}
	}
	return sub, nil
}

// IsItemField reports whether key of a BuildSubmission error names an item
// of the instrument.
func (in *Instrument) IsItemField(key string) bool {
	_, ok := in.ItemIndex(key)
	return ok
}

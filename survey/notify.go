package survey

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// MaxEmailLen is the longest email address accepted (RFC 5321's path limit).
const MaxEmailLen = 254

// ParseEmail checks an official's email address: one bare address
// (name@domain, no display name), at most MaxEmailLen characters. Spaces
// around it are dropped; "" is allowed and means no address. It returns
// EINVALID.
func ParseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) > MaxEmailLen {
		return "", Errorf(EINVALID, "email address longer than %d characters", MaxEmailLen)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", Errorf(EINVALID, "invalid email address %q: use the form name@agency.gov.vn", s)
	}
	return s, nil
}

// Kinds of mail recorded in the mail log.
const (
	MailDigest = "digest" // the weekly digest; its key is the ISO week, "2026-W49"
	MailAlert  = "alert"  // alert mail; its key is the alert's id
)

// MailStore records the mail sent to officials, so that none goes twice
// across restarts, and the cursors of the readers that follow a list.
type MailStore interface {
	// ClaimMail records that the mail of kind and key goes to the user now;
	// it returns false, recording nothing, when it was claimed before.
	ClaimMail(ctx context.Context, userID int64, kind, key string, at time.Time) (bool, error)
	// ReleaseMail forgets a claim whose sending failed, so it is tried again.
	ReleaseMail(ctx context.Context, userID int64, kind, key string) error
	// MailCursor returns the cursor called name, and false when it was
	// never set.
	MailCursor(ctx context.Context, name string) (int64, bool, error)
	// SetMailCursor sets the cursor called name.
	SetMailCursor(ctx context.Context, name string, v int64) error
}

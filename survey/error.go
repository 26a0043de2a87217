// Package survey holds the domain of sipas: instruments, agencies, counters,
// responses and users, their validation rules, and the store interfaces
// that the SQLite adapter implements. It imports neither HTTP nor SQL.
package survey

import (
	"errors"
	"fmt"
)

// Error codes. Every error a store or a domain function returns to a caller
// that must react to it carries one of these codes.
const (
	EINVALID      = "invalid"      // input failed validation
	ENOTFOUND     = "not_found"    // the thing does not exist
	ECONFLICT     = "conflict"     // a unique key is taken
	EUNAUTHORIZED = "unauthorized" // no or wrong credentials
	EFORBIDDEN    = "forbidden"    // credentials fine, access denied
	EGONE         = "gone"         // existed once, no longer in use (rotated token, closed counter)
	ETOOLARGE     = "too_large"    // request body over the cap
	ERATELIMIT    = "rate_limited" // too many requests
	EINTERNAL     = "internal"     // anything else: a bug or an outage
)

// Error is the domain error: a code for programs and a message for people.
// Message is safe to show to a user; internal causes are never put in it.
type Error struct {
	Code    string
	Message string
	// Fields maps an input field (an item code, "comment", a CSV column) to
	// what is wrong with it, for forms that point at the fields to fix.
	Fields map[string]string
	// Line is the 1-based input line for errors found in an import.
	Line int
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or EINTERNAL for errors that are not an
// *Error (and "" for nil).
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; errors without a code
// get a generic message so internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}

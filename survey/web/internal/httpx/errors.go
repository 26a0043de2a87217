// Package httpx holds what the citizen, API and dashboard handlers share:
// the one mapping of error codes to HTTP statuses, HTTP-level errors, the
// request's language, signed-in user and id, JSON answers and the client's
// address.
package httpx

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/sipas/sipas/survey"
)

// Status maps a domain error code to its HTTP status; unknown codes and
// EINTERNAL are 500.
func Status(code string) int {
	switch code {
	case survey.EINVALID:
		return http.StatusBadRequest
	case survey.ENOTFOUND:
		return http.StatusNotFound
	case survey.ECONFLICT:
		return http.StatusConflict
	case survey.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case survey.EFORBIDDEN:
		return http.StatusForbidden
	case survey.EGONE:
		return http.StatusGone
	case survey.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case survey.ERATELIMIT:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// Error is an answer decided by the HTTP layer rather than the domain: a
// status and the message to show (415 for a wrong content type, 405, a
// page of its own).
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s", e.Status, e.Message) }

// Errorf returns an *Error with status and a formatted message.
func Errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// StatusOf returns the status and the message to show for err: an *Error's
// own, a domain error's by its code, and 500 with "internal error" for
// anything else (whose text is never shown).
func StatusOf(err error) (int, string) {
	var he *Error
	if errors.As(err, &he) {
		return he.Status, he.Message
	}
	status := Status(survey.ErrorCode(err))
	if status == http.StatusInternalServerError {
		return status, "internal error"
	}
	return status, survey.ErrorMessage(err)
}

// TooLarge reports whether err came from the body cap.
func TooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

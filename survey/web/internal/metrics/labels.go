package metrics

import (
	"net/http"
	"slices"
)

// The fixed sets of label values; each ends in "other", which stands for
// every value outside the set.
var (
	channels      = []string{"web", "kiosk", "api", "dossier", "other"}
	flagReasons   = []string{"honeypot", "rate_limited", "other"}
	rejectReasons = []string{"invalid", "bad_token", "gone_token", "too_large", "bad_content_type",
		"rate_limited", "unavailable", "conflict", "other"}
)

// Method returns m if it is one of the methods of RFC 9110 (GET, HEAD, POST,
// PUT, PATCH, DELETE, OPTIONS, CONNECT, TRACE; case-sensitive, as methods
// are), and "other" for anything else.
func Method(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

// statusClass returns "1xx" to "5xx" for a status from 100 to 599, and
// "other" for anything else.
func statusClass(status int) string {
	switch {
	case status < 100 || status > 599:
		return "other"
	case status < 200:
		return "1xx"
	case status < 300:
		return "2xx"
	case status < 400:
		return "3xx"
	case status < 500:
		return "4xx"
	}
	return "5xx"
}

// oneOf returns v if it is in set, else "other".
func oneOf(v string, set []string) string {
	if slices.Contains(set, v) {
		return v
	}
	return "other"
}

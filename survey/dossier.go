package survey

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A dossier (hồ sơ) is one procedure a citizen filed at a one-stop counter,
// registered by the one-stop software (hệ thống thông tin giải quyết TTHC)
// with its dates. The slip handed to the citizen carries a QR code whose
// rating URL names the dossier, so that each dossier is rated at most once
// and the index can be read against how many people were served.
//
// The dossier code printed on the slip (mã hồ sơ) is never stored: only its
// keyed hash (Signer.DossierHash), which is how a second registration of
// the same code finds the first.
type Dossier struct {
	ID         int64
	CodeHash   []byte
	AgencyID   int64
	AgencyCode string
	AgencyName string
	// CounterID is 0 when the one-stop software named no counter; the
	// rating then uses the agency's default instrument (DefaultInstrument).
	CounterID     int64
	CounterCode   string
	CounterName   string
	Procedure     string
	ProcedureName string
	ReceivedAt    time.Time
	DueAt         *time.Time
	ReturnedAt    *time.Time
	// Rated is set once a rating of the dossier is stored.
	Rated bool
	// AgencyClosed is set when the agency, or one above it, is closed.
	AgencyClosed bool
}

// Timeliness classes of a dossier, recorded with its rating.
const (
	OnTime  = "on_time" // returned no later than due
	Late    = "late"    // returned after due, or not returned and past due
	Pending = "pending" // not returned, and not yet due (or no due date)
)

// Timeliness returns the dossier's class at time now: OnTime or Late once it
// is returned (against its due date), Late when it is past due and not
// returned, Pending otherwise. A returned dossier without a due date has no
// class (""): nothing says whether it was on time.
func (d *Dossier) Timeliness(now time.Time) string {
	switch {
	case d.ReturnedAt != nil && d.DueAt == nil:
		return ""
	case d.ReturnedAt != nil && d.ReturnedAt.After(*d.DueAt):
		return Late
	case d.ReturnedAt != nil:
		return OnTime
	case d.DueAt != nil && now.After(*d.DueAt):
		return Late
	}
	return Pending
}

// DefaultInstrument is the instrument of a dossier rating whose dossier
// names no counter: the full SIPAS questionnaire.
const DefaultInstrument = "sipas-2017"

// MaxDossierCodeLen caps a dossier code (in bytes).
const MaxDossierCodeLen = 64

// DossierInput is a registration as the one-stop software sends it (JSON of
// POST /api/v1/dossiers, a row of the CSV import), before validation.
type DossierInput struct {
	Code          string  `json:"code"`
	Agency        string  `json:"agency"`
	Counter       string  `json:"counter"`
	Procedure     string  `json:"procedure"`
	ProcedureName string  `json:"procedure_name"`
	ReceivedAt    string  `json:"received_at"`
	DueAt         *string `json:"due_at"`
	ReturnedAt    *string `json:"returned_at"`
}

// DossierRegistration is a validated registration: the code in clear (the
// caller hashes it with Signer.DossierHash before it reaches a store) and
// the parsed dates.
type DossierRegistration struct {
	Code          string
	AgencyCode    string
	CounterCode   string
	Procedure     string
	ProcedureName string
	ReceivedAt    time.Time
	DueAt         *time.Time
	ReturnedAt    *time.Time
}

// ValidateDossierCode checks a dossier code: 1 to 64 bytes of valid UTF-8,
// no control characters, no leading or trailing space.
func ValidateDossierCode(code string) *Error {
	switch {
	case code == "":
		return &Error{Code: EINVALID, Message: "code is required", Fields: map[string]string{"code": "required"}}
	case len(code) > MaxDossierCodeLen:
		return &Error{Code: EINVALID, Message: "code is longer than 64 characters", Fields: map[string]string{"code": "too long"}}
	case !utf8.ValidString(code):
		return &Error{Code: EINVALID, Message: "code is not valid UTF-8", Fields: map[string]string{"code": "invalid"}}
	case strings.TrimSpace(code) != code:
		return &Error{Code: EINVALID, Message: "code has leading or trailing spaces", Fields: map[string]string{"code": "invalid"}}
	case strings.IndexFunc(code, unicode.IsControl) >= 0:
		return &Error{Code: EINVALID, Message: "code contains control characters", Fields: map[string]string{"code": "invalid"}}
	}
	return nil
}

// ParseDossierTime parses a dossier date: RFC 3339 with its offset
// ("2026-11-02T08:15:00+07:00").
func ParseDossierTime(field, v string) (time.Time, *Error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, &Error{Code: EINVALID, Fields: map[string]string{field: "not a date"},
			Message: field + ": " + quote(v) + " is not a date and time like 2026-11-02T08:15:00+07:00"}
	}
	if t.Year() < 2000 || t.Year() > 2200 {
		return time.Time{}, &Error{Code: EINVALID, Fields: map[string]string{field: "out of range"},
			Message: field + ": " + quote(v) + " is outside the years 2000-2200"}
	}
	return t, nil
}

// ParseDossier validates a registration. Agency and counter codes are
// checked for form only; whether they exist is the store's to say.
func ParseDossier(in DossierInput) (*DossierRegistration, error) {
	if err := ValidateDossierCode(in.Code); err != nil {
		return nil, err
	}
	r := &DossierRegistration{Code: in.Code, AgencyCode: strings.TrimSpace(in.Agency), CounterCode: strings.TrimSpace(in.Counter)}
	if r.AgencyCode == "" {
		return nil, &Error{Code: EINVALID, Message: "agency is required", Fields: map[string]string{"agency": "required"}}
	}
	if err := ValidateCode(r.AgencyCode); err != nil {
		return nil, &Error{Code: EINVALID, Message: "agency: " + err.Message, Fields: map[string]string{"agency": "invalid"}}
	}
	if r.CounterCode != "" {
		if err := ValidateCode(r.CounterCode); err != nil {
			return nil, &Error{Code: EINVALID, Message: "counter: " + err.Message, Fields: map[string]string{"counter": "invalid"}}
		}
	}
	var err *Error
	if r.Procedure, err = cleanLine("procedure", in.Procedure, 64); err != nil {
		return nil, err
	}
	if r.ProcedureName, err = cleanLine("procedure_name", in.ProcedureName, MaxNameRunes*2); err != nil {
		return nil, err
	}
	if in.ReceivedAt == "" {
		return nil, &Error{Code: EINVALID, Message: "received_at is required", Fields: map[string]string{"received_at": "required"}}
	}
	if r.ReceivedAt, err = ParseDossierTime("received_at", in.ReceivedAt); err != nil {
		return nil, err
	}
	if r.DueAt, err = optionalTime("due_at", in.DueAt); err != nil {
		return nil, err
	}
	if r.ReturnedAt, err = optionalTime("returned_at", in.ReturnedAt); err != nil {
		return nil, err
	}
	if err := CheckDossierDates(r.ReceivedAt, r.DueAt, r.ReturnedAt); err != nil {
		return nil, err
	}
	return r, nil
}

// CheckDossierDates checks that neither the due nor the return date comes
// before the dossier was received.
func CheckDossierDates(received time.Time, due, returned *time.Time) *Error {
	if due != nil && due.Before(received) {
		return &Error{Code: EINVALID, Message: "due_at is before received_at", Fields: map[string]string{"due_at": "before received_at"}}
	}
	if returned != nil && returned.Before(received) {
		return &Error{Code: EINVALID, Message: "returned_at is before received_at", Fields: map[string]string{"returned_at": "before received_at"}}
	}
	return nil
}

func optionalTime(field string, v *string) (*time.Time, *Error) {
	if v == nil || *v == "" {
		return nil, nil
	}
	t, err := ParseDossierTime(field, *v)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// cleanLine checks an optional one-line text field.
func cleanLine(field, v string, maxRunes int) (string, *Error) {
	v = strings.TrimSpace(v)
	switch {
	case !utf8.ValidString(v):
		return "", &Error{Code: EINVALID, Message: field + " is not valid UTF-8", Fields: map[string]string{field: "invalid"}}
	case utf8.RuneCountInString(v) > maxRunes:
		return "", &Error{Code: EINVALID, Message: field + " is longer than " + itoa(maxRunes) + " characters", Fields: map[string]string{field: "too long"}}
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return "", &Error{Code: EINVALID, Message: field + " contains control characters", Fields: map[string]string{field: "invalid"}}
	}
	return v, nil
}

// DossierPatch changes the dates of a registered dossier (PATCH
// /api/v1/dossiers/{code}); nil fields are left as they are.
type DossierPatch struct {
	DueAt      *time.Time
	ReturnedAt *time.Time
}

// DossierSaved is what registering a dossier did.
type DossierSaved struct {
	Dossier *Dossier
	// Created is false when the code was registered before: its dates (and
	// procedure and counter, when given) were updated.
	Created bool
}

// DossierStore keeps dossiers and monthly volumes. Codes reach it only as
// keyed hashes.
type DossierStore interface {
	// RegisterDossier stores a dossier, or updates the one registered under
	// the same code hash: ENOTFOUND for an unknown agency or counter (or a
	// counter of another agency), EINVALID for dates out of order, ECONFLICT
	// for a code registered for another agency, EGONE for a closed agency
	// or counter.
	RegisterDossier(ctx context.Context, codeHash []byte, r *DossierRegistration, by Actor) (DossierSaved, error)
	// ImportDossiers registers every row in one transaction, or none; an
	// error names the row's 1-based position in Error.Line (ImportLine
	// turns it into the file's line).
	ImportDossiers(ctx context.Context, hashes [][]byte, rs []*DossierRegistration, by Actor) (created int, err error)
	// FindDossier returns a dossier by its code hash (ENOTFOUND).
	FindDossier(ctx context.Context, codeHash []byte) (*Dossier, error)
	// FindDossierByID returns a dossier by id (ENOTFOUND).
	FindDossierByID(ctx context.Context, id int64) (*Dossier, error)
	// PatchDossier sets the due or return date (ENOTFOUND, EINVALID).
	PatchDossier(ctx context.Context, codeHash []byte, p DossierPatch, by Actor) (*Dossier, error)
	// ImportVolumes stores monthly dossier counts, replacing counts imported
	// before for the same agency and month, all or nothing.
	ImportVolumes(ctx context.Context, vs []*VolumeRow, by Actor) ([]VolumeImported, error)
	// Volumes returns, per agency id, its own dossier volume and on-time
	// counts within p (not its sub-agencies'). Agencies with nothing known
	// are absent.
	Volumes(ctx context.Context, p Period) (map[int64]*Volume, error)
}

package survey

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Agency is a unit of the administration: a province, a department or
// district, a commune. Agencies form a tree through Parent.
type Agency struct {
	ID         int64      `json:"-"`
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	ParentID   int64      `json:"-"`
	ParentCode string     `json:"parent,omitempty"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
	// Public is set when an admin has published the agency's results on
	// its public page (/p/{code}); off by default.
	Public    bool      `json:"public"`
	CreatedAt time.Time `json:"created_at"`
}

// Counter is a one-stop counter (quầy) of an agency, where a QR code is
// posted. TokenVersion goes up each time its QR is rotated; KioskVersion
// each time the kiosk key of its tablet alone is.
type Counter struct {
	ID           int64      `json:"-"`
	AgencyID     int64      `json:"-"`
	AgencyCode   string     `json:"agency"`
	AgencyName   string     `json:"agency_name"`
	Code         string     `json:"code"`
	Name         string     `json:"name"`
	Instrument   string     `json:"instrument"`
	TokenVersion int        `json:"token_version"`
	KioskVersion int        `json:"kiosk_version"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	// AgencyClosed is set when the counter's agency, or any agency above
	// it, is closed: its QR codes stop working too.
	AgencyClosed bool      `json:"agency_closed,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// AgencyUpdate changes an agency; nil fields are left as they are.
type AgencyUpdate struct {
	Name   *string
	Closed *bool
	// Public publishes (true) or withdraws (false) the agency's public
	// results page.
	Public *bool
}

// CounterUpdate changes a counter; nil fields are left as they are.
type CounterUpdate struct {
	Name   *string
	Closed *bool
}

// Actor is who is making a change, for the history and audit log.
type Actor struct {
	UserID int64
	Name   string
}

// AgencyStore keeps agencies and counters. Renames and closures are kept as
// history; nothing is deleted.
type AgencyStore interface {
	// CreateAgency returns EINVALID, ECONFLICT (code taken) or ENOTFOUND (parent).
	CreateAgency(ctx context.Context, a *Agency, by Actor) error
	// FindAgency returns ENOTFOUND.
	FindAgency(ctx context.Context, code string) (*Agency, error)
	// ListAgencies returns the agencies of the subtree rooted at code, or all
	// when code is empty, parents before children.
	ListAgencies(ctx context.Context, root string) ([]*Agency, error)
	// InSubtree reports whether code is root or an agency beneath it.
	InSubtree(ctx context.Context, root, code string) (bool, error)
	UpdateAgency(ctx context.Context, code string, u AgencyUpdate, by Actor) (*Agency, error)
	// ImportAgencies creates every agency in one transaction, or none.
	ImportAgencies(ctx context.Context, as []*Agency, by Actor) error

	CreateCounter(ctx context.Context, c *Counter, by Actor) error
	FindCounter(ctx context.Context, agency, code string) (*Counter, error)
	FindCounterByID(ctx context.Context, id int64) (*Counter, error)
	ListCounters(ctx context.Context, agency string) ([]*Counter, error)
	UpdateCounter(ctx context.Context, agency, code string, u CounterUpdate, by Actor) (*Counter, error)
	// RotateCounterToken increments the counter's token version, so QR
	// codes printed before stop working.
	RotateCounterToken(ctx context.Context, agency, code string, by Actor) (*Counter, error)
	// RotateKioskKey increments the counter's kiosk version, so the kiosk
	// key of its tablet stops working while its printed QR codes keep
	// working. Returns ENOTFOUND.
	RotateKioskKey(ctx context.Context, agency, code string, by Actor) (*Counter, error)
	ImportCounters(ctx context.Context, cs []*Counter, by Actor) error
}

var agencyCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// MaxNameRunes caps agency and counter names.
const MaxNameRunes = 200

// ValidateCode checks an agency or counter code.
func ValidateCode(code string) *Error {
	if !agencyCodeRE.MatchString(code) {
		return Errorf(EINVALID, "invalid code %q: use 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit", code)
	}
	return nil
}

// ValidateName checks and trims a display name.
func ValidateName(name string) (string, *Error) {
	if !utf8.ValidString(name) {
		return "", Errorf(EINVALID, "name is not valid UTF-8")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", Errorf(EINVALID, "name is required")
	}
	if utf8.RuneCountInString(name) > MaxNameRunes || strings.ContainsAny(name, "\x00\r\n") {
		return "", Errorf(EINVALID, "name must be one line of at most %d characters", MaxNameRunes)
	}
	return name, nil
}

// Validate checks an agency before it is stored, trimming its name.
func (a *Agency) Validate() error {
	if err := ValidateCode(a.Code); err != nil {
		return err
	}
	if a.ParentCode != "" {
		if err := ValidateCode(a.ParentCode); err != nil {
			return Errorf(EINVALID, "invalid parent code %q", a.ParentCode)
		}
		if a.ParentCode == a.Code {
			return Errorf(EINVALID, "an agency cannot be its own parent")
		}
	}
	name, err := ValidateName(a.Name)
	if err != nil {
		return err
	}
	a.Name = name
	return nil
}

// Validate checks a counter before it is stored, against the known
// instruments.
func (c *Counter) Validate(reg *Instruments) error {
	if err := ValidateCode(c.Code); err != nil {
		return err
	}
	name, err := ValidateName(c.Name)
	if err != nil {
		return err
	}
	c.Name = name
	if c.Instrument == "" {
		c.Instrument = "sipas-2017"
	}
	if _, err := reg.Current(c.Instrument); err != nil {
		return Errorf(EINVALID, "unknown instrument %q (known: %s)", c.Instrument, strings.Join(reg.IDs(), ", "))
	}
	return nil
}

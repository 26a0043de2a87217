package survey

import (
	"context"
	"time"
)

// Roles of officials' accounts.
const (
	RoleAdmin    = "admin"    // sees and manages everything
	RoleOfficial = "official" // sees their agency's subtree
	// RoleIntegration is the one-stop software of an agency's subtree: it
	// registers dossiers and volumes there, and sees nothing.
	RoleIntegration = "integration"
)

// ValidRole reports whether r is a role.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleOfficial || r == RoleIntegration
}

// User is an official's account. Citizens have no accounts.
type User struct {
	ID           int64     `json:"-"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	AgencyID     int64     `json:"-"`
	AgencyCode   string    `json:"agency,omitempty"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	// Disabled accounts cannot sign in or use the API; their sessions end.
	Disabled bool `json:"disabled"`
	// Email is the official's work address for mail ("" : none); the two
	// opt-ins, off by default, ask for the weekly digest of their scope and
	// for a mail as soon as an alert in their scope appears.
	Email        string `json:"email"`
	DigestWeekly bool   `json:"digest_weekly"`
	AlertMail    bool   `json:"alert_mail"`
}

// UserUpdate changes an account; nil fields are left as they are. An empty
// AgencyCode removes the agency (allowed for admins only).
type UserUpdate struct {
	Role       *string
	AgencyCode *string
	Disabled   *bool
	// Email is checked by ParseEmail ("" removes the address).
	Email        *string
	DigestWeekly *bool
	AlertMail    *bool
}

// UserStore keeps officials' accounts.
type UserStore interface {
	// CreateUser stores a new account; by is who created it (an admin, or
	// the CLI), for the audit log. It returns EINVALID, ECONFLICT or
	// ENOTFOUND (agency).
	CreateUser(ctx context.Context, u *User, by Actor) error
	// FindUser returns ENOTFOUND.
	FindUser(ctx context.Context, name string) (*User, error)
	// SetPassword replaces a user's password hash; by is who did it (the
	// user themselves, an admin, or the CLI), for the audit log.
	SetPassword(ctx context.Context, name, hash string, by Actor) error
	ListUsers(ctx context.Context) ([]*User, error)
	// UpdateUser changes the role, agency or disabled state of the account
	// called name; disabling it also ends its sessions. It returns
	// EINVALID, or ENOTFOUND (user or agency).
	UpdateUser(ctx context.Context, name string, u UserUpdate, by Actor) (*User, error)
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// MayUpdateSelf reports whether u is a change an admin may make to their
// own account: not disabling it, and not giving up the admin role (an
// install must not lose its last admin by a slip of the hand).
func MayUpdateSelf(u UserUpdate) bool {
	if u.Disabled != nil && *u.Disabled {
		return false
	}
	return u.Role == nil || *u.Role == RoleAdmin
}

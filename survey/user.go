package survey

import (
	"context"
	"time"
)

// Roles of officials' accounts.
const (
	RoleAdmin    = "admin"    // sees and manages everything
	RoleOfficial = "official" // sees their agency's subtree
)

// User is an official's account. Citizens have no accounts.
type User struct {
	ID           int64     `json:"-"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	AgencyID     int64     `json:"-"`
	AgencyCode   string    `json:"agency,omitempty"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// UserStore keeps officials' accounts.
type UserStore interface {
	// CreateUser returns EINVALID, ECONFLICT or ENOTFOUND (agency).
	CreateUser(ctx context.Context, u *User) error
	// FindUser returns ENOTFOUND.
	FindUser(ctx context.Context, name string) (*User, error)
	SetPassword(ctx context.Context, name, hash string) error
	ListUsers(ctx context.Context) ([]*User, error)
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

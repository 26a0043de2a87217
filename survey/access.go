package survey

import "context"

// AgencyLister lists an agency's subtree; it is the part of AgencyStore the
// access rule needs.
type AgencyLister interface {
	ListAgencies(ctx context.Context, root string) ([]*Agency, error)
}

// CanSee reports whether u may see the agency with the given code: admins
// see every agency, officials their own agency and everything beneath it,
// and nobody else anything.
func CanSee(ctx context.Context, agencies AgencyLister, u *User, code string) (bool, error) {
	if u == nil || u.Disabled {
		return false, nil
	}
	if u.Role == RoleAdmin {
		return true, nil
	}
	if u.AgencyCode == "" {
		return false, nil
	}
	sub, err := agencies.ListAgencies(ctx, u.AgencyCode)
	if err != nil {
		return false, err
	}
	for _, a := range sub {
		if a.Code == code {
			return true, nil
		}
	}
	return false, nil
}

// SubtreeRoot is the root of the agencies u may list: "" (all) for an
// admin, their own agency for an official.
func SubtreeRoot(u *User) string {
	if u.Role == RoleAdmin {
		return ""
	}
	return u.AgencyCode
}

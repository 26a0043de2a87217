package survey

import "context"

// AgencyLister lists an agency's subtree; it is the part of AgencyStore the
// access rule needs.
type AgencyLister interface {
	ListAgencies(ctx context.Context, root string) ([]*Agency, error)
}

// CanSee reports whether u may see the agency with the given code: admins
// see every agency, officials their own agency and everything beneath it,
// and nobody else anything (integration accounts included).
func CanSee(ctx context.Context, agencies AgencyLister, u *User, code string) (bool, error) {
	if u == nil || u.Disabled || u.Role == RoleIntegration {
		return false, nil
	}
	return inSubtree(ctx, agencies, u, code)
}

// CanSeeAll reports whether u may see every agency of codes (CanSee).
func CanSeeAll(ctx context.Context, agencies AgencyLister, u *User, codes ...string) (bool, error) {
	for _, code := range codes {
		if ok, err := CanSee(ctx, agencies, u, code); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// MaySee reports whether u's role reads scores, comments and the
// dashboard at all: admins and officials do, integration accounts do not.
func MaySee(u *User) bool {
	return u != nil && !u.Disabled && (u.Role == RoleAdmin || u.Role == RoleOfficial)
}

// CanRegister reports whether u may register dossiers and volumes for the
// agency with the given code: admins anywhere, integration accounts in
// their agency's subtree, officials nowhere (the numbers they are judged
// by must not be theirs to feed).
func CanRegister(ctx context.Context, agencies SubtreeChecker, u *User, code string) (bool, error) {
	if !MayRegister(u) {
		return false, nil
	}
	if u.Role == RoleAdmin {
		return true, nil
	}
	if u.AgencyCode == "" {
		return false, nil
	}
	return agencies.InSubtree(ctx, u.AgencyCode, code)
}

// MayRegister reports whether u's role registers dossiers and volumes at
// all: integration accounts and admins do, officials do not.
func MayRegister(u *User) bool {
	return u != nil && !u.Disabled && (u.Role == RoleAdmin || u.Role == RoleIntegration)
}

// SubtreeChecker answers whether the agency code lies in root's subtree
// (root included), walking up from code: cheap on every request of the
// one-stop software, however large root's subtree.
type SubtreeChecker interface {
	InSubtree(ctx context.Context, root, code string) (bool, error)
}

func inSubtree(ctx context.Context, agencies AgencyLister, u *User, code string) (bool, error) {
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
	mine := map[string]bool{}
	for _, a := range sub {
		if a.Code == code {
			return true, nil
		}
		mine[a.Code] = true
	}
	// What went into an agency of the subtree is its history: the official
	// of a new ward sees the communes it was merged from (and their closed
	// sub-agencies), and the official of a unit split off sees the agency
	// it was split from.
	if l, ok := agencies.(HolderLister); ok {
		succ, err := l.HoldersOf(ctx, code)
		if err != nil {
			return false, err
		}
		for _, s := range succ {
			if mine[s] {
				return true, nil
			}
		}
	}
	return false, nil
}

// HolderLister lists the agencies whose history holds an agency's: those
// it was merged or split into, the parent of one that did not merge, and
// theirs in turn. Stores that keep a lineage implement it, and CanSee then
// lets an official see what went into their agencies.
type HolderLister interface {
	HoldersOf(ctx context.Context, code string) ([]string, error)
}

// SubtreeRoot is the root of the agencies u may list: "" (all) for an
// admin, their own agency for an official.
func SubtreeRoot(u *User) string {
	if u.Role == RoleAdmin {
		return ""
	}
	return u.AgencyCode
}

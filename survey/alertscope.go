package survey

import "context"

// AlertAgencies returns the agencies whose alerts u may read, as
// AlertFilter.Agencies wants them: the subtree of root when root is given
// (ENOTFOUND for an unknown agency, EFORBIDDEN for one outside u's
// scope), else u's whole scope: nil (every agency) for an admin, the
// subtree of their agency for an official. Anyone else may read none
// (EFORBIDDEN).
func AlertAgencies(ctx context.Context, agencies AgencyLister, u *User, root string) ([]int64, error) {
	if !MaySee(u) {
		return nil, Errorf(EFORBIDDEN, "you may not read alerts")
	}
	if root == "" {
		if u.Role == RoleAdmin {
			return nil, nil
		}
		root = u.AgencyCode
		if root == "" {
			return []int64{}, nil
		}
	}
	sub, err := agencies.ListAgencies(ctx, root)
	if err != nil {
		return nil, err
	}
	if ok, err := CanSee(ctx, agencies, u, root); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(EFORBIDDEN, "you may not see agency %q", root)
	}
	ids := make([]int64, 0, len(sub))
	for _, a := range sub {
		ids = append(ids, a.ID)
	}
	return ids, nil
}

// CanSeeAlert reports whether u may read (and acknowledge) alert a: the
// alert's agency is in u's scope.
func CanSeeAlert(ctx context.Context, agencies AgencyLister, u *User, a *Alert) (bool, error) {
	return CanSee(ctx, agencies, u, a.Agency)
}

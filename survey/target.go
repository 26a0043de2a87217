package survey

import (
	"context"
	"fmt"
)

// Target is the counter a survey token names, with the instrument its
// citizens answer now.
type Target struct {
	Token      string
	Counter    *Counter
	Instrument *Instrument
}

// Messages of the token errors, for API callers (citizens see their own
// pages).
const (
	MsgBadToken  = "invalid survey token"
	MsgGoneToken = "this survey code is no longer in use"
)

// CounterFinder finds counters by id; it is the part of AgencyStore that
// ResolveToken needs.
type CounterFinder interface {
	FindCounterByID(ctx context.Context, id int64) (*Counter, error)
}

// ResolveToken checks a survey token and finds its counter: ENOTFOUND for a
// token that is forged or names no counter, EGONE for one that was rotated
// or whose counter or agency is closed.
func ResolveToken(ctx context.Context, signer *Signer, counters CounterFinder, reg *Instruments, token string) (*Target, error) {
	id, version, err := signer.Verify(token)
	if err != nil {
		return nil, Errorf(ENOTFOUND, MsgBadToken)
	}
	c, err := counters.FindCounterByID(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, MsgBadToken)
	} else if err != nil {
		return nil, err
	}
	if version != c.TokenVersion || c.ClosedAt != nil || c.AgencyClosed {
		return nil, Errorf(EGONE, MsgGoneToken)
	}
	in, err := reg.Current(c.Instrument)
	if err != nil {
		return nil, fmt.Errorf("counter %d: %w", c.ID, err)
	}
	return &Target{Token: token, Counter: c, Instrument: in}, nil
}

package survey

import (
	"context"
	"fmt"
	"time"
)

// Target is what a survey token names — a counter, or a registered dossier
// (and its counter, when it named one) — with the instrument its citizens
// answer now.
type Target struct {
	Token string
	// Counter is nil for a dossier registered without a counter.
	Counter *Counter
	// Dossier is set when the token is a dossier's.
	Dossier    *Dossier
	Instrument *Instrument
}

// AgencyID is the agency the rating is for.
func (t *Target) AgencyID() int64 {
	if t.Counter != nil {
		return t.Counter.AgencyID
	}
	return t.Dossier.AgencyID
}

// CounterID is the counter the rating is for, 0 when none.
func (t *Target) CounterID() int64 {
	if t.Counter != nil {
		return t.Counter.ID
	}
	return 0
}

// AgencyName names the agency, for the form's heading.
func (t *Target) AgencyName() string {
	if t.Counter != nil {
		return t.Counter.AgencyName
	}
	return t.Dossier.AgencyName
}

// CounterName names the counter, "" when none.
func (t *Target) CounterName() string {
	if t.Counter != nil {
		return t.Counter.Name
	}
	return ""
}

// Bind makes sub a rating of the target received at now: its counter (0
// for none) and agency, and for a dossier's token the dossier, its
// timeliness class at now and channel ChannelDossier, whatever channel
// says; channel (web, kiosk, api) is the channel of a counter's token.
func (t *Target) Bind(sub *Submission, channel string, now time.Time) {
	sub.CounterID, sub.AgencyID = t.CounterID(), t.AgencyID()
	sub.Channel, sub.ReceivedAt = channel, now
	if t.Dossier != nil {
		sub.Channel = ChannelDossier
		sub.DossierID, sub.Timeliness = t.Dossier.ID, t.Dossier.Timeliness(now)
	}
}

// Rated reports whether the target is a dossier that already has its
// rating: its form answers MsgDossierRated (HTTP 409) and stores nothing,
// but for a replay of that rating.
func (t *Target) Rated() bool { return t.Dossier != nil && t.Dossier.Rated }

// TakesKiosk reports whether a kiosk key may apply to the target: only a
// counter's token does (a dossier's slip is rated once, on any device).
func (t *Target) TakesKiosk() bool { return t.Dossier == nil && t.Counter != nil }

// Channel is how a rating through this target arrives, before kiosk
// detection: "dossier" for a dossier's token, else web.
func (t *Target) Channel() string {
	if t.Dossier != nil {
		return ChannelDossier
	}
	return ChannelWeb
}

// Channels of responses.
const (
	ChannelWeb     = "web"     // the open QR code of a counter, on a phone
	ChannelKiosk   = "kiosk"   // the counter's own tablet
	ChannelAPI     = "api"     // POST /api/v1/responses
	ChannelDossier = "dossier" // the QR code of one dossier's slip
)

// MsgDossierRated is what a second rating of a dossier is told (HTTP 409).
const MsgDossierRated = "Hồ sơ này đã được đánh giá. Cảm ơn Ông/Bà!"

// ErrDossierRated is returned by ResponseStore.StoreResponse (code
// ECONFLICT) when the dossier already has a rating.
var ErrDossierRated = &Error{Code: ECONFLICT, Message: MsgDossierRated}

// Messages of the token errors, for API callers (citizens see their own
// pages).
const (
	MsgBadToken  = "invalid survey token"
	MsgGoneToken = "this survey code is no longer in use"
)

// CounterFinder finds counters and dossiers by id; it is the part of the
// stores that ResolveToken needs.
type CounterFinder interface {
	FindCounterByID(ctx context.Context, id int64) (*Counter, error)
	FindDossierByID(ctx context.Context, id int64) (*Dossier, error)
}

// ResolveToken checks a survey token and finds its counter: ENOTFOUND for a
// token that is forged or names no counter, EGONE for one that was rotated
// or whose counter or agency is closed.
func ResolveToken(ctx context.Context, signer *Signer, counters CounterFinder, reg *Instruments, token string) (*Target, error) {
	id, version, err := signer.Verify(token)
	if err != nil {
		return resolveDossier(ctx, signer, counters, reg, token)
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

// resolveDossier resolves a dossier's token: the dossier, its counter when
// it named one (EGONE when that counter or the agency is closed since), and
// the counter's instrument or DefaultInstrument. A dossier already rated
// still resolves: the form says so (see ErrDossierRated).
func resolveDossier(ctx context.Context, signer *Signer, stores CounterFinder, reg *Instruments, token string) (*Target, error) {
	id, err := signer.VerifyDossier(token)
	if err != nil {
		return nil, Errorf(ENOTFOUND, MsgBadToken)
	}
	d, err := stores.FindDossierByID(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, MsgBadToken)
	} else if err != nil {
		return nil, err
	}
	tg := &Target{Token: token, Dossier: d}
	inst := DefaultInstrument
	if d.CounterID != 0 {
		c, err := stores.FindCounterByID(ctx, d.CounterID)
		if err != nil {
			return nil, err
		}
		if c.ClosedAt != nil || c.AgencyClosed {
			return nil, Errorf(EGONE, MsgGoneToken)
		}
		tg.Counter, inst = c, c.Instrument
	} else if d.AgencyClosed {
		return nil, Errorf(EGONE, MsgGoneToken)
	}
	if tg.Instrument, err = reg.Current(inst); err != nil {
		return nil, fmt.Errorf("dossier %d: %w", d.ID, err)
	}
	return tg, nil
}

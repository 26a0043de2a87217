package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/sipas/sipas/survey"
)

// What a merge or a split does to the counters of the agency that closes:
// they move to a successor, keeping their row, or close with it.

// counterRef is a counter a reorganisation moves or closes.
type counterRef struct {
	id     int64
	code   string
	closed bool
}

// openCounters returns an agency's open counters by code. Closed ones stay
// where they closed.
func (r *reorg) openCounters(a *node) ([]counterRef, error) {
	rows, err := r.tx.QueryContext(r.ctx, `SELECT id, code FROM counters WHERE agency_id = ? AND closed_at IS NULL ORDER BY code`, a.id)
	if err != nil {
		return nil, fmt.Errorf("counters of %s: %w", a.code, err)
	}
	defer rows.Close()
	var out []counterRef
	for rows.Next() {
		var c counterRef
		if err := rows.Scan(&c.id, &c.code); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// counterOf finds the counter code of an agency.
func (r *reorg) counterOf(a *node, code string) (counterRef, bool, error) {
	c := counterRef{code: code}
	err := r.tx.QueryRowContext(r.ctx, `SELECT id, closed_at IS NOT NULL FROM counters WHERE agency_id = ? AND code = ?`, a.id, code).Scan(&c.id, &c.closed)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	} else if err != nil {
		return c, false, fmt.Errorf("counter %s of %s: %w", code, a.code, err)
	}
	return c, true, nil
}

// moveCounter gives a counter of from to to, returning its code there.
// The row (and so its id, its QR codes and its kiosk key) stays the same.
// A code to already has becomes FROM-CODE (predecessors often number their
// counters alike). The move is recorded in the event's outcome.
func (r *reorg) moveCounter(c counterRef, from, to *node, field string) (string, error) {
	code := c.code
	if _, taken, err := r.counterOf(to, code); err != nil {
		return "", err
	} else if taken {
		code = from.code + "-" + c.code
		_, again, err := r.counterOf(to, code)
		if err != nil {
			return "", err
		}
		if again || survey.ValidateCode(code) != nil {
			return "", invalid(field, "counter %s of %s cannot move to %s: %s has a counter %s already, and %s cannot be its code", c.code, from.code, to.code, to.code, c.code, code)
		}
	}
	if _, err := r.tx.ExecContext(r.ctx, `UPDATE counters SET agency_id = ?, code = ? WHERE id = ?`, to.id, code, c.id); err != nil {
		return "", fmt.Errorf("move counter %s/%s: %w", from.code, c.code, err)
	}
	if err := r.history("counter", c.id, "agency", from.code, to.code); err != nil {
		return "", err
	}
	if code != c.code {
		if err := r.history("counter", c.id, "code", c.code, code); err != nil {
			return "", err
		}
	}
	r.out.Counters = append(r.out.Counters, survey.CounterChange{From: from.code + "/" + c.code, To: to.code + "/" + code, Action: survey.CounterMoved})
	return code, nil
}

// closeCounters closes an agency's open counters at the start of day,
// returning their keys (AGENCY/CODE), and records them in the event's
// outcome.
func (r *reorg) closeCounters(a *node, day string) ([]string, error) {
	cs, err := r.openCounters(a)
	if err != nil {
		return nil, err
	}
	at, err := dayStart(day)
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, c := range cs {
		if _, err := r.tx.ExecContext(r.ctx, `UPDATE counters SET closed_at = ? WHERE id = ?`, at, c.id); err != nil {
			return nil, fmt.Errorf("close counter %s/%s: %w", a.code, c.code, err)
		}
		if err := r.history("counter", c.id, "status", "open", "closed"); err != nil {
			return nil, err
		}
		codes = append(codes, a.code+"/"+c.code)
		r.out.Counters = append(r.out.Counters, survey.CounterChange{From: a.code + "/" + c.code, Action: survey.CounterClosed})
	}
	return codes, nil
}

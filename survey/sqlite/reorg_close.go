package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
)

// close closes c.Agency on c.Date with its open counters, as a merge
// closes its predecessors: closed_at at the day's start, the last parent
// span left open, and no lineage (nothing succeeds it).
func (r *reorg) close(c *survey.Close) error {
	a, err := r.find("agency", c.Agency)
	if err != nil {
		return err
	}
	if a.closed {
		return invalid("agency", "%s is already closed", a.code)
	}
	if c.Date < a.since {
		return invalid("date", "%s is a date before %s existed under its current parent (from %s)", c.Date, a.code, a.since)
	}
	if err := r.checkNoneBeneath("agency", a, c.Date); err != nil {
		return err
	}
	closed, err := r.closeCounters(a, c.Date)
	if err != nil {
		return err
	}
	if err := r.closeAgency(a, c.Date); err != nil {
		return err
	}
	note := "no open counters"
	if len(closed) > 0 {
		note = "counters closed: " + strings.Join(closed, ", ")
	}
	return r.audit("agency.close", fmt.Sprintf("close %s: %s (%s)", c.Date, a.code, note))
}

// checkNoneBeneath refuses to close a on day (by a close, or as the
// predecessor of a merge or split) while an agency lies beneath it: one
// open beneath it in today's tree (field names a in the event), or one
// not closed by day with a parent span under a that covers any day from
// day on (field date), such as a sub-agency that a move on a later line
// takes out of a only after day. Either would leave a sub-agency under a
// closed agency. The spans are as the earlier events of the import left
// them; those directly under a are enough, as each of its sub-agencies
// that closed passed this check in turn.
func (r *reorg) checkNoneBeneath(field string, a *node, day string) error {
	var open []string
	err := eachRow(r.ctx, r.tx, `WITH RECURSIVE down(id) AS (
		SELECT id FROM agencies WHERE parent_id = ?
		UNION SELECT c.id FROM agencies c JOIN down ON c.parent_id = down.id
	) SELECT a.code FROM down JOIN agencies a ON a.id = down.id WHERE a.closed_at IS NULL ORDER BY a.code`, func(sc scanner) error {
		var code string
		if err := sc.Scan(&code); err != nil {
			return err
		}
		open = append(open, code)
		return nil
	}, a.id)
	if err != nil {
		return fmt.Errorf("sub-agencies of %s: %w", a.code, err)
	}
	if len(open) > 0 {
		return invalid(field, "%s has open sub-agencies (%s): move, merge or close them first", a.code, listCodes(open))
	}
	d, err := time.ParseInLocation("2006-01-02", day, survey.Vietnam)
	if err != nil {
		return fmt.Errorf("day %q: %w", day, err)
	}
	// Closed by day: closed before the day after it starts.
	var code, to string
	var closedAt sql.NullInt64
	err = r.tx.QueryRowContext(r.ctx, `SELECT c.code, COALESCE(s.to_day, ''), c.closed_at
		FROM agency_parents s JOIN agencies c ON c.id = s.agency_id
		WHERE s.parent_id = ? AND s.agency_id != ? AND (s.to_day IS NULL OR s.to_day > ?)
			AND (c.closed_at IS NULL OR c.closed_at >= ?)
		ORDER BY c.code, s.from_day LIMIT 1`, a.id, a.id, day, ms(d.AddDate(0, 0, 1))).Scan(&code, &to, &closedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("past sub-agencies of %s: %w", a.code, err)
	}
	// It stays under a until its span ends or it closes, whichever is first.
	if closedAt.Valid {
		if c := time.UnixMilli(closedAt.Int64).In(survey.Vietnam).Format("2006-01-02"); to == "" || c < to {
			to = c
		}
	}
	if to == "" { // under a in its open span, yet not in today's tree
		return invalid("date", "%s is under %s: move, merge or close it first (by %s)", code, a.code, day)
	}
	return invalid("date", "%s is under %s until %s: move, merge or close it first (by %s)", code, a.code, to, day)
}

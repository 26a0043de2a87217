package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sipas/sipas/survey"
)

// CounterChannelStats implements survey.DashboardStore. It reads the
// agency's own responses through the (agency, date) index and projects
// older instrument versions onto the current design as OwnStats does.
func (db *DB) CounterChannelStats(ctx context.Context, in *survey.Instrument, agency string, p survey.Period) (map[survey.CounterChannel]*survey.Bundle, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM agencies WHERE code = ?`, agency).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "agency %q not found", agency)
	} else if err != nil {
		return nil, fmt.Errorf("find agency: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT COALESCE(counter_id, 0), dossier_id IS NOT NULL, instrument_version, answers, followup
		FROM responses WHERE agency_id = ? AND local_date BETWEEN ? AND ? AND +instrument = ? AND flag = ''`, // "+": use the (agency, date) index
		id, p.FromString(), p.ToString(), in.ID)
	if err != nil {
		return nil, fmt.Errorf("read responses: %w", err)
	}
	defer rows.Close()
	ds := db.newDesigns(in)
	out := map[survey.CounterChannel]*survey.Bundle{}
	var buf []uint8
	for rows.Next() {
		var k survey.CounterChannel
		var v, followup int
		var stored sql.RawBytes
		if err := rows.Scan(&k.CounterID, &k.Dossier, &v, &stored, &followup); err != nil {
			return nil, err
		}
		if buf, err = ds.answers(v, stored, buf); err != nil {
			return nil, err
		}
		b := out[k]
		if b == nil {
			b = survey.NewBundle(in)
			out[k] = b
		}
		if err := addResponse(b, buf, ds.followup(v, followup)); err != nil {
			return nil, fmt.Errorf("counter %d: %w", k.CounterID, err)
		}
	}
	return out, rows.Err()
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sipas/sipas/survey"
)

// backfillDaily builds stats_daily from the counted responses stored
// before migration 0018. It runs once, at the first start after the
// upgrade.
func backfillDaily(ctx context.Context, tx *sql.Tx, reg *survey.Instruments) error {
	return buildDaily(ctx, tx, reg, `SELECT agency_id, instrument, instrument_version, local_date, answers, followup FROM responses
		WHERE flag = '' ORDER BY instrument, local_date`)
}

// buildDaily adds the responses query returns — agency, instrument,
// version, date, answers and follow-up, ordered by instrument and date —
// to their stats_daily rows, one instrument's day at a time, so that
// memory holds one day's rows.
func buildDaily(ctx context.Context, tx *sql.Tx, reg *survey.Instruments, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read responses: %w", err)
	}
	defer rows.Close()
	acc := map[statsKey]*statsAcc{}
	flush := func() error {
		for key, a := range acc {
			if err := saveStats(ctx, tx, key, a); err != nil {
				return err
			}
		}
		clear(acc)
		return nil
	}
	var inst, day string
	buf := make([]uint8, 0, 32)
	for rows.Next() {
		var agency int64
		var rInst, date string
		var version, followup int
		var answers []byte
		if err := rows.Scan(&agency, &rInst, &version, &date, &answers, &followup); err != nil {
			return err
		}
		if rInst != inst || date != day {
			if err := flush(); err != nil {
				return err
			}
			inst, day = rInst, date
		}
		in, err := reg.Version(rInst, version)
		if err != nil {
			return fmt.Errorf("database holds responses of instrument %s v%d, which this build does not have", rInst, version)
		}
		if len(answers) != len(in.Items) || len(date) != len("2006-01-02") {
			return fmt.Errorf("a response of %s v%d on %q: malformed stored answers", rInst, version, date)
		}
		key := statsKeys(agency, rInst, version, date)[daily]
		a := acc[key]
		if a == nil {
			if a, err = loadStats(ctx, tx, key, in); err != nil {
				return err
			}
			acc[key] = a
		}
		if err := addToStats(a, in, answers, followup, buf); err != nil {
			return fmt.Errorf("a response of %s v%d on %s: %w", rInst, version, date, err)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

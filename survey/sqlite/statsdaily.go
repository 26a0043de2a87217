package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/sipas/sipas/survey"
)

// backfillDaily builds stats_daily from the counted responses stored
// before migration 0018. It runs once, at the first start after the
// upgrade.
func backfillDaily(ctx context.Context, tx *sql.Tx, reg *survey.Instruments) error {
	return buildDaily(ctx, tx, reg, `SELECT agency_id, instrument, instrument_version, local_date, answers, followup FROM responses
		WHERE flag = '' ORDER BY instrument, local_date`)
}

// dayKey is an instrument's day (YYYY-MM-DD).
type dayKey struct{ inst, day string }

// rebuildDays replaces the stats_daily rows of the days given with rows
// built from their counted responses: BulkLoad's way of counting ratings
// that arrive in any order, which would otherwise hold a row per agency
// and day in memory or read each back many times. Each instrument's days
// are read in one pass from the first to the last.
func rebuildDays(ctx context.Context, tx *sql.Tx, reg *survey.Instruments, days map[dayKey]bool) error {
	span := map[string][2]string{}
	for k := range days {
		if _, err := tx.ExecContext(ctx, `DELETE FROM stats_daily WHERE instrument = ? AND day = ?`, k.inst, k.day); err != nil {
			return fmt.Errorf("rebuild daily statistics: %w", err)
		}
		s, ok := span[k.inst]
		if !ok {
			s = [2]string{k.day, k.day}
		}
		s[0], s[1] = min(s[0], k.day), max(s[1], k.day)
		span[k.inst] = s
	}
	insts := make([]string, 0, len(span))
	for inst := range span {
		insts = append(insts, inst)
	}
	sort.Strings(insts)
	for _, inst := range insts {
		err := buildDaily(ctx, tx, reg, `SELECT agency_id, instrument, instrument_version, local_date, answers, followup FROM responses
			WHERE instrument = ? AND local_date BETWEEN ? AND ? AND flag = '' ORDER BY local_date`, inst, span[inst][0], span[inst][1])
		if err != nil {
			return err
		}
	}
	return nil
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

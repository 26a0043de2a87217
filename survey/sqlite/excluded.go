package sqlite

import (
	"context"
	"fmt"

	"github.com/sipas/sipas/survey"
)

// The set-aside counts of the score objects come from excluded_daily, one
// small row per agency, instrument, Vietnam date and flag, kept in the
// transactions that flag a rating (writeBatch, BulkLoad, SetAside) or
// accept one (ReviewFlagged): reading a period costs one scan of that
// table, never of the responses.

// ExcludedCounts implements survey.StatsStore.
func (db *DB) ExcludedCounts(ctx context.Context, in *survey.Instrument, p survey.Period) (map[int64]int64, error) {
	out := map[int64]int64{}
	err := eachExcluded(ctx, db, in, p, func(agency int64, _ string, n int64) { out[agency] += n })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ExcludedMonthly implements survey.StatsStore.
func (db *DB) ExcludedMonthly(ctx context.Context, in *survey.Instrument, agencies []int64, p survey.Period) (map[string]int64, error) {
	want := make(map[int64]bool, len(agencies))
	for _, id := range agencies {
		want[id] = true
	}
	out := map[string]int64{}
	err := eachExcluded(ctx, db, in, p, func(agency int64, month string, n int64) {
		if want[agency] {
			out[month] += n
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachExcluded calls fn with the number of ratings of in (every version)
// excluded at each agency in each month (YYYY-MM) within p; zero counts
// are skipped.
func eachExcluded(ctx context.Context, db *DB, in *survey.Instrument, p survey.Period, fn func(agency int64, month string, n int64)) error {
	rows, err := db.read.QueryContext(ctx, `SELECT agency_id, substr(day, 1, 7), sum(n) FROM excluded_daily
		WHERE instrument = ? AND day BETWEEN ? AND ? GROUP BY 1, 2 HAVING sum(n) > 0`, in.ID, p.FromString(), p.ToString())
	if err != nil {
		return fmt.Errorf("read excluded counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var agency, n int64
		var month string
		if err := rows.Scan(&agency, &month, &n); err != nil {
			return fmt.Errorf("read excluded counts: %w", err)
		}
		fn(agency, month, n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read excluded counts: %w", err)
	}
	return nil
}

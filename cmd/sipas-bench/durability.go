package main

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/mattn/go-sqlite3" // the driver for the durability check
)

// storedCounts opens the database file (a path without '?' or '#', such as
// one under os.MkdirTemp) read-only and returns the number of
// rows in responses and the respondents counted in stats_monthly.
func storedCounts(ctx context.Context, path, table string) (rows, statsRespondents int64, err error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	if table != "responses" && table != "dossiers" {
		return 0, 0, fmt.Errorf("unknown table %q", table)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&rows); err != nil {
		return 0, 0, fmt.Errorf("count %s: %w", table, err)
	}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(respondents), 0) FROM stats_monthly`).Scan(&statsRespondents); err != nil {
		return 0, 0, fmt.Errorf("sum stats_monthly: %w", err)
	}
	return rows, statsRespondents, nil
}

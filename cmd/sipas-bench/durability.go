package main

import (
	"context"
	"database/sql"
	"errors"
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

// journeyStore is what the journey's durability check found.
type journeyStore struct {
	Rows, StatsRespondents int64
	// Missing are acknowledged submissions not stored; Mismatched are
	// stored with another instrument or language than the journey's.
	Missing, Mismatched int64
}

// checkAcked opens the database file read-only and looks up every
// acknowledged submission by its id (unique in responses, so a found one
// is stored exactly once), with its instrument and language.
func checkAcked(ctx context.Context, path string, acks []acked) (journeyStore, error) {
	var js journeyStore
	rows, stats, err := storedCounts(ctx, path, "responses")
	if err != nil {
		return js, err
	}
	js.Rows, js.StatsRespondents = rows, stats
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return js, err
	}
	defer db.Close()
	st, err := db.PrepareContext(ctx, `SELECT instrument, lang FROM responses WHERE submission_id = ?`)
	if err != nil {
		return js, fmt.Errorf("prepare: %w", err)
	}
	defer st.Close()
	for _, a := range acks {
		var inst, lang string
		switch err := st.QueryRowContext(ctx, a.ID).Scan(&inst, &lang); {
		case errors.Is(err, sql.ErrNoRows):
			js.Missing++
		case err != nil:
			return js, fmt.Errorf("look up submission: %w", err)
		case inst != a.Instrument || lang != a.Lang:
			js.Mismatched++
		}
	}
	return js, nil
}

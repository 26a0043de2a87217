package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/sipas/sipas/survey"
)

// SetOfficialResult implements survey.PlanStore: it records r, replacing
// the result of the same agency, index and year; the audit entry keeps the
// value replaced. Returns ENOTFOUND for an unknown agency.
func (db *DB) SetOfficialResult(ctx context.Context, r *survey.OfficialResult, by survey.Actor) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set official result: %w", err)
	}
	defer tx.Rollback()
	a, err := findAgency(ctx, tx, r.Agency)
	if err != nil {
		return err
	}
	var old survey.OfficialResult
	var oldRank, oldOf sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT score, rank, of_units FROM official_results WHERE agency_id = ? AND index_name = ? AND year = ?`,
		a.ID, r.Index, r.Year).Scan(&old.Score, &oldRank, &oldOf)
	replaced := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("set official result: %w", err)
	}
	old.Rank, old.Of = nullInt(oldRank), nullInt(oldOf)
	now := db.Now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO official_results(agency_id, index_name, year, score, rank, of_units, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(agency_id, index_name, year) DO UPDATE SET score = excluded.score, rank = excluded.rank,
			of_units = excluded.of_units, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`,
		a.ID, r.Index, r.Year, r.Score, r.Rank, r.Of, ms(now), actorName(by)); err != nil {
		return fmt.Errorf("set official result: %w", err)
	}
	detail := fmt.Sprintf("%s %s %d: %s", a.Code, r.Index, r.Year, resultText(r))
	if replaced {
		detail += ", was " + resultText(&old)
	}
	if err := audit(ctx, tx, now, by, "official.set", detail); err != nil {
		return fmt.Errorf("set official result: audit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set official result: %w", err)
	}
	r.AgencyID, r.Agency = a.ID, a.Code
	r.RecordedAt, r.RecordedBy = msTime(ms(now)), actorName(by)
	return nil
}

// resultText is a result's score and rank for the audit log: "42.5 (rank 3
// of 63)".
func resultText(r *survey.OfficialResult) string {
	s := fmt.Sprintf("%g", r.Score)
	switch {
	case r.Rank != nil && r.Of != nil:
		s += fmt.Sprintf(" (rank %d of %d)", *r.Rank, *r.Of)
	case r.Rank != nil:
		s += fmt.Sprintf(" (rank %d)", *r.Rank)
	}
	return s
}

func nullInt(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	n := int(v.Int64)
	return &n
}

// OfficialResults implements survey.PlanStore: the agency's official
// results by year, then index in the order of survey.OfficialIndices.
// Returns ENOTFOUND for an unknown agency.
func (db *DB) OfficialResults(ctx context.Context, agency string) ([]*survey.OfficialResult, error) {
	a, err := db.FindAgency(ctx, agency)
	if err != nil {
		return nil, err
	}
	out, err := queryAll(ctx, db, "official results", func(sc scanner) (*survey.OfficialResult, error) {
		r := &survey.OfficialResult{AgencyID: a.ID, Agency: a.Code}
		var rank, of sql.NullInt64
		var at int64
		if err := sc.Scan(&r.Index, &r.Year, &r.Score, &rank, &of, &at, &r.RecordedBy); err != nil {
			return nil, err
		}
		r.Rank, r.Of, r.RecordedAt = nullInt(rank), nullInt(of), msTime(at)
		return r, nil
	}, `SELECT index_name, year, score, rank, of_units, recorded_at, recorded_by FROM official_results WHERE agency_id = ? ORDER BY year`, a.ID)
	if err != nil {
		return nil, err
	}
	// The indices' order is the domain's (survey.OfficialIndices), not
	// their names'.
	slices.SortStableFunc(out, func(x, y *survey.OfficialResult) int {
		return cmp.Or(cmp.Compare(x.Year, y.Year),
			cmp.Compare(slices.Index(survey.OfficialIndices, x.Index), slices.Index(survey.OfficialIndices, y.Index)))
	})
	return out, nil
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
)

// AddFollowup adds the optional follow-up answer and comment to a response
// just stored, for the one-tap instrument whose citizens tap first and are
// asked the rest on the thank-you page. It applies only to the response
// with submissionID at counterID, within window of its arrival, and only
// while it has neither a follow-up answer nor a comment; the month's and
// the day's statistics are updated in the same transaction. Returns ENOTFOUND,
// ECONFLICT (already added, or too late) or EINVALID.
func (db *DB) AddFollowup(ctx context.Context, submissionID string, counterID int64, followup int, comment string, window time.Duration) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id, agency, at int64
	var inst, date, flag, oldComment string
	var version, oldFollowup int
	err = tx.QueryRowContext(ctx, `SELECT id, agency_id, instrument, instrument_version, submitted_at, local_date, flag, followup, comment
		FROM responses WHERE submission_id = ? AND COALESCE(counter_id, 0) = ?`, submissionID, counterID).Scan(
		&id, &agency, &inst, &version, &at, &date, &flag, &oldFollowup, &oldComment)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Errorf(survey.ENOTFOUND, "response not found")
	} else if err != nil {
		return fmt.Errorf("find response: %w", err)
	}
	in, err := db.instruments.Version(inst, version)
	if err != nil {
		return err
	}
	if in.Followup == nil || followup < 0 || followup > len(in.Followup.Options) || (!in.Comment && comment != "") {
		return survey.Errorf(survey.EINVALID, "this instrument takes no such answer")
	}
	if oldFollowup != 0 || oldComment != "" || db.Now().Sub(time.UnixMilli(at)) > window {
		return survey.Errorf(survey.ECONFLICT, "this response can no longer be completed")
	}
	if followup == 0 && comment == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE responses SET followup = ?, comment = ? WHERE id = ?`, followup, comment, id); err != nil {
		return err
	}
	if flag == "" && followup != 0 {
		for _, key := range statsKeys(agency, inst, version, date) {
			acc, err := loadStats(ctx, tx, key, in)
			if err != nil {
				return err
			}
			for len(acc.followups) <= len(in.Followup.Options) {
				acc.followups = append(acc.followups, 0)
			}
			if acc.followups[0] < 1 {
				return fmt.Errorf("follow-up counts of %v disagree with the responses", key)
			}
			acc.followups[0]--
			acc.followups[followup]++
			if err := saveStats(ctx, tx, key, acc); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

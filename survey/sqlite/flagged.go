package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
)

const flaggedCols = `r.id, r.submission_id, a.code, COALESCE(c.code, ''), r.instrument, r.instrument_version, r.channel, r.submitted_at,
	r.local_date, r.answers, r.followup, r.comment, CASE WHEN r.flagged_as != '' THEN r.flagged_as ELSE r.flag END,
	r.review, r.reviewed_at, COALESCE(r.reviewed_by, ''), r.integrity_reasons, COALESCE(w.day, ''), w.from_at, w.to_at`

const flaggedFrom = ` FROM responses r LEFT JOIN counters c ON c.id = r.counter_id JOIN agencies a ON a.id = r.agency_id
	LEFT JOIN integrity_windows w ON w.id = r.integrity_window`

func scanFlagged(sc scanner) (*survey.FlaggedResponse, error) {
	var f survey.FlaggedResponse
	var at int64
	var answers []byte
	var reviewed, from, to sql.NullInt64
	var reasons, day string
	if err := sc.Scan(&f.ID, &f.SubmissionID, &f.AgencyCode, &f.CounterCode, &f.Instrument, &f.Version, &f.Channel, &at,
		&f.LocalDate, &answers, &f.Followup, &f.Comment, &f.Flag, &f.Review, &reviewed, &f.ReviewedBy,
		&reasons, &day, &from, &to); err != nil {
		return nil, err
	}
	for _, s := range strings.Split(reasons, ",") {
		if s != "" {
			f.Reasons = append(f.Reasons, s)
		}
	}
	if from.Valid && to.Valid {
		// The window's bounds, never finer than the integrity page's.
		f.Window = windowClock(day, time.UnixMilli(from.Int64), false) + "–" + windowClock(day, time.UnixMilli(to.Int64), true)
	}
	f.SubmittedAt = *fromMS(sql.NullInt64{Int64: at, Valid: true})
	f.ReviewedAt = fromMS(reviewed)
	f.Answers = make([]int, len(answers))
	for i, v := range answers {
		f.Answers[i] = int(v)
	}
	return &f, nil
}

// ListFlagged returns flagged responses, newest first.
func (db *DB) ListFlagged(ctx context.Context, f survey.FlagFilter) ([]*survey.FlaggedResponse, error) {
	var where []string
	var args []any
	switch f.Status {
	case "", "pending":
		where = append(where, `r.flag != '' AND r.review = ''`)
	case "reviewed":
		where = append(where, `r.review != ''`)
	case "all":
		where = append(where, `(r.flag != '' OR r.review != '')`)
	default:
		return nil, survey.Errorf(survey.EINVALID, "status must be pending, reviewed or all")
	}
	if f.Agency != "" {
		root, err := db.FindAgency(ctx, f.Agency)
		if err != nil {
			return nil, err
		}
		where = append(where, `r.agency_id IN (WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT c.id FROM agencies c JOIN tree t ON c.parent_id = t.id) SELECT id FROM tree)`)
		args = append(args, root.ID)
	}
	if f.Before > 0 {
		where = append(where, `r.id < ?`)
		args = append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	args = append(args, limit)
	q := `SELECT ` + flaggedCols + flaggedFrom + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY r.id DESC LIMIT ?`
	return queryAll(ctx, db, "list flagged", scanFlagged, q, args...)
}

// ReviewFlagged accepts or rejects a flagged response. Accepting adds it to
// stats_monthly in the same transaction that clears its flag, so the
// indices and the responses never disagree; the review is recorded in the
// audit log in that transaction too.
func (db *DB) ReviewFlagged(ctx context.Context, id int64, accept bool, note string, by survey.Actor) (*survey.FlaggedResponse, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("review flagged: %w", err)
	}
	defer tx.Rollback()
	var agencyID int64
	var inst, date, flag, review string
	var version, followup int
	var answers []byte
	err = tx.QueryRowContext(ctx, `SELECT agency_id, instrument, instrument_version, local_date, answers, followup, flag, review FROM responses WHERE id = ?`, id).
		Scan(&agencyID, &inst, &version, &date, &answers, &followup, &flag, &review)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && flag == "" && review == "") {
		return nil, survey.Errorf(survey.ENOTFOUND, "flagged response %d not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("review flagged: %w", err)
	}
	if review != "" {
		return nil, survey.Errorf(survey.ECONFLICT, "response %d was already reviewed (%s)", id, review)
	}
	now := db.Now()
	outcome, newFlag, action := survey.ReviewRejected, flag, "response.reject"
	if accept {
		outcome, newFlag, action = survey.ReviewAccepted, "", "response.accept"
		in, err := db.instruments.Version(inst, version)
		if err != nil {
			return nil, fmt.Errorf("response %d: %w", id, err)
		}
		if len(answers) != len(in.Items) || len(date) != len("2006-01-02") {
			return nil, fmt.Errorf("response %d: malformed stored answers", id)
		}
		for _, key := range statsKeys(agencyID, inst, version, date) {
			acc, err := loadStats(ctx, tx, key, in)
			if err != nil {
				return nil, err
			}
			if err := addToStats(acc, in, answers, followup, make([]uint8, 0, len(answers))); err != nil {
				return nil, err
			}
			if err := saveStats(ctx, tx, key, acc); err != nil {
				return nil, err
			}
		}
	}
	if accept {
		if _, err := tx.ExecContext(ctx, `UPDATE excluded_daily SET n = n - 1 WHERE agency_id = ? AND instrument = ? AND day = ? AND flag = ? AND n > 0`,
			agencyID, inst, date, flag); err != nil {
			return nil, fmt.Errorf("review flagged: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE responses SET flag = ?, flagged_as = ?, review = ?, reviewed_at = ?, reviewed_by = ? WHERE id = ?`,
		newFlag, flag, outcome, ms(now), actorName(by), id); err != nil {
		return nil, fmt.Errorf("review flagged: %w", err)
	}
	detail := fmt.Sprintf("response %d (flagged %s)", id, flag)
	if note != "" {
		detail += ": " + note
	}
	if err := audit(ctx, tx, now, by, action, detail); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("review flagged: %w", err)
	}
	fr, err := scanFlagged(db.write.QueryRowContext(ctx, `SELECT `+flaggedCols+flaggedFrom+` WHERE r.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("review flagged: %w", err)
	}
	return fr, nil
}

func actorName(by survey.Actor) string {
	if by.Name == "" {
		return "system"
	}
	return by.Name
}

// IPHashSecret returns the server secret from which the daily keys of the
// rate limiter's client hashes are derived, generating and storing a random
// one on first use. Only this secret is stored; no IP address or hash of
// one ever is.
func (db *DB) IPHashSecret(ctx context.Context) ([]byte, error) {
	return db.secret(ctx, "ip_hash_secret")
}

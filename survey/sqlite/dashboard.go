package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
)

// subtreeCTE names the agency ids of the subtree rooted at the agency with
// the code bound to its single placeholder, as the root's official may see
// it (survey.CanSee, through HoldersOf): today's subtree by parent_id,
// and, recursively, every agency that went into one in it by a merger — a
// merge predecessor, and the sub-agencies it still holds (closed ones)
// that did not merge elsewhere. A new ward's lists and exports hold the
// communes it was merged from; not a unit that merged into another agency
// first. UNION, not UNION ALL: an agency reached twice is listed once.
const subtreeCTE = `WITH RECURSIVE tree(id) AS (
	SELECT id FROM agencies WHERE code = ?
	UNION SELECT a.id FROM agencies a JOIN tree ON a.parent_id = tree.id),
went(id) AS (
	SELECT l.predecessor_id FROM agency_lineage l WHERE l.kind = 'merge' AND l.successor_id IN (SELECT id FROM tree)
	UNION SELECT l.predecessor_id FROM agency_lineage l JOIN went ON l.successor_id = went.id WHERE l.kind = 'merge'
	UNION SELECT a.id FROM agencies a JOIN went ON a.parent_id = went.id
		WHERE NOT EXISTS (SELECT 1 FROM agency_lineage m WHERE m.predecessor_id = a.id AND m.kind = 'merge')),
sub(id) AS (SELECT id FROM tree UNION SELECT id FROM went)
`

// agencyExists returns ENOTFOUND for an unknown agency code.
func (db *DB) agencyExists(ctx context.Context, code string) error {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM agencies WHERE code = ?`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Errorf(survey.ENOTFOUND, "agency %q not found", code)
	}
	return err
}

// meanScore is the mean of the answers 1..5 of a stored answer vector.
func meanScore(answers []byte) *float64 {
	sum, n := 0, 0
	for _, v := range answers {
		if v >= 1 && v <= 5 {
			sum += int(v)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	m := float64(sum) / float64(n)
	return &m
}

// ListComments implements survey.DashboardStore. Without a score filter the
// page is cut in SQL; with one, the mean is computed from the stored answers
// of every comment of the subtree and period (comments are a few percent of
// the responses).
func (db *DB) ListComments(ctx context.Context, f survey.CommentFilter) ([]*survey.Comment, int, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	if f.Limit > 500 || f.Offset < 0 || f.MinMean < 0 || f.MaxMean < 0 {
		return nil, 0, survey.Errorf(survey.EINVALID, "limit must be at most 500 and offset and scores not negative")
	}
	if err := db.agencyExists(ctx, f.Agency); err != nil {
		return nil, 0, err
	}
	where := ` FROM responses r JOIN sub ON r.agency_id = sub.id
		JOIN agencies a ON a.id = r.agency_id LEFT JOIN counters c ON c.id = r.counter_id
		WHERE r.comment != '' AND r.flag = '' AND r.local_date BETWEEN ? AND ?`
	args := []any{f.Agency, f.Period.FromString(), f.Period.ToString()}
	if f.Instrument != "" {
		where += ` AND r.instrument = ?`
		args = append(args, f.Instrument)
	}
	filtered := f.MinMean > 0 || f.MaxMean > 0
	q := subtreeCTE + `SELECT r.id, r.answers, r.submitted_at, r.local_date, r.instrument, r.comment, a.code, a.name, COALESCE(c.code, ''), COALESCE(c.name, '')` +
		where + ` ORDER BY r.submitted_at DESC, r.id DESC`
	total := 0
	qargs := args
	if !filtered {
		if err := db.read.QueryRowContext(ctx, subtreeCTE+`SELECT count(*)`+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count comments: %w", err)
		}
		q += ` LIMIT ? OFFSET ?`
		qargs = append(append([]any{}, args...), f.Limit, f.Offset)
	}
	rows, err := db.read.QueryContext(ctx, q, qargs...)
	if err != nil {
		return nil, 0, fmt.Errorf("list comments: %w", err)
	}
	defer rows.Close()
	out := []*survey.Comment{}
	seen := 0
	for rows.Next() {
		var cm survey.Comment
		var answers []byte
		var at int64
		if err := rows.Scan(&cm.ResponseID, &answers, &at, &cm.LocalDate, &cm.Instrument, &cm.Text,
			&cm.AgencyCode, &cm.AgencyName, &cm.CounterCode, &cm.CounterName); err != nil {
			return nil, 0, err
		}
		cm.Mean = meanScore(answers)
		cm.SubmittedAt = time.UnixMilli(at).UTC()
		if filtered {
			if cm.Mean == nil || (f.MinMean > 0 && *cm.Mean < f.MinMean) || (f.MaxMean > 0 && *cm.Mean > f.MaxMean) {
				continue
			}
			seen++
			if seen <= f.Offset || len(out) >= f.Limit {
				continue
			}
		}
		out = append(out, &cm)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if filtered {
		total = seen
	}
	return out, total, nil
}

// CounterResponseCounts implements survey.DashboardStore.
func (db *DB) CounterResponseCounts(ctx context.Context, agency string, p survey.Period) (map[int64]int64, error) {
	if err := db.agencyExists(ctx, agency); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT COALESCE(r.counter_id, 0), count(*) FROM responses r
		WHERE r.agency_id = (SELECT id FROM agencies WHERE code = ?) AND r.local_date BETWEEN ? AND ? AND r.flag = ''
		GROUP BY r.counter_id`, agency, p.FromString(), p.ToString())
	if err != nil {
		return nil, fmt.Errorf("count responses: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// EachResponse implements survey.DashboardStore.
func (db *DB) EachResponse(ctx context.Context, f survey.ResponseFilter, fn func(*survey.Response) error) error {
	if err := db.agencyExists(ctx, f.Agency); err != nil {
		return err
	}
	rows, err := db.read.QueryContext(ctx, subtreeCTE+`SELECT r.id, r.submission_id, COALESCE(r.counter_id, 0), COALESCE(c.code, ''), r.agency_id, a.code,
		r.instrument, r.instrument_version, r.answers, r.followup, r.comment, r.channel, r.submitted_at, r.local_date, r.flag,
		COALESCE(r.dossier_id, 0), r.timeliness
		FROM responses r JOIN sub ON r.agency_id = sub.id LEFT JOIN counters c ON c.id = r.counter_id JOIN agencies a ON a.id = r.agency_id
		WHERE r.instrument = ? AND r.local_date BETWEEN ? AND ? ORDER BY r.submitted_at, r.id`,
		f.Agency, f.Instrument, f.Period.FromString(), f.Period.ToString())
	if err != nil {
		return fmt.Errorf("read responses: %w", err)
	}
	defer rows.Close()
	var r survey.Response
	for rows.Next() {
		var at int64
		if err := rows.Scan(&r.ID, &r.SubmissionID, &r.CounterID, &r.CounterCode, &r.AgencyID, &r.AgencyCode,
			&r.InstrumentID, &r.InstrumentVersion, &r.Answers, &r.Followup, &r.Comment, &r.Channel, &at, &r.LocalDate, &r.Flag,
			&r.DossierID, &r.Timeliness); err != nil {
			return err
		}
		r.SubmittedAt = time.UnixMilli(at).UTC()
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sipas/sipas/survey"
)

const alertCols = `l.id, l.kind, l.key, l.period, l.agency_id, a.code, a.name, l.message, l.value, l.low, l.high,
	l.change, l.change_low, l.change_high, l.link, COALESCE(l.plan_id, 0), COALESCE(l.task_id, 0), l.created_at,
	COALESCE(l.acked_by, ''), l.acked_at`

const alertFrom = ` FROM alerts l JOIN agencies a ON a.id = l.agency_id`

func scanAlert(sc scanner) (*survey.Alert, error) {
	var l survey.Alert
	var fig [6]sql.NullFloat64
	var created int64
	var acked sql.NullInt64
	if err := sc.Scan(&l.ID, &l.Kind, &l.Key, &l.Period, &l.AgencyID, &l.Agency, &l.AgencyName, &l.Message,
		&fig[0], &fig[1], &fig[2], &fig[3], &fig[4], &fig[5], &l.Link, &l.PlanID, &l.TaskID, &created,
		&l.AckedBy, &acked); err != nil {
		return nil, err
	}
	ptrs := []**float64{&l.Value, &l.Low, &l.High, &l.Change, &l.ChangeLow, &l.ChangeHigh}
	for i, f := range fig {
		if f.Valid {
			v := f.Float64
			*ptrs[i] = &v
		}
	}
	l.CreatedAt = msTime(created)
	l.AckedAt = fromMS(acked)
	return &l, nil
}

// nullFloat stores a missing figure as NULL.
func nullFloat(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// AddAlerts implements survey.AlertStore. An alert names its agency by
// AgencyID or, when that is 0, by its code. All the alerts are stored in
// one transaction, so a failure stores none; one already stored for its
// (kind, agency, key, period) is skipped by the unique key, not by a
// read before the write, so concurrent checks cannot store it twice.
func (db *DB) AddAlerts(ctx context.Context, as []*survey.Alert) ([]*survey.Alert, error) {
	out := []*survey.Alert{}
	if len(as) == 0 {
		return out, nil
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("add alerts: %w", err)
	}
	defer tx.Rollback()
	now := db.Now()
	for _, l := range as {
		if !survey.ValidAlertKind(l.Kind) {
			return nil, survey.Errorf(survey.EINVALID, "unknown alert kind %q", l.Kind)
		}
		if l.Key == "" || l.Period == "" || l.Message == "" {
			return nil, survey.Errorf(survey.EINVALID, "an alert needs a key, a period and a message")
		}
		var id int64
		var code, name string
		if l.AgencyID != 0 {
			err = tx.QueryRowContext(ctx, `SELECT id, code, name FROM agencies WHERE id = ?`, l.AgencyID).Scan(&id, &code, &name)
		} else {
			err = tx.QueryRowContext(ctx, `SELECT id, code, name FROM agencies WHERE code = ?`, l.Agency).Scan(&id, &code, &name)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return nil, survey.Errorf(survey.EINVALID, "alert for an unknown agency (%d %q)", l.AgencyID, l.Agency)
		} else if err != nil {
			return nil, fmt.Errorf("add alerts: %w", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO alerts(kind, agency_id, key, period, message, value, low, high,
			change, change_low, change_high, link, plan_id, task_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(kind, agency_id, key, period) DO NOTHING`,
			l.Kind, id, l.Key, l.Period, l.Message, nullFloat(l.Value), nullFloat(l.Low), nullFloat(l.High),
			nullFloat(l.Change), nullFloat(l.ChangeLow), nullFloat(l.ChangeHigh), l.Link, nullID(l.PlanID), nullID(l.TaskID), ms(now))
		if err != nil {
			return nil, fmt.Errorf("add alerts: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("add alerts: %w", err)
		} else if n == 0 {
			continue
		}
		if l.ID, err = res.LastInsertId(); err != nil {
			return nil, fmt.Errorf("add alerts: %w", err)
		}
		l.AgencyID, l.Agency, l.AgencyName = id, code, name
		l.CreatedAt = msTime(ms(now))
		l.AckedBy, l.AckedAt = "", nil
		out = append(out, l)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("add alerts: %w", err)
	}
	return out, nil
}

// ListAlerts implements survey.AlertStore.
func (db *DB) ListAlerts(ctx context.Context, f survey.AlertFilter) ([]*survey.Alert, error) {
	where := []string{"1"}
	var args []any
	if f.Agencies != nil {
		if len(f.Agencies) == 0 {
			return []*survey.Alert{}, nil
		}
		where = append(where, `l.agency_id IN (SELECT value FROM json_each(?))`)
		args = append(args, int64sJSON(f.Agencies))
	}
	if f.Acked != nil {
		if *f.Acked {
			where = append(where, `l.acked_at IS NOT NULL`)
		} else {
			where = append(where, `l.acked_at IS NULL`)
		}
	}
	if f.Kind != "" {
		if !survey.ValidAlertKind(f.Kind) {
			return nil, survey.Errorf(survey.EINVALID, "unknown alert kind %q", f.Kind)
		}
		where = append(where, `l.kind = ?`)
		args = append(args, f.Kind)
	}
	if !f.Since.IsZero() {
		where = append(where, `l.created_at >= ?`)
		args = append(args, ms(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, `l.created_at < ?`)
		args = append(args, ms(f.Until))
	}
	order := ` ORDER BY l.id DESC`
	if f.AfterID > 0 {
		where = append(where, `l.id > ?`)
		args = append(args, f.AfterID)
		order = ` ORDER BY l.id`
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, min(limit, 1000))
	q := `SELECT ` + alertCols + alertFrom + ` WHERE ` + strings.Join(where, " AND ") + order + ` LIMIT ?`
	return queryAll(ctx, db, "list alerts", scanAlert, q, args...)
}

// int64sJSON encodes ids as a JSON array for json_each.
func int64sJSON(ids []int64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d", id)
	}
	b.WriteByte(']')
	return b.String()
}

// FindAlert implements survey.AlertStore.
func (db *DB) FindAlert(ctx context.Context, id int64) (*survey.Alert, error) {
	return findAlert(ctx, db.read, id)
}

func findAlert(ctx context.Context, q queryRower, id int64) (*survey.Alert, error) {
	l, err := scanAlert(q.QueryRowContext(ctx, `SELECT `+alertCols+alertFrom+` WHERE l.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "alert %d not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("find alert: %w", err)
	}
	return l, nil
}

// AckAlert implements survey.AlertStore. The first acknowledgement is kept
// (and audited); a later one changes nothing and writes no audit entry.
func (db *DB) AckAlert(ctx context.Context, id int64, by survey.Actor) (*survey.Alert, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("ack alert: %w", err)
	}
	defer tx.Rollback()
	now := db.Now()
	res, err := tx.ExecContext(ctx, `UPDATE alerts SET acked_by = ?, acked_at = ? WHERE id = ? AND acked_at IS NULL`,
		actorName(by), ms(now), id)
	if err != nil {
		return nil, fmt.Errorf("ack alert: %w", err)
	}
	l, err := findAlert(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("ack alert: %w", err)
	} else if n == 1 {
		detail := fmt.Sprintf("alert %d (%s %s %s %s)", id, l.Kind, l.Agency, l.Key, l.Period)
		if err := audit(ctx, tx, now, by, "alert.ack", detail); err != nil {
			return nil, fmt.Errorf("ack alert: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("ack alert: %w", err)
	}
	return l, nil
}

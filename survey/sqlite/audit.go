package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
)

// ListAudit returns audit log entries newest first. before > 0 returns only
// entries with a smaller id; limit defaults to 100 and is capped at 1000.
func (db *DB) ListAudit(ctx context.Context, before int64, limit int) ([]*survey.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	q := `SELECT id, at, user_name, action, detail FROM audit_log`
	args := []any{}
	if before > 0 {
		q += ` WHERE id < ?`
		args = append(args, before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	out := []*survey.AuditEntry{}
	for rows.Next() {
		var e survey.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.User, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, &e)
	}
	return out, rows.Err()
}

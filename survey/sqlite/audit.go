package sqlite

import (
	"context"
	"fmt"
	"strconv"
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
	q := `SELECT id, at, user_name, action, detail, n FROM audit_log`
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
		if err := rows.Scan(&e.ID, &at, &e.User, &e.Action, &e.Detail, &e.Count); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, &e)
	}
	return out, rows.Err()
}

// RecordSignIn implements survey.AuditStore: one entry per successful
// sign-in, naming the official (they act in office).
func (db *DB) RecordSignIn(ctx context.Context, by survey.Actor, channel string) error {
	if !survey.ValidSignInChannel(channel) {
		return survey.Errorf(survey.EINVALID, "unknown sign-in channel %q", channel)
	}
	if by.Name == "" {
		return survey.Errorf(survey.EINVALID, "a sign-in needs the user's name")
	}
	if err := audit(ctx, db.write, db.Now(), by, survey.AuditSignIn, channel); err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	return nil
}

// CountFailedSignIn implements survey.AuditStore. Failed sign-ins are not
// written one row each: that would put what an attacker sends into the log
// at the attacker's rate. Instead the failures of one minute on one channel
// share one row, found by its bucket (unique), created by the minute's first
// failure and counted up by the others in the same statement (an upsert, so
// concurrent failures cannot create two rows). The row holds the channel and
// the count, never what was typed: a wrong name is often a password typed in
// the wrong field. Under a sustained attack the log grows by at most one row
// per minute and channel.
func (db *DB) CountFailedSignIn(ctx context.Context, channel string) error {
	if !survey.ValidSignInChannel(channel) {
		return survey.Errorf(survey.EINVALID, "unknown sign-in channel %q", channel)
	}
	minute := db.Now().Truncate(time.Minute)
	bucket := survey.AuditSignInFailed + " " + channel + " " + strconv.FormatInt(ms(minute), 10)
	if _, err := db.write.ExecContext(ctx, `INSERT INTO audit_log(at, user_name, action, detail, bucket, n)
		VALUES (?, ?, ?, ?, ?, 1)
		ON CONFLICT(bucket) WHERE bucket IS NOT NULL DO UPDATE SET n = n + 1, detail = ? || ': ' || (n + 1) || ' failed'`,
		ms(minute), survey.AuditAnonymous, survey.AuditSignInFailed, channel+": 1 failed", bucket, channel); err != nil {
		return fmt.Errorf("count failed sign-in: %w", err)
	}
	return nil
}

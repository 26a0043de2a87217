package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ClaimMail implements survey.MailStore: the primary key of mail_sent
// makes a second claim of the same (user, kind, key) a no-op.
func (db *DB) ClaimMail(ctx context.Context, userID int64, kind, key string, at time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, `INSERT INTO mail_sent(user_id, kind, key, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		userID, kind, key, ms(at))
	if err != nil {
		return false, fmt.Errorf("claim mail: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ReleaseMail implements survey.MailStore.
func (db *DB) ReleaseMail(ctx context.Context, userID int64, kind, key string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM mail_sent WHERE user_id = ? AND kind = ? AND key = ?`, userID, kind, key); err != nil {
		return fmt.Errorf("release mail: %w", err)
	}
	return nil
}

// MailCursor implements survey.MailStore.
func (db *DB) MailCursor(ctx context.Context, name string) (int64, bool, error) {
	var v int64
	err := db.read.QueryRowContext(ctx, `SELECT value FROM mail_cursors WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("mail cursor: %w", err)
	}
	return v, true, nil
}

// SetMailCursor implements survey.MailStore.
func (db *DB) SetMailCursor(ctx context.Context, name string, v int64) error {
	if _, err := db.write.ExecContext(ctx, `INSERT INTO mail_cursors(name, value) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET value = excluded.value`, name, v); err != nil {
		return fmt.Errorf("set mail cursor: %w", err)
	}
	return nil
}

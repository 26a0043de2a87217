package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
)

// CreateSession implements survey.SessionStore. Expired sessions of every
// user are swept out in the same transaction, so the table stays small.
func (db *DB) CreateSession(ctx context.Context, tokenHash []byte, userID int64, now, expires time.Time) (*survey.Session, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, ms(now)); err != nil {
		return nil, fmt.Errorf("sweep sessions: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO sessions(token_hash, user_id, created_at, seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		tokenHash, userID, ms(now), ms(now), ms(expires))
	if isUnique(err) {
		return nil, survey.Errorf(survey.ECONFLICT, "session exists")
	} else if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	id, _ := res.LastInsertId()
	t := func(v time.Time) time.Time { return time.UnixMilli(ms(v)).UTC() }
	return &survey.Session{ID: id, UserID: userID, CreatedAt: t(now), SeenAt: t(now), ExpiresAt: t(expires)}, nil
}

// FindSession implements survey.SessionStore.
func (db *DB) FindSession(ctx context.Context, tokenHash []byte, now time.Time) (*survey.Session, *survey.User, error) {
	var s survey.Session
	var created, seen, expires int64
	row := db.read.QueryRowContext(ctx, `SELECT s.id, s.user_id, s.created_at, s.seen_at, s.expires_at, `+userCols+`
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN agencies a ON a.id = u.agency_id WHERE s.token_hash = ?`, tokenHash)
	var u survey.User
	var uCreated int64
	err := row.Scan(&s.ID, &s.UserID, &created, &seen, &expires,
		&u.ID, &u.Name, &u.Role, &u.AgencyID, &u.AgencyCode, &u.PasswordHash, &uCreated, &u.Disabled, &u.Email, &u.DigestWeekly, &u.AlertMail)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, survey.Errorf(survey.ENOTFOUND, "no such session")
	} else if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	if expires <= ms(now) {
		if err := db.DeleteSession(ctx, tokenHash); err != nil {
			return nil, nil, err
		}
		return nil, nil, survey.Errorf(survey.ENOTFOUND, "session expired")
	}
	s.CreatedAt, s.SeenAt, s.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(seen).UTC(), time.UnixMilli(expires).UTC()
	u.CreatedAt = time.UnixMilli(uCreated).UTC()
	return &s, &u, nil
}

// TouchSession implements survey.SessionStore.
func (db *DB) TouchSession(ctx context.Context, tokenHash []byte, seen, expires time.Time) error {
	if _, err := db.write.ExecContext(ctx, `UPDATE sessions SET seen_at = ?, expires_at = ? WHERE token_hash = ?`, ms(seen), ms(expires), tokenHash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession implements survey.SessionStore.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions implements survey.SessionStore.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64, keep []byte) error {
	if keep == nil {
		keep = []byte{}
	}
	if _, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash != ?`, userID, keep); err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	return nil
}

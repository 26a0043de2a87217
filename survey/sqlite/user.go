package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sipas/sipas/survey"
)

// CreateUser stores a new official's account, recording it in the audit
// log under by.
func (db *DB) CreateUser(ctx context.Context, u *survey.User, by survey.Actor) error {
	if !survey.ValidRole(u.Role) {
		return survey.Errorf(survey.EINVALID, "role must be admin, official or integration")
	}
	if err := survey.ValidateCode(u.Name); err != nil {
		return survey.Errorf(survey.EINVALID, "invalid user name %q: use 1-40 letters, digits, '.', '_' or '-'", u.Name)
	}
	var agency sql.NullInt64
	if u.AgencyCode != "" {
		a, err := db.FindAgency(ctx, u.AgencyCode)
		if err != nil {
			return err
		}
		agency = sql.NullInt64{Int64: a.ID, Valid: true}
	} else if u.Role != survey.RoleAdmin {
		return survey.Errorf(survey.EINVALID, "%s needs --agency", roleNoun(u.Role))
	}
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO users(name, role, agency_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		u.Name, u.Role, agency, u.PasswordHash, ms(now))
	if isUnique(err) {
		return survey.Errorf(survey.ECONFLICT, "user %q already exists", u.Name)
	} else if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	detail := u.Name + " (" + u.Role
	if u.AgencyCode != "" {
		detail += ", " + u.AgencyCode
	}
	if err := audit(ctx, tx, now, by, "user.create", detail+")"); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	u.ID, _ = res.LastInsertId()
	u.AgencyID = agency.Int64
	return nil
}

const userCols = `u.id, u.name, u.role, COALESCE(u.agency_id, 0), COALESCE(a.code, ''), u.password_hash, u.created_at, u.disabled_at IS NOT NULL, u.email, u.digest_weekly, u.alert_mail`

func scanUser(sc scanner) (*survey.User, error) {
	var u survey.User
	var created int64
	if err := sc.Scan(&u.ID, &u.Name, &u.Role, &u.AgencyID, &u.AgencyCode, &u.PasswordHash, &created, &u.Disabled, &u.Email, &u.DigestWeekly, &u.AlertMail); err != nil {
		return nil, err
	}
	u.CreatedAt = *fromMS(sql.NullInt64{Int64: created, Valid: true})
	return &u, nil
}

// FindUser returns the account called name.
func (db *DB) FindUser(ctx context.Context, name string) (*survey.User, error) {
	u, err := scanUser(db.userByName.QueryRowContext(ctx, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "user not found")
	}
	return u, err
}

// SetPassword replaces a user's password hash, recording it in the audit
// log (never the hash).
func (db *DB) SetPassword(ctx context.Context, name, hash string, by survey.Actor) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE name = ?`, hash, name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return survey.Errorf(survey.ENOTFOUND, "user not found")
	}
	if err := audit(ctx, tx, db.Now(), by, "user.password", name); err != nil {
		return err
	}
	return tx.Commit()
}

// ListUsers returns every account, by name.
func (db *DB) ListUsers(ctx context.Context) ([]*survey.User, error) {
	return queryAll(ctx, db, "list users", scanUser,
		`SELECT `+userCols+` FROM users u LEFT JOIN agencies a ON a.id = u.agency_id ORDER BY u.name`)
}

// UpdateUser implements survey.UserStore. The change and its audit row are
// written in one transaction; disabling an account also deletes its
// sessions there, so it is signed out everywhere at once. A change that
// would leave no active admin is refused.
func (db *DB) UpdateUser(ctx context.Context, name string, up survey.UserUpdate, by survey.Actor) (*survey.User, error) {
	cur, err := db.FindUser(ctx, name)
	if err != nil {
		return nil, err
	}
	next := *cur
	var changes []string
	if up.Role != nil && *up.Role != cur.Role {
		if !survey.ValidRole(*up.Role) {
			return nil, survey.Errorf(survey.EINVALID, "role must be admin, official or integration")
		}
		next.Role = *up.Role
		changes = append(changes, "role "+cur.Role+" → "+next.Role)
	}
	if up.AgencyCode != nil && *up.AgencyCode != cur.AgencyCode {
		next.AgencyCode, next.AgencyID = "", 0
		if *up.AgencyCode != "" {
			a, err := db.FindAgency(ctx, *up.AgencyCode)
			if err != nil {
				return nil, err
			}
			next.AgencyCode, next.AgencyID = a.Code, a.ID
		}
		changes = append(changes, "agency "+orNone(cur.AgencyCode)+" → "+orNone(next.AgencyCode))
	}
	if next.Role != survey.RoleAdmin && next.AgencyCode == "" {
		return nil, survey.Errorf(survey.EINVALID, "%s needs an agency", roleNoun(next.Role))
	}
	if up.Disabled != nil && *up.Disabled != cur.Disabled {
		next.Disabled = *up.Disabled
		changes = append(changes, map[bool]string{true: "disabled", false: "enabled"}[next.Disabled])
	}
	changes, err = mailChanges(cur, &next, up, changes)
	if err != nil {
		return nil, err
	}
	if len(changes) == 0 {
		return cur, nil
	}
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	defer tx.Rollback()
	agency := sql.NullInt64{Int64: next.AgencyID, Valid: next.AgencyID != 0}
	res, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, agency_id = ?,
		disabled_at = CASE WHEN ? THEN COALESCE(disabled_at, ?) ELSE NULL END,
		email = ?, digest_weekly = ?, alert_mail = ? WHERE id = ?`,
		next.Role, agency, next.Disabled, ms(now), next.Email, next.DigestWeekly, next.AlertMail, cur.ID)
	if err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, survey.Errorf(survey.ENOTFOUND, "user not found")
	}
	// Demoting or disabling the last active admin would leave nobody able
	// to manage accounts from the dashboard.
	if cur.Role == survey.RoleAdmin && !cur.Disabled && (next.Role != survey.RoleAdmin || next.Disabled) {
		var admins int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL`).Scan(&admins); err != nil {
			return nil, fmt.Errorf("count admins: %w", err)
		}
		if admins == 0 {
			return nil, survey.Errorf(survey.EINVALID, "at least one active admin account must remain")
		}
	}
	if next.Disabled {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, cur.ID); err != nil {
			return nil, fmt.Errorf("delete sessions: %w", err)
		}
	}
	if err := audit(ctx, tx, now, by, "user.update", name+": "+strings.Join(changes, ", ")); err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	return &next, nil
}

// mailChanges applies the email address and the mail opt-ins of up to
// next, appending what changed for the audit log. Opting in needs an
// address.
func mailChanges(cur, next *survey.User, up survey.UserUpdate, changes []string) ([]string, error) {
	if up.Email != nil {
		e, err := survey.ParseEmail(*up.Email)
		if err != nil {
			return nil, err
		}
		if e != cur.Email {
			next.Email = e
			changes = append(changes, "email "+orNone(cur.Email)+" → "+orNone(e))
		}
	}
	onOff := map[bool]string{true: "on", false: "off"}
	if up.DigestWeekly != nil && *up.DigestWeekly != cur.DigestWeekly {
		next.DigestWeekly = *up.DigestWeekly
		changes = append(changes, "weekly digest "+onOff[next.DigestWeekly])
	}
	if up.AlertMail != nil && *up.AlertMail != cur.AlertMail {
		next.AlertMail = *up.AlertMail
		changes = append(changes, "alert mail "+onOff[next.AlertMail])
	}
	if next.Email == "" && (next.DigestWeekly || next.AlertMail) {
		return nil, survey.Errorf(survey.EINVALID, "mail needs an email address")
	}
	return changes, nil
}

func orNone(code string) string {
	if code == "" {
		return "none"
	}
	return code
}

// roleNoun names an account of a role in a message.
func roleNoun(role string) string {
	if role == survey.RoleIntegration {
		return "an integration account"
	}
	return "an official"
}

package sqlite

import (
	"context"
	"fmt"

	"github.com/sipas/sipas/survey"
)

// rowUpdate is what differs between renaming, closing or reopening an
// agency and a counter: the table, how the row is found, the fields to
// change and the audit entry.
type rowUpdate[T any] struct {
	table  string // "agencies" or "counters"; a constant, never input
	entity string // history.entity: "agency" or "counter"
	action string // audit action
	detail string // audit detail: the row's code
	// find reads the row through q (the read pool or the write
	// transaction), returning ENOTFOUND when there is none.
	find func(ctx context.Context, q queryRower) (T, error)
	// state returns the row's id, its name and whether it is closed.
	state func(T) (id int64, name string, closed bool)
	// name and closed are the new values; nil leaves a field as it is.
	name   *string
	closed *bool
	// public publishes or withdraws an agency's public page (agencies
	// only; published reads the row's current flag).
	public    *bool
	published func(T) bool
}

// updateRow applies u in one write transaction, recording a history row
// for each field that changes and one audit entry, and returns the row as
// committed. The row is read inside that transaction: the write pool has a
// single connection and transactions begin IMMEDIATE, so no other write can
// come between reading the old value and writing the new one, and each
// history row's old value is the previous row's new value.
func updateRow[T any](ctx context.Context, db *DB, u rowUpdate[T], by survey.Actor) (T, error) {
	var zero T
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return zero, fmt.Errorf("update %s: %w", u.entity, err)
	}
	defer tx.Rollback()
	row, err := u.find(ctx, tx)
	if err != nil {
		return zero, err
	}
	id, oldName, wasClosed := u.state(row)
	now := db.Now()
	if u.name != nil {
		name, verr := survey.ValidateName(*u.name)
		if verr != nil {
			return zero, verr
		}
		if name != oldName {
			if _, err := tx.ExecContext(ctx, `UPDATE `+u.table+` SET name = ? WHERE id = ?`, name, id); err != nil {
				return zero, fmt.Errorf("update %s name: %w", u.entity, err)
			}
			if err := history(ctx, tx, now, by, u.entity, id, "name", oldName, name); err != nil {
				return zero, fmt.Errorf("update %s: history: %w", u.entity, err)
			}
		}
	}
	if u.closed != nil && *u.closed != wasClosed {
		// An agency that merged or split lives on in its successors:
		// reopening it would count its history twice.
		if !*u.closed && u.table == "agencies" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agency_lineage WHERE predecessor_id = ?`, id).Scan(&n); err != nil {
				return zero, fmt.Errorf("update %s: %w", u.entity, err)
			}
			if n > 0 {
				return zero, survey.Errorf(survey.EINVALID, "%s was merged or split: it cannot be reopened (its successors carry it on)", u.detail)
			}
		}
		var closedAt any // NULL reopens
		old, new := "open", "closed"
		if *u.closed {
			closedAt = ms(now)
		} else {
			old, new = new, old
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+u.table+` SET closed_at = ? WHERE id = ?`, closedAt, id); err != nil {
			return zero, fmt.Errorf("update %s status: %w", u.entity, err)
		}
		if err := history(ctx, tx, now, by, u.entity, id, "status", old, new); err != nil {
			return zero, fmt.Errorf("update %s: history: %w", u.entity, err)
		}
	}
	if u.public != nil && u.published != nil && *u.public != u.published(row) {
		old, new := "private", "public"
		if !*u.public {
			old, new = new, old
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+u.table+` SET public = ? WHERE id = ?`, *u.public, id); err != nil {
			return zero, fmt.Errorf("update %s public: %w", u.entity, err)
		}
		if err := history(ctx, tx, now, by, u.entity, id, "public", old, new); err != nil {
			return zero, fmt.Errorf("update %s: history: %w", u.entity, err)
		}
	}
	if err := audit(ctx, tx, now, by, u.action, u.detail); err != nil {
		return zero, fmt.Errorf("update %s: audit: %w", u.entity, err)
	}
	// Read back within the transaction: the answer is this change, not one
	// committed after it.
	if row, err = u.find(ctx, tx); err != nil {
		return zero, err
	}
	if err := tx.Commit(); err != nil {
		return zero, fmt.Errorf("update %s: %w", u.entity, err)
	}
	// Counters carry their agency's name and status: closing an agency
	// retires the QR codes of every counter beneath it.
	db.countersChanged()
	return row, nil
}

package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
)

// planCols are a plan's columns, read from plans pl joined to its agency a.
const planCols = `pl.id, pl.agency_id, a.code, a.name, pl.year, pl.title, pl.instrument, pl.targets, pl.created_at, pl.created_by, pl.updated_at`

const planFrom = ` FROM plans pl JOIN agencies a ON a.id = pl.agency_id`

func scanPlan(sc scanner) (*survey.Plan, error) {
	var p survey.Plan
	var targets string
	var created, updated int64
	if err := sc.Scan(&p.ID, &p.AgencyID, &p.AgencyCode, &p.AgencyName, &p.Year, &p.Title, &p.Instrument, &targets,
		&created, &p.CreatedBy, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(targets), &p.Targets); err != nil {
		return nil, fmt.Errorf("plan %d: stored targets: %w", p.ID, err)
	}
	if p.Targets == nil {
		p.Targets = []survey.PlanTarget{}
	}
	p.CreatedAt, p.UpdatedAt = msTime(created), msTime(updated)
	return &p, nil
}

// msTime is a stored time in Unix milliseconds, in UTC.
func msTime(v int64) time.Time { return time.UnixMilli(v).UTC() }

// targetsJSON encodes a plan's targets as stored ([] for none).
func targetsJSON(ts []survey.PlanTarget) string {
	if ts == nil {
		ts = []survey.PlanTarget{}
	}
	b, _ := json.Marshal(ts) // plain structs of strings and finite floats
	return string(b)
}

// CreatePlan implements survey.PlanStore. The plan's agency must exist
// (ENOTFOUND) and be open (EINVALID).
func (db *DB) CreatePlan(ctx context.Context, p *survey.Plan, by survey.Actor) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create plan: %w", err)
	}
	defer tx.Rollback()
	a, err := findAgency(ctx, tx, p.AgencyCode)
	if err != nil {
		return err
	}
	if a.ClosedAt != nil {
		return fieldErr("agency", "agency %s is closed", a.Code)
	}
	if p.Targets == nil {
		p.Targets = []survey.PlanTarget{}
	}
	now := db.Now()
	res, err := tx.ExecContext(ctx, `INSERT INTO plans(agency_id, year, title, instrument, targets, created_at, created_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, p.Year, p.Title, p.Instrument, targetsJSON(p.Targets), ms(now), actorName(by), ms(now))
	if err != nil {
		return fmt.Errorf("create plan: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("create plan: %w", err)
	}
	if err := audit(ctx, tx, now, by, "plan.create", fmt.Sprintf("plan %d of %s %d: %s", id, a.Code, p.Year, p.Title)); err != nil {
		return fmt.Errorf("create plan: audit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create plan: %w", err)
	}
	p.ID, p.AgencyID, p.AgencyCode, p.AgencyName = id, a.ID, a.Code, a.Name
	p.CreatedAt, p.UpdatedAt, p.CreatedBy = msTime(ms(now)), msTime(ms(now)), actorName(by)
	return nil
}

// FindPlan implements survey.PlanStore.
func (db *DB) FindPlan(ctx context.Context, id int64) (*survey.Plan, error) {
	return findPlan(ctx, db.read, id)
}

func findPlan(ctx context.Context, q queryRower, id int64) (*survey.Plan, error) {
	p, err := scanPlan(q.QueryRowContext(ctx, `SELECT `+planCols+planFrom+` WHERE pl.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "plan %d not found", id)
	}
	return p, err
}

// subtreeByID selects, as sub(id), the agency with id ? and every agency
// beneath it; UNION (not UNION ALL) ends the walk even on a cycle.
const subtreeByID = `sub(id) AS (SELECT ? UNION SELECT c.id FROM agencies c JOIN sub ON c.parent_id = sub.id)`

// ancestorsByID selects, as up(id), the ancestors of the agency with id ?
// (not the agency itself).
const ancestorsByID = `up(id) AS (SELECT parent_id FROM agencies WHERE id = ? AND parent_id IS NOT NULL
	UNION SELECT a.parent_id FROM agencies a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL)`

// ListPlans implements survey.PlanStore: the plans of f.Agency's subtree
// (all plans when it is ""), with Covering also its ancestors' plans.
// Returns ENOTFOUND for an unknown agency.
func (db *DB) ListPlans(ctx context.Context, f survey.PlanFilter) ([]*survey.Plan, error) {
	var with, where []string
	var args []any
	if f.Agency != "" {
		a, err := db.FindAgency(ctx, f.Agency)
		if err != nil {
			return nil, err
		}
		with = append(with, subtreeByID)
		args = append(args, a.ID)
		cond := `pl.agency_id IN (SELECT id FROM sub)`
		if f.Covering {
			with = append(with, ancestorsByID)
			args = append(args, a.ID)
			cond = `(` + cond + ` OR pl.agency_id IN (SELECT id FROM up))`
		}
		where = append(where, cond)
	}
	if f.Year > 0 {
		where = append(where, `pl.year = ?`)
		args = append(args, f.Year)
	}
	q := `SELECT ` + planCols + planFrom
	if len(with) > 0 {
		q = `WITH RECURSIVE ` + strings.Join(with, ", ") + ` ` + q
	}
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY pl.year DESC, pl.id`
	return queryAll(ctx, db, "list plans", scanPlan, q, args...)
}

// UpdatePlan implements survey.PlanStore. A field that changes is kept in
// the plan's history (targets as JSON) and the change in the audit log; an
// update that changes nothing records nothing. Returns ENOTFOUND, or
// EINVALID for an empty or too long title.
func (db *DB) UpdatePlan(ctx context.Context, id int64, u survey.PlanUpdate, by survey.Actor) (*survey.Plan, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("update plan: %w", err)
	}
	defer tx.Rollback()
	p, err := findPlan(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if u, err = survey.ParsePlanUpdate(u, p, db.instruments); err != nil {
		return nil, err
	}
	now := db.Now()
	var changed []string
	if u.Title != nil {
		if title := *u.Title; title != p.Title {
			if _, err := tx.ExecContext(ctx, `UPDATE plans SET title = ? WHERE id = ?`, title, id); err != nil {
				return nil, fmt.Errorf("update plan title: %w", err)
			}
			if err := history(ctx, tx, now, by, "plan", id, "title", p.Title, title); err != nil {
				return nil, fmt.Errorf("update plan: history: %w", err)
			}
			changed = append(changed, "title")
		}
	}
	if u.Targets != nil {
		old, next := targetsJSON(p.Targets), targetsJSON(*u.Targets)
		if old != next {
			if _, err := tx.ExecContext(ctx, `UPDATE plans SET targets = ? WHERE id = ?`, next, id); err != nil {
				return nil, fmt.Errorf("update plan targets: %w", err)
			}
			if err := history(ctx, tx, now, by, "plan", id, "targets", old, next); err != nil {
				return nil, fmt.Errorf("update plan: history: %w", err)
			}
			changed = append(changed, "targets")
		}
	}
	if len(changed) == 0 {
		return p, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE plans SET updated_at = ? WHERE id = ?`, ms(now), id); err != nil {
		return nil, fmt.Errorf("update plan: %w", err)
	}
	detail := fmt.Sprintf("plan %d of %s %d: %s", id, p.AgencyCode, p.Year, strings.Join(changed, ", "))
	if err := audit(ctx, tx, now, by, "plan.update", detail); err != nil {
		return nil, fmt.Errorf("update plan: audit: %w", err)
	}
	// Read back within the transaction: the answer is this change.
	if p, err = findPlan(ctx, tx, id); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("update plan: %w", err)
	}
	return p, nil
}

// fieldErr is an EINVALID error naming one input field.
func fieldErr(field, format string, args ...any) *survey.Error {
	e := survey.Errorf(survey.EINVALID, format, args...)
	e.Fields = map[string]string{field: e.Message}
	return e
}

var _ survey.PlanStore = (*DB)(nil)

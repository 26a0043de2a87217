package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
)

const agencyCols = `a.id, a.code, a.name, COALESCE(a.parent_id, 0), COALESCE(p.code, ''), a.closed_at, a.public, a.created_at`

func scanAgency(sc scanner) (*survey.Agency, error) {
	var a survey.Agency
	var closed sql.NullInt64
	var created int64
	if err := sc.Scan(&a.ID, &a.Code, &a.Name, &a.ParentID, &a.ParentCode, &closed, &a.Public, &created); err != nil {
		return nil, err
	}
	a.ClosedAt = fromMS(closed)
	a.CreatedAt = *fromMS(sql.NullInt64{Int64: created, Valid: true})
	return &a, nil
}

// CreateAgency stores a new agency.
func (db *DB) CreateAgency(ctx context.Context, a *survey.Agency, by survey.Actor) error {
	return db.importAgencies(ctx, []*survey.Agency{a}, by, false)
}

// ImportAgencies creates all agencies in one transaction, or none. A parent
// may be an existing agency or one earlier in the list. Errors carry the
// 1-based position in the list as Line.
func (db *DB) ImportAgencies(ctx context.Context, as []*survey.Agency, by survey.Actor) error {
	return db.importAgencies(ctx, as, by, true)
}

func (db *DB) importAgencies(ctx context.Context, as []*survey.Agency, by survey.Actor, withLines bool) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("import agencies: %w", err)
	}
	defer tx.Rollback()
	now := db.Now()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO agencies(code, name, parent_id, created_at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	// Every agency's parent is recorded from the start of time: its first
	// span (migration 0016) until a move ends it.
	span, err := tx.PrepareContext(ctx, `INSERT INTO agency_parents(agency_id, parent_id, from_day, to_day) VALUES (?, ?, ?, NULL)`)
	if err != nil {
		return err
	}
	defer span.Close()
	for i, a := range as {
		lineErr := func(e *survey.Error) error {
			if withLines {
				e.Line = i + 1
			}
			return e
		}
		if err := a.Validate(); err != nil {
			return lineErr(err.(*survey.Error))
		}
		var parent sql.NullInt64
		if a.ParentCode != "" {
			err := tx.QueryRowContext(ctx, `SELECT id FROM agencies WHERE code = ?`, a.ParentCode).Scan(&parent.Int64)
			if errors.Is(err, sql.ErrNoRows) {
				return lineErr(survey.Errorf(survey.ENOTFOUND, "parent agency %q not found", a.ParentCode))
			} else if err != nil {
				return err
			}
			parent.Valid = true
		}
		res, err := ins.ExecContext(ctx, a.Code, a.Name, parent, ms(now))
		if isUnique(err) {
			return lineErr(survey.Errorf(survey.ECONFLICT, "agency code %q already exists", a.Code))
		} else if err != nil {
			return fmt.Errorf("insert agency: %w", err)
		}
		a.ID, _ = res.LastInsertId()
		if _, err := span.ExecContext(ctx, a.ID, parent, firstDay); err != nil {
			return fmt.Errorf("insert agency parent: %w", err)
		}
		a.ParentID = parent.Int64
		a.CreatedAt = now.UTC().Truncate(1e6)
	}
	detail := fmt.Sprintf("%d agencies", len(as))
	if len(as) == 1 {
		detail = as[0].Code
	}
	if err := audit(ctx, tx, now, by, "agency.create", detail); err != nil {
		return err
	}
	return tx.Commit()
}

// FindAgency returns the agency with code.
func (db *DB) FindAgency(ctx context.Context, code string) (*survey.Agency, error) {
	return findAgency(ctx, db.read, code)
}

func findAgency(ctx context.Context, q queryRower, code string) (*survey.Agency, error) {
	a, err := scanAgency(q.QueryRowContext(ctx, `SELECT `+agencyCols+` FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id WHERE a.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "agency %q not found", code)
	}
	return a, err
}

// InSubtree reports whether the agency code is root or lies beneath it (an
// unknown code is in no subtree).
func (db *DB) InSubtree(ctx context.Context, root, code string) (bool, error) {
	key := root + "\x00" + code
	gen := db.counterGen.Load()
	if v, ok := db.subtrees.Load(key); ok {
		if c := v.(cachedAt); c.gen == gen && time.Since(c.at) < counterTTL {
			return true, nil
		}
	}
	var in bool
	err := db.read.QueryRowContext(ctx, `WITH RECURSIVE up(id, parent_id, code) AS (
		SELECT id, parent_id, code FROM agencies WHERE code = ?
		UNION ALL SELECT p.id, p.parent_id, p.code FROM agencies p JOIN up ON p.id = up.parent_id
	) SELECT EXISTS (SELECT 1 FROM up WHERE code = ?)`, code, root).Scan(&in)
	if err == nil && in {
		db.subtrees.Store(key, cachedAt{gen: gen, at: time.Now()})
	}
	return in, err
}

// cachedAt is when a cached answer was read, and under which generation
// of the agencies.
type cachedAt struct {
	gen uint64
	at  time.Time
}

// ListAgencies returns the subtree rooted at root (all agencies when root is
// empty), parents before children, siblings by code.
func (db *DB) ListAgencies(ctx context.Context, root string) ([]*survey.Agency, error) {
	q := `WITH RECURSIVE tree(id, depth, path) AS (
		SELECT id, 0, code FROM agencies WHERE parent_id IS NULL
		UNION ALL
		SELECT c.id, t.depth + 1, t.path || char(1) || c.code FROM agencies c JOIN tree t ON c.parent_id = t.id
	) SELECT ` + agencyCols + ` FROM tree JOIN agencies a ON a.id = tree.id LEFT JOIN agencies p ON p.id = a.parent_id ORDER BY tree.path`
	args := []any{}
	if root != "" {
		r, err := db.FindAgency(ctx, root)
		if err != nil {
			return nil, err
		}
		q = `WITH RECURSIVE tree(id, depth, path) AS (
			SELECT id, 0, code FROM agencies WHERE id = ?
			UNION ALL
			SELECT c.id, t.depth + 1, t.path || char(1) || c.code FROM agencies c JOIN tree t ON c.parent_id = t.id
		) SELECT ` + agencyCols + ` FROM tree JOIN agencies a ON a.id = tree.id LEFT JOIN agencies p ON p.id = a.parent_id ORDER BY tree.path`
		args = append(args, r.ID)
	}
	return queryAll(ctx, db, "list agencies", scanAgency, q, args...)
}

// UpdateAgency renames, closes or reopens, publishes or withdraws an
// agency, recording history. Closing an agency retires the QR codes of
// every counter beneath it.
func (db *DB) UpdateAgency(ctx context.Context, code string, u survey.AgencyUpdate, by survey.Actor) (*survey.Agency, error) {
	return updateRow(ctx, db, rowUpdate[*survey.Agency]{
		table: "agencies", entity: "agency", action: "agency.update", detail: code,
		find:  func(ctx context.Context, q queryRower) (*survey.Agency, error) { return findAgency(ctx, q, code) },
		state: func(a *survey.Agency) (int64, string, bool) { return a.ID, a.Name, a.ClosedAt != nil },
		name:  u.Name, closed: u.Closed,
		public: u.Public, published: func(a *survey.Agency) bool { return a.Public },
	}, by)
}

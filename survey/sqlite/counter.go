package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sipas/sipas/survey"
)

// counterCols reads a counter with its agency; the last column says whether
// its agency or any agency above it is closed.
const counterCols = `c.id, c.agency_id, a.code, a.name, c.code, c.name, c.instrument, c.token_version, c.kiosk_version, c.closed_at, c.created_at,
	EXISTS (WITH RECURSIVE up(id, parent_id, closed_at) AS (
		SELECT id, parent_id, closed_at FROM agencies WHERE id = c.agency_id
		UNION ALL SELECT p.id, p.parent_id, p.closed_at FROM agencies p JOIN up ON p.id = up.parent_id
	) SELECT 1 FROM up WHERE closed_at IS NOT NULL)`

func scanCounter(sc scanner) (*survey.Counter, error) {
	var c survey.Counter
	var closed sql.NullInt64
	var created int64
	if err := sc.Scan(&c.ID, &c.AgencyID, &c.AgencyCode, &c.AgencyName, &c.Code, &c.Name, &c.Instrument, &c.TokenVersion, &c.KioskVersion, &closed, &created, &c.AgencyClosed); err != nil {
		return nil, err
	}
	c.ClosedAt = fromMS(closed)
	c.CreatedAt = *fromMS(sql.NullInt64{Int64: created, Valid: true})
	return &c, nil
}

// CreateCounter stores a new counter of c.AgencyCode.
func (db *DB) CreateCounter(ctx context.Context, c *survey.Counter, by survey.Actor) error {
	return db.importCounters(ctx, []*survey.Counter{c}, by, false)
}

// ImportCounters creates all counters in one transaction, or none. Errors
// carry the 1-based position in the list as Line.
func (db *DB) ImportCounters(ctx context.Context, cs []*survey.Counter, by survey.Actor) error {
	return db.importCounters(ctx, cs, by, true)
}

func (db *DB) importCounters(ctx context.Context, cs []*survey.Counter, by survey.Actor, withLines bool) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("import counters: %w", err)
	}
	defer tx.Rollback()
	now := db.Now()
	for i, c := range cs {
		lineErr := func(e *survey.Error) error {
			if withLines {
				e.Line = i + 1
			}
			return e
		}
		if err := c.Validate(db.instruments); err != nil {
			return lineErr(err.(*survey.Error))
		}
		var agencyName string
		var closed sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT id, name, closed_at FROM agencies WHERE code = ?`, c.AgencyCode).Scan(&c.AgencyID, &agencyName, &closed)
		if errors.Is(err, sql.ErrNoRows) {
			return lineErr(survey.Errorf(survey.ENOTFOUND, "agency %q not found", c.AgencyCode))
		} else if err != nil {
			return err
		}
		if closed.Valid {
			return lineErr(survey.Errorf(survey.EINVALID, "agency %q is closed", c.AgencyCode))
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO counters(agency_id, code, name, instrument, token_version, created_at) VALUES (?, ?, ?, ?, 1, ?)`,
			c.AgencyID, c.Code, c.Name, c.Instrument, ms(now))
		if isUnique(err) {
			return lineErr(survey.Errorf(survey.ECONFLICT, "counter %q already exists in agency %q", c.Code, c.AgencyCode))
		} else if err != nil {
			return fmt.Errorf("insert counter: %w", err)
		}
		c.ID, _ = res.LastInsertId()
		c.AgencyName = agencyName
		c.TokenVersion, c.KioskVersion = 1, 1
		c.CreatedAt = now.UTC().Truncate(1e6)
	}
	detail := strconv.Itoa(len(cs)) + " counters"
	if len(cs) == 1 {
		detail = cs[0].AgencyCode + "/" + cs[0].Code
	}
	if err := audit(ctx, tx, now, by, "counter.create", detail); err != nil {
		return err
	}
	return tx.Commit()
}

// FindCounter returns the counter code of agency.
func (db *DB) FindCounter(ctx context.Context, agency, code string) (*survey.Counter, error) {
	return findCounter(ctx, db.read, agency, code)
}

func findCounter(ctx context.Context, q queryRower, agency, code string) (*survey.Counter, error) {
	c, err := scanCounter(q.QueryRowContext(ctx, `SELECT `+counterCols+` FROM counters c JOIN agencies a ON a.id = c.agency_id WHERE a.code = ? AND c.code = ?`, agency, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "counter %q of agency %q not found", code, agency)
	}
	return c, err
}

// FindCounterByID returns a counter by its internal id. Answers are cached
// until the next change to any counter or agency made through this DB.
func (db *DB) FindCounterByID(ctx context.Context, id int64) (*survey.Counter, error) {
	gen := db.counterGen.Load()
	if v, ok := db.counters.Load(id); ok {
		if cc := v.(cachedCounter); cc.gen == gen && time.Since(cc.at) < counterTTL {
			c := cc.c
			return &c, nil
		}
	}
	c, err := scanCounter(db.read.QueryRowContext(ctx, `SELECT `+counterCols+` FROM counters c JOIN agencies a ON a.id = c.agency_id WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "counter not found")
	}
	if err != nil {
		return nil, err
	}
	db.counters.Store(id, cachedCounter{c: *c, gen: gen, at: time.Now()})
	return c, nil
}

// countersChanged makes every cached counter stale. Called after a commit
// that changed a counter or an agency.
func (db *DB) countersChanged() { db.counterGen.Add(1) }

// ListCounters returns the counters of one agency (closed ones included),
// by code.
func (db *DB) ListCounters(ctx context.Context, agency string) ([]*survey.Counter, error) {
	if _, err := db.FindAgency(ctx, agency); err != nil {
		return nil, err
	}
	return queryAll(ctx, db, "list counters", scanCounter,
		`SELECT `+counterCols+` FROM counters c JOIN agencies a ON a.id = c.agency_id WHERE a.code = ? ORDER BY c.code`, agency)
}

// UpdateCounter renames, closes or reopens a counter, recording history.
func (db *DB) UpdateCounter(ctx context.Context, agency, code string, u survey.CounterUpdate, by survey.Actor) (*survey.Counter, error) {
	return updateRow(ctx, db, rowUpdate[*survey.Counter]{
		table: "counters", entity: "counter", action: "counter.update", detail: agency + "/" + code,
		find: func(ctx context.Context, q queryRower) (*survey.Counter, error) {
			return findCounter(ctx, q, agency, code)
		},
		state: func(c *survey.Counter) (int64, string, bool) { return c.ID, c.Name, c.ClosedAt != nil },
		name:  u.Name, closed: u.Closed,
	}, by)
}

// RotateCounterToken makes the counter's printed QR codes obsolete, and
// with them its kiosk key, which signs the token version.
func (db *DB) RotateCounterToken(ctx context.Context, agency, code string, by survey.Actor) (*survey.Counter, error) {
	return db.rotateCounter(ctx, agency, code, rotateToken, by)
}

// RotateKioskKey makes the kiosk key of the counter's tablet obsolete; its
// printed QR codes keep working.
func (db *DB) RotateKioskKey(ctx context.Context, agency, code string, by survey.Actor) (*survey.Counter, error) {
	return db.rotateCounter(ctx, agency, code, rotateKiosk, by)
}

// counterRotation is a version column of counters and the audit action of
// its rotation.
type counterRotation struct {
	column, action string
	version        func(*survey.Counter) int
}

var (
	rotateToken = counterRotation{"token_version", "counter.rotate", func(c *survey.Counter) int { return c.TokenVersion }}
	rotateKiosk = counterRotation{"kiosk_version", "counter.rotate_kiosk", func(c *survey.Counter) int { return c.KioskVersion }}
)

// rotateCounter increments one version column of a counter, recording the
// change in history and the audit log in the same transaction.
func (db *DB) rotateCounter(ctx context.Context, agency, code string, r counterRotation, by survey.Actor) (*survey.Counter, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := findCounter(ctx, tx, agency, code)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	// r.column is one of two constants above, never input.
	if _, err := tx.ExecContext(ctx, `UPDATE counters SET `+r.column+` = `+r.column+` + 1 WHERE id = ?`, c.ID); err != nil {
		return nil, fmt.Errorf("rotate %s: %w", r.column, err)
	}
	old := r.version(c)
	if err := history(ctx, tx, now, by, "counter", c.ID, r.column, strconv.Itoa(old), strconv.Itoa(old+1)); err != nil {
		return nil, err
	}
	if err := audit(ctx, tx, now, by, r.action, agency+"/"+code); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	db.countersChanged()
	return db.FindCounter(ctx, agency, code)
}

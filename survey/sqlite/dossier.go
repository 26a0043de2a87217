package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
)

// RegisterDossier stores a dossier or updates the one registered under the
// same code hash. It goes through the batch writer, like a rating: many
// concurrent registrations share one transaction and one fsync, since
// registering is on the one-stop software's critical path.
func (db *DB) RegisterDossier(ctx context.Context, codeHash []byte, r *survey.DossierRegistration, by survey.Actor) (survey.DossierSaved, error) {
	if len(codeHash) == 0 || r == nil {
		return survey.DossierSaved{}, survey.Errorf(survey.EINVALID, "malformed dossier")
	}
	res, err := db.enqueue(ctx, &writeReq{dossier: &dossierReq{hash: codeHash, reg: r}, done: make(chan writeRes, 1)})
	return res.saved, err
}

// ImportDossiers registers every row in one transaction, or none. Errors
// carry the row's 1-based position as Line.
func (db *DB) ImportDossiers(ctx context.Context, hashes [][]byte, rs []*survey.DossierRegistration, by survey.Actor) (int, error) {
	if len(hashes) != len(rs) {
		return 0, survey.Errorf(survey.EINVALID, "malformed import")
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("import dossiers: %w", err)
	}
	defer tx.Rollback()
	now := db.Now()
	agencies := map[string]*agencyRef{}
	created := 0
	for i, r := range rs {
		saved, err := registerDossier(ctx, tx, agencies, hashes[i], r, now)
		if err != nil {
			var e *survey.Error
			if errors.As(err, &e) {
				e.Line = i + 1
			}
			return 0, err
		}
		if saved.Created {
			created++
		}
	}
	if err := audit(ctx, tx, now, by, "dossier.import", fmt.Sprintf("%d dossiers (%d new)", len(rs), created)); err != nil {
		return 0, err
	}
	return created, tx.Commit()
}

// The statements of a registration, prepared once by the batch writer
// (dossierSQL lists them) and run through stmtTx.
const (
	sqlDossierAgency = `SELECT a.id, EXISTS (WITH RECURSIVE up(id, parent_id, closed_at) AS (
			SELECT id, parent_id, closed_at FROM agencies WHERE id = a.id
			UNION ALL SELECT p.id, p.parent_id, p.closed_at FROM agencies p JOIN up ON p.id = up.parent_id
		) SELECT 1 FROM up WHERE closed_at IS NOT NULL) FROM agencies a WHERE a.code = ?`
	sqlDossierCounter = `SELECT id, closed_at FROM counters WHERE agency_id = ? AND code = ?`
	sqlDossierByHash  = `SELECT id, agency_id, counter_id, received_at, due_at, returned_at FROM dossiers WHERE code_hash = ?`
	sqlDossierInsert  = `INSERT INTO dossiers(code_hash, agency_id, counter_id, procedure, procedure_name, received_at, received_date,
			due_at, returned_at, returned_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlDossierUpdate = `UPDATE dossiers SET counter_id = ?, procedure = CASE WHEN ? = '' THEN procedure ELSE ? END,
			procedure_name = CASE WHEN ? = '' THEN procedure_name ELSE ? END, received_at = ?, received_date = ?,
			due_at = ?, returned_at = ?, returned_date = ?, updated_at = ? WHERE id = ?`
	sqlDossierDaily = `INSERT INTO dossier_daily(agency_id, day, received, returned, on_time) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(agency_id, day) DO UPDATE SET received = received + excluded.received,
			returned = returned + excluded.returned, on_time = on_time + excluded.on_time`
)

// dossierSQL returns the statements registerDossier runs.
func dossierSQL() []string {
	return []string{sqlDossierAgency, sqlDossierCounter, sqlDossierByHash, sqlDossierInsert, sqlDossierUpdate, sqlDossierDaily}
}

// stmtTx runs statements prepared beforehand within a transaction: a query
// found in stmts goes through its prepared statement (tx.StmtContext
// reuses it on the write connection), any other is prepared as usual.
type stmtTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// ExecContext implements execer.
func (t stmtTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := t.stmts[q]; st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

// QueryRowContext implements queryRower.
func (t stmtTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := t.stmts[q]; st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

// dossierReq is a registration queued for the batch writer.
type dossierReq struct {
	hash []byte
	reg  *survey.DossierRegistration
}

// agencyRef is what a registration needs of its agency.
type agencyRef struct {
	id     int64
	closed bool
}

// txQuerier is what registerDossier needs of a transaction.
type txQuerier interface {
	execer
	queryRower
}

// registerDossier checks a registration and stores it within tx. Every
// check comes before the first write, so a refused registration leaves tx
// as it found it (the batch writer commits the others). agencies caches
// agency lookups within one transaction.
func registerDossier(ctx context.Context, tx txQuerier, agencies map[string]*agencyRef, hash []byte, r *survey.DossierRegistration, now time.Time) (survey.DossierSaved, error) {
	ag := agencies[r.AgencyCode]
	if ag == nil {
		ag = &agencyRef{}
		err := tx.QueryRowContext(ctx, sqlDossierAgency, r.AgencyCode).Scan(&ag.id, &ag.closed)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.DossierSaved{}, survey.Errorf(survey.ENOTFOUND, "agency %q not found", r.AgencyCode)
		} else if err != nil {
			return survey.DossierSaved{}, fmt.Errorf("find agency: %w", err)
		}
		agencies[r.AgencyCode] = ag
	}
	if ag.closed {
		return survey.DossierSaved{}, survey.Errorf(survey.EGONE, "agency %q is closed", r.AgencyCode)
	}
	var counter sql.NullInt64
	if r.CounterCode != "" {
		var closed sql.NullInt64
		err := tx.QueryRowContext(ctx, sqlDossierCounter, ag.id, r.CounterCode).Scan(&counter, &closed)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.DossierSaved{}, survey.Errorf(survey.ENOTFOUND, "counter %q of agency %q not found", r.CounterCode, r.AgencyCode)
		} else if err != nil {
			return survey.DossierSaved{}, fmt.Errorf("find counter: %w", err)
		}
		if closed.Valid {
			return survey.DossierSaved{}, survey.Errorf(survey.EGONE, "counter %q of agency %q is closed", r.CounterCode, r.AgencyCode)
		}
	}
	old, err := scanDossierRow(tx.QueryRowContext(ctx, sqlDossierByHash, hash))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return survey.DossierSaved{}, fmt.Errorf("find dossier: %w", err)
	}
	next := dossierRow{agencyID: ag.id, counterID: counter, received: r.ReceivedAt, due: r.DueAt, returned: r.ReturnedAt}
	if old != nil {
		if old.agencyID != ag.id {
			return survey.DossierSaved{}, survey.Errorf(survey.ECONFLICT, "dossier code is registered for another agency")
		}
		next.id = old.id
		if !counter.Valid {
			next.counterID = old.counterID // a registration without counter keeps the one named before
		}
	}
	nowMS := ms(now)
	if old == nil {
		res, err := tx.ExecContext(ctx, sqlDossierInsert,
			hash, ag.id, counter, r.Procedure, r.ProcedureName, ms(r.ReceivedAt), survey.LocalDate(r.ReceivedAt),
			optMS(r.DueAt), optMS(r.ReturnedAt), optDate(r.ReturnedAt), nowMS, nowMS)
		if err != nil {
			return survey.DossierSaved{}, fmt.Errorf("insert dossier: %w", err)
		}
		next.id, _ = res.LastInsertId()
	} else {
		_, err := tx.ExecContext(ctx, sqlDossierUpdate,
			next.counterID, r.Procedure, r.Procedure, r.ProcedureName, r.ProcedureName, ms(r.ReceivedAt), survey.LocalDate(r.ReceivedAt),
			optMS(r.DueAt), optMS(r.ReturnedAt), optDate(r.ReturnedAt), nowMS, old.id)
		if err != nil {
			return survey.DossierSaved{}, fmt.Errorf("update dossier: %w", err)
		}
	}
	if err := moveDaily(ctx, tx, old, &next); err != nil {
		return survey.DossierSaved{}, err
	}
	return survey.DossierSaved{Dossier: &survey.Dossier{ID: next.id, CodeHash: hash, AgencyID: ag.id, AgencyCode: r.AgencyCode,
		CounterID: next.counterID.Int64, ReceivedAt: r.ReceivedAt, DueAt: r.DueAt, ReturnedAt: r.ReturnedAt,
		Procedure: r.Procedure, ProcedureName: r.ProcedureName}, Created: old == nil}, nil
}

// dossierRow is the part of a stored dossier the daily counts depend on.
type dossierRow struct {
	id, agencyID  int64
	counterID     sql.NullInt64
	received      time.Time
	due, returned *time.Time
}

func scanDossierRow(row *sql.Row) (*dossierRow, error) {
	var d dossierRow
	var received int64
	var due, returned sql.NullInt64
	if err := row.Scan(&d.id, &d.agencyID, &d.counterID, &received, &due, &returned); err != nil {
		return nil, err
	}
	d.received = time.UnixMilli(received).UTC()
	d.due, d.returned = fromMS(due), fromMS(returned)
	return &d, nil
}

// dailyDelta is one change to a row of dossier_daily.
type dailyDelta struct {
	day                        string
	received, returned, onTime int64
}

// contributions returns what d adds to dossier_daily: one received on its
// received date and, once returned with a due date, one returned (and one
// on time, when it was) on its return date.
func (d *dossierRow) contributions(sign int64) []dailyDelta {
	out := []dailyDelta{{day: survey.LocalDate(d.received), received: sign}}
	if d.returned != nil && d.due != nil {
		on := int64(0)
		if !d.returned.After(*d.due) {
			on = sign
		}
		out = append(out, dailyDelta{day: survey.LocalDate(*d.returned), returned: sign, onTime: on})
	}
	return out
}

// moveDaily takes old's contributions out of dossier_daily and puts next's
// in (old is nil for a new dossier); rows that end up unchanged are not
// written.
func moveDaily(ctx context.Context, tx execer, old, next *dossierRow) error {
	deltas := map[string]*dailyDelta{}
	add := func(ds []dailyDelta) {
		for _, d := range ds {
			a := deltas[d.day]
			if a == nil {
				a = &dailyDelta{day: d.day}
				deltas[d.day] = a
			}
			a.received += d.received
			a.returned += d.returned
			a.onTime += d.onTime
		}
	}
	if old != nil {
		add(old.contributions(-1))
	}
	add(next.contributions(1))
	for _, d := range deltas {
		if d.received == 0 && d.returned == 0 && d.onTime == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, sqlDossierDaily,
			next.agencyID, d.day, d.received, d.returned, d.onTime); err != nil {
			return fmt.Errorf("dossier counts: %w", err)
		}
	}
	return nil
}

func optMS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ms(*t)
}

func optDate(t *time.Time) any {
	if t == nil {
		return nil
	}
	return survey.LocalDate(*t)
}

// dossierCols reads a dossier with its agency and counter; the last two
// columns say whether it has a rating and whether its agency, or one above
// it, is closed.
const dossierCols = `d.id, d.code_hash, d.agency_id, a.code, a.name, COALESCE(d.counter_id, 0), COALESCE(c.code, ''), COALESCE(c.name, ''),
	d.procedure, d.procedure_name, d.received_at, d.due_at, d.returned_at,
	EXISTS (SELECT 1 FROM responses r WHERE r.dossier_id = d.id),
	EXISTS (WITH RECURSIVE up(id, parent_id, closed_at) AS (
		SELECT id, parent_id, closed_at FROM agencies WHERE id = d.agency_id
		UNION ALL SELECT p.id, p.parent_id, p.closed_at FROM agencies p JOIN up ON p.id = up.parent_id
	) SELECT 1 FROM up WHERE closed_at IS NOT NULL)
	FROM dossiers d JOIN agencies a ON a.id = d.agency_id LEFT JOIN counters c ON c.id = d.counter_id`

func scanDossier(row *sql.Row) (*survey.Dossier, error) {
	var d survey.Dossier
	var received int64
	var due, returned sql.NullInt64
	err := row.Scan(&d.ID, &d.CodeHash, &d.AgencyID, &d.AgencyCode, &d.AgencyName, &d.CounterID, &d.CounterCode, &d.CounterName,
		&d.Procedure, &d.ProcedureName, &received, &due, &returned, &d.Rated, &d.AgencyClosed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "dossier not found")
	} else if err != nil {
		return nil, err
	}
	d.ReceivedAt = time.UnixMilli(received).UTC()
	d.DueAt, d.ReturnedAt = fromMS(due), fromMS(returned)
	return &d, nil
}

// FindDossier returns a dossier by its code hash.
func (db *DB) FindDossier(ctx context.Context, codeHash []byte) (*survey.Dossier, error) {
	return scanDossier(db.read.QueryRowContext(ctx, `SELECT `+dossierCols+` WHERE d.code_hash = ?`, codeHash))
}

// FindDossierByID returns a dossier by id.
func (db *DB) FindDossierByID(ctx context.Context, id int64) (*survey.Dossier, error) {
	return scanDossier(db.read.QueryRowContext(ctx, `SELECT `+dossierCols+` WHERE d.id = ?`, id))
}

// PatchDossier sets a dossier's due or return date.
func (db *DB) PatchDossier(ctx context.Context, codeHash []byte, p survey.DossierPatch, by survey.Actor) (*survey.Dossier, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	old, err := scanDossierRow(tx.QueryRowContext(ctx, sqlDossierByHash, codeHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "dossier not found")
	} else if err != nil {
		return nil, err
	}
	next := *old
	if p.DueAt != nil {
		next.due = p.DueAt
	}
	if p.ReturnedAt != nil {
		next.returned = p.ReturnedAt
	}
	if err := survey.CheckDossierDates(next.received, next.due, next.returned); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET due_at = ?, returned_at = ?, returned_date = ?, updated_at = ? WHERE id = ?`,
		optMS(next.due), optMS(next.returned), optDate(next.returned), ms(db.Now()), old.id); err != nil {
		return nil, fmt.Errorf("update dossier: %w", err)
	}
	if err := moveDaily(ctx, tx, old, &next); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return db.FindDossierByID(ctx, old.id)
}

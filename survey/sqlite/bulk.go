package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sipas/sipas/survey"
)

// BulkLoad inserts many responses quickly, for seeding demos and
// benchmarks: large transactions, the months' statistics accumulated in
// memory and written once at the end, the days' rebuilt at the end from
// the responses of the days loaded (rebuildDays), fsync relaxed during the load (a crash loses the
// seed, which can be run again). next is called until it returns nil.
// Submission ids must be unique; duplicates are an error.
func (db *DB) BulkLoad(ctx context.Context, next func() (*survey.Submission, error)) (int, error) {
	conn, err := db.bulkConn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()

	acc := map[statsKey]*statsAcc{}
	days := map[dayKey]bool{}
	buf := make([]uint8, 0, 32)
	n := 0
	for {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return n, err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO responses(submission_id, counter_id, agency_id, instrument, instrument_version,
			submitted_at, local_date, answers, followup, comment, channel, lang, flag, dossier_id, timeliness, client, integrity_reasons)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			tx.Rollback()
			return n, err
		}
		done := false
		for i := 0; i < 50000; i++ {
			s, err := next()
			if err != nil {
				ins.Close()
				tx.Rollback()
				return n, err
			}
			if s == nil {
				done = true
				break
			}
			date := survey.LocalDate(s.ReceivedAt)
			if _, err := ins.ExecContext(ctx, s.SubmissionID, nullID(s.CounterID), s.AgencyID, s.Instrument.ID, s.Instrument.Version,
				ms(s.ReceivedAt), date, s.Answers, s.Followup, s.Comment, s.Channel, s.Lang, s.Flag, nullID(s.DossierID), s.Timeliness,
				nullID(s.Client), s.Reasons); err != nil {
				ins.Close()
				tx.Rollback()
				return n, fmt.Errorf("bulk insert: %w", err)
			}
			n++
			if s.Flag != "" {
				if _, err := tx.ExecContext(ctx, sqlExcluded, s.AgencyID, s.Instrument.ID, date, s.Flag, 1); err != nil {
					ins.Close()
					tx.Rollback()
					return n, fmt.Errorf("bulk insert: %w", err)
				}
				continue
			}
			days[dayKey{s.Instrument.ID, date}] = true
			key := statsKeys(s.AgencyID, s.Instrument.ID, s.Instrument.Version, date)[monthly]
			a := acc[key]
			if a == nil {
				if a, err = loadStats(ctx, tx, key, s.Instrument); err != nil {
					ins.Close()
					tx.Rollback()
					return n, err
				}
				acc[key] = a
			}
			if err := addToStats(a, s.Instrument, s.Answers, s.Followup, buf); err != nil {
				ins.Close()
				tx.Rollback()
				return n, err
			}
		}
		ins.Close()
		if done {
			for key, a := range acc {
				if err := saveStats(ctx, tx, key, a); err != nil {
					tx.Rollback()
					return n, err
				}
			}
			if err := rebuildDays(ctx, tx, db.instruments, days); err != nil {
				tx.Rollback()
				return n, err
			}
		}
		if err := tx.Commit(); err != nil {
			return n, err
		}
		if done {
			break
		}
	}
	_, err = conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return n, err
}

// BulkLoadDossiers inserts many new dossiers quickly, for seeding demos
// and benchmarks, the way BulkLoad inserts responses: large transactions,
// dossier_daily accumulated in memory and written at the end, fsync
// relaxed. next is called until it returns nil; each dossier's ID is set
// once it is inserted. Dossiers must be new (their code hashes unique),
// their agency and counter ids real; nothing else is checked but the
// schema's constraints.
func (db *DB) BulkLoadDossiers(ctx context.Context, next func() (*survey.Dossier, error)) (int, error) {
	conn, err := db.bulkConn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	type key struct {
		agency int64
		day    string
	}
	counts := map[key]*dailyDelta{}
	add := func(agency int64, ds []dailyDelta) {
		for _, d := range ds {
			k := key{agency, d.day}
			a := counts[k]
			if a == nil {
				a = &dailyDelta{day: d.day}
				counts[k] = a
			}
			a.received += d.received
			a.returned += d.returned
			a.onTime += d.onTime
		}
	}
	nowMS := ms(db.Now())
	n := 0
	for done := false; !done; {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return n, err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO dossiers(code_hash, agency_id, counter_id, procedure, procedure_name, received_at, received_date,
			due_at, returned_at, returned_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			tx.Rollback()
			return n, err
		}
		for i := 0; i < 50000; i++ {
			d, err := next()
			if err != nil {
				tx.Rollback()
				return n, err
			}
			if d == nil {
				done = true
				break
			}
			res, err := ins.ExecContext(ctx, d.CodeHash, d.AgencyID, nullID(d.CounterID), d.Procedure, d.ProcedureName,
				ms(d.ReceivedAt), survey.LocalDate(d.ReceivedAt), optMS(d.DueAt), optMS(d.ReturnedAt), optDate(d.ReturnedAt), nowMS, nowMS)
			if err != nil {
				tx.Rollback()
				return n, fmt.Errorf("bulk insert dossier: %w", err)
			}
			d.ID, _ = res.LastInsertId()
			row := dossierRow{received: d.ReceivedAt, due: d.DueAt, returned: d.ReturnedAt}
			add(d.AgencyID, row.contributions(1))
			n++
		}
		if done {
			for k, d := range counts {
				if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_daily(agency_id, day, received, returned, on_time) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT(agency_id, day) DO UPDATE SET received = received + excluded.received,
					returned = returned + excluded.returned, on_time = on_time + excluded.on_time`,
					k.agency, k.day, d.received, d.returned, d.onTime); err != nil {
					tx.Rollback()
					return n, fmt.Errorf("dossier counts: %w", err)
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return n, err
		}
	}
	_, err = conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return n, err
}

// bulkConn is the write connection set up for a bulk load: no fsync, a
// large page cache, and checkpoints every 50 000 pages (about 200 MB of
// WAL) instead of 1000. (Not never: without checkpoints the WAL keeps
// every page version of every transaction and grows to many times the
// database.) Its Close restores durability before the connection goes
// back to the write pool.
func (db *DB) bulkConn(ctx context.Context) (*bulkConnection, error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	for _, pragma := range []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -262144`, `PRAGMA wal_autocheckpoint = 50000`} {
		if _, err := conn.ExecContext(ctx, pragma); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return &bulkConnection{conn}, nil
}

// bulkConnection is a connection of bulkConn.
type bulkConnection struct{ *sql.Conn }

// Close restores the write connection's settings and returns it to the
// pool.
func (c *bulkConnection) Close() error {
	for _, pragma := range []string{`PRAGMA synchronous = FULL`, `PRAGMA cache_size = -2000`, `PRAGMA wal_autocheckpoint = 1000`} {
		c.Conn.ExecContext(context.Background(), pragma)
	}
	return c.Conn.Close()
}

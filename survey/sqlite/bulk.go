package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sipas/sipas/survey"
)

// BulkLoad inserts many responses quickly, for seeding demos and
// benchmarks: large transactions, fsync relaxed during the load (a crash
// loses the seed, which can be run again), the statistics counted in
// memory (bulkStats) and added to their stored rows as each day's are
// complete, the months' at the end. The inserts run on a goroutine of
// their own while next makes the following responses and they are
// counted. next is called, on the caller's goroutine, until it returns
// nil; responses that come day by day, oldest first, load fastest.
// Submission ids must be unique; duplicates are an error.
func (db *DB) BulkLoad(ctx context.Context, next func() (*survey.Submission, error)) (int, error) {
	conn, err := db.bulkConn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &bulkWriter{conn: conn, in: make(chan []bulkItem, 16), done: make(chan struct{})}
	go w.run(ctx)
	held := bulkDays
	if db.bulkDays > 0 {
		held = db.bulkDays
	}
	err = feedBulk(w, newBulkStats(held), next)
	if err != nil {
		cancel() // the writer rolls back what it has not committed
	}
	close(w.in)
	<-w.done
	if err == nil {
		err = w.err
	}
	if err != nil {
		return w.n, err
	}
	_, err = conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return w.n, err
}

// feedBulk sends w the responses next returns, in batches, and the rows
// of statistics st makes of them, the last ones once next returns nil.
// It stops early when w fails.
func feedBulk(w *bulkWriter, st *bulkStats, next func() (*survey.Submission, error)) error {
	const size = 1024
	batch := make([]bulkItem, 0, size)
	send := func() bool {
		select {
		case w.in <- batch:
			batch = make([]bulkItem, 0, size)
			return true
		case <-w.done:
			return false
		}
	}
	for {
		s, err := next()
		if err != nil {
			return err
		}
		if s == nil {
			break
		}
		date := survey.LocalDate(s.ReceivedAt)
		batch = append(batch, bulkItem{sub: s, date: date})
		if s.Flag == "" {
			rows, err := st.add(s, date)
			if err != nil {
				return err
			}
			for _, r := range rows {
				batch = append(batch, bulkItem{row: r})
			}
		}
		if len(batch) >= size && !send() {
			return nil // w.err says why
		}
	}
	rows, err := st.flush()
	if err != nil {
		return err
	}
	for _, r := range rows {
		batch = append(batch, bulkItem{row: r})
	}
	send()
	return nil
}

// bulkItem is a response to insert (sub, dated date) or a row of
// statistics to add to its stored row.
type bulkItem struct {
	sub  *survey.Submission
	date string
	row  *bulkRow
}

// bulkWriter stores a bulk load's items in the order they arrive on in,
// in transactions of bulkTx responses; the last commits when in is
// closed, unless the context is done. It closes done when it is through,
// n and err set.
type bulkWriter struct {
	conn *bulkConnection
	in   chan []bulkItem
	done chan struct{}
	n    int
	err  error
}

// bulkTx is how many responses a bulk load commits at a time.
const bulkTx = 50000

func (w *bulkWriter) run(ctx context.Context) {
	defer close(w.done)
	w.err = w.write(ctx)
}

func (w *bulkWriter) write(ctx context.Context) error {
	// The statements run under a context that is never done, which the
	// driver runs on the calling goroutine instead of a new one each; the
	// transaction, under ctx, rolls back when ctx is done, and each batch
	// checks it.
	sctx := context.WithoutCancel(ctx)
	var tx *sql.Tx
	var ins *sql.Stmt
	var rows *rowStmts
	end := func() {
		if rows != nil {
			rows.close()
		}
		if ins != nil {
			ins.Close()
		}
		rows, ins = nil, nil
	}
	defer func() {
		end()
		if tx != nil {
			tx.Rollback()
		}
	}()
	begin := func() error {
		var err error
		if tx, err = w.conn.BeginTx(ctx, nil); err != nil {
			return err
		}
		if ins, err = tx.PrepareContext(sctx, `INSERT INTO responses(submission_id, counter_id, agency_id, instrument, instrument_version,
			submitted_at, local_date, answers, followup, comment, channel, lang, flag, dossier_id, timeliness, client, integrity_reasons)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
			return err
		}
		rows, err = prepareRowStmts(sctx, tx)
		return err
	}
	commit := func() error {
		end()
		err := tx.Commit()
		tx = nil
		return err
	}
	inTx := 0
	for batch := range w.in {
		if err := ctx.Err(); err != nil {
			return err
		}
		if tx == nil {
			if err := begin(); err != nil {
				return err
			}
		}
		for _, it := range batch {
			if it.row != nil {
				if err := rows.add(sctx, it.row); err != nil {
					return err
				}
				continue
			}
			s := it.sub
			if _, err := ins.ExecContext(sctx, s.SubmissionID, nullID(s.CounterID), s.AgencyID, s.Instrument.ID, s.Instrument.Version,
				ms(s.ReceivedAt), it.date, s.Answers, s.Followup, s.Comment, s.Channel, s.Lang, s.Flag, nullID(s.DossierID), s.Timeliness,
				nullID(s.Client), s.Reasons); err != nil {
				return fmt.Errorf("bulk insert: %w", err)
			}
			w.n++
			inTx++
			if s.Flag != "" {
				if _, err := tx.ExecContext(sctx, sqlExcluded, s.AgencyID, s.Instrument.ID, it.date, s.Flag, 1); err != nil {
					return fmt.Errorf("bulk insert: %w", err)
				}
			}
		}
		if inTx >= bulkTx {
			if err := commit(); err != nil {
				return err
			}
			inTx = 0
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if tx == nil {
		return nil
	}
	return commit()
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

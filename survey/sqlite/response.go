package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
)

type writeRes struct {
	res   survey.Result
	saved survey.DossierSaved
	err   error
}

// writeReq is one write for the batch writer: a submission, or a dossier
// registration.
type writeReq struct {
	sub     *survey.Submission
	dossier *dossierReq
	done    chan writeRes
}

// ErrClosed is returned for submissions that arrive after Close began.
var ErrClosed = errors.New("database is closing")

// StoreResponse queues s for the batch writer and waits until the
// transaction holding it is committed and synced to disk. Many concurrent
// submissions share one transaction and one fsync.
func (db *DB) StoreResponse(ctx context.Context, s *survey.Submission) (survey.Result, error) {
	if s.Instrument == nil || len(s.Answers) != len(s.Instrument.Items) || !survey.ValidSubmissionID(s.SubmissionID) {
		return survey.Result{}, survey.Errorf(survey.EINVALID, "malformed submission")
	}
	r, err := db.enqueue(ctx, &writeReq{sub: s, done: make(chan writeRes, 1)})
	return r.res, err
}

// enqueue hands req to the batch writer and waits for its commit.
func (db *DB) enqueue(ctx context.Context, req *writeReq) (writeRes, error) {
	db.mu.RLock()
	if db.closed {
		db.mu.RUnlock()
		return writeRes{}, ErrClosed
	}
	select {
	case db.queue <- req:
		db.mu.RUnlock()
	case <-ctx.Done():
		db.mu.RUnlock()
		return writeRes{}, ctx.Err()
	}
	// Once queued, the write happens whatever the caller does: wait for it so
	// the answer tells the truth.
	r := <-req.done
	return r, r.err
}

// writer is the single goroutine that writes responses. It takes whatever
// is queued (up to max) and commits it in one transaction.
func (db *DB) writer(max int) {
	defer close(db.stopped)
	w := &batchWriter{db: db}
	defer w.close()
	batch := make([]*writeReq, 0, max)
	for {
		batch = batch[:0]
		select {
		case r := <-db.queue:
			batch = append(batch, r)
		case <-db.stop:
			// Drain what was queued before the stop.
			for {
				select {
				case r := <-db.queue:
					batch = append(batch, r)
					if len(batch) == max {
						w.commitBatch(batch)
						batch = batch[:0]
					}
					continue
				default:
				}
				break
			}
			if len(batch) > 0 {
				w.commitBatch(batch)
			}
			return
		}
	fill:
		for len(batch) < max {
			select {
			case r := <-db.queue:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		w.commitBatch(batch)
	}
}

// batchWriter is the writer goroutine's state: its statements, prepared
// once on the single write connection and reused by every batch (preparing
// them per batch took about a fifth of the writer's time).
type batchWriter struct {
	db                       *DB
	insert, replay, excluded *sql.Stmt
	// loadStats and saveStats are sqlLoadStats and sqlSaveStats, by level.
	loadStats, saveStats [2]*sql.Stmt
	// dossier holds the prepared statements of registerDossier, by SQL.
	dossier map[string]*sql.Stmt
}

const (
	sqlInsertResponse = `INSERT INTO responses(submission_id, counter_id, agency_id, instrument, instrument_version,
		submitted_at, local_date, answers, followup, comment, channel, lang, flag, dossier_id, timeliness, client, integrity_reasons)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	sqlFindReplay = `SELECT id, COALESCE(counter_id, 0), COALESCE(dossier_id, 0), instrument, instrument_version, answers, followup, comment
		FROM responses WHERE submission_id = ?`
	sqlExcluded = `INSERT INTO excluded_daily(agency_id, instrument, day, flag, n) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(agency_id, instrument, day, flag) DO UPDATE SET n = n + excluded.n`
)

// prepare prepares the statements the first time they are needed (and
// again after a failure).
func (w *batchWriter) prepare(ctx context.Context) error {
	if w.insert != nil {
		return nil
	}
	var err error
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{{&w.insert, sqlInsertResponse}, {&w.replay, sqlFindReplay}, {&w.excluded, sqlExcluded},
		{&w.loadStats[monthly], sqlLoadStats[monthly]}, {&w.saveStats[monthly], sqlSaveStats[monthly]},
		{&w.loadStats[daily], sqlLoadStats[daily]}, {&w.saveStats[daily], sqlSaveStats[daily]}} {
		if *p.st, err = w.db.write.PrepareContext(ctx, p.sql); err != nil {
			w.close()
			return fmt.Errorf("prepare: %w", err)
		}
	}
	w.dossier = map[string]*sql.Stmt{}
	for _, q := range dossierSQL() {
		st, err := w.db.write.PrepareContext(ctx, q)
		if err != nil {
			w.close()
			return fmt.Errorf("prepare: %w", err)
		}
		w.dossier[q] = st
	}
	return nil
}

func (w *batchWriter) close() {
	for _, st := range w.dossier {
		st.Close()
	}
	w.dossier = nil
	for _, st := range []**sql.Stmt{&w.insert, &w.replay, &w.excluded, &w.loadStats[monthly], &w.saveStats[monthly], &w.loadStats[daily], &w.saveStats[daily]} {
		if *st != nil {
			(*st).Close()
			*st = nil
		}
	}
}

func (w *batchWriter) commitBatch(batch []*writeReq) {
	db := w.db
	start := time.Now()
	results, err := w.writeBatch(batch)
	if err != nil && len(batch) > 1 {
		// One bad submission must not fail the others: retry one by one.
		for _, r := range batch {
			res, err := w.writeBatch([]*writeReq{r})
			if err != nil {
				res[0].err = err
			}
			r.done <- res[0]
		}
		return
	}
	if db.OnCommit != nil {
		db.OnCommit(time.Since(start), len(batch))
	}
	for i, r := range batch {
		if err != nil {
			results[i].err = err
		}
		r.done <- results[i]
	}
}

// writeBatch writes batch in one transaction. An error fails the whole
// transaction; a submission id used before with other answers fails only
// its own request (ECONFLICT in its writeRes), the others are committed.
func (w *batchWriter) writeBatch(batch []*writeReq) ([]writeRes, error) {
	db := w.db
	results := make([]writeRes, len(batch))
	ctx := context.Background()
	if err := w.prepare(ctx); err != nil {
		return results, err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return results, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// On the one write connection, tx.Stmt reuses the prepared statement.
	ins := tx.StmtContext(ctx, w.insert)
	loadSt := [...]*sql.Stmt{tx.StmtContext(ctx, w.loadStats[monthly]), tx.StmtContext(ctx, w.loadStats[daily])}
	acc := map[statsKey]*statsAcc{}
	buf := make([]uint8, 0, 32)
	var agencies map[string]*agencyRef
	for i, r := range batch {
		if r.dossier != nil {
			if agencies == nil {
				agencies = map[string]*agencyRef{}
			}
			saved, err := registerDossier(ctx, stmtTx{tx, w.dossier}, agencies, r.dossier.hash, r.dossier.reg, db.Now())
			if survey.ErrorCode(err) == survey.EINTERNAL {
				return results, err
			}
			results[i].saved, results[i].err = saved, err
			continue
		}
		s := r.sub
		at := s.ReceivedAt
		if at.IsZero() {
			at = db.Now()
		}
		date := survey.LocalDate(at)
		res, err := ins.ExecContext(ctx, s.SubmissionID, nullID(s.CounterID), s.AgencyID, s.Instrument.ID, s.Instrument.Version,
			ms(at), date, s.Answers, s.Followup, s.Comment, s.Channel, s.Lang, s.Flag, nullID(s.DossierID), s.Timeliness, nullID(s.Client), s.Reasons)
		if err != nil {
			return results, fmt.Errorf("insert response: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// The submission id is taken, or the dossier has its rating
			// (the two unique keys the insert can hit): only on this path,
			// never for a new response, is the stored one read back and
			// compared.
			if results[i], err = w.replayOf(ctx, tx, s); err != nil {
				return results, err
			}
			continue
		}
		id, _ := res.LastInsertId()
		results[i].res = survey.Result{ResponseID: id}
		if s.Flag != "" {
			// Suspicious: kept, but out of the indices until reviewed.
			if _, err := tx.StmtContext(ctx, w.excluded).ExecContext(ctx, s.AgencyID, s.Instrument.ID, date, s.Flag, 1); err != nil {
				return results, fmt.Errorf("count excluded: %w", err)
			}
			continue
		}
		for _, key := range statsKeys(s.AgencyID, s.Instrument.ID, s.Instrument.Version, date) {
			a := acc[key]
			if a == nil {
				row := loadSt[key.level()].QueryRowContext(ctx, key.agency, key.inst, key.version, key.period)
				if a, err = scanStats(row, key, s.Instrument); err != nil {
					return results, err
				}
				acc[key] = a
			}
			if err := addToStats(a, s.Instrument, s.Answers, s.Followup, buf); err != nil {
				return results, err
			}
		}
	}
	saveSt := [...]*sql.Stmt{tx.StmtContext(ctx, w.saveStats[monthly]), tx.StmtContext(ctx, w.saveStats[daily])}
	for key, a := range acc {
		args, err := statsArgs(key, a)
		if err != nil {
			return results, err
		}
		if _, err := saveSt[key.level()].ExecContext(ctx, args...); err != nil {
			return results, fmt.Errorf("save stats: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return results, fmt.Errorf("commit: %w", err)
	}
	return results, nil
}

// replayOf answers a submission whose id is already stored: a replay (the
// stored response's id) when it is the same rating — same counter,
// instrument version, answers, follow-up and comment — else ECONFLICT,
// since storing nothing and answering "stored" would drop a different
// rating. A retry without follow-up and comment is still a replay of a
// response completed since (AddFollowup adds them after the first tap).
func (w *batchWriter) replayOf(ctx context.Context, tx *sql.Tx, s *survey.Submission) (writeRes, error) {
	var id, counterID, dossierID int64
	var inst, comment string
	var version, followup int
	var answers []byte
	err := tx.StmtContext(ctx, w.replay).QueryRowContext(ctx, s.SubmissionID).Scan(&id, &counterID, &dossierID, &inst, &version, &answers, &followup, &comment)
	if errors.Is(err, sql.ErrNoRows) && s.DossierID != 0 {
		// A new submission id: the dossier's rating is what was taken.
		return writeRes{err: survey.ErrDossierRated}, nil
	} else if err != nil {
		return writeRes{}, fmt.Errorf("find replayed response: %w", err)
	}
	same := counterID == s.CounterID && dossierID == s.DossierID && inst == s.Instrument.ID && version == s.Instrument.Version && bytes.Equal(answers, s.Answers) &&
		(followup == s.Followup && comment == s.Comment || s.Followup == 0 && s.Comment == "" && s.Instrument.Followup != nil)
	if !same {
		return writeRes{err: survey.Errorf(survey.ECONFLICT, "submission id already used for another response")}, nil
	}
	return writeRes{res: survey.Result{ResponseID: id, Replay: true}}, nil
}

// nullID stores id 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// FindResponse returns one stored response.
func (db *DB) FindResponse(ctx context.Context, id int64) (*survey.Response, error) {
	var r survey.Response
	var at int64
	err := db.read.QueryRowContext(ctx, `SELECT r.id, r.submission_id, COALESCE(r.counter_id, 0), COALESCE(c.code, ''), r.agency_id, a.code, r.instrument, r.instrument_version,
		r.answers, r.followup, r.comment, r.channel, r.submitted_at, r.local_date, r.flag, COALESCE(r.dossier_id, 0), r.timeliness
		FROM responses r LEFT JOIN counters c ON c.id = r.counter_id JOIN agencies a ON a.id = r.agency_id WHERE r.id = ?`, id).Scan(
		&r.ID, &r.SubmissionID, &r.CounterID, &r.CounterCode, &r.AgencyID, &r.AgencyCode, &r.InstrumentID, &r.InstrumentVersion,
		&r.Answers, &r.Followup, &r.Comment, &r.Channel, &at, &r.LocalDate, &r.Flag, &r.DossierID, &r.Timeliness)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "response %d not found", id)
	}
	if err != nil {
		return nil, err
	}
	r.SubmittedAt = time.UnixMilli(at).UTC()
	return &r, nil
}

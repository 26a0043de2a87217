// Package sqlite implements the survey stores on SQLite (mattn/go-sqlite3).
// All SQL of the project lives here. A single-connection write pool keeps
// writes serialised; a separate pool serves reads concurrently (WAL mode).
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/sipas/sipas/survey"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the SQLite database of sipas.
type DB struct {
	Path        string
	write       *sql.DB
	read        *sql.DB
	instruments *survey.Instruments

	// The batch writer (response.go).
	queue   chan *writeReq
	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
	mu      sync.RWMutex // held for reading while enqueueing; Close takes it to set closed
	closed  bool

	// Now is the clock; tests may replace it before use.
	Now func() time.Time
	// OnCommit, when set, is called with the duration of each batch commit
	// and the number of responses in it (for metrics).
	OnCommit func(d time.Duration, n int)
	// bulkDays, when set, replaces bulkDays for this DB's bulk loads
	// (tests).
	bulkDays int

	// counters caches FindCounterByID, which every survey request calls.
	// counterGen goes up on every change to a counter or an agency made
	// through this DB, which makes every cached entry stale; entries also
	// expire after counterTTL, for changes made by another process (the
	// CLI rotating a QR code while the server runs).
	counters   sync.Map // int64 → cachedCounter
	counterGen atomic.Uint64
	// subtrees caches InSubtree's yes answers (root "\x00" code → cachedAt),
	// which every dossier registration asks; agency changes make them stale
	// as they do cached counters. Only yes answers are kept, so that the
	// codes of bad requests cannot grow it.
	subtrees sync.Map
	// userByName is FindUser's statement, prepared once: the API finds the
	// account of every request.
	userByName *sql.Stmt
	// calendars caches the opening hours and holidays of every agency
	// (hours.go); changes through this DB drop it, and it expires after
	// calendarTTL for changes made by another process.
	calendarCache atomic.Pointer[calendarSet]
	// baselineCache holds the integrity baselines by the date they judge
	// (integrity.go), copied on write.
	baselineCache atomic.Pointer[map[string]*baselineSet]
}

type cachedCounter struct {
	c   survey.Counter
	gen uint64
	at  time.Time
}

// counterTTL bounds how long a change made by another process can go
// unseen by FindCounterByID.
const counterTTL = 5 * time.Second

// Options tune Open.
type Options struct {
	// MaxBatch caps how many submissions share one transaction (default 512).
	MaxBatch int
}

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL") // every commit reaches the disk before it returns
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	if readOnly {
		q.Set("_query_only", "true")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path, applies pending
// migrations and starts the batch writer. Close it when done.
//
// The file holds password hashes, the token secret and the IP-hash secret:
// a new file is created readable by its owner only (0600, in a folder made
// 0700), and SQLite gives its -wal and -shm files the same mode.
func Open(path string, reg *survey.Instruments, opt Options) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("create database file: %w", err)
	}
	w, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := migrate(w, reg); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 512
	}
	db := &DB{
		Path: path, write: w, read: r, instruments: reg,
		queue:   make(chan *writeReq, 4*opt.MaxBatch),
		stop:    make(chan struct{}),
		stopped: make(chan struct{}),
		Now:     time.Now,
	}
	if err := db.checkInstruments(context.Background()); err != nil {
		db.write.Close()
		db.read.Close()
		return nil, err
	}
	if db.userByName, err = r.Prepare(`SELECT ` + userCols + ` FROM users u LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.name = ?`); err != nil {
		db.write.Close()
		db.read.Close()
		return nil, fmt.Errorf("prepare: %w", err)
	}
	go db.writer(opt.MaxBatch)
	return db, nil
}

// Close stops the batch writer after it has committed every queued
// submission, then closes the database.
func (db *DB) Close() error {
	db.once.Do(func() {
		db.mu.Lock()
		db.closed = true
		db.mu.Unlock()
		close(db.stop)
	})
	<-db.stopped
	err1 := db.read.Close()
	// A checkpoint on close leaves a compact file; failures are harmless.
	db.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	err2 := db.write.Close()
	return errors.Join(err1, err2)
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// Instruments returns the instrument registry the database was opened with.
func (db *DB) Instruments() *survey.Instruments { return db.instruments }

func migrate(db *sql.DB, reg *survey.Instruments) error {
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM schema_migrations WHERE name = ?`, base).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if err := applyMigration(db, reg, base, string(body)); err != nil {
			return err
		}
	}
	return nil
}

// fkOffMarker opens a migration that rebuilds tables: it runs with foreign
// keys off (SQLite's documented way to change a table's constraints), and
// the whole database is checked for broken references before it commits.
const fkOffMarker = "-- sipas:foreign-keys-off"

// migrationStep returns the Go step that completes the migration named
// base in its transaction, after its SQL, or nil: what SQL cannot compute
// (statistics in scoring's encoding).
func migrationStep(base string) func(ctx context.Context, tx *sql.Tx, reg *survey.Instruments) error {
	switch base {
	case "0018_stats_daily.sql":
		return backfillDaily
	}
	return nil
}

// applyMigration runs one migration in a transaction on one connection.
func applyMigration(db *sql.DB, reg *survey.Instruments, base, body string) error {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	fkOff := strings.HasPrefix(body, fkOffMarker)
	if fkOff {
		// A no-op inside a transaction: it must come before BEGIN.
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return err
		}
		defer conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(body); err != nil {
		return fmt.Errorf("migration %s: %w", base, err)
	}
	if step := migrationStep(base); step != nil {
		if err := step(ctx, tx, reg); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	if fkOff {
		var table string
		err := tx.QueryRow(`SELECT "table" FROM pragma_foreign_key_check LIMIT 1`).Scan(&table)
		if err == nil {
			return fmt.Errorf("migration %s: broken references in table %s", base, table)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("migration %s: foreign key check: %w", base, err)
		}
	}
	if _, err := tx.Exec(`INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)`, base, time.Now().UnixMilli()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: %w", base, err)
	}
	return nil
}

// checkInstruments refuses to start when stored responses name an
// instrument version this build does not know: their answers could not be
// read. Counted responses all appear in stats_monthly; flagged ones do not,
// so those are read from responses. Each query of versionQueries finds the
// next distinct (instrument, version) after the one given with a single
// seek in an index (migration 0017), so the check costs a few seeks per
// version stored, however many responses there are: start-up never scans
// responses.
func (db *DB) checkInstruments(ctx context.Context) error {
	for _, q := range versionQueries {
		id, v := "", int64(math.MinInt64)
		for {
			err := db.read.QueryRowContext(ctx, q, id, v).Scan(&id, &v)
			if errors.Is(err, sql.ErrNoRows) {
				break
			}
			if err != nil {
				return fmt.Errorf("instrument versions: %w", err)
			}
			if _, err := db.instruments.Version(id, int(v)); err != nil {
				return fmt.Errorf("database holds responses of instrument %s v%d, which this build does not have", id, v)
			}
		}
	}
	return nil
}

// versionQueries each return the first (instrument, version) stored after
// the one given (?, ?), in the order of an index that holds exactly those
// pairs: stats_monthly_version for counted responses,
// responses_flagged_version for flagged ones (its WHERE matches the
// index's). The first call passes ("", MinInt64), before every pair.
var versionQueries = []string{
	`SELECT instrument, instrument_version FROM stats_monthly
		WHERE (instrument, instrument_version) > (?, ?)
		ORDER BY instrument, instrument_version LIMIT 1`,
	`SELECT instrument, instrument_version FROM responses
		WHERE flag != '' AND (instrument, instrument_version) > (?, ?)
		ORDER BY instrument, instrument_version LIMIT 1`,
}

// TokenSecret returns the server secret for counter tokens, generating and
// storing a random one on first use.
func (db *DB) TokenSecret(ctx context.Context) ([]byte, error) {
	return db.secret(ctx, "token_secret")
}

func (db *DB) secret(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := db.write.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	v = make([]byte, 32)
	if _, err := rand.Read(v); err != nil {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING`, key, v); err != nil {
		return nil, err
	}
	err = db.write.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	return v, err
}

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// queryAll runs a query on the read pool and scans every row with scan.
// The result is never nil, so an empty list is [] in JSON; what names the
// query in errors.
func queryAll[T any](ctx context.Context, db *DB, what string, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	out, err := collectRows(ctx, db.read, scan, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// collectRows runs a query through q and scans every row; the result is never
// nil, so an empty list is [] in JSON.
func collectRows[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// isUnique reports whether err is a SQLite unique-constraint violation.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMilli(v.Int64).UTC()
	return &t
}

// audit records an action in the audit log within tx.
// execer runs a statement: a transaction, or the write pool for an entry
// that records no change of its own.
type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func audit(ctx context.Context, tx execer, at time.Time, by survey.Actor, action, detail string) error {
	name := by.Name
	if name == "" {
		name = "system"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log(at, user_name, action, detail) VALUES (?, ?, ?, ?)`, ms(at), name, action, detail)
	return err
}

func history(ctx context.Context, tx *sql.Tx, at time.Time, by survey.Actor, entity string, id int64, field, old, new string) error {
	name := by.Name
	if name == "" {
		name = "system"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO history(at, entity, entity_id, field, old_value, new_value, user_name) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		ms(at), entity, id, field, old, new, name)
	return err
}

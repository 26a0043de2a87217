package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
)

// IntegrityDays implements integrity.Store: the ratings of dates, grouped by
// unit (counter, or the negated agency id for dossier ratings without a
// counter), with each unit's calendar and the baseline of the
// integrity.HistoryDays before its date.
func (db *DB) IntegrityDays(ctx context.Context, dates []string) ([]*integrity.UnitDay, error) {
	if len(dates) == 0 {
		return nil, nil
	}
	sorted := append([]string(nil), dates...)
	sort.Strings(sorted)
	sorted = slices.Compact(sorted)
	cals, err := db.calendars(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var out []*integrity.UnitDay
	for _, date := range sorted {
		d, err := time.ParseInLocation("2006-01-02", date, survey.Vietnam)
		if err != nil {
			return nil, survey.Errorf(survey.EINVALID, "date %q is not YYYY-MM-DD", date)
		}
		bases, err := db.baselines(ctx, tx, d, cals)
		if err != nil {
			return nil, err
		}
		byUnit := map[int64]*integrity.UnitDay{}
		err = eachIntegrityRating(ctx, tx, date, date, func(agency int64, _ string, r integrity.Rating) {
			u := byUnit[r.Unit]
			if u == nil {
				u = &integrity.UnitDay{Unit: r.Unit, Agency: agency, Date: date, Until: d.AddDate(0, 0, 1),
					Calendar: cals.of(agency), Baseline: bases[r.Unit]}
				byUnit[r.Unit] = u
				out = append(out, u)
			}
			u.Ratings = append(u.Ratings, r)
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// baselineTTL is how long the baselines of one history window are reused
// by the periodic scan (the window moves once a day; within the hour, what
// was set aside since changes a baseline by a few ratings at most).
const baselineTTL = time.Hour

// baselineSet is the baselines of the integrity.HistoryDays before the
// date they judge.
type baselineSet struct {
	at    time.Time
	units map[int64]*integrity.Baseline
}

// baselines returns every unit's baseline of the integrity.HistoryDays
// before first, read once and cached for baselineTTL: four weeks of a
// province's ratings are not to be read every few minutes. The cache holds
// the dates asked within the TTL (the scan's yesterday and today).
func (db *DB) baselines(ctx context.Context, tx *sql.Tx, first time.Time, cals *calendarSet) (map[int64]*integrity.Baseline, error) {
	key := first.Format("2006-01-02")
	cached := db.baselineCache.Load()
	if cached != nil {
		if c := (*cached)[key]; c != nil && time.Since(c.at) < baselineTTL {
			return c.units, nil
		}
	}
	histFrom := first.AddDate(0, 0, -integrity.HistoryDays).Format("2006-01-02")
	histTo := first.AddDate(0, 0, -1).Format("2006-01-02")
	bases := map[int64]*integrity.Baseline{}
	firstDay := map[int64]string{}
	err := eachIntegrityRating(ctx, tx, histFrom, histTo, func(agency int64, date string, r integrity.Rating) {
		b := bases[r.Unit]
		if b == nil {
			b = integrity.NewBaseline()
			bases[r.Unit] = b
			firstDay[r.Unit] = date
		}
		b.Add(r, cals.of(agency))
	})
	if err != nil {
		return nil, err
	}
	// A unit's history starts on the first day it had a rating: a counter
	// opened a week ago has a week of history, not four weeks of silence.
	for unit, b := range bases {
		d, _ := time.ParseInLocation("2006-01-02", firstDay[unit], survey.Vietnam)
		for ; !d.After(first.AddDate(0, 0, -1)); d = d.AddDate(0, 0, 1) {
			b.AddDay(d.Format("2006-01-02"), cals.of(cals.agencyOfUnit(unit)))
		}
	}
	next := map[string]*baselineSet{key: {at: time.Now(), units: bases}}
	if cached != nil {
		for k, c := range *cached {
			if k != key && time.Since(c.at) < baselineTTL {
				next[k] = c
			}
		}
	}
	db.baselineCache.Store(&next)
	return bases, nil
}

// eachIntegrityRating calls fn for every rating dated from..to, in id order.
// It reads agency by agency through the (agency, date) index.
func eachIntegrityRating(ctx context.Context, tx *sql.Tx, from, to string, fn func(agency int64, date string, r integrity.Rating)) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.agency_id, COALESCE(r.counter_id, -r.agency_id), r.local_date, r.submitted_at, r.channel,
		COALESCE(r.client, 0), r.answers, r.flag, r.review
		FROM agencies a CROSS JOIN responses r ON r.agency_id = a.id WHERE r.local_date BETWEEN ? AND ? ORDER BY r.id`, from, to)
	if err != nil {
		return fmt.Errorf("read ratings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r integrity.Rating
		var agency, at int64
		var date, channel, flag, review string
		var answers []byte
		if err := rows.Scan(&r.ID, &agency, &r.Unit, &date, &at, &channel, &r.Client, &answers, &flag, &review); err != nil {
			return err
		}
		r.At = time.UnixMilli(at)
		r.Kiosk = channel == survey.ChannelKiosk
		r.Vector = string(answers)
		r.Counted = flag == ""
		r.Accepted = review == survey.ReviewAccepted
		r.Bot = flag == survey.FlagHoneypot
		r.Limited = flag == survey.FlagRateLimited
		fn(agency, date, r)
	}
	return rows.Err()
}

// SetAside implements integrity.Store. Each window is recorded under a
// savepoint of the one transaction: one that fails is rolled back alone.
func (db *DB) SetAside(ctx context.Context, windows []integrity.Window, at time.Time, by survey.Actor) (int, error) {
	if len(windows) == 0 {
		return 0, nil
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("set aside: %w", err)
	}
	defer tx.Rollback()
	total, stored := 0, 0
	var errs []error
	for _, w := range windows {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT window`); err != nil {
			return 0, fmt.Errorf("set aside: %w", err)
		}
		n, err := db.setAsideWindow(ctx, tx, w, at)
		if err != nil {
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO window`); rerr != nil {
				return 0, fmt.Errorf("set aside: %w (rolling back: %v)", err, rerr)
			}
			errs = append(errs, fmt.Errorf("window of unit %d on %s: %w", w.Unit, w.Date, err))
		} else if n >= 0 {
			total += n
			stored++
		}
		if _, err := tx.ExecContext(ctx, `RELEASE window`); err != nil {
			return 0, fmt.Errorf("set aside: %w", err)
		}
	}
	if total > 0 {
		if err := audit(ctx, tx, at, by, "integrity.set_aside",
			fmt.Sprintf("%d ratings set aside in %d windows", total, stored)); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("set aside: %w", err)
	}
	return total, errors.Join(errs...)
}

// setAsideWindow records one window in tx: it returns how many counted
// ratings it took out, or -1 when the window changes nothing (every rating
// reviewed by an admin or in a window already: a window seen again by the
// next scan writes nothing).
func (db *DB) setAsideWindow(ctx context.Context, tx *sql.Tx, w integrity.Window, at time.Time) (int, error) {
	type rating struct {
		id, agency       int64
		inst, date, flag string
		version, fu      int
		answers          []byte
	}
	var todo []rating
	for _, id := range w.Ratings {
		r := rating{id: id}
		var review string
		var window sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT agency_id, instrument, instrument_version, local_date, answers, followup, flag, review, integrity_window
			FROM responses WHERE id = ?`, id).Scan(&r.agency, &r.inst, &r.version, &r.date, &r.answers, &r.fu, &r.flag, &review, &window)
		if err != nil {
			return 0, fmt.Errorf("rating %d: %w", id, err)
		}
		if review == "" && !window.Valid {
			todo = append(todo, r)
		}
	}
	if len(todo) == 0 {
		return -1, nil
	}
	wid, err := storeWindow(ctx, tx, w, at)
	if err != nil {
		return 0, err
	}
	type removal struct {
		in *survey.Instrument
		b  *survey.Bundle
	}
	removed := map[statsKey]*removal{}
	total := 0
	for _, r := range todo {
		if r.flag != "" {
			// Excluded already (at submission, or by the rate limit):
			// attach it to the window that covers it.
			if _, err := tx.ExecContext(ctx, `UPDATE responses SET integrity_window = ?,
				integrity_reasons = CASE WHEN flag = ? AND integrity_reasons = '' THEN ? ELSE integrity_reasons END WHERE id = ?`,
				wid, survey.FlagIntegrity, reasonsOf(w, r.id), r.id); err != nil {
				return 0, fmt.Errorf("rating %d: %w", r.id, err)
			}
			continue
		}
		in, err := db.instruments.Version(r.inst, r.version)
		if err != nil {
			return 0, fmt.Errorf("rating %d: %w", r.id, err)
		}
		for _, key := range statsKeys(r.agency, r.inst, r.version, r.date) {
			rm := removed[key]
			if rm == nil {
				rm = &removal{in: in, b: survey.NewBundle(in)}
				removed[key] = rm
			}
			if err := addResponse(rm.b, survey.ScoringAnswers(r.answers, nil), r.fu); err != nil {
				return 0, fmt.Errorf("rating %d: %w", r.id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE responses SET flag = ?, integrity_reasons = ?, integrity_window = ? WHERE id = ?`,
			survey.FlagIntegrity, reasonsOf(w, r.id), wid, r.id); err != nil {
			return 0, fmt.Errorf("rating %d: %w", r.id, err)
		}
		if _, err := tx.ExecContext(ctx, sqlExcluded, r.agency, r.inst, r.date, survey.FlagIntegrity, 1); err != nil {
			return 0, fmt.Errorf("count excluded: %w", err)
		}
		total++
	}
	if _, err := tx.ExecContext(ctx, `UPDATE integrity_windows SET ratings = (SELECT count(*) FROM responses WHERE integrity_window = ?) WHERE id = ?`, wid, wid); err != nil {
		return 0, fmt.Errorf("count window: %w", err)
	}
	for key, rm := range removed {
		acc, err := loadStats(ctx, tx, key, rm.in)
		if err != nil {
			return 0, err
		}
		if err := acc.stats.Sub(rm.b.Stats); err != nil {
			return 0, fmt.Errorf("%v: statistics disagree with the responses: %w", key, err)
		}
		acc.n -= rm.b.Stats.N()
		for i, v := range rm.b.Followups {
			if i < len(acc.followups) {
				acc.followups[i] -= v
			}
		}
		if err := saveStats(ctx, tx, key, acc); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// storeWindow stores w, or widens the stored window of the same unit and
// day that it overlaps (a burst seen again by the next scan, grown), and
// returns its id.
func storeWindow(ctx context.Context, tx *sql.Tx, w integrity.Window, at time.Time) (int64, error) {
	counter, agency := w.Unit, w.Agency
	var counterArg any = counter
	if counter < 0 {
		counterArg = nil
	}
	var id int64
	var reasons string
	err := tx.QueryRowContext(ctx, `SELECT id, reasons FROM integrity_windows WHERE agency_id = ? AND counter_id IS ? AND day = ? AND from_at <= ? AND to_at >= ?
		ORDER BY id LIMIT 1`, agency, counterArg, w.Date, ms(w.To), ms(w.From)).Scan(&id, &reasons)
	if err == nil {
		merged := mergeReasons(reasons, w.Reasons)
		_, err = tx.ExecContext(ctx, `UPDATE integrity_windows SET from_at = min(from_at, ?), to_at = max(to_at, ?), reasons = ?,
			observed = max(observed, ?), expected = CASE WHEN observed < ? THEN ? ELSE expected END, p = min(p, ?) WHERE id = ?`,
			ms(w.From), ms(w.To), merged, w.Observed, w.Observed, w.Expected, w.P, id)
		if err != nil {
			return 0, fmt.Errorf("store window: %w", err)
		}
		return id, nil
	} else if err != sql.ErrNoRows {
		return 0, fmt.Errorf("store window: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO integrity_windows(agency_id, counter_id, day, from_at, to_at, reasons, ratings, observed, expected, p, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`, agency, counterArg, w.Date, ms(w.From), ms(w.To), strings.Join(w.Reasons, ","), w.Observed, w.Expected, w.P, ms(at))
	if err != nil {
		return 0, fmt.Errorf("store window: %w", err)
	}
	return res.LastInsertId()
}

// reasonsOf is the comma list of the signals that set rating id aside in
// w (the window's, for a window without them per rating).
func reasonsOf(w integrity.Window, id int64) string {
	if r, ok := w.RatingReasons[id]; ok {
		return strings.Join(r, ",")
	}
	return strings.Join(w.Reasons, ",")
}

// mergeReasons is the union of a stored comma list and more signals, in
// integrity.Signals order.
func mergeReasons(stored string, more []string) string {
	has := map[string]bool{}
	for _, r := range strings.Split(stored, ",") {
		has[r] = true
	}
	for _, r := range more {
		has[r] = true
	}
	var out []string
	for _, s := range integrity.Signals {
		if has[s] {
			out = append(out, s)
		}
	}
	return strings.Join(out, ",")
}

// EraseClients implements integrity.Store.
func (db *DB) EraseClients(ctx context.Context, before string) (int64, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE responses SET client = NULL WHERE client IS NOT NULL AND local_date < ?`, before)
	if err != nil {
		return 0, fmt.Errorf("erase client hashes: %w", err)
	}
	return res.RowsAffected()
}

var _ integrity.Store = (*DB)(nil)

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
)

// IntegrityCounts returns one row per counter and instrument of the
// agency's own ratings dated within p (report.IntegritySource). It reads the agency's
// own responses through the (agency, date) index, in one read transaction
// with the windows, and projects older instrument versions onto the
// current design as CounterChannelStats does. Honeypot catches are counted
// as Bots, apart from the set-aside ratings; any other flag counts as set
// aside, under its own name in ByReason.
func (db *DB) IntegrityCounts(ctx context.Context, agency string, p survey.Period, instrument string) ([]*integrity.CounterCounts, error) {
	if instrument != "" {
		if _, err := db.instruments.Current(instrument); err != nil {
			return nil, err
		}
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("integrity counts: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM agencies WHERE code = ?`, agency).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "agency %q not found", agency)
	} else if err != nil {
		return nil, fmt.Errorf("find agency: %w", err)
	}
	rows, err := db.integrityRows(ctx, tx, id, p, instrument)
	if err != nil {
		return nil, err
	}
	windows, err := integrityWindows(ctx, tx, id, p)
	if err != nil {
		return nil, err
	}
	out := make([]*integrity.CounterCounts, 0, len(rows))
	for _, r := range rows {
		r.Windows = windows[r.CounterID]
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CounterID != out[j].CounterID {
			return out[i].CounterID < out[j].CounterID
		}
		return out[i].Instrument.ID < out[j].Instrument.ID
	})
	return out, nil
}

// integrityKey is one row of the report: a counter (0: none) and an
// instrument.
type integrityKey struct {
	counter    int64
	instrument string
}

// integrityRows counts and bundles the agency's responses dated within p,
// by counter and instrument.
func (db *DB) integrityRows(ctx context.Context, tx *sql.Tx, agency int64, p survey.Period, instrument string) (map[integrityKey]*integrity.CounterCounts, error) {
	q := `SELECT COALESCE(counter_id, 0), instrument, instrument_version, answers, followup, flag, flagged_as, review, integrity_reasons
		FROM responses WHERE agency_id = ? AND local_date BETWEEN ? AND ?` // the (agency, date) index
	args := []any{agency, p.FromString(), p.ToString()}
	if instrument != "" {
		q += ` AND +instrument = ?`
		args = append(args, instrument)
	}
	rs, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read responses: %w", err)
	}
	defer rs.Close()
	designsOf := map[string]*designs{}
	out := map[integrityKey]*integrity.CounterCounts{}
	var buf []uint8
	for rs.Next() {
		var k integrityKey
		var v, followup int
		var stored sql.RawBytes
		var flag, flaggedAs, review, reasons string
		if err := rs.Scan(&k.counter, &k.instrument, &v, &stored, &followup, &flag, &flaggedAs, &review, &reasons); err != nil {
			return nil, err
		}
		ds := designsOf[k.instrument]
		if ds == nil {
			in, err := db.instruments.Current(k.instrument)
			if err != nil {
				return nil, fmt.Errorf("response of counter %d: %w", k.counter, err)
			}
			ds = db.newDesigns(in)
			designsOf[k.instrument] = ds
		}
		row := out[k]
		if row == nil {
			row = &integrity.CounterCounts{CounterID: k.counter, Instrument: ds.target, ByReason: map[string]int64{},
				Kept: survey.NewBundle(ds.target), All: survey.NewBundle(ds.target)}
			out[k] = row
		}
		var into []*survey.Bundle
		switch flag {
		case "":
			row.Counted++
			if review == survey.ReviewAccepted && flaggedAs != "" && flaggedAs != survey.FlagHoneypot {
				row.Accepted++
			}
			into = []*survey.Bundle{row.Kept, row.All}
		case survey.FlagHoneypot:
			row.Bots++
			continue
		case survey.FlagIntegrity:
			row.SetAside++
			for _, s := range strings.Split(reasons, ",") {
				if s != "" {
					row.ByReason[s]++
				}
			}
			into = []*survey.Bundle{row.All}
		default: // survey.FlagRateLimited, or a flag of the future
			row.SetAside++
			row.ByReason[flag]++
			into = []*survey.Bundle{row.All}
		}
		if buf, err = ds.answers(v, stored, buf); err != nil {
			return nil, err
		}
		for _, b := range into {
			if err := addResponse(b, buf, ds.followup(v, followup)); err != nil {
				return nil, fmt.Errorf("counter %d: %w", k.counter, err)
			}
		}
	}
	return out, rs.Err()
}

// integrityWindows returns the agency's windows of the days of p by counter
// id (0: dossier ratings without a counter), in time order, each with the
// number of its ratings set aside now.
func integrityWindows(ctx context.Context, tx *sql.Tx, agency int64, p survey.Period) (map[int64][]integrity.WindowView, error) {
	rs, err := tx.QueryContext(ctx, `SELECT COALESCE(w.counter_id, 0), w.day, w.from_at, w.to_at, w.reasons, w.observed, w.expected,
		(SELECT count(*) FROM responses r WHERE r.integrity_window = w.id AND r.flag != '' AND r.flag != ?)
		FROM integrity_windows w WHERE w.agency_id = ? AND w.day BETWEEN ? AND ? ORDER BY w.day, w.from_at, w.id`,
		survey.FlagHoneypot, agency, p.FromString(), p.ToString())
	if err != nil {
		return nil, fmt.Errorf("read windows: %w", err)
	}
	defer rs.Close()
	out := map[int64][]integrity.WindowView{}
	for rs.Next() {
		var counter, from, to int64
		var w integrity.WindowView
		var reasons string
		if err := rs.Scan(&counter, &w.Date, &from, &to, &reasons, &w.Observed, &w.Expected, &w.Ratings); err != nil {
			return nil, err
		}
		w.From, w.To = windowClock(w.Date, time.UnixMilli(from), false), windowClock(w.Date, time.UnixMilli(to), true)
		w.Reasons = []string{}
		for _, s := range strings.Split(reasons, ",") {
			if s != "" {
				w.Reasons = append(w.Reasons, s)
			}
		}
		out[counter] = append(out[counter], w)
	}
	return out, rs.Err()
}

// windowPrecision is the finest time of day a window's bounds tell.
const windowPrecision = 10 * time.Minute

// windowClock formats a window bound of day as "HH:MM" (Vietnam), rounded
// out to windowPrecision whatever was stored: down for the start, up for
// the end, which is "24:00" when it reaches the next day (and "00:00"
// for a start before the day).
func windowClock(day string, t time.Time, end bool) string {
	d, err := time.ParseInLocation("2006-01-02", day, survey.Vietnam)
	if err != nil {
		return "–"
	}
	m := t.Sub(d)
	r := m.Truncate(windowPrecision)
	if end && r < m {
		r += windowPrecision
	}
	r = min(max(r, 0), 24*time.Hour)
	mins := int(r / time.Minute)
	return fmt.Sprintf("%02d:%02d", mins/60, mins%60)
}

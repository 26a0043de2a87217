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
	"github.com/sipas/sipas/survey/integrity"
)

// calendarTTL is how long the cached calendars are used before they are
// read again (changes made by another process, such as the CLI).
const calendarTTL = time.Minute

// calendarSet is every agency's calendar: its own hours, else its nearest
// ancestor's, else the default; and the public holidays.
type calendarSet struct {
	at       time.Time
	gen      uint64 // db.counterGen when read: agency and counter changes make it stale
	byAgency map[int64]*integrity.Calendar
	// setOn is, by agency id, the code of the agency whose hours apply
	// (itself or an ancestor); absent: the default.
	setOn    map[int64]string
	counters map[int64]int64 // counter id → agency id
	def      *integrity.Calendar
}

// of returns the calendar of an agency (the default for an unknown one).
func (c *calendarSet) of(agency int64) *integrity.Calendar {
	if cal := c.byAgency[agency]; cal != nil {
		return cal
	}
	return c.def
}

// agencyOfUnit is the agency of an integrity unit: a counter's, or the
// negated id of a dossier unit without a counter.
func (c *calendarSet) agencyOfUnit(unit int64) int64 {
	if unit < 0 {
		return -unit
	}
	return c.counters[unit]
}

// calendars returns the cached calendars, reading them when stale.
func (db *DB) calendars(ctx context.Context) (*calendarSet, error) {
	gen := db.counterGen.Load()
	if c := db.calendarCache.Load(); c != nil && c.gen == gen && time.Since(c.at) < calendarTTL {
		return c, nil
	}
	holidays, err := db.Holidays(ctx)
	if err != nil {
		return nil, err
	}
	parents := map[int64]int64{}
	codes := map[int64]string{}
	own := map[int64]integrity.Hours{}
	err = eachRow(ctx, db.read, `SELECT a.id, a.code, COALESCE(a.parent_id, 0), h.hours FROM agencies a LEFT JOIN opening_hours h ON h.agency_id = a.id`, func(sc scanner) error {
		var id, parent int64
		var code string
		var hours sql.NullString
		if err := sc.Scan(&id, &code, &parent, &hours); err != nil {
			return err
		}
		parents[id] = parent
		codes[id] = code
		if hours.Valid {
			var h integrity.Hours
			if err := json.Unmarshal([]byte(hours.String), &h); err != nil {
				return fmt.Errorf("agency %d: stored hours: %w", id, err)
			}
			own[id] = h
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	set := &calendarSet{at: time.Now(), gen: gen, byAgency: map[int64]*integrity.Calendar{}, setOn: map[int64]string{}, counters: map[int64]int64{},
		def: integrity.NewCalendar(integrity.DefaultHours(), holidays)}
	for id := range parents {
		// The nearest ancestor with hours (a cycle-safe walk: at most the
		// number of agencies steps).
		a := id
		for steps := 0; a != 0 && steps <= len(parents); steps++ {
			if h, ok := own[a]; ok {
				set.byAgency[id] = integrity.NewCalendar(h, holidays)
				set.setOn[id] = codes[a]
				break
			}
			a = parents[a]
		}
	}
	err = eachRow(ctx, db.read, `SELECT id, agency_id FROM counters`, func(sc scanner) error {
		var id, agency int64
		if err := sc.Scan(&id, &agency); err != nil {
			return err
		}
		set.counters[id] = agency
		return nil
	})
	if err != nil {
		return nil, err
	}
	db.calendarCache.Store(set)
	return set, nil
}

// Calendar returns the calendar of the agency with id agency (its own
// hours, an ancestor's, or the default; and the holidays).
func (db *DB) Calendar(ctx context.Context, agency int64) (*integrity.Calendar, error) {
	set, err := db.calendars(ctx)
	if err != nil {
		return nil, err
	}
	return set.of(agency), nil
}

// AgencyHours returns the opening hours that apply to agency code and where
// they come from: the agency's own code, an ancestor's, or "" for the
// default.
func (db *DB) AgencyHours(ctx context.Context, code string) (integrity.Hours, string, error) {
	a, err := db.FindAgency(ctx, code)
	if err != nil {
		return integrity.Hours{}, "", err
	}
	set, err := db.calendars(ctx)
	if err != nil {
		return integrity.Hours{}, "", err
	}
	return set.of(a.ID).Hours, set.setOn[a.ID], nil
}

// SetAgencyHours sets agency code's own opening hours (nil: none of its
// own, it takes its parent's), recorded in its history and the audit log.
func (db *DB) SetAgencyHours(ctx context.Context, code string, h *integrity.Hours, by survey.Actor) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a, err := findAgency(ctx, tx, code)
	if err != nil {
		return err
	}
	var old string
	if err := tx.QueryRowContext(ctx, `SELECT hours FROM opening_hours WHERE agency_id = ?`, a.ID).Scan(&old); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("set hours: %w", err)
	}
	now := db.Now()
	var next string
	if h == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM opening_hours WHERE agency_id = ?`, a.ID)
	} else {
		b, _ := json.Marshal(h)
		next = string(b)
		_, err = tx.ExecContext(ctx, `INSERT INTO opening_hours(agency_id, hours, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT(agency_id) DO UPDATE SET hours = excluded.hours, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			a.ID, next, ms(now), actorName(by))
	}
	if err != nil {
		return fmt.Errorf("set hours: %w", err)
	}
	if old != next {
		if err := history(ctx, tx, now, by, "agency", a.ID, "hours", old, next); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, by, "agency.hours", fmt.Sprintf("%s: %s", code, orInherited(next))); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set hours: %w", err)
	}
	db.calendarCache.Store(nil)
	return nil
}

func orInherited(hours string) string {
	if hours == "" {
		return "inherited"
	}
	return hours
}

// Holidays returns the public holidays, by date.
func (db *DB) Holidays(ctx context.Context) ([]integrity.Holiday, error) {
	var out []integrity.Holiday
	err := eachRow(ctx, db.read, `SELECT day, name, working FROM holidays ORDER BY day`, func(sc scanner) error {
		var h integrity.Holiday
		if err := sc.Scan(&h.Date, &h.Name, &h.Working); err != nil {
			return err
		}
		out = append(out, h)
		return nil
	})
	return out, err
}

// SetHolidays replaces the public holidays with list (checked by
// integrity.ParseHolidays), recorded in the audit log.
func (db *DB) SetHolidays(ctx context.Context, list []integrity.Holiday, by survey.Actor) error {
	list, err := integrity.ParseHolidays(list)
	if err != nil {
		return err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM holidays`); err != nil {
		return fmt.Errorf("set holidays: %w", err)
	}
	days := make([]string, 0, len(list))
	for _, h := range list {
		if _, err := tx.ExecContext(ctx, `INSERT INTO holidays(day, name, working) VALUES (?, ?, ?)`, h.Date, h.Name, h.Working); err != nil {
			return fmt.Errorf("set holidays: %w", err)
		}
		if h.Working {
			days = append(days, h.Date+" (working)")
		} else {
			days = append(days, h.Date)
		}
	}
	if err := audit(ctx, tx, db.Now(), by, "holidays.set", fmt.Sprintf("%d holidays: %s", len(list), strings.Join(days, ", "))); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set holidays: %w", err)
	}
	db.calendarCache.Store(nil)
	return nil
}

// eachRow runs q on db and calls fn for every row.
func eachRow(ctx context.Context, db querier, q string, fn func(scanner) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

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

// ImportVolumes stores monthly counts in one transaction, or none. Errors
// carry the row's 1-based position as Line.
func (db *DB) ImportVolumes(ctx context.Context, vs []*survey.VolumeRow, by survey.Actor) ([]survey.VolumeImported, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := db.Now()
	out := make([]survey.VolumeImported, 0, len(vs))
	ids := map[string]int64{}
	for i, v := range vs {
		id, ok := ids[v.AgencyCode]
		if !ok {
			err := tx.QueryRowContext(ctx, `SELECT id FROM agencies WHERE code = ?`, v.AgencyCode).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, &survey.Error{Code: survey.ENOTFOUND, Message: "agency " + strconv.Quote(v.AgencyCode) + " not found", Line: i + 1}
			} else if err != nil {
				return nil, err
			}
			ids[v.AgencyCode] = id
		}
		r := survey.VolumeImported{Agency: v.AgencyCode, Month: v.Month, Dossiers: v.Dossiers}
		var prev int64
		switch err := tx.QueryRowContext(ctx, `SELECT dossiers FROM volumes WHERE agency_id = ? AND month = ?`, id, v.Month).Scan(&prev); {
		case err == nil:
			r.Replaced = &prev
		case !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(sum(received), 0) FROM dossier_daily WHERE agency_id = ? AND day >= ? AND day < ?`,
			id, v.Month+"-01", v.Month+"-32").Scan(&r.Registered); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO volumes(agency_id, month, dossiers, imported_at, imported_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(agency_id, month) DO UPDATE SET dossiers = excluded.dossiers, imported_at = excluded.imported_at, imported_by = excluded.imported_by`,
			id, v.Month, v.Dossiers, ms(now), actorName(by)); err != nil {
			return nil, fmt.Errorf("store volume: %w", err)
		}
		out = append(out, r)
	}
	if err := audit(ctx, tx, now, by, "volume.import", fmt.Sprintf("%d monthly counts", len(vs))); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// Volumes returns each agency's own dossier volume and on-time counts in p.
// A month counts its imported volume when there is one, else its
// registered dossiers. The volume is unknown (Known false) when p cuts a
// month with an imported volume (the month in progress only counts as cut
// when p ends before today), or when a month of p up to today has neither
// an import nor a registered dossier while others do.
func (db *DB) Volumes(ctx context.Context, p survey.Period) (map[int64]*survey.Volume, error) {
	type month struct {
		registered, imported int64
		hasImport            bool
	}
	byAgency := map[int64]map[string]*month{}
	out := map[int64]*survey.Volume{}
	get := func(id int64, m string) *month {
		months := byAgency[id]
		if months == nil {
			months = map[string]*month{}
			byAgency[id] = months
			out[id] = &survey.Volume{}
		}
		if months[m] == nil {
			months[m] = &month{}
		}
		return months[m]
	}
	rows, err := db.read.QueryContext(ctx, `SELECT agency_id, substr(day, 1, 7), sum(received), sum(returned), sum(on_time)
		FROM dossier_daily WHERE day >= ? AND day <= ? GROUP BY agency_id, substr(day, 1, 7)`, p.FromString(), p.ToString())
	if err != nil {
		return nil, fmt.Errorf("read dossier counts: %w", err)
	}
	for rows.Next() {
		var id, received, returned, onTime int64
		var m string
		if err := rows.Scan(&id, &m, &received, &returned, &onTime); err != nil {
			rows.Close()
			return nil, err
		}
		get(id, m).registered = received
		out[id].Returned += returned
		out[id].OnTime += onTime
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT agency_id, month, dossiers FROM volumes WHERE month >= ? AND month <= ?`,
		p.FromString()[:7], p.ToString()[:7])
	if err != nil {
		return nil, fmt.Errorf("read volumes: %w", err)
	}
	for rows.Next() {
		var id, n int64
		var m string
		if err := rows.Scan(&id, &m, &n); err != nil {
			rows.Close()
			return nil, err
		}
		mm := get(id, m)
		mm.imported, mm.hasImport = n, true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	y, mo, d := db.Now().In(survey.Vietnam).Date()
	todayT := time.Date(y, mo, d, 0, 0, 0, 0, survey.Vietnam)
	today := todayT.Format("2006-01-02")
	for id, months := range byAgency {
		v := out[id]
		v.Known = true
		for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, survey.Vietnam); !m.After(p.To); m = m.AddDate(0, 1, 0) {
			key := m.Format("2006-01")
			if key+"-01" > today {
				break // months to come have no dossiers yet
			}
			mm := months[key]
			// The month in progress has no dossiers after today: a period
			// running to today (or later) does not cut its import.
			end := m.AddDate(0, 1, -1)
			if end.After(todayT) {
				end = todayT
			}
			whole := !m.Before(p.From) && !end.After(p.To)
			switch {
			case mm == nil || (!mm.hasImport && mm.registered == 0):
				v.Known = false
			case mm.hasImport && !whole:
				v.Known = false
			case mm.hasImport:
				v.Dossiers += mm.imported
			default:
				v.Dossiers += mm.registered
			}
		}
		if !v.Known {
			v.Dossiers = 0
		}
	}
	return out, nil
}

package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// The statistics of a period are read from two sources: whole calendar
// months come from stats_monthly (one small row per agency and month,
// whatever the number of responses), and the days of a month that the
// period covers only in part are summed from the responses themselves — or,
// when the period covers most of that month, the month's row is taken and
// the responses of the days left out are subtracted, so at most half a month
// is ever scanned at each end. Dashboard presets (this month, quarter,
// half-year, year) run to today: their last month is taken from its row
// minus the days after today, which hold no responses yet.

type span struct{ from, to string } // YYYY-MM-DD, inclusive

// readPlan says how to assemble a period: the months whose stored rows are
// added (contiguous, ascending), the day ranges whose responses are added,
// and those whose responses are subtracted.
type readPlan struct {
	months   []string
	add, sub []span
}

func planPeriod(p survey.Period) readPlan {
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	var plan readPlan
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, survey.Vietnam); !m.After(p.To); m = m.AddDate(0, 1, 0) {
		first, last := m, m.AddDate(0, 1, -1)
		lo, hi := first, last
		if p.From.After(lo) {
			lo = p.From
		}
		if p.To.Before(hi) {
			hi = p.To
		}
		covered := int(hi.Sub(lo).Hours()/24+0.5) + 1
		days := last.Day()
		switch {
		case covered == days:
			plan.months = append(plan.months, m.Format("2006-01"))
		case 2*covered > days:
			plan.months = append(plan.months, m.Format("2006-01"))
			if lo.After(first) {
				plan.sub = append(plan.sub, span{day(first), day(lo.AddDate(0, 0, -1))})
			}
			if hi.Before(last) {
				plan.sub = append(plan.sub, span{day(hi.AddDate(0, 0, 1)), day(last)})
			}
		default:
			plan.add = append(plan.add, span{day(lo), day(hi)})
		}
	}
	return plan
}

// querier runs queries: a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// designs caches the instrument versions met while reading.
type designs struct {
	reg    *survey.Instruments
	target *survey.Instrument
	byVer  map[int]*survey.Instrument
}

func (d *designs) version(v int) (*survey.Instrument, error) {
	if in, ok := d.byVer[v]; ok {
		return in, nil
	}
	in, err := d.reg.Version(d.target.ID, v)
	if err != nil {
		return nil, err
	}
	d.byVer[v] = in
	return in, nil
}

// project decodes a stored stats blob of version v onto the target design.
func (d *designs) project(v int, data []byte) (*scoring.Stats, error) {
	in, err := d.version(v)
	if err != nil {
		return nil, err
	}
	s := scoring.NewStats(in.Design())
	if err := s.UnmarshalBinary(data); err != nil {
		return nil, err
	}
	if v == d.target.Version {
		return s, nil
	}
	return scoring.Remap(s, in.Design(), d.target.Design())
}

// answers converts stored answers of version v to the target's item order
// in scoring coding.
func (d *designs) answers(v int, stored []byte, dst []uint8) ([]uint8, error) {
	if v == d.target.Version {
		return survey.ScoringAnswers(stored, dst), nil
	}
	in, err := d.version(v)
	if err != nil {
		return nil, err
	}
	dst = dst[:0]
	for _, it := range d.target.Items {
		var a uint8
		if k, ok := in.ItemIndex(it.Code); ok && k < len(stored) && stored[k] <= 5 {
			a = stored[k]
		}
		dst = append(dst, a)
	}
	return dst, nil
}

func (db *DB) newDesigns(in *survey.Instrument) *designs {
	return &designs{reg: db.instruments, target: in, byVer: map[int]*survey.Instrument{in.Version: in}}
}

// eachMonthRow calls fn for every stats_monthly row of in within months,
// with the row's encoded statistics (valid only during the call).
func eachMonthRow(ctx context.Context, q querier, ds *designs, months []string, fn func(agency int64, month string, version int, data []byte, followups string) error) error {
	if len(months) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT agency_id, month, instrument_version, followups, data FROM stats_monthly
		WHERE instrument = ? AND month BETWEEN ? AND ?`, ds.target.ID, months[0], months[len(months)-1])
	if err != nil {
		return fmt.Errorf("read stats: %w", err)
	}
	defer rows.Close()
	var agency int64
	var month, fu string
	var v int
	var data sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&agency, &month, &v, &fu, &data); err != nil {
			return err
		}
		if err := fn(agency, month, v, data, fu); err != nil {
			return fmt.Errorf("stats of agency %d %s: %w", agency, month, err)
		}
	}
	return rows.Err()
}

// mergeRow adds one stored stats row to b: decoded in place when it is of
// the target version (the common, fast case), projected otherwise.
func (ds *designs) mergeRow(b *survey.Bundle, v int, data []byte, fu string) error {
	if v == ds.target.Version {
		if err := b.Stats.MergeBinary(data); err != nil {
			return err
		}
		if ds.target.Followup == nil {
			return nil
		}
		var followups []int64
		if err := json.Unmarshal([]byte(fu), &followups); err != nil {
			return fmt.Errorf("follow-up counts: %w", err)
		}
		return b.Merge(&survey.Bundle{Stats: scoring.NewStats(ds.target.Design()), Followups: followups})
	}
	s, err := ds.project(v, data)
	if err != nil {
		return err
	}
	return b.Stats.Merge(s)
}

// eachResponse calls fn for every unflagged response to in dated within sp.
func eachResponse(ctx context.Context, q querier, ds *designs, sp span, fn func(agency int64, date string, answers []uint8, followup int) error) error {
	rows, err := q.QueryContext(ctx, `SELECT agency_id, local_date, instrument_version, answers, followup FROM responses
		WHERE instrument = ? AND local_date BETWEEN ? AND ? AND flag = ''`, ds.target.ID, sp.from, sp.to)
	if err != nil {
		return fmt.Errorf("read responses: %w", err)
	}
	defer rows.Close()
	var buf []uint8
	for rows.Next() {
		var agency int64
		var date string
		var v, followup int
		var stored []byte
		if err := rows.Scan(&agency, &date, &v, &stored, &followup); err != nil {
			return err
		}
		if buf, err = ds.answers(v, stored, buf); err != nil {
			return err
		}
		if err := fn(agency, date, buf, ds.followup(v, followup)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// followup is a stored follow-up answer of version v as counted for the
// target: follow-up options may differ between versions, so only the
// target version's are counted (-1: none), as mergeRow does for the month
// rows.
func (ds *designs) followup(v, followup int) int {
	if v != ds.target.Version {
		return -1
	}
	return followup
}

func addResponse(b *survey.Bundle, answers []uint8, followup int) error {
	if err := b.Stats.Add(answers); err != nil {
		return err
	}
	if followup >= 0 && followup < len(b.Followups) {
		b.Followups[followup]++
	}
	return nil
}

// collect assembles the bundles of in over p, grouped by key(agency,
// month), which says where a response of that agency and month (YYYY-MM)
// goes, or false to leave it out: whole months from the stored rows, the
// rest from the responses (planPeriod).
func collect[K comparable](ctx context.Context, db *DB, in *survey.Instrument, p survey.Period, key func(agency int64, month string) (K, bool)) (map[K]*survey.Bundle, error) {
	ds := db.newDesigns(in)
	out := map[K]*survey.Bundle{}
	minus := map[K]*survey.Bundle{}
	get := func(m map[K]*survey.Bundle, k K) *survey.Bundle {
		b := m[k]
		if b == nil {
			b = survey.NewBundle(in)
			m[k] = b
		}
		return b
	}
	// One read transaction: the month rows and the responses added or
	// subtracted come from the same snapshot, whatever is committed
	// meanwhile.
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	plan := planPeriod(p)
	err = eachMonthRow(ctx, tx, ds, plan.months, func(agency int64, month string, v int, data []byte, fu string) error {
		k, ok := key(agency, month)
		if !ok {
			return nil
		}
		return ds.mergeRow(get(out, k), v, data, fu)
	})
	if err != nil {
		return nil, err
	}
	for _, set := range []struct {
		spans []span
		into  map[K]*survey.Bundle
	}{{plan.add, out}, {plan.sub, minus}} {
		for _, sp := range set.spans {
			err := eachResponse(ctx, tx, ds, sp, func(agency int64, date string, ans []uint8, fu int) error {
				k, ok := key(agency, date[:7])
				if !ok {
					return nil
				}
				return addResponse(get(set.into, k), ans, fu)
			})
			if err != nil {
				return nil, err
			}
		}
	}
	for k, b := range minus {
		if err := get(out, k).Sub(b); err != nil {
			return nil, fmt.Errorf("%v: stored statistics disagree with the responses: %w", k, err)
		}
	}
	return out, nil
}

// OwnStats implements survey.StatsStore.
func (db *DB) OwnStats(ctx context.Context, in *survey.Instrument, p survey.Period) (map[int64]*survey.Bundle, error) {
	return collect(ctx, db, in, p, func(agency int64, _ string) (int64, bool) { return agency, true })
}

// MonthlyStats implements survey.StatsStore.
func (db *DB) MonthlyStats(ctx context.Context, in *survey.Instrument, agencies []int64, p survey.Period) (map[string]*survey.Bundle, error) {
	want := make(map[int64]bool, len(agencies))
	for _, id := range agencies {
		want[id] = true
	}
	return collect(ctx, db, in, p, func(agency int64, month string) (string, bool) { return month, want[agency] })
}

// Respondents implements survey.StatsStore. It reads each agency's
// responses through the (agency, date) index.
func (db *DB) Respondents(ctx context.Context, in *survey.Instrument, agencies []int64, p survey.Period) (map[int64][][]uint8, error) {
	ds := db.newDesigns(in)
	out := map[int64][][]uint8{}
	var buf []uint8
	for _, agency := range agencies {
		err := func() error {
			rows, err := db.read.QueryContext(ctx, `SELECT instrument_version, answers FROM responses
				WHERE agency_id = ? AND local_date BETWEEN ? AND ? AND +instrument = ? AND flag = ''`, // "+": use the (agency, date) index
				agency, p.FromString(), p.ToString(), in.ID)
			if err != nil {
				return fmt.Errorf("read responses: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				var v int
				var stored sql.RawBytes
				if err := rows.Scan(&v, &stored); err != nil {
					return err
				}
				if buf, err = ds.answers(v, stored, buf); err != nil {
					return err
				}
				out[agency] = append(out[agency], append([]uint8(nil), buf...))
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

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

// The statistics of a period are sums of stored rows (statsrows.go): whole
// calendar months from stats_monthly (one small row per agency and month,
// whatever the number of responses), and the days of a month that the
// period covers only in part from stats_daily — or, when the period covers
// most of that month, the month's row minus the days left out, so at most
// half a month of daily rows is read at each end. No period reads
// responses; the same sums computed from the responses themselves
// (ScanStats) check them. Dashboard presets (this month, quarter,
// half-year, year) run to today: their last month is its row minus the
// days after today, which hold no rows yet.

type span struct{ from, to string } // YYYY-MM-DD, inclusive

// readPlan says how to assemble a period: the months whose stored rows are
// added (contiguous, ascending), the day ranges whose daily rows are added,
// and those whose daily rows are subtracted.
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

// Which stored rows eachStatsRow reads, and how it names their period.
var sqlStatsRows = [...]string{
	monthly: `SELECT agency_id, month, instrument_version, followups, data FROM stats_monthly
		WHERE instrument = ? AND month BETWEEN ? AND ?`,
	daily: `SELECT agency_id, day, instrument_version, followups, data FROM stats_daily
		WHERE instrument = ? AND day BETWEEN ? AND ?`,
}

// eachStatsRow calls fn for every stored row of in at level whose period
// (YYYY-MM or YYYY-MM-DD) is from first to last, with the row's encoded
// statistics (valid only during the call).
func eachStatsRow(ctx context.Context, q querier, ds *designs, level statsLevel, first, last string, fn func(agency int64, period string, version int, data []byte, followups string) error) error {
	rows, err := q.QueryContext(ctx, sqlStatsRows[level], ds.target.ID, first, last)
	if err != nil {
		return fmt.Errorf("read stats: %w", err)
	}
	defer rows.Close()
	var agency int64
	var period, fu string
	var v int
	var data sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&agency, &period, &v, &fu, &data); err != nil {
			return err
		}
		if err := fn(agency, period, v, data, fu); err != nil {
			return fmt.Errorf("stats of agency %d %s: %w", agency, period, err)
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
		b.AddFollowups(followups)
		return nil
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
// month), which says where a row of that agency and month (YYYY-MM) goes,
// or false to leave it out: whole months from their rows, the rest from
// the days' (planPeriod).
func collect[K comparable](ctx context.Context, db *DB, in *survey.Instrument, p survey.Period, key func(agency int64, month string) (K, bool)) (map[K]*survey.Bundle, error) {
	ds := db.newDesigns(in)
	out := map[K]*survey.Bundle{}
	minus := map[K]*survey.Bundle{}
	// One read transaction: the month and day rows come from the same
	// snapshot, whatever is committed meanwhile.
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	into := func(m map[K]*survey.Bundle) func(agency int64, period string, v int, data []byte, fu string) error {
		return func(agency int64, period string, v int, data []byte, fu string) error {
			k, ok := key(agency, period[:7])
			if !ok {
				return nil
			}
			return ds.mergeRow(bundleOf(m, k, in), v, data, fu)
		}
	}
	plan := planPeriod(p)
	if len(plan.months) > 0 {
		if err := eachStatsRow(ctx, tx, ds, monthly, plan.months[0], plan.months[len(plan.months)-1], into(out)); err != nil {
			return nil, err
		}
	}
	for _, sp := range plan.add {
		if err := eachStatsRow(ctx, tx, ds, daily, sp.from, sp.to, into(out)); err != nil {
			return nil, err
		}
	}
	for _, sp := range plan.sub {
		if err := eachStatsRow(ctx, tx, ds, daily, sp.from, sp.to, into(minus)); err != nil {
			return nil, err
		}
	}
	for k, b := range minus {
		if err := bundleOf(out, k, in).Sub(b); err != nil {
			return nil, fmt.Errorf("%v: monthly and daily statistics disagree: %w", k, err)
		}
		if out[k].Stats.N() == 0 {
			delete(out, k) // all its ratings were on the days left out: none in p
		}
	}
	return out, nil
}

// bundleOf returns m's bundle of k, adding an empty one for in.
func bundleOf[K comparable](m map[K]*survey.Bundle, k K, in *survey.Instrument) *survey.Bundle {
	b := m[k]
	if b == nil {
		b = survey.NewBundle(in)
		m[k] = b
	}
	return b
}

// ScanStats returns what OwnStats returns, computed from the responses
// themselves instead of the stored statistics: a full scan of the period's
// answers, to check the stored rows against (sipas-scorebench's baseline
// and the tests' reference).
func (db *DB) ScanStats(ctx context.Context, in *survey.Instrument, p survey.Period) (map[int64]*survey.Bundle, error) {
	ds := db.newDesigns(in)
	out := map[int64]*survey.Bundle{}
	err := eachResponse(ctx, db.read, ds, span{p.FromString(), p.ToString()}, func(agency int64, _ string, ans []uint8, fu int) error {
		return addResponse(bundleOf(out, agency, in), ans, fu)
	})
	if err != nil {
		return nil, err
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
func (db *DB) Respondents(ctx context.Context, in *survey.Instrument, agencies []int64, p survey.Period) ([]uint8, error) {
	ds := db.newDesigns(in)
	var out, buf []uint8
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
				out = append(out, buf...)
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

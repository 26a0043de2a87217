package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/sipas/sipas/survey"
)

// bulkDays is how many day rows BulkLoad holds in memory before it adds
// the older half to their stored rows: about 36 MB of sipas-2017 rows,
// several days of the largest seeds (about 700 rows a day at 10M
// responses).
const bulkDays = 4096

// bulkRow is what a bulk load adds to one stored row of statistics: the
// counted responses of its agency, instrument version and period since
// the row was last added to its stored one.
type bulkRow struct {
	key statsKey
	in  *survey.Instrument
	acc *statsAcc
	// args are sqlSaveStats' arguments for acc alone, encoded when the
	// row leaves memory, off the writer's goroutine: what is stored when
	// there is no stored row yet.
	args []any
}

func newBulkRow(key statsKey, in *survey.Instrument) *bulkRow {
	return &bulkRow{key: key, in: in, acc: &statsAcc{stats: survey.NewBundle(in).Stats}}
}

// merge adds o's responses to r's.
func (r *bulkRow) merge(o *statsAcc) error {
	if err := r.acc.stats.Merge(o.stats); err != nil {
		return err
	}
	r.acc.n += o.n
	r.acc.followups = survey.AddCounts(r.acc.followups, o.followups)
	return nil
}

// bulkStats counts a bulk load's responses in memory: each response once,
// in its day's row. A day's rows go to the store when memory holds
// bulkDays of them (the older half) or at the end, and each is then added
// to its month's row, which goes to the store at the end. So responses
// that come day by day (demo.Generator.ByDay) write each row about once,
// and responses in any order are still counted right, only with more
// writes.
type bulkStats struct {
	days   map[statsKey]*bulkRow
	months map[statsKey]*bulkRow
	held   int // day rows held at most
	buf    []uint8
}

// newBulkStats returns a bulkStats that holds at most held day rows (at
// least 2).
func newBulkStats(held int) *bulkStats {
	return &bulkStats{days: map[statsKey]*bulkRow{}, months: map[statsKey]*bulkRow{}, held: max(held, 2), buf: make([]uint8, 0, 32)}
}

// add counts s, dated date, in its day's row. It returns the day rows to
// add to the store now, if any.
func (b *bulkStats) add(s *survey.Submission, date string) ([]*bulkRow, error) {
	key := statsKeys(s.AgencyID, s.Instrument.ID, s.Instrument.Version, date)[daily]
	r := b.days[key]
	var out []*bulkRow
	if r == nil {
		if len(b.days) >= b.held {
			var err error
			if out, err = b.flushDays(len(b.days) / 2); err != nil {
				return nil, err
			}
		}
		r = newBulkRow(key, s.Instrument)
		b.days[key] = r
	}
	if err := addToStats(r.acc, s.Instrument, s.Answers, s.Followup, b.buf); err != nil {
		return nil, fmt.Errorf("bulk load %s: %w", s.SubmissionID, err)
	}
	return out, nil
}

// flushDays takes the n oldest day rows out of memory, adds each to its
// month's row and returns them, oldest first.
func (b *bulkStats) flushDays(n int) ([]*bulkRow, error) {
	rows := make([]*bulkRow, 0, len(b.days))
	for _, r := range b.days {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].key.less(rows[j].key) })
	rows = rows[:n]
	for _, r := range rows {
		delete(b.days, r.key)
		var err error
		if r.args, err = statsArgs(r.key, r.acc); err != nil {
			return nil, err
		}
		mk := statsKeys(r.key.agency, r.key.inst, r.key.version, r.key.period)[monthly]
		m := b.months[mk]
		if m == nil {
			m = newBulkRow(mk, r.in)
			b.months[mk] = m
		}
		if err := m.merge(r.acc); err != nil {
			return nil, fmt.Errorf("bulk load: %v: %w", r.key, err)
		}
	}
	return rows, nil
}

// flush takes every row out of memory and returns them: the days', then
// the months'.
func (b *bulkStats) flush() ([]*bulkRow, error) {
	rows, err := b.flushDays(len(b.days))
	if err != nil {
		return nil, err
	}
	months := make([]*bulkRow, 0, len(b.months))
	for _, r := range b.months {
		months = append(months, r)
	}
	sort.Slice(months, func(i, j int) bool { return months[i].key.less(months[j].key) })
	for _, r := range months {
		if r.args, err = statsArgs(r.key, r.acc); err != nil {
			return nil, err
		}
	}
	clear(b.months)
	return append(rows, months...), nil
}

// less orders keys as the statistics tables do: instrument, period,
// agency, version.
func (k statsKey) less(o statsKey) bool {
	switch {
	case k.inst != o.inst:
		return k.inst < o.inst
	case k.period != o.period:
		return k.period < o.period
	case k.agency != o.agency:
		return k.agency < o.agency
	}
	return k.version < o.version
}

// rowStmts are a transaction's statements that read and write a row of
// statistics, by level.
type rowStmts struct {
	load, save [2]*sql.Stmt
}

func prepareRowStmts(ctx context.Context, tx *sql.Tx) (*rowStmts, error) {
	s := &rowStmts{}
	for _, l := range []statsLevel{monthly, daily} {
		var err error
		if s.load[l], err = tx.PrepareContext(ctx, sqlLoadStats[l]); err != nil {
			return nil, err
		}
		if s.save[l], err = tx.PrepareContext(ctx, sqlSaveStats[l]); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// add adds r to its stored row, or stores it as a new row.
func (s *rowStmts) add(ctx context.Context, r *bulkRow) error {
	l := r.key.level()
	var n int64
	var fu string
	var data []byte
	args := r.args
	err := s.load[l].QueryRowContext(ctx, r.key.agency, r.key.inst, r.key.version, r.key.period).Scan(&n, &fu, &data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("load stats: %w", err)
	default:
		if err := r.acc.stats.MergeBinary(data); err != nil {
			return fmt.Errorf("decode stats %v: %w", r.key, err)
		}
		var stored []int64
		if err := json.Unmarshal([]byte(fu), &stored); err != nil {
			return fmt.Errorf("decode follow-up counts %v: %w", r.key, err)
		}
		r.acc.n += n
		r.acc.followups = survey.AddCounts(stored, r.acc.followups)
		args = nil
	}
	if args == nil {
		if args, err = statsArgs(r.key, r.acc); err != nil {
			return err
		}
	}
	if _, err := s.save[l].ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("save stats: %w", err)
	}
	return nil
}

func (s *rowStmts) close() {
	for l := range s.load {
		for _, st := range []*sql.Stmt{s.load[l], s.save[l]} {
			if st != nil {
				st.Close()
			}
		}
	}
}

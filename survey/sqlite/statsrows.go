package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
)

// Every counted response is in two rows of mergeable statistics
// (scoring.Stats with the respondents and follow-up counts): its agency's
// month in stats_monthly and its agency's day in stats_daily (migration
// 0018). Whoever counts a response, or stops counting it, updates both in
// the same transaction, through statsKeys, loadStats and saveStats.

// statsKey names one stored row of statistics: a month (period YYYY-MM,
// stats_monthly) or a day (YYYY-MM-DD, stats_daily).
type statsKey struct {
	agency  int64
	inst    string
	version int
	period  string
}

// statsLevel is which table a statsKey's row is in.
type statsLevel int

const (
	monthly statsLevel = iota
	daily
)

func (k statsKey) level() statsLevel {
	if len(k.period) == len("2006-01-02") {
		return daily
	}
	return monthly
}

// statsKeys returns the rows a response of the agency, instrument and
// version dated date (YYYY-MM-DD) counts in: its month's and its day's.
func statsKeys(agency int64, inst string, version int, date string) [2]statsKey {
	return [2]statsKey{{agency, inst, version, date[:7]}, {agency, inst, version, date}}
}

// The statements that read and write a row, by level; their arguments are
// a statsKey's fields in order (then the row's for sqlSaveStats).
var (
	sqlLoadStats = [...]string{
		monthly: `SELECT respondents, followups, data FROM stats_monthly WHERE agency_id = ? AND instrument = ? AND instrument_version = ? AND month = ?`,
		daily:   `SELECT respondents, followups, data FROM stats_daily WHERE agency_id = ? AND instrument = ? AND instrument_version = ? AND day = ?`,
	}
	sqlSaveStats = [...]string{
		monthly: `INSERT INTO stats_monthly(agency_id, instrument, instrument_version, month, respondents, followups, data)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(instrument, month, agency_id, instrument_version) DO UPDATE SET respondents = excluded.respondents, followups = excluded.followups, data = excluded.data`,
		daily: `INSERT INTO stats_daily(agency_id, instrument, instrument_version, day, respondents, followups, data)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(instrument, day, agency_id, instrument_version) DO UPDATE SET respondents = excluded.respondents, followups = excluded.followups, data = excluded.data`,
	}
)

// statsAcc is one row of statistics being updated.
type statsAcc struct {
	stats     *scoring.Stats
	n         int64
	followups []int64
	existed   bool
}

func addToStats(a *statsAcc, in *survey.Instrument, answers []uint8, followup int, buf []uint8) error {
	if err := a.stats.Add(survey.ScoringAnswers(answers, buf)); err != nil {
		return err
	}
	a.n++
	if in.Followup != nil {
		for len(a.followups) <= len(in.Followup.Options) {
			a.followups = append(a.followups, 0)
		}
		if followup >= 0 && followup < len(a.followups) {
			a.followups[followup]++
		}
	}
	return nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func loadStats(ctx context.Context, q queryRower, key statsKey, in *survey.Instrument) (*statsAcc, error) {
	return scanStats(q.QueryRowContext(ctx, sqlLoadStats[key.level()], key.agency, key.inst, key.version, key.period), key, in)
}

// scanStats decodes a row of sqlLoadStats; no row is an empty period.
func scanStats(row *sql.Row, key statsKey, in *survey.Instrument) (*statsAcc, error) {
	var data []byte
	var fu string
	a := &statsAcc{}
	err := row.Scan(&a.n, &fu, &data)
	if errors.Is(err, sql.ErrNoRows) {
		a.stats = scoring.NewStats(in.Design())
		return a, nil
	} else if err != nil {
		return nil, fmt.Errorf("load stats: %w", err)
	}
	a.existed = true
	a.stats = scoring.NewStats(in.Design())
	if err := a.stats.UnmarshalBinary(data); err != nil {
		return nil, fmt.Errorf("decode stats %v: %w", key, err)
	}
	if err := json.Unmarshal([]byte(fu), &a.followups); err != nil {
		return nil, fmt.Errorf("decode follow-up counts %v: %w", key, err)
	}
	return a, nil
}

func saveStats(ctx context.Context, tx execer, key statsKey, a *statsAcc) error {
	args, err := statsArgs(key, a)
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, sqlSaveStats[key.level()], args...); err != nil {
		return fmt.Errorf("save stats: %w", err)
	}
	return nil
}

// statsArgs returns the arguments of sqlSaveStats for a.
func statsArgs(key statsKey, a *statsAcc) ([]any, error) {
	data, err := a.stats.MarshalBinary()
	if err != nil {
		return nil, err
	}
	fu, _ := json.Marshal(a.followups)
	if a.followups == nil {
		fu = []byte("[]")
	}
	return []any{key.agency, key.inst, key.version, key.period, a.n, string(fu), data}, nil
}

package survey

import "time"

// Reporting period presets: the current calendar month, quarter, half-year
// or year, up to today in Vietnam; or the last whole month or quarter
// (compared with the whole month or quarter before it). The values are
// what the dashboard's URLs carry.
const (
	PresetLastMonth   = "last_month"
	PresetLastQuarter = "last_quarter"
	PresetMonth       = "month"
	PresetQuarter     = "quarter"
	PresetHalf        = "6m"
	PresetYear        = "year"
)

// PresetPeriod returns the period of a preset on the day of today (in
// Vietnam), and false for an unknown preset.
func PresetPeriod(preset string, today time.Time) (Period, bool) {
	y, m, d := today.In(Vietnam).Date()
	to := time.Date(y, m, d, 0, 0, 0, 0, Vietnam)
	var from time.Time
	switch preset {
	case PresetLastMonth:
		from = time.Date(y, m-1, 1, 0, 0, 0, 0, Vietnam)
		to = from.AddDate(0, 1, -1)
	case PresetLastQuarter:
		from = time.Date(y, m-(m-1)%3-3, 1, 0, 0, 0, 0, Vietnam)
		to = from.AddDate(0, 3, -1)
	case PresetMonth:
		from = time.Date(y, m, 1, 0, 0, 0, 0, Vietnam)
	case PresetQuarter:
		from = time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, Vietnam)
	case PresetHalf:
		from = time.Date(y, m-(m-1)%6, 1, 0, 0, 0, 0, Vietnam)
	case PresetYear:
		from = time.Date(y, 1, 1, 0, 0, 0, 0, Vietnam)
	default:
		return Period{}, false
	}
	return Period{From: from, To: to}, true
}

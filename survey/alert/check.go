// Package alert is the periodic check that finds what officials should
// look at: an agency's index dropping for real, a plan's target missed
// with confidence, an overdue task, a counter with an unusual share of
// set-aside ratings. It reads through package survey's stores and package
// report, computes with package scoring, and stores what it finds in a
// survey.AlertStore, which keeps one alert per thing and period; it knows
// neither SQL nor HTTP. The rules are in docs/alerts.md.
package alert

import (
	"context"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// DefaultMinSetAside is the fewest set-aside ratings at a counter in a
// month for its share to be alerted.
const DefaultMinSetAside = 5

// Checker runs the check.
type Checker struct {
	// Report reads the indices; its Agencies, Stats and Instruments are
	// read, its Options give the confidence level and reporting rules and
	// its Adjust the multiplicity adjustment of drops (holm or bh).
	Report *report.Service
	// Alerts stores what the check finds.
	Alerts survey.AlertStore
	// Plans reads plans and tasks; nil: targets and tasks are not checked.
	Plans survey.PlanStore
	// Integrity reads the counters' set-aside ratings; nil: counters are
	// not checked.
	Integrity report.IntegritySource
	// MinSetAside overrides DefaultMinSetAside when > 0.
	MinSetAside int64
}

// Run checks the last complete month (in Vietnam) before now and the tasks
// overdue on now's day, stores the alerts found and returns those that
// were new (an alert already stored for its thing and period is not
// returned again).
func (c *Checker) Run(ctx context.Context, now time.Time) ([]*survey.Alert, error) {
	found, err := c.Find(ctx, now)
	if err != nil {
		return nil, err
	}
	stored, err := c.Alerts.AddAlerts(ctx, found)
	if err != nil {
		return nil, fmt.Errorf("store alerts: %w", err)
	}
	return stored, nil
}

// Find is Run without storing: every alert that holds on now, new or not.
func (c *Checker) Find(ctx context.Context, now time.Time) ([]*survey.Alert, error) {
	month := LastMonth(now)
	var out []*survey.Alert
	steps := []struct {
		what string
		run  func(context.Context, time.Time, survey.Period) ([]*survey.Alert, error)
	}{
		{"drops", c.drops},
		{"targets", c.targets},
		{"tasks", c.tasks},
		{"set-aside ratings", c.setAside},
	}
	for _, st := range steps {
		as, err := st.run(ctx, now, month)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", st.what, err)
		}
		out = append(out, as...)
	}
	return out, nil
}

// LastMonth is the last complete calendar month before now's day in
// Vietnam.
func LastMonth(now time.Time) survey.Period {
	p, _ := survey.PresetPeriod(survey.PresetLastMonth, now)
	return p
}

// monthName is a month as alerts name it: YYYY-MM.
func monthName(p survey.Period) string { return p.From.Format("2006-01") }

// monthText is a month as messages say it: "03/2026".
func monthText(p survey.Period) string { return p.From.Format("01/2006") }

// periodQuery is the dashboard's query string for a period.
func periodQuery(p survey.Period) string { return "from=" + p.FromString() + "&to=" + p.ToString() }

// ptr returns a pointer to a copy of v.
func ptr(v float64) *float64 { return &v }

// minus returns *a − b, or nil.
func minus(a *float64, b float64) *float64 {
	if a == nil {
		return nil
	}
	return ptr(*a - b)
}

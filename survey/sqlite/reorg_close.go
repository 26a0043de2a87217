package sqlite

import (
	"fmt"
	"strings"

	"github.com/sipas/sipas/survey"
)

// close closes c.Agency on c.Date with its open counters, as a merge
// closes its predecessors: closed_at at the day's start, the last parent
// span left open, and no lineage (nothing succeeds it).
func (r *reorg) close(c *survey.Close) error {
	a, err := r.find("agency", c.Agency)
	if err != nil {
		return err
	}
	if a.closed {
		return invalid("agency", "%s is already closed", a.code)
	}
	if c.Date < a.since {
		return invalid("date", "%s is a date before %s existed under its current parent (from %s)", c.Date, a.code, a.since)
	}
	if err := r.checkNoOpenBeneath("agency", a); err != nil {
		return err
	}
	closed, err := r.closeCounters(a, c.Date)
	if err != nil {
		return err
	}
	if err := r.closeAgency(a, c.Date); err != nil {
		return err
	}
	note := "no open counters"
	if len(closed) > 0 {
		note = "counters closed: " + strings.Join(closed, ", ")
	}
	return r.audit("agency.close", fmt.Sprintf("close %s: %s (%s)", c.Date, a.code, note))
}

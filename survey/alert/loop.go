package alert

import (
	"context"
	"log/slog"
	"time"

	"github.com/sipas/sipas/survey"
)

// FirstDelay is how long after the server starts the first check runs
// (or the interval, when that is shorter): long enough for the start-up
// to settle, short enough that a restarted server catches up the same
// day.
const FirstDelay = time.Minute

// Every runs the check FirstDelay (or every, if shorter) after it is
// called and then every interval, on the clock now, until ctx ends,
// logging each check that alerted something and every failure (a failed
// check is retried at the next tick; AddAlerts is one transaction, so
// nothing is half stored). It returns once a check in progress has ended.
func (c *Checker) Every(ctx context.Context, every time.Duration, now func() time.Time, log *slog.Logger) {
	t := time.NewTimer(min(FirstDelay, every))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		as, err := c.Run(ctx, now())
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("alert check", "err", err)
		case len(as) > 0:
			counts := map[string]int{}
			for _, a := range as {
				counts[a.Kind]++
			}
			args := []any{"alerts", len(as)}
			for _, k := range []string{survey.AlertDrop, survey.AlertBelowTarget, survey.AlertTaskOverdue, survey.AlertSetAside} {
				if counts[k] > 0 {
					args = append(args, k, counts[k])
				}
			}
			log.Info("alert check", args...)
		}
		t.Reset(every)
	}
}

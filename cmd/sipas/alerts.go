package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/alert"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
)

const alertsUsage = `usage:
  sipas alerts run [--date YYYY-MM-DD] [scoring flags]   run the alert check as of a day (default today, Vietnam) and print the new alerts
  sipas alerts list [--agency CODE] [--kind KIND] [--open|--acked] [--limit N] [--format text|json]   list alerts, newest first`

// newChecker wires the alert check over the database with the scoring
// options and adjustment of the server.
func newChecker(db *sqlite.DB, opts scoring.Options, adjust string) *alert.Checker {
	svc := &report.Service{Agencies: db, Stats: db, Volumes: db, Plans: db, Reorg: db, Instruments: db.Instruments(),
		Options: opts, Adjust: adjust}
	return &alert.Checker{Report: svc, Alerts: db, Plans: db, Integrity: db}
}

// cmdAlerts runs the alert check (for cron, when the server's own daily
// check is off) and lists the alerts.
func cmdAlerts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, alertsUsage)
		return fmt.Errorf("missing subcommand")
	}
	sub, rest := args[0], args[1:]
	fs := newFlags("alerts "+sub, stderr)
	dbPath := dbFlag(fs)
	switch sub {
	case "run":
		date := fs.String("date", "", "the day to check as of (YYYY-MM-DD, Vietnam; default today): its last complete month, the tasks overdue on it")
		sf := addScoringFlags(fs)
		if err := fs.Parse(rest); err != nil {
			return err
		}
		now := time.Now()
		if *date != "" {
			p, err := survey.ParsePeriod(*date, *date)
			if err != nil {
				return fmt.Errorf("--date: %s", survey.ErrorMessage(err))
			}
			now = p.From.Add(12 * time.Hour)
		}
		opts, adjust, err := sf.options()
		if err != nil {
			return err
		}
		db, err := openDB(*dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		as, err := newChecker(db, opts, adjust).Run(ctx, now)
		if err != nil {
			return err
		}
		for _, a := range as {
			printAlert(stdout, a)
		}
		fmt.Fprintf(stdout, "%d new alerts (month %s)\n", len(as), alert.LastMonth(now).From.Format("2006-01"))
		return nil
	case "list":
		agency := fs.String("agency", "", "only the alerts of this agency's subtree")
		kind := fs.String("kind", "", "only this kind: "+strings.Join([]string{survey.AlertDrop, survey.AlertBelowTarget, survey.AlertTaskOverdue, survey.AlertSetAside}, ", "))
		open := fs.Bool("open", false, "only the alerts not acknowledged")
		acked := fs.Bool("acked", false, "only the acknowledged alerts")
		limit := fs.Int("limit", 100, "at most this many (1–1000)")
		format := fs.String("format", "text", "text or json")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		switch {
		case *kind != "" && !survey.ValidAlertKind(*kind):
			return fmt.Errorf("--kind %q is not a kind of alert", *kind)
		case *open && *acked:
			return fmt.Errorf("give --open or --acked, not both")
		case *limit < 1 || *limit > 1000:
			return fmt.Errorf("--limit must be between 1 and 1000")
		case *format != "text" && *format != "json":
			return fmt.Errorf("--format must be text or json")
		}
		db, err := openDB(*dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		f := survey.AlertFilter{Kind: *kind, Limit: *limit}
		if *open || *acked {
			f.Acked = acked
		}
		if *agency != "" {
			as, err := db.ListAgencies(ctx, *agency)
			if err != nil {
				return fmt.Errorf("--agency: %s", survey.ErrorMessage(err))
			}
			f.Agencies = []int64{}
			for _, a := range as {
				f.Agencies = append(f.Agencies, a.ID)
			}
		}
		as, err := db.ListAlerts(ctx, f)
		if err != nil {
			return err
		}
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(as)
		}
		for _, a := range as {
			printAlert(stdout, a)
		}
		return nil
	}
	fmt.Fprintln(stderr, alertsUsage)
	return fmt.Errorf("unknown subcommand %q", sub)
}

// printAlert prints one alert in two lines: what and where, then the
// message and link.
func printAlert(w io.Writer, a *survey.Alert) {
	state := "open"
	if a.AckedAt != nil {
		state = "acknowledged by " + a.AckedBy + " " + a.AckedAt.In(survey.Vietnam).Format("2006-01-02 15:04")
	}
	fmt.Fprintf(w, "#%d %s %s %s %s (%s)\n  %s\n  %s\n", a.ID, a.Kind, a.Agency, a.Key, a.Period, state, a.Message, a.Link)
}

package integrity

import (
	"context"
	"log/slog"
	"time"

	"github.com/sipas/sipas/survey"
)

// Scanner is the periodic pass: it judges the ratings of yesterday and
// today (patterns only visible once more ratings have come), sets aside
// what the rule covers, and erases client hashes that are no longer needed.
type Scanner struct {
	Store   Store
	Options Options
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// By is who the audit log names for what a pass sets aside: the zero
	// Actor ("system") for the server's own passes, the command line's
	// for sipas integrity scan.
	By survey.Actor
}

// ScanResult says what one pass did.
type ScanResult struct {
	Dates    []string `json:"dates"`
	Units    int      `json:"units"`
	Ratings  int      `json:"ratings"`
	Windows  int      `json:"windows"`
	SetAside int      `json:"set_aside"`
	Erased   int64    `json:"client_hashes_erased"`
}

// Scan runs one pass over the dates given, or yesterday and today (Vietnam)
// when none are.
func (s *Scanner) Scan(ctx context.Context, dates ...string) (ScanResult, error) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	today := survey.LocalDate(now)
	if len(dates) == 0 {
		dates = []string{survey.LocalDate(now.AddDate(0, 0, -1)), today}
	}
	dates = unique(dates)
	res := ScanResult{Dates: dates}
	// Erased first: a pass that fails afterwards must not keep tags longer
	// than promised.
	var err error
	if res.Erased, err = s.erase(ctx, now); err != nil {
		return res, err
	}
	days, err := s.Store.IntegrityDays(ctx, dates)
	if err != nil {
		return res, err
	}
	for _, d := range days {
		if d.Date == today {
			d.Until = now // today is seen only up to now
		}
		res.Units++
		res.Ratings += len(d.Ratings)
	}
	windows := Detect(days, s.Options)
	res.Windows = len(windows)
	res.SetAside, err = s.Store.SetAside(ctx, windows, now, s.By)
	return res, err
}

// Erase erases the client tags of ratings older than KeepClientDays dates,
// as every Scan does: for a server whose periodic scan is off, so that
// tags are never kept longer than documented.
func (s *Scanner) Erase(ctx context.Context) (int64, error) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	return s.erase(ctx, now)
}

func (s *Scanner) erase(ctx context.Context, now time.Time) (int64, error) {
	return s.Store.EraseClients(ctx, survey.LocalDate(now.AddDate(0, 0, 1-KeepClientDays)))
}

// RunErase erases old client tags every interval until ctx ends (Erase);
// the server runs it when its periodic scan is off.
func (s *Scanner) RunErase(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Erase(ctx); err != nil && ctx.Err() == nil {
			log.Error("erase client tags", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Run scans every interval until ctx ends, logging each pass that set
// ratings aside and every failure (a failed pass is retried at the next
// tick; nothing is half done, SetAside is one transaction).
func (s *Scanner) Run(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		res, err := s.Scan(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("integrity scan", "err", err)
		case res.SetAside > 0:
			log.Info("integrity scan", "set_aside", res.SetAside, "windows", res.Windows, "ratings", res.Ratings)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Calendars gives an agency's calendar (ConfigStore.Calendar).
type Calendars interface {
	Calendar(ctx context.Context, agencyID int64) (*Calendar, error)
}

// Judge applies at submission the rule that needs no other rating: a
// rating from a counter's own tablet out of its agency's opening hours
// (beyond the grace period) is set aside as it arrives. Only a kiosk
// rating costs a calendar lookup. When the calendar cannot be read it sets
// nothing aside and returns the error, for the log: the rating is kept,
// and the periodic scan judges it later.
func Judge(ctx context.Context, cals Calendars, sub *survey.Submission, opt Options) error {
	if sub.Channel != survey.ChannelKiosk || sub.Flag != "" {
		return nil
	}
	cal, err := cals.Calendar(ctx, sub.AgencyID)
	if err != nil {
		return err
	}
	AtSubmission(sub, cal, opt)
	return nil
}

// AtSubmission applies the rule that needs no other rating: a rating from
// a counter's own tablet out of its agency's opening hours (beyond the
// grace period) is set aside as it arrives. It flags sub and returns true
// when it does; a submission flagged already keeps its flag.
func AtSubmission(sub *survey.Submission, cal *Calendar, opt Options) bool {
	if sub.Flag != "" || sub.Channel != survey.ChannelKiosk || cal == nil || opt.Off[SignalOffHours] {
		return false
	}
	if cal.Open(sub.ReceivedAt, opt.grace()) {
		return false
	}
	sub.Flag, sub.Reasons = survey.FlagIntegrity, SignalOffHours
	return true
}

// unique returns dates without repeats, in their first order.
func unique(dates []string) []string {
	seen := map[string]bool{}
	out := dates[:0:0]
	for _, d := range dates {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

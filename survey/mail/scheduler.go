package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// DigestHour is the hour (Vietnam time) on Monday from which the week's
// digest is due; a server that was down then sends it when it is back, any
// day of the same week.
const DigestHour = 7

// alertCursor names the cursor of the alerts mailed out.
const alertCursor = "alerts"

// Store is what the scheduler reads and records.
type Store interface {
	ListUsers(ctx context.Context) ([]*survey.User, error)
	ListAgencies(ctx context.Context, root string) ([]*survey.Agency, error)
	ListTasks(ctx context.Context, f survey.TaskFilter) ([]*survey.Task, error)
	survey.MailStore
}

// Scheduler sends the weekly digests and the alert mail.
type Scheduler struct {
	Store Store
	// Alerts is the alert store; nil leaves alerts out of the digests and
	// sends no alert mail.
	Alerts      survey.AlertStore
	Reports     *report.Service
	Instruments *survey.Instruments
	Sender      Sender
	// BaseURL is the dashboard's public URL, for the links.
	BaseURL string
	Now     func() time.Time
	Log     *slog.Logger

	// done remembers whose digest of which week is known to be sent, so
	// that the passes every minute do not write a claim for each of them.
	mu   sync.Mutex
	done map[int64]string
}

// sent reports whether u's digest of week is known to be sent.
func (s *Scheduler) sent(userID int64, week string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done[userID] == week
}

// remember notes that u's digest of week is sent.
func (s *Scheduler) remember(userID int64, week string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil {
		s.done = map[int64]string{}
	}
	s.done[userID] = week
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Run sends what is due every interval until ctx ends; a failed pass is
// logged and tried again at the next one.
func (s *Scheduler) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.SendDigests(ctx, false, ""); err != nil && ctx.Err() == nil {
			s.log().Error("mail digests", "err", err)
		}
		if _, err := s.SendAlerts(ctx); err != nil && ctx.Err() == nil {
			s.log().Error("mail alerts", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// mailable reports whether u may get mail: an active admin or official
// with an address.
func mailable(u *survey.User) bool {
	return !u.Disabled && u.Email != "" && (u.Role == survey.RoleAdmin || u.Role == survey.RoleOfficial)
}

// DigestDue reports whether the digest of now's week is due: from Monday
// DigestHour:00 in Vietnam on.
func DigestDue(now time.Time) bool {
	return !now.Before(weekStart(now).Add(DigestHour * time.Hour))
}

// SendDigests sends this week's digest to every official who asked for it
// and has not had it yet; force sends it even before Monday DigestHour:00.
// only, when set, limits it to that user. It returns how many were sent;
// a user whose digest failed is tried again on the next call.
func (s *Scheduler) SendDigests(ctx context.Context, force bool, only string) (int, error) {
	now := s.now()
	if !force && !DigestDue(now) {
		return 0, nil
	}
	users, err := s.Store.ListUsers(ctx)
	if err != nil {
		return 0, err
	}
	week := isoWeek(now)
	sent, found := 0, false
	var errs []error
	for _, u := range users {
		if only != "" && u.Name != only {
			continue
		}
		found = true
		if !mailable(u) || !u.DigestWeekly {
			if only != "" {
				return 0, survey.Errorf(survey.EINVALID, "user %s has no email address or no weekly digest", u.Name)
			}
			continue
		}
		if s.sent(u.ID, week) {
			continue
		}
		claimed, err := s.Store.ClaimMail(ctx, u.ID, survey.MailDigest, week, now)
		if err != nil {
			return sent, err
		}
		if !claimed {
			s.remember(u.ID, week)
			continue
		}
		if err := s.sendDigest(ctx, u, now); err != nil {
			errs = append(errs, fmt.Errorf("digest for %s: %w", u.Name, err))
			if rerr := s.Store.ReleaseMail(context.WithoutCancel(ctx), u.ID, survey.MailDigest, week); rerr != nil {
				errs = append(errs, rerr)
			}
			continue
		}
		sent++
		s.remember(u.ID, week)
		s.log().Info("mail digest sent", "user", u.Name, "week", week)
	}
	if only != "" && !found {
		return 0, survey.Errorf(survey.ENOTFOUND, "user not found")
	}
	return sent, errors.Join(errs...)
}

func (s *Scheduler) sendDigest(ctx context.Context, u *survey.User, now time.Time) error {
	d, err := s.BuildDigest(ctx, u, now)
	if err != nil {
		return err
	}
	m, err := d.Message(u.Email)
	if err != nil {
		return err
	}
	return s.Sender.Send(ctx, m)
}

// scope is the agencies whose digest a user gets (admins: the roots of the
// tree; officials: their agency) and the ids of every agency under them
// (nil for admins: all).
func (s *Scheduler) scope(ctx context.Context, u *survey.User) ([]*survey.Agency, map[int64]bool, error) {
	if u.Role == survey.RoleAdmin {
		all, err := s.Store.ListAgencies(ctx, "")
		if err != nil {
			return nil, nil, err
		}
		var roots []*survey.Agency
		for _, a := range all {
			if a.ParentID == 0 && a.ClosedAt == nil {
				roots = append(roots, a)
			}
		}
		return roots, nil, nil
	}
	sub, err := s.Store.ListAgencies(ctx, u.AgencyCode)
	if err != nil {
		return nil, nil, err
	}
	ids := map[int64]bool{}
	var root []*survey.Agency
	for _, a := range sub {
		ids[a.ID] = true
		if a.Code == u.AgencyCode {
			root = append(root, a)
		}
	}
	if len(root) == 0 {
		return nil, nil, survey.Errorf(survey.ENOTFOUND, "agency %q of user %s not found", u.AgencyCode, u.Name)
	}
	return root, ids, nil
}

// BuildDigest gathers u's digest of the week before now's: for each agency
// of the scope the overall index of that week and of the last complete
// month, each against the period before; the alerts of that week; the
// overdue tasks and those due in the next 7 days.
func (s *Scheduler) BuildDigest(ctx context.Context, u *survey.User, now time.Time) (*Digest, error) {
	monday := weekStart(now)
	from, to := monday.AddDate(0, 0, -7), monday.AddDate(0, 0, -1)
	d := &Digest{User: u.Name, Week: isoWeek(now), From: date(from), To: date(to), BaseURL: s.BaseURL,
		Level: strconv.FormatFloat(s.Reports.Level()*100, 'f', -1, 64) + "%", Settings: s.BaseURL + "/account/notifications"}
	roots, ids, err := s.scope(ctx, u)
	if err != nil {
		return nil, err
	}
	week := survey.Period{From: from, To: to}
	month, _ := survey.PresetPeriod(survey.PresetLastMonth, now)
	periods := []struct {
		label string
		p     survey.Period
	}{
		{"Tuần " + date(from) + " – " + date(to), week},
		{"Tháng " + month.From.Format("01/2006"), month},
	}
	for _, a := range roots {
		sd := ScopeDigest{Code: a.Code, Name: a.Name, Link: s.BaseURL + "/dashboard/overview/" + a.Code}
		for _, id := range s.Instruments.IDs() {
			in, err := s.Instruments.Current(id)
			if err != nil {
				return nil, err
			}
			var rows []IndexRow
			rated := false
			for _, p := range periods {
				sc, err := s.Reports.Scores(ctx, report.Query{Agency: a, Instrument: in, Period: p.p})
				if err != nil {
					return nil, fmt.Errorf("scores of %s: %w", a.Code, err)
				}
				rated = rated || sc.Respondents > 0 || (sc.Previous != nil && sc.Previous.Overall.N > 0)
				rows = append(rows, indexRow(p.label, in.Title.In("vi"), sc))
			}
			if rated || id == survey.DefaultInstrument {
				sd.Rows = append(sd.Rows, rows...)
			}
		}
		d.Scopes = append(d.Scopes, sd)
	}
	if s.Alerts != nil {
		d.AlertsOn = true
		f := survey.AlertFilter{Since: from, Until: monday, Limit: 1000}
		for id := range ids { // none for admins: every agency
			f.Agencies = append(f.Agencies, id)
		}
		as, err := s.Alerts.ListAlerts(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			d.Alerts = append(d.Alerts, alertLine(s.BaseURL, a))
		}
	}
	due := now.In(survey.Vietnam).AddDate(0, 0, 7).Format("2006-01-02")
	responsible := ""
	if u.Role != survey.RoleAdmin {
		responsible = u.AgencyCode
	}
	tasks, err := s.Store.ListTasks(ctx, survey.TaskFilter{Responsible: responsible, Open: true, DueBy: due})
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		line := TaskLine{Title: t.Title, Responsible: t.ResponsibleName, Due: dueDate(t.Due),
			Link: s.BaseURL + "/dashboard/plans/" + strconv.FormatInt(t.PlanID, 10) + "/tasks/" + strconv.FormatInt(t.ID, 10)}
		if t.Overdue(now) {
			d.Overdue = append(d.Overdue, line)
		} else {
			d.Due = append(d.Due, line)
		}
	}
	return d, nil
}

// dueDate writes a YYYY-MM-DD date as dd/mm/yyyy.
func dueDate(s string) string {
	t, err := time.ParseInLocation("2006-01-02", s, survey.Vietnam)
	if err != nil {
		return s
	}
	return date(t)
}

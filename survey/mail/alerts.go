package mail

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/sipas/sipas/survey"
)

// SendAlerts mails the alerts stored since the last call to each official
// who asked for alert mail and whose scope holds the alert's agency: one
// mail per official per batch. Each (official, alert) is claimed in the
// store before sending, so a restart sends none twice; the cursor moves
// past a batch only as far as every mail of it went out. The first call
// ever only sets the cursor: alerts older than the mail settings are not
// mailed. It returns how many mails were sent.
func (s *Scheduler) SendAlerts(ctx context.Context) (int, error) {
	if s.Alerts == nil {
		return 0, nil
	}
	cur, ok, err := s.Store.MailCursor(ctx, alertCursor)
	if err != nil {
		return 0, err
	}
	if !ok {
		latest, err := s.Alerts.ListAlerts(ctx, survey.AlertFilter{Limit: 1})
		if err != nil {
			return 0, err
		}
		var last int64
		if len(latest) > 0 {
			last = latest[0].ID
		}
		return 0, s.Store.SetMailCursor(ctx, alertCursor, last)
	}
	sent := 0
	for {
		batch, err := s.Alerts.ListAlerts(ctx, survey.AlertFilter{AfterID: cur, Limit: 1000})
		if err != nil || len(batch) == 0 {
			return sent, err
		}
		n, next, err := s.mailBatch(ctx, batch)
		sent += n
		if next > cur {
			if serr := s.Store.SetMailCursor(ctx, alertCursor, next); serr != nil {
				return sent, errors.Join(err, serr)
			}
			cur = next
		}
		if err != nil || len(batch) < 1000 {
			return sent, err
		}
	}
}

// mailBatch sends one batch (alerts oldest first) and returns how many mails
// went, and the id the cursor may move to: the last of the batch, or just
// before the first alert whose mail failed.
func (s *Scheduler) mailBatch(ctx context.Context, batch []*survey.Alert) (int, int64, error) {
	users, err := s.Store.ListUsers(ctx)
	if err != nil {
		return 0, 0, err
	}
	next := batch[len(batch)-1].ID
	sent := 0
	var errs []error
	for _, u := range users {
		if !mailable(u) || !u.AlertMail {
			continue
		}
		_, ids, err := s.scope(ctx, u)
		if err != nil {
			return sent, 0, err
		}
		now := s.now()
		var mine []*survey.Alert
		for _, a := range batch {
			if ids != nil && !ids[a.AgencyID] {
				continue
			}
			claimed, err := s.Store.ClaimMail(ctx, u.ID, survey.MailAlert, strconv.FormatInt(a.ID, 10), now)
			if err != nil {
				return sent, 0, err
			}
			if claimed {
				mine = append(mine, a)
			}
		}
		if len(mine) == 0 {
			continue
		}
		am := &AlertMail{User: u.Name, Settings: s.BaseURL + "/account/notifications"}
		for _, a := range mine {
			am.Alerts = append(am.Alerts, alertLine(s.BaseURL, a))
		}
		m, err := am.Message(u.Email)
		if err == nil {
			err = s.Sender.Send(ctx, m)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("alert mail for %s: %w", u.Name, err))
			for _, a := range mine {
				if rerr := s.Store.ReleaseMail(context.WithoutCancel(ctx), u.ID, survey.MailAlert, strconv.FormatInt(a.ID, 10)); rerr != nil {
					errs = append(errs, rerr)
				}
			}
			next = min(next, mine[0].ID-1)
			continue
		}
		sent++
		s.log().Info("alert mail sent", "user", u.Name, "alerts", len(mine))
	}
	return sent, next, errors.Join(errs...)
}

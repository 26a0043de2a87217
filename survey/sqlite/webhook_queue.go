package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/sipas/sipas/survey"
)

// EnqueueWebhookEvents implements survey.WebhookStore. It reads only
// after each webhook's cursor, by primary key, in one short write
// transaction of its own: the citizens' batch writer does no work for
// webhooks. A rating counts as an event when it counts in the indices as it
// is read (not flagged); the cursor passes flagged ones too, so a rating
// accepted later on review is not sent.
func (db *DB) EnqueueWebhookEvents(ctx context.Context, now time.Time, limit int, build survey.WebhookPayload) (int, error) {
	if limit <= 0 {
		limit = 500
	}
	// Without an enabled webhook there is nothing to queue: a read, so
	// that the write lock the citizens' batches need is not taken for it
	// every few seconds.
	var any bool
	if err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM webhooks WHERE disabled = 0)`).Scan(&any); err != nil {
		return 0, fmt.Errorf("enqueue webhook events: %w", err)
	}
	if !any {
		return 0, nil
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("enqueue webhook events: %w", err)
	}
	defer tx.Rollback()
	hooks, err := enabledWebhooks(ctx, tx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range hooks {
		if h.w.Wants(survey.EventResponseCreated) {
			evs, last, err := responsesAfter(ctx, tx, h.lastResponse, limit)
			if err != nil {
				return 0, err
			}
			for _, ev := range evs {
				if err := queueDelivery(ctx, tx, h.w, ev, now, build); err != nil {
					return 0, err
				}
				n++
			}
			if _, err := tx.ExecContext(ctx, `UPDATE webhooks SET last_response = ? WHERE id = ?`, last, h.w.ID); err != nil {
				return 0, fmt.Errorf("enqueue webhook events: cursor: %w", err)
			}
		}
		if h.w.Wants(survey.EventAlertCreated) || h.w.Wants(survey.EventTaskOverdue) {
			evs, last, err := alertsAfter(ctx, tx, h.w, h.lastAlert, limit)
			if err != nil {
				return 0, err
			}
			for _, ev := range evs {
				if err := queueDelivery(ctx, tx, h.w, ev, now, build); err != nil {
					return 0, err
				}
				n++
			}
			if _, err := tx.ExecContext(ctx, `UPDATE webhooks SET last_alert = ? WHERE id = ?`, last, h.w.ID); err != nil {
				return 0, fmt.Errorf("enqueue webhook events: cursor: %w", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("enqueue webhook events: %w", err)
	}
	return n, nil
}

type hookCursor struct {
	w                       *survey.Webhook
	lastResponse, lastAlert int64
}

func enabledWebhooks(ctx context.Context, tx *sql.Tx) ([]hookCursor, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+webhookCols+`, last_response, last_alert FROM webhooks WHERE disabled = 0 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("enqueue webhook events: %w", err)
	}
	defer rows.Close()
	var out []hookCursor
	for rows.Next() {
		var h hookCursor
		var err error
		if h.w, err = scanWebhook(cursorScanner{rows, &h}); err != nil {
			return nil, fmt.Errorf("enqueue webhook events: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// cursorScanner scans a webhook's columns and then its cursor.
type cursorScanner struct {
	rows *sql.Rows
	h    *hookCursor
}

func (c cursorScanner) Scan(dest ...any) error {
	return c.rows.Scan(append(dest, &c.h.lastResponse, &c.h.lastAlert)...)
}

// responsesAfter reads up to limit responses after id, and the id the
// cursor moves to.
func responsesAfter(ctx context.Context, tx *sql.Tx, after int64, limit int) ([]survey.WebhookEvent, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, a.code, COALESCE(c.code, ''), r.instrument, r.instrument_version, r.answers,
		r.local_date, r.flag FROM responses r JOIN agencies a ON a.id = r.agency_id LEFT JOIN counters c ON c.id = r.counter_id
		WHERE r.id > ? ORDER BY r.id LIMIT ?`, after, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("enqueue webhook events: responses: %w", err)
	}
	defer rows.Close()
	var out []survey.WebhookEvent
	last := after
	for rows.Next() {
		var r survey.WebhookResponse
		var flag string
		if err := rows.Scan(&r.ID, &r.Agency, &r.Counter, &r.Instrument, &r.InstrumentVersion, &r.Answers, &r.Date, &flag); err != nil {
			return nil, 0, fmt.Errorf("enqueue webhook events: responses: %w", err)
		}
		last = r.ID
		if flag != "" {
			continue // out of the indices
		}
		out = append(out, survey.WebhookEvent{Event: survey.EventResponseCreated, Key: "response:" + strconv.FormatInt(r.ID, 10), Response: &r})
	}
	return out, last, rows.Err()
}

// queueDelivery stores one delivery; an event already queued for the
// webhook is left as it is.
func queueDelivery(ctx context.Context, tx *sql.Tx, w *survey.Webhook, ev survey.WebhookEvent, now time.Time, build survey.WebhookPayload) error {
	uid, body, err := build(w, ev)
	if err != nil {
		return fmt.Errorf("enqueue webhook events: %s: %w", ev.Key, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO webhook_deliveries(uid, webhook_id, event, event_key, payload, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uid, w.ID, ev.Event, ev.Key, body, ms(now), ms(now)); err != nil {
		return fmt.Errorf("enqueue webhook events: %s: %w", ev.Key, err)
	}
	return nil
}

// lastAlertID is the newest alert's id (0: none).
func lastAlertID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM alerts`).Scan(&id)
	return id, err
}

// alertsAfter reads up to limit alerts after id as the events w wants
// (alert.created for each, task.overdue for overdue tasks), and the id the
// cursor moves to.
func alertsAfter(ctx context.Context, tx *sql.Tx, w *survey.Webhook, after int64, limit int) ([]survey.WebhookEvent, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+alertCols+alertFrom+` WHERE l.id > ? ORDER BY l.id LIMIT ?`, after, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("enqueue webhook events: alerts: %w", err)
	}
	defer rows.Close()
	var out []survey.WebhookEvent
	last := after
	for rows.Next() {
		l, err := scanAlert(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("enqueue webhook events: alerts: %w", err)
		}
		last = l.ID
		key := "alert:" + strconv.FormatInt(l.ID, 10)
		if w.Wants(survey.EventAlertCreated) {
			out = append(out, survey.WebhookEvent{Event: survey.EventAlertCreated, Key: key, Alert: l})
		}
		if l.Kind == survey.AlertTaskOverdue && w.Wants(survey.EventTaskOverdue) {
			out = append(out, survey.WebhookEvent{Event: survey.EventTaskOverdue, Key: key, Alert: l})
		}
	}
	return out, last, rows.Err()
}

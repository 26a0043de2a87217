package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
)

const webhookCols = `id, url, events, secret, created_by, created_at, disabled`

func scanWebhook(sc scanner) (*survey.Webhook, error) {
	var w survey.Webhook
	var events string
	var created int64
	if err := sc.Scan(&w.ID, &w.URL, &events, &w.Secret, &w.CreatedBy, &created, &w.Disabled); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(events), &w.Events); err != nil {
		return nil, fmt.Errorf("webhook %d: stored events: %w", w.ID, err)
	}
	w.CreatedAt = msTime(created)
	w.SecretHint = survey.SecretHint(w.Secret)
	return &w, nil
}

// CreateWebhook implements survey.WebhookStore. The cursor starts at the
// newest response (and alert): a new webhook gets no history.
func (db *DB) CreateWebhook(ctx context.Context, w *survey.Webhook, by survey.Actor) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	defer tx.Rollback()
	var lastResponse int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM responses`).Scan(&lastResponse); err != nil {
		return fmt.Errorf("create webhook: cursor: %w", err)
	}
	lastAlert, err := lastAlertID(ctx, tx)
	if err != nil {
		return fmt.Errorf("create webhook: cursor: %w", err)
	}
	events, _ := json.Marshal(w.Events) // a list of strings
	now := db.Now()
	res, err := tx.ExecContext(ctx, `INSERT INTO webhooks(url, events, secret, created_by, created_at, last_response, last_alert)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, w.URL, string(events), w.Secret, actorName(by), ms(now), lastResponse, lastAlert)
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	detail := fmt.Sprintf("webhook %d: %s (%s)", id, w.URL, strings.Join(w.Events, ", "))
	if err := audit(ctx, tx, now, by, "webhook.create", detail); err != nil {
		return fmt.Errorf("create webhook: audit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	w.ID, w.CreatedAt, w.CreatedBy = id, msTime(ms(now)), actorName(by)
	w.SecretHint = survey.SecretHint(w.Secret)
	return nil
}

// ListWebhooks implements survey.WebhookStore.
func (db *DB) ListWebhooks(ctx context.Context) ([]*survey.Webhook, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+webhookCols+` FROM webhooks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	defer rows.Close()
	out := []*survey.Webhook{}
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, fmt.Errorf("list webhooks: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// FindWebhook implements survey.WebhookStore.
func (db *DB) FindWebhook(ctx context.Context, id int64) (*survey.Webhook, error) {
	return findWebhook(ctx, db.read, id)
}

// rowQuerier is the read pool or a transaction.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func findWebhook(ctx context.Context, q rowQuerier, id int64) (*survey.Webhook, error) {
	w, err := scanWebhook(q.QueryRowContext(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "webhook %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find webhook: %w", err)
	}
	return w, nil
}

// DisableWebhook implements survey.WebhookStore. Disabling twice keeps the
// first and audits once.
func (db *DB) DisableWebhook(ctx context.Context, id int64, by survey.Actor) (*survey.Webhook, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("disable webhook: %w", err)
	}
	defer tx.Rollback()
	w, err := findWebhook(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if w.Disabled {
		return w, nil
	}
	now := db.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE webhooks SET disabled = 1, disabled_at = ? WHERE id = ?`, ms(now), id); err != nil {
		return nil, fmt.Errorf("disable webhook: %w", err)
	}
	if err := audit(ctx, tx, now, by, "webhook.disable", fmt.Sprintf("webhook %d: %s", id, w.URL)); err != nil {
		return nil, fmt.Errorf("disable webhook: audit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("disable webhook: %w", err)
	}
	w.Disabled = true
	return w, nil
}

const deliveryCols = `d.id, d.uid, d.webhook_id, d.event, d.status, d.attempts, d.last_status, d.last_error, d.created_at,
	d.last_attempt_at, d.next_attempt_at, d.delivered_at`

func scanDelivery(sc scanner, extra ...any) (*survey.WebhookDelivery, error) {
	var d survey.WebhookDelivery
	var created, next int64
	var last, delivered sql.NullInt64
	dest := append([]any{&d.Seq, &d.ID, &d.WebhookID, &d.Event, &d.Status, &d.Attempts, &d.LastStatus, &d.LastError, &created,
		&last, &next, &delivered}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	d.CreatedAt = msTime(created)
	d.LastAttemptAt, d.DeliveredAt = fromMS(last), fromMS(delivered)
	if d.Status == survey.DeliveryPending {
		t := msTime(next)
		d.NextAttemptAt = &t
	}
	return &d, nil
}

// ListWebhookDeliveries implements survey.WebhookStore.
func (db *DB) ListWebhookDeliveries(ctx context.Context, webhookID int64, limit int) ([]*survey.WebhookDelivery, error) {
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	rows, err := db.read.QueryContext(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries d WHERE d.webhook_id = ?
		ORDER BY d.id DESC LIMIT ?`, webhookID, limit)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	defer rows.Close()
	out := []*survey.WebhookDelivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("list deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DueWebhookDeliveries implements survey.WebhookStore: at most limit a
// webhook, so that one receiver's backlog does not hold up the others.
func (db *DB) DueWebhookDeliveries(ctx context.Context, now time.Time, limit int) ([]*survey.WebhookDelivery, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+deliveryCols+`, d.payload, w.url, w.secret
		FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY webhook_id ORDER BY id) AS n FROM webhook_deliveries
			WHERE status = 'pending' AND next_attempt_at <= ?) d
		JOIN webhooks w ON w.id = d.webhook_id
		WHERE d.n <= ? AND w.disabled = 0
		ORDER BY d.webhook_id, d.id`, ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due deliveries: %w", err)
	}
	defer rows.Close()
	var out []*survey.WebhookDelivery
	for rows.Next() {
		var payload []byte
		var url, secret string
		d, err := scanDelivery(rows, &payload, &url, &secret)
		if err != nil {
			return nil, fmt.Errorf("due deliveries: %w", err)
		}
		d.Payload, d.URL, d.Secret = payload, url, secret
		out = append(out, d)
	}
	return out, rows.Err()
}

// RecordWebhookAttempt implements survey.WebhookStore. A delivery that is
// no longer pending is left as it is.
func (db *DB) RecordWebhookAttempt(ctx context.Context, seq int64, a survey.WebhookAttempt) error {
	status, next := survey.DeliveryPending, ms(a.Next)
	var delivered any
	switch {
	case a.Delivered:
		status, delivered = survey.DeliveryDelivered, ms(a.At)
	case a.Next.IsZero():
		status = survey.DeliveryFailed
	}
	if len(a.Error) > 500 {
		a.Error = strings.ToValidUTF8(a.Error[:500], "")
	}
	_, err := db.write.ExecContext(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, last_status = ?,
		last_error = ?, last_attempt_at = ?, next_attempt_at = ?, delivered_at = ? WHERE id = ? AND status = 'pending'`,
		status, a.Status, a.Error, ms(a.At), next, delivered, seq)
	if err != nil {
		return fmt.Errorf("record webhook attempt: %w", err)
	}
	return nil
}

// PruneWebhookDeliveries implements survey.WebhookStore. It walks the
// deliveries in id order, which is the order they were queued.
func (db *DB) PruneWebhookDeliveries(ctx context.Context, before time.Time, limit int) (int, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries
		WHERE status != 'pending' AND created_at < ? ORDER BY id LIMIT ?)`, ms(before), limit)
	if err != nil {
		return 0, fmt.Errorf("prune webhook deliveries: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

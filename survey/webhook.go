package survey

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Webhook events.
const (
	// EventResponseCreated: a new rating that counts in the indices.
	EventResponseCreated = "response.created"
	// EventAlertCreated: any new alert.
	EventAlertCreated = "alert.created"
	// EventTaskOverdue: a new alert of kind AlertTaskOverdue.
	EventTaskOverdue = "task.overdue"
)

// WebhookEvents are the events a webhook may subscribe to, in order.
var WebhookEvents = []string{EventResponseCreated, EventAlertCreated, EventTaskOverdue}

// Limits of a webhook's fields.
const (
	MaxWebhookURL       = 2048
	MinWebhookSecret    = 16
	MaxWebhookSecret    = 256
	webhookSecretHintAt = 4
)

// Statuses of a delivery.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Webhook is a subscription of another system to events. Secret signs each
// delivery; it is stored, but shown only to whoever creates the webhook.
type Webhook struct {
	ID         int64     `json:"id"`
	URL        string    `json:"url"`
	Events     []string  `json:"events"`
	Secret     string    `json:"-"`
	SecretHint string    `json:"secret_hint"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	Disabled   bool      `json:"disabled"`
}

// Wants reports whether w subscribes to event.
func (w *Webhook) Wants(event string) bool {
	for _, e := range w.Events {
		if e == event {
			return true
		}
	}
	return false
}

// SecretHint is what lists show of a secret: its last characters.
func SecretHint(secret string) string {
	if utf8.RuneCountInString(secret) <= webhookSecretHintAt {
		return "…"
	}
	r := []rune(secret)
	return "…" + string(r[len(r)-webhookSecretHintAt:])
}

// WebhookInput is the body of POST /api/v1/webhooks.
type WebhookInput struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Secret string   `json:"secret"`
}

// ParseWebhook checks a new webhook's fields: an absolute http or https URL
// with a host and no credentials, at most MaxWebhookURL bytes; one or more
// known events (duplicates dropped); a secret of MinWebhookSecret to
// MaxWebhookSecret characters. Errors are EINVALID naming the field. Where
// the URL's host points is checked by package webhook (CheckURL), which
// resolves it.
func ParseWebhook(in WebhookInput) (*Webhook, error) {
	if in.URL == "" {
		return nil, fieldError("url", "url: required")
	}
	if len(in.URL) > MaxWebhookURL {
		return nil, fieldError("url", "url: longer than %d bytes", MaxWebhookURL)
	}
	u, err := url.Parse(in.URL)
	if err != nil {
		return nil, fieldError("url", "url: not a valid URL")
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return nil, fieldError("url", "url: must be an http or https URL")
	}
	if u.Hostname() == "" {
		return nil, fieldError("url", "url: has no host")
	}
	if u.User != nil {
		return nil, fieldError("url", "url: must not carry credentials (the signature authenticates deliveries)")
	}
	if u.Fragment != "" {
		return nil, fieldError("url", "url: must not have a fragment")
	}
	if len(in.Events) == 0 {
		return nil, fieldError("events", "events: at least one of %s", strings.Join(WebhookEvents, ", "))
	}
	seen := map[string]bool{}
	var events []string
	for _, e := range in.Events {
		if !validEvent(e) {
			return nil, fieldError("events", "events: unknown event %q (known: %s)", e, strings.Join(WebhookEvents, ", "))
		}
		if !seen[e] {
			seen[e] = true
			events = append(events, e)
		}
	}
	n := utf8.RuneCountInString(in.Secret)
	if n < MinWebhookSecret || n > MaxWebhookSecret {
		return nil, fieldError("secret", "secret: %d to %d characters", MinWebhookSecret, MaxWebhookSecret)
	}
	return &Webhook{URL: in.URL, Events: events, Secret: in.Secret, SecretHint: SecretHint(in.Secret)}, nil
}

func validEvent(e string) bool {
	for _, k := range WebhookEvents {
		if e == k {
			return true
		}
	}
	return false
}

// WebhookDelivery is one event queued for one webhook, and how its
// attempts went.
type WebhookDelivery struct {
	// ID is the delivery id the receiver sees (X-Sipas-Delivery and the
	// body's "id"); Seq orders a webhook's deliveries.
	ID            string     `json:"id"`
	Seq           int64      `json:"-"`
	WebhookID     int64      `json:"webhook"`
	Event         string     `json:"event"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	LastStatus    int        `json:"last_status,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	LastAttemptAt *time.Time `json:"last_attempt_at,omitempty"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	DeliveredAt   *time.Time `json:"delivered_at,omitempty"`
	// URL, Secret and Payload are what an attempt needs (not shown).
	URL     string `json:"-"`
	Secret  string `json:"-"`
	Payload []byte `json:"-"`
}

// WebhookResponse is a new rating as a webhook carries it: what an index
// needs and nothing about the citizen (no submission id, client, comment,
// dossier or time of day).
type WebhookResponse struct {
	// ID is the response's row, which orders events; it is not sent.
	ID                int64
	Agency            string
	Counter           string
	Instrument        string
	InstrumentVersion int
	Answers           []uint8
	Date              string
}

// WebhookEvent is one event the store found after a webhook's cursor, for
// the payload builder: Response or Alert is set.
type WebhookEvent struct {
	Event    string
	Key      string
	Response *WebhookResponse
	Alert    *Alert
}

// WebhookPayload builds a queued delivery's id and body for one event of
// one webhook.
type WebhookPayload func(w *Webhook, ev WebhookEvent) (id string, body []byte, err error)

// WebhookAttempt is the outcome of one attempt to deliver.
type WebhookAttempt struct {
	At time.Time
	// Status is the receiver's HTTP status (0: no answer), Error what went
	// wrong ("" when delivered).
	Status    int
	Error     string
	Delivered bool
	// Next is when to try again; zero gives up (the delivery is failed).
	Next time.Time
}

// WebhookStore keeps webhooks and their delivery queue.
type WebhookStore interface {
	// CreateWebhook stores w (audited), its cursor at the newest response
	// and alert, and sets ID and CreatedAt.
	CreateWebhook(ctx context.Context, w *Webhook, by Actor) error
	// ListWebhooks returns every webhook, disabled ones too, oldest first.
	ListWebhooks(ctx context.Context) ([]*Webhook, error)
	// FindWebhook returns ENOTFOUND.
	FindWebhook(ctx context.Context, id int64) (*Webhook, error)
	// DisableWebhook stops a webhook (audited): nothing more is queued or
	// sent for it, its log is kept. Returns ENOTFOUND.
	DisableWebhook(ctx context.Context, id int64, by Actor) (*Webhook, error)
	// ListWebhookDeliveries returns a webhook's deliveries, newest first
	// (limit 0: 100, at most 1000).
	ListWebhookDeliveries(ctx context.Context, webhookID int64, limit int) ([]*WebhookDelivery, error)
	// EnqueueWebhookEvents queues, for every enabled webhook, the events
	// after its cursor it subscribes to (at most limit events a webhook),
	// with the ids and bodies build makes, and moves the cursor in the same
	// transaction. It returns how many deliveries it queued.
	EnqueueWebhookEvents(ctx context.Context, now time.Time, limit int, build WebhookPayload) (int, error)
	// DueWebhookDeliveries returns pending deliveries of enabled webhooks
	// due at now, at most limit a webhook, by webhook and then in the order
	// they were queued.
	DueWebhookDeliveries(ctx context.Context, now time.Time, limit int) ([]*WebhookDelivery, error)
	// RecordWebhookAttempt records an attempt at delivery seq.
	RecordWebhookAttempt(ctx context.Context, seq int64, a WebhookAttempt) error
	// PruneWebhookDeliveries deletes up to limit delivered and failed
	// deliveries queued before before, oldest first, and returns how many;
	// pending ones are kept however old.
	PruneWebhookDeliveries(ctx context.Context, before time.Time, limit int) (int, error)
}

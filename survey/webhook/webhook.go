// Package webhook delivers events to other systems: the bodies of the
// events (no comment, nothing about the citizen), their signature, the
// retry schedule, the HTTP client that refuses private addresses, and the
// dispatcher that queues events and delivers them. The queue is kept by a
// survey.WebhookStore; nothing here speaks SQL.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
)

// Headers of a delivery.
const (
	HeaderSignature = "X-Sipas-Signature"
	HeaderDelivery  = "X-Sipas-Delivery"
	HeaderEvent     = "X-Sipas-Event"
)

// Sign returns the X-Sipas-Signature of body under secret:
// "sha256=" and the hex HMAC-SHA256.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is body's under secret, in constant
// time: what a receiver does.
func Verify(secret string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}

// Body is the JSON body of every delivery.
type Body struct {
	// ID is the delivery id (also the X-Sipas-Delivery header): the same
	// on every attempt, so a receiver drops repeats by it.
	ID        string    `json:"id"`
	Event     string    `json:"event"`
	CreatedAt time.Time `json:"created_at"`
	Data      any       `json:"data"`
}

// Rating is the data of response.created: what an index needs.
type Rating struct {
	Agency            string `json:"agency"`
	Counter           string `json:"counter,omitempty"`
	Instrument        string `json:"instrument"`
	InstrumentVersion int    `json:"instrument_version"`
	// Date is the Vietnam date of the rating (no time of day).
	Date string `json:"date"`
	// Answers maps each answered item's code to its value 1–5, or "na"
	// for no opinion, as POST /api/v1/responses takes them; unanswered
	// items are left out.
	Answers map[string]any `json:"answers"`
}

// AlertData is the data of alert.created and task.overdue: the alert,
// with its link made absolute.
type AlertData struct {
	*survey.Alert
	URL string `json:"url"`
}

// Builder makes the bodies of queued deliveries (a survey.WebhookPayload).
type Builder struct {
	Instruments *survey.Instruments
	// BaseURL makes alert links absolute ("" leaves them as paths).
	BaseURL string
	Now     func() time.Time
}

// Build implements survey.WebhookPayload: a new random delivery id and the
// event's body.
func (b *Builder) Build(_ *survey.Webhook, ev survey.WebhookEvent) (string, []byte, error) {
	id, err := newID()
	if err != nil {
		return "", nil, err
	}
	body := Body{ID: id, Event: ev.Event, CreatedAt: b.Now().UTC().Truncate(time.Millisecond)}
	switch {
	case ev.Response != nil:
		r := ev.Response
		in, err := b.Instruments.Version(r.Instrument, r.InstrumentVersion)
		if err != nil {
			return "", nil, fmt.Errorf("response %d: %w", r.ID, err)
		}
		data := Rating{Agency: r.Agency, Counter: r.Counter, Instrument: r.Instrument, InstrumentVersion: r.InstrumentVersion,
			Date: r.Date, Answers: map[string]any{}}
		for i, v := range r.Answers {
			switch {
			case i >= len(in.Items) || v == survey.AnswerBlank:
			case v == survey.AnswerNA:
				data.Answers[in.Items[i].Code] = "na"
			default:
				data.Answers[in.Items[i].Code] = int(v)
			}
		}
		body.Data = data
	case ev.Alert != nil:
		body.Data = AlertData{Alert: ev.Alert, URL: strings.TrimRight(b.BaseURL, "/") + ev.Alert.Link}
	default:
		return "", nil, fmt.Errorf("event %s without data", ev.Key)
	}
	out, err := json.Marshal(body)
	return id, out, err
}

// newID returns a random delivery id (128 bits, hex).
func newID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("delivery id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

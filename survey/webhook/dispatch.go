package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/sipas/sipas/survey"
)

// Dispatcher queues new events for every webhook and delivers what is due.
// Deliveries are at least once: an attempt whose answer is lost (the
// server stopped while waiting) is made again with the same id and body.
type Dispatcher struct {
	Store   survey.WebhookStore
	Builder *Builder
	// Client sends the deliveries (NewClient).
	Client   *http.Client
	Schedule Schedule
	// Now is the clock; Rand places the jitter (math/rand/v2 when nil).
	Now  func() time.Time
	Rand func() float64
	Log  *slog.Logger
	// Batch caps the events queued for a webhook and the deliveries
	// attempted for a webhook in one pass (0: 500).
	Batch int
	// Parallel is how many webhooks are delivered to at once (0: 4).
	Parallel int
	// Keep is how long delivered and failed deliveries stay in the log
	// (0: DefaultKeep); Run prunes older ones hourly.
	Keep time.Duration
}

// DefaultKeep is how long the delivery log keeps what is done with.
const DefaultKeep = 30 * 24 * time.Hour

// Run makes a pass at once and then every interval, until ctx ends; a pass
// in progress finishes recording its attempts first.
func (d *Dispatcher) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	var pruned time.Time
	for {
		if err := d.Pass(ctx); err != nil && ctx.Err() == nil {
			d.Log.Error("webhooks", "err", err)
		}
		if now := d.Now(); now.Sub(pruned) >= time.Hour {
			pruned = now
			if err := d.Prune(ctx); err != nil && ctx.Err() == nil {
				d.Log.Error("webhooks: prune the delivery log", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Pass queues the events that are new since the last pass, then attempts
// every due delivery.
func (d *Dispatcher) Pass(ctx context.Context) error {
	if _, err := d.Store.EnqueueWebhookEvents(ctx, d.Now(), d.batch(), d.Builder.Build); err != nil {
		return err
	}
	_, err := d.Deliver(ctx)
	return err
}

// Prune deletes delivered and failed deliveries older than Keep.
func (d *Dispatcher) Prune(ctx context.Context) error {
	keep := d.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	before := d.Now().Add(-keep)
	for {
		// In slices, so that the citizens' writes get the connection in
		// between.
		n, err := d.Store.PruneWebhookDeliveries(ctx, before, 1000)
		if err != nil || n < 1000 {
			return err
		}
	}
}

func (d *Dispatcher) batch() int {
	if d.Batch <= 0 {
		return 500
	}
	return d.Batch
}

// Deliver attempts every due delivery and returns how many were delivered.
// A webhook's deliveries go one after another in the order they were
// queued; after a failure its others wait for the next pass, so a receiver
// that is up gets its events in order.
func (d *Dispatcher) Deliver(ctx context.Context) (int, error) {
	due, err := d.Store.DueWebhookDeliveries(ctx, d.Now(), d.batch())
	if err != nil {
		return 0, err
	}
	var groups [][]*survey.WebhookDelivery
	for i, dl := range due {
		if i == 0 || dl.WebhookID != due[i-1].WebhookID {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], dl)
	}
	par := d.Parallel
	if par <= 0 {
		par = 4
	}
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		delivered int
		errs      []error
	)
	sem := make(chan struct{}, par)
	for _, g := range groups {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			n, err := d.deliverAll(ctx, g)
			mu.Lock()
			delivered += n
			errs = append(errs, err)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return delivered, errors.Join(errs...)
}

// deliverAll attempts one webhook's due deliveries in order, stopping at
// the first failure.
func (d *Dispatcher) deliverAll(ctx context.Context, g []*survey.WebhookDelivery) (int, error) {
	n := 0
	for _, dl := range g {
		if ctx.Err() != nil {
			return n, nil
		}
		a, ok := d.attempt(ctx, dl)
		if !ok {
			return n, nil // stopped while waiting: not an attempt, it is made again
		}
		// Recorded even when the server is stopping: the answer came.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err := d.Store.RecordWebhookAttempt(rctx, dl.Seq, a)
		cancel()
		if err != nil {
			return n, err
		}
		if !a.Delivered {
			return n, nil
		}
		n++
	}
	return n, nil
}

// attempt posts one delivery. It returns false when ctx ended before the
// receiver answered.
func (d *Dispatcher) attempt(ctx context.Context, dl *survey.WebhookDelivery) (survey.WebhookAttempt, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dl.URL, bytes.NewReader(dl.Payload))
	if err != nil {
		return d.failed(dl, 0, fmt.Sprintf("request: %v", err)), true
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sipas-webhook/1")
	req.Header.Set(HeaderEvent, dl.Event)
	req.Header.Set(HeaderDelivery, dl.ID)
	req.Header.Set(HeaderSignature, Sign(dl.Secret, dl.Payload))
	resp, err := d.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return survey.WebhookAttempt{}, false
		}
		return d.failed(dl, 0, err.Error()), true
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return d.failed(dl, resp.StatusCode, "HTTP "+resp.Status), true
	}
	return survey.WebhookAttempt{At: d.Now(), Status: resp.StatusCode, Delivered: true}, true
}

func (d *Dispatcher) failed(dl *survey.WebhookDelivery, status int, msg string) survey.WebhookAttempt {
	now := d.Now()
	rnd := rand.Float64
	if d.Rand != nil {
		rnd = d.Rand
	}
	return survey.WebhookAttempt{At: now, Status: status, Error: msg, Next: d.Schedule.Next(dl.CreatedAt, now, dl.Attempts+1, rnd())}
}

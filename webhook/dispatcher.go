// Package webhook delivers the store's outbox events to the webhooks that
// bodies have registered: at least once, in order per webhook (and so per
// entity), with retries and exponential backoff, each POST signed with an
// HMAC-SHA256 of its body.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"handlingsplan/store"
)

// Store is what the dispatcher needs of the store.
type Store interface {
	Webhooks(bodyKey string) ([]*store.Webhook, error)
	EventsAfter(seq uint64, limit int) ([]store.Event, error)
	RecordDelivery(ctx context.Context, d *store.Delivery, done bool, seq uint64) error
}

// Headers of a delivery.
const (
	HeaderSignature = "X-Handlingsplan-Signature" // "sha256=" + hex HMAC of the body
	HeaderEvent     = "X-Handlingsplan-Event"     // the event type
	HeaderDelivery  = "X-Handlingsplan-Delivery"  // the event's sequence number
)

// Sign returns the signature header value for body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Payload is the JSON body of a delivery.
type Payload struct {
	Seq  uint64          `json:"seq"`
	Type string          `json:"type"`
	At   time.Time       `json:"at"`
	Kind string          `json:"kind"`
	Key  string          `json:"key"`
	Data json.RawMessage `json:"data"`
}

// Dispatcher runs the deliveries.
type Dispatcher struct {
	st     Store
	log    *slog.Logger
	client *http.Client
	// Poll is how often the outbox is checked for new events.
	Poll time.Duration
	// MinBackoff and MaxBackoff bound the wait between failed attempts.
	MinBackoff, MaxBackoff time.Duration

	mu      sync.Mutex
	busy    map[string]bool
	backoff map[string]retryState
}

type retryState struct {
	next     time.Time
	attempts int
}

// New returns a dispatcher over st.
func New(st Store, log *slog.Logger) *Dispatcher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{st: st, log: log, client: &http.Client{Timeout: 10 * time.Second},
		Poll: 500 * time.Millisecond, MinBackoff: time.Second, MaxBackoff: 5 * time.Minute,
		busy: map[string]bool{}, backoff: map[string]retryState{}}
}

// Run delivers until ctx ends, then waits for deliveries under way.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	t := time.NewTicker(d.Poll)
	defer t.Stop()
	for {
		d.tick(ctx, &wg)
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-t.C:
		}
	}
}

func (d *Dispatcher) tick(ctx context.Context, wg *sync.WaitGroup) {
	hooks, err := d.st.Webhooks("")
	if err != nil {
		d.log.Error("webhooks: list", "err", err)
		return
	}
	now := time.Now()
	for _, w := range hooks {
		d.mu.Lock()
		if d.busy[w.ID] || now.Before(d.backoff[w.ID].next) {
			d.mu.Unlock()
			continue
		}
		d.busy[w.ID] = true
		d.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.drain(ctx, w)
			d.mu.Lock()
			delete(d.busy, w.ID)
			d.mu.Unlock()
		}()
	}
}

// drain delivers a webhook's pending events in order, stopping at the first
// failure (to keep the order) until its backoff has passed.
func (d *Dispatcher) drain(ctx context.Context, w *store.Webhook) {
	events, err := d.st.EventsAfter(w.Cursor, 100)
	if err != nil {
		d.log.Error("webhooks: read outbox", "err", err)
		return
	}
	for _, e := range events {
		if ctx.Err() != nil {
			return
		}
		// A reminder concerns one body: only that body's webhooks get it.
		if !w.Wants(e.Type) || (e.Type == store.EventReportingReminder && e.Key != w.BodyKey) {
			if err := d.st.RecordDelivery(ctx, &store.Delivery{WebhookID: w.ID}, true, e.Seq); err != nil {
				return
			}
			continue
		}
		if !d.deliver(ctx, w, e) {
			return
		}
	}
}

func (d *Dispatcher) deliver(ctx context.Context, w *store.Webhook, e store.Event) bool {
	body, _ := json.Marshal(Payload{Seq: e.Seq, Type: string(e.Type), At: e.At, Kind: string(e.Kind), Key: e.Key, Data: e.Data})
	d.mu.Lock()
	rs := d.backoff[w.ID]
	d.mu.Unlock()
	rec := &store.Delivery{WebhookID: w.ID, EventSeq: e.Seq, EventType: e.Type, Attempts: rs.attempts + 1, LastAttemptAt: time.Now().UTC()}
	status, err := d.post(ctx, w, e, body)
	rec.ResponseStatus = status
	if err == nil {
		now := time.Now().UTC()
		rec.Status, rec.DeliveredAt = store.DeliveryDelivered, &now
		d.mu.Lock()
		delete(d.backoff, w.ID)
		d.mu.Unlock()
		if err := d.st.RecordDelivery(ctx, rec, true, e.Seq); err != nil {
			d.log.Error("webhooks: record delivery", "webhook", w.ID, "err", err)
			return false
		}
		return true
	}
	wait := d.MinBackoff << min(rs.attempts, 20)
	if wait > d.MaxBackoff || wait <= 0 {
		wait = d.MaxBackoff
	}
	next := time.Now().Add(wait).UTC()
	rec.Status, rec.LastError, rec.NextAttemptAt = store.DeliveryPending, err.Error(), &next
	d.mu.Lock()
	d.backoff[w.ID] = retryState{next: next, attempts: rs.attempts + 1}
	d.mu.Unlock()
	d.log.Warn("webhooks: delivery failed; will retry", "webhook", w.ID, "seq", e.Seq, "attempt", rec.Attempts, "retryIn", wait.String(), "err", err)
	if err := d.st.RecordDelivery(ctx, rec, false, e.Seq); err != nil {
		d.log.Error("webhooks: record delivery", "webhook", w.ID, "err", err)
	}
	return false
}

func (d *Dispatcher) post(ctx context.Context, w *store.Webhook, e store.Event, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "handlingsplan-webhooks")
	req.Header.Set(HeaderEvent, string(e.Type))
	req.Header.Set(HeaderDelivery, strconv.FormatUint(e.Seq, 10))
	req.Header.Set(HeaderSignature, Sign(w.Secret, body))
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("receiver answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

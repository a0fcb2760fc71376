package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Webhook is a body's subscription to events, delivered by HTTP POST to
// its URL, signed with its secret.
type Webhook struct {
	ID        string      `json:"id"`
	BodyKey   string      `json:"bodyKey"`
	URL       string      `json:"url"`
	Events    []EventType `json:"events"`
	Secret    string      `json:"secret"`
	CreatedAt time.Time   `json:"createdAt"`
	CreatedBy string      `json:"createdBy,omitempty"`
	// Cursor is the sequence number of the last event handled (delivered
	// or not subscribed to); delivery goes on from the next.
	Cursor uint64 `json:"cursor"`
}

// Wants reports whether the webhook subscribes to events of type t.
func (w *Webhook) Wants(t EventType) bool { return oneOf(t, w.Events) }

// DeliveryStatus is where one event's delivery to one webhook stands.
type DeliveryStatus string

// The delivery states.
const (
	DeliveryPending   DeliveryStatus = "PENDING"   // failed so far; will be retried
	DeliveryDelivered DeliveryStatus = "DELIVERED" // the receiver answered 2xx
)

// Delivery records the attempts to deliver one event to one webhook.
type Delivery struct {
	WebhookID      string         `json:"webhookId"`
	EventSeq       uint64         `json:"eventSeq"`
	EventType      EventType      `json:"eventType"`
	Status         DeliveryStatus `json:"status"`
	Attempts       int            `json:"attempts"`
	ResponseStatus int            `json:"responseStatus,omitempty"`
	LastError      string         `json:"lastError,omitempty"`
	LastAttemptAt  time.Time      `json:"lastAttemptAt"`
	NextAttemptAt  *time.Time     `json:"nextAttemptAt,omitempty"`
	DeliveredAt    *time.Time     `json:"deliveredAt,omitempty"`
}

func webhookKey(id string) []byte { return []byte("r/wh/" + id) }
func deliveryKey(id string, seq uint64) []byte {
	return []byte("r/whd/" + id + "/" + seqString(seq))
}
func deliveryPrefix(id string) []byte { return []byte("r/whd/" + id + "/") }

// CreateWebhook registers a URL for a body's integration. A secret is made
// when none is given; it signs every delivery (HMAC-SHA256 of the body).
// Delivery starts with the next event. Returns Invalid for a bad URL or
// event list.
func (db *DB) CreateWebhook(ctx context.Context, actor Actor, bodyKey, rawURL string, events []EventType, secret string) (*Webhook, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, FieldErrorf(Invalid, "url", "url %q must be an absolute http or https URL", rawURL)
	}
	if len(events) == 0 {
		return nil, FieldErrorf(Invalid, "events", "give at least one event type")
	}
	for _, e := range events {
		if !e.IsValid() {
			return nil, FieldErrorf(Invalid, "events", "event type %q is not one of %v", e, AllEventTypes)
		}
	}
	if secret == "" {
		raw := make([]byte, 24)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		secret = base64.RawURLEncoding.EncodeToString(raw)
	} else if len(secret) < 16 {
		return nil, FieldErrorf(Invalid, "secret", "secret must be at least 16 characters")
	}
	idRaw := make([]byte, 6)
	if _, err := rand.Read(idRaw); err != nil {
		return nil, err
	}
	w := &Webhook{ID: "wh-" + hex.EncodeToString(idRaw), BodyKey: bodyKey, URL: u.String(), Events: events,
		Secret: secret, CreatedAt: db.now().UTC(), CreatedBy: actor.TokenName}
	err = db.update(ctx, func(txn *badger.Txn) error {
		if err := exists(txn, "bodyKey", KindBody, bodyKey); err != nil {
			return err
		}
		item, err := txn.Get(keyOutboxSeq)
		if err == nil {
			if err := item.Value(func(b []byte) error { return decode(b, &w.Cursor) }); err != nil {
				return err
			}
		} else if err != badger.ErrKeyNotFound {
			return err
		}
		if err := txnPut(txn, webhookKey(w.ID), w); err != nil {
			return err
		}
		return txn.Set(relKey(relBodyWebhook, bodyKey, w.ID), nil)
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// DeleteWebhook removes a webhook and its delivery records. Returns
// NotFound if there is none.
func (db *DB) DeleteWebhook(ctx context.Context, id string) error {
	return db.update(ctx, func(txn *badger.Txn) error {
		w, err := txnGetKey[Webhook](txn, webhookKey(id))
		if err != nil {
			return FieldErrorf(NotFound, "id", "webhook %q not found", id)
		}
		if err := txn.Delete(webhookKey(id)); err != nil {
			return err
		}
		if err := txn.Delete(relKey(relBodyWebhook, w.BodyKey, id)); err != nil {
			return err
		}
		return deletePrefix(txn, deliveryPrefix(id))
	})
}

// Webhooks returns the webhooks of a body, or of every body when bodyKey
// is empty.
func (db *DB) Webhooks(bodyKey string) ([]*Webhook, error) {
	var out []*Webhook
	err := db.bdb.View(func(txn *badger.Txn) error {
		var ids []string
		if bodyKey != "" {
			ids = txnRelated(txn, relBodyWebhook, bodyKey)
		} else {
			prefix := []byte("r/wh/")
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
				ids = append(ids, lastSegment(it.Item().Key()))
			}
			it.Close()
		}
		for _, id := range ids {
			w, err := txnGetKey[Webhook](txn, webhookKey(id))
			if err != nil {
				return err
			}
			out = append(out, w)
		}
		return nil
	})
	return out, err
}

// Webhook returns one webhook. Returns NotFound if there is none.
func (db *DB) Webhook(id string) (*Webhook, error) {
	var w *Webhook
	err := db.bdb.View(func(txn *badger.Txn) (err error) {
		w, err = txnGetKey[Webhook](txn, webhookKey(id))
		return err
	})
	if ErrorCode(err) == NotFound {
		return nil, FieldErrorf(NotFound, "id", "webhook %q not found", id)
	}
	return w, err
}

// RecordDelivery stores the outcome of an attempt. When the event is done
// with (delivered, or not subscribed to) the webhook's cursor moves past it.
func (db *DB) RecordDelivery(ctx context.Context, d *Delivery, done bool, seq uint64) error {
	return db.update(ctx, func(txn *badger.Txn) error {
		w, err := txnGetKey[Webhook](txn, webhookKey(d.WebhookID))
		if err != nil {
			return err // deleted meanwhile
		}
		if d.EventSeq != 0 {
			if err := txnPut(txn, deliveryKey(d.WebhookID, d.EventSeq), d); err != nil {
				return err
			}
		}
		if done && seq > w.Cursor {
			w.Cursor = seq
			return txnPut(txn, webhookKey(w.ID), w)
		}
		return nil
	})
}

// Deliveries returns a webhook's delivery records, newest first.
func (db *DB) Deliveries(id string, limit int) ([]*Delivery, error) {
	var out []*Delivery
	err := db.bdb.View(func(txn *badger.Txn) error {
		prefix := deliveryPrefix(id)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true, PrefetchValues: true})
		defer it.Close()
		for it.Seek(append(append([]byte{}, prefix...), 0xff)); it.ValidForPrefix(prefix) && len(out) < limit; it.Next() {
			d := new(Delivery)
			if err := it.Item().Value(func(b []byte) error { return decode(b, d) }); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

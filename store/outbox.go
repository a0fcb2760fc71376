package store

import (
	"encoding/json"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// EventType names what happened, for webhook subscribers.
type EventType string

// The event types a webhook can subscribe to.
const (
	EventStatusReported     EventType = "STATUS_REPORTED"
	EventTiltakChanged      EventType = "TILTAK_CHANGED"
	EventPlanVersionAdopted EventType = "PLAN_VERSION_ADOPTED"
	EventReportingReminder  EventType = "REPORTING_REMINDER"
)

// AllEventTypes lists the event types.
var AllEventTypes = []EventType{EventStatusReported, EventTiltakChanged, EventPlanVersionAdopted, EventReportingReminder, EventMoneyChanged}

// IsValid reports whether t is a defined event type.
func (t EventType) IsValid() bool { return oneOf(t, AllEventTypes) }

// Event is an entry of the outbox: written in the same transaction as the
// change it describes, delivered to webhooks afterwards, in order.
type Event struct {
	Seq  uint64    `json:"seq"`
	Type EventType `json:"type"`
	At   time.Time `json:"at"`
	Kind Kind      `json:"kind"`
	Key  string    `json:"key"`
	// Data is the change (an audit entry) or the status report, as JSON.
	Data json.RawMessage `json:"data"`
}

var keyOutboxSeq = []byte("m/outbox-seq")

func outboxKey(seq uint64) []byte { return []byte("o/" + seqString(seq)) }

func enqueueEvent(txn *badger.Txn, now time.Time, typ EventType, kind Kind, key string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	seq, err := nextSeq(txn, keyOutboxSeq)
	if err != nil {
		return err
	}
	return txnPut(txn, outboxKey(seq), &Event{Seq: seq, Type: typ, At: now, Kind: kind, Key: key, Data: raw})
}

// EventsAfter returns up to limit outbox events with a sequence number
// above seq, in order.
func (db *DB) EventsAfter(seq uint64, limit int) ([]Event, error) {
	var out []Event
	err := db.bdb.View(func(txn *badger.Txn) error {
		prefix := []byte("o/")
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		defer it.Close()
		for it.Seek(outboxKey(seq + 1)); it.ValidForPrefix(prefix) && len(out) < limit; it.Next() {
			var e Event
			if err := it.Item().Value(func(b []byte) error { return decode(b, &e) }); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

package store

import (
	"encoding/json"
	"io"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Keys are never reused. Deleting a plan item (life event, focus area,
// initiative, tiltak) retires its key: a marker at u/retired/<kind>/<key>
// keeps the item as it was last, with a tiltak's status reports, so it
// stays readable; creating an item with that key again is refused. Items
// that were split off or merged name their origins in PredecessorKeys,
// which may be retired keys.

// PlanItemKind names the kinds of plan item: what cases, diffs, proposals
// and lineage links refer to.
type PlanItemKind string

// The kinds of plan item.
const (
	ItemLifeEvent  PlanItemKind = "LIFE_EVENT"
	ItemFocusArea  PlanItemKind = "FOCUS_AREA"
	ItemInitiative PlanItemKind = "INITIATIVE"
	ItemTiltak     PlanItemKind = "TILTAK"
)

var planItemKinds = map[PlanItemKind]Kind{
	ItemLifeEvent: KindLifeEvent, ItemFocusArea: KindFocusArea, ItemInitiative: KindInitiative, ItemTiltak: KindTiltak,
}

// IsValid reports whether k is a defined plan item kind.
func (k PlanItemKind) IsValid() bool { return planItemKinds[k] != "" }

// Kind returns the entity kind of a plan item kind ("" if invalid).
func (k PlanItemKind) Kind() Kind { return planItemKinds[k] }

// itemKindOf returns the plan item kind of an entity kind, "" for kinds
// that are not plan items.
func itemKindOf(kind Kind) PlanItemKind {
	for ik, k := range planItemKinds {
		if k == kind {
			return ik
		}
	}
	return ""
}

// RetiredItem is a deleted plan item as it was last. Its key is never
// used again.
type RetiredItem struct {
	Kind      PlanItemKind `json:"kind"`
	Key       string       `json:"key"`
	RetiredAt time.Time    `json:"retiredAt"`
	Reason    string       `json:"reason,omitempty"`
	DecidedIn string       `json:"decidedIn,omitempty"`
	// Record is the item's last record (JSON of its type).
	Record json.RawMessage `json:"record"`
	// StatusReports are a tiltak's reports when it was deleted.
	StatusReports []StatusReport `json:"statusReports,omitempty"`
}

// retire writes the retired-key marker for a plan item being deleted
// (old is its record); call it before its status reports are dropped.
func retire(txn *badger.Txn, now time.Time, actor Actor, kind Kind, key string, old any) error {
	ik := itemKindOf(kind)
	if ik == "" {
		return nil
	}
	rec, err := encode(old)
	if err != nil {
		return err
	}
	r := RetiredItem{Kind: ik, Key: key, RetiredAt: now, Reason: actor.Reason, DecidedIn: actor.DecidedIn, Record: rec}
	if kind == KindTiltak {
		prefix := statusReportPrefix(key)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			var sr StatusReport
			if err := it.Item().Value(func(b []byte) error { return decode(b, &sr) }); err != nil {
				it.Close()
				return err
			}
			r.StatusReports = append(r.StatusReports, sr)
		}
		it.Close()
	}
	return txnPut(txn, retiredKey(kind, key), &r)
}

// checkNotRetired refuses a new plan item whose key was retired. Returns
// Conflict.
func checkNotRetired(txn *badger.Txn, kind Kind, key string) error {
	if itemKindOf(kind) == "" {
		return nil
	}
	r, err := txnGetKey[RetiredItem](txn, retiredKey(kind, key))
	if ErrorCode(err) == NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	return FieldErrorf(Conflict, "key", "%s key %q is retired: a %s with this key was deleted on %s, and keys are never reused; choose a new key (and name %q in predecessorKeys if the new one continues it)",
		kindLabel(kind), key, kindLabel(kind), r.RetiredAt.Format(time.DateOnly), key)
}

// existsOrRetired checks that a plan item exists or once existed.
func existsOrRetired(txn *badger.Txn, field string, kind Kind, key string) error {
	if err := exists(txn, field, kind, key); ErrorCode(err) != NotFound {
		return err
	}
	if _, err := txn.Get(retiredKey(kind, key)); err == nil {
		return nil
	}
	return FieldErrorf(NotFound, field, "%s refers to %s %q, which neither exists nor was retired", field, kindLabel(kind), key)
}

// checkPredecessors checks a plan item's predecessors: each once, not
// itself, and each an existing or retired item of the same kind.
func checkPredecessors(txn *badger.Txn, kind Kind, self string, keys []string) error {
	seen := map[string]bool{}
	for _, k := range keys {
		if k == self {
			return FieldErrorf(Invalid, "predecessorKeys", "%s %q cannot be its own predecessor", kindLabel(kind), self)
		}
		if seen[k] {
			return FieldErrorf(Invalid, "predecessorKeys", "predecessorKeys lists %q twice", k)
		}
		seen[k] = true
		if err := existsOrRetired(txn, "predecessorKeys", kind, k); err != nil {
			return err
		}
	}
	return nil
}

// Retired returns the retired plan item of kind with key. Returns NotFound
// if no such item was deleted.
func (s *Snapshot) Retired(kind PlanItemKind, key string) (*RetiredItem, error) {
	if !kind.IsValid() {
		return nil, FieldErrorf(Invalid, "kind", "kind %q is not a plan item kind", kind)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := snapGet[RetiredItem](s, retiredKey(kind.Kind(), key))
	if ErrorCode(err) == NotFound {
		return nil, Errorf(NotFound, "no %s with key %q was retired", kindLabel(kind.Kind()), key)
	}
	return r, err
}

// Successors returns the keys of the live items that name the item of
// kind with key as a predecessor (tiltak and initiatives only).
func (s *Snapshot) Successors(kind PlanItemKind, key string) []string {
	switch kind {
	case ItemTiltak:
		return s.relatedKeys(relTiltakSucc, key)
	case ItemInitiative:
		return s.relatedKeys(relInitiativeSucc, key)
	}
	return nil
}

func retiredAs[T any](r *RetiredItem, kind PlanItemKind) (*T, error) {
	if r.Kind != kind {
		return nil, nil
	}
	v := new(T)
	return v, decode(r.Record, v)
}

// Tiltak returns the retired tiltak as it was last, nil for other kinds.
func (r *RetiredItem) Tiltak() (*Tiltak, error) { return retiredAs[Tiltak](r, ItemTiltak) }

// Initiative returns the retired initiative as it was last, or nil.
func (r *RetiredItem) Initiative() (*Initiative, error) {
	return retiredAs[Initiative](r, ItemInitiative)
}

// FocusArea returns the retired focus area as it was last, or nil.
func (r *RetiredItem) FocusArea() (*FocusArea, error) { return retiredAs[FocusArea](r, ItemFocusArea) }

// LifeEvent returns the retired life event as it was last, or nil.
func (r *RetiredItem) LifeEvent() (*LifeEvent, error) { return retiredAs[LifeEvent](r, ItemLifeEvent) }

// LastReportPeriod returns the latest period a retired tiltak was reported
// for, or nil.
func (r *RetiredItem) LastReportPeriod() *string {
	if n := len(r.StatusReports); n > 0 {
		return &r.StatusReports[n-1].Period
	}
	return nil
}

// ReasonOrNull returns why the item was deleted, or nil.
func (r *RetiredItem) ReasonOrNull() *string { return orNull(r.Reason) }

// DecidedInOrNull returns the case that decided the deletion, or nil.
func (r *RetiredItem) DecidedInOrNull() *string { return orNull(r.DecidedIn) }

// MarshalGQL writes the enum value.
func (k PlanItemKind) MarshalGQL(w io.Writer) { writeQuoted(w, string(k)) }

// UnmarshalGQL reads the enum value.
func (k *PlanItemKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, []PlanItemKind{ItemLifeEvent, ItemFocusArea, ItemInitiative, ItemTiltak}, "PlanItemKind")
	return
}

// checkDecision checks that a change's deciding case exists.
func checkDecision(txn *badger.Txn, decidedIn string) error {
	if decidedIn == "" {
		return nil
	}
	if _, err := txn.Get(recordKey(KindCase, decidedIn)); err == badger.ErrKeyNotFound {
		return FieldErrorf(Invalid, "decidedIn", "decidedIn refers to case %q, which does not exist", decidedIn)
	} else if err != nil {
		return err
	}
	return nil
}

package store

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// entity is implemented by the pointer type of every plan entity.
type entity interface {
	entityKey() string
	meta() *Meta
	validate() error
}

func (e *LifeEvent) entityKey() string       { return e.Key }
func (f *FocusArea) entityKey() string       { return f.Key }
func (i *Initiative) entityKey() string      { return i.Key }
func (t *Tiltak) entityKey() string          { return t.Key }
func (b *Body) entityKey() string            { return b.Key }
func (g *GovernanceLevel) entityKey() string { return levelKey(g.Level) }
func (f *Forum) entityKey() string           { return f.Key }
func (e *LifeEvent) meta() *Meta             { return &e.Meta }
func (f *FocusArea) meta() *Meta             { return &f.Meta }
func (i *Initiative) meta() *Meta            { return &i.Meta }
func (t *Tiltak) meta() *Meta                { return &t.Meta }
func (b *Body) meta() *Meta                  { return &b.Meta }
func (g *GovernanceLevel) meta() *Meta       { return &g.Meta }
func (f *Forum) meta() *Meta                 { return &f.Meta }

// spec is what differs between kinds when writing: how to check
// references, what else a write touches, and who refers to an entity.
type spec[T any] struct {
	kind Kind
	// refs checks that every reference of v resolves (and other rules that
	// need the rest of the store: unique numbers, no cycles).
	refs func(txn *badger.Txn, v *T) error
	// write stores v (old is nil on create) with its derived keys and
	// anything else that follows from it (counters).
	write func(txn *badger.Txn, old, v *T) error
	// inUse names what still refers to the entity with key; a delete is
	// refused while it is not empty.
	inUse func(txn *badger.Txn, key string) []string
	// drop removes what belongs to the entity alone when it is deleted
	// (its derived keys, counters, status reports).
	drop func(txn *badger.Txn, old *T) error
	// event is the webhook event type of a change, "" for none.
	event EventType
}

// Expect optionally pins the version an update or delete applies to.
type Expect struct {
	Version *int
}

// create stores a new entity. Returns Invalid for a bad entity, Conflict if
// the key is taken (or, for a plan item, retired).
func create[T any, PT interface {
	*T
	entity
}](ctx context.Context, db *DB, actor Actor, sp spec[T], v PT) (PT, error) {
	if err := v.validate(); err != nil {
		return nil, err
	}
	now := db.now().UTC()
	if err := db.update(ctx, func(txn *badger.Txn) error { return createTxn(txn, now, actor, sp, v) }); err != nil {
		return nil, err
	}
	return v, nil
}

// createTxn is create inside txn.
func createTxn[T any, PT interface {
	*T
	entity
}](txn *badger.Txn, now time.Time, actor Actor, sp spec[T], v PT) error {
	if err := v.validate(); err != nil {
		return err
	}
	if err := v.meta().Provenance.validate(); err != nil {
		return err
	}
	if _, err := txnGet[T](txn, sp.kind, v.entityKey()); err == nil {
		return FieldErrorf(Conflict, "key", "a %s with key %q already exists", kindLabel(sp.kind), v.entityKey())
	} else if ErrorCode(err) != NotFound {
		return err
	}
	if err := checkNotRetired(txn, sp.kind, v.entityKey()); err != nil {
		return err
	}
	if err := checkDecision(txn, actor.DecidedIn); err != nil {
		return err
	}
	if err := sp.refs(txn, (*T)(v)); err != nil {
		return err
	}
	m := v.meta()
	m.Version, m.UpdatedAt = 1, now
	if m.Provenance == nil {
		m.Provenance = &Provenance{Confidence: Reported, Note: "Registrert gjennom API-et av " + actorLabel(actor)}
	}
	if err := sp.write(txn, nil, (*T)(v)); err != nil {
		return err
	}
	return afterChange(txn, now, actor, sp, v.entityKey(), nil, v)
}

// update applies change to the stored entity with key, inside one
// transaction. Returns NotFound for an unknown key, Conflict when
// expect.Version is not the stored version, and Invalid when the result
// breaks a rule. Nothing is written unless everything holds.
func update[T any, PT interface {
	*T
	entity
}](ctx context.Context, db *DB, actor Actor, sp spec[T], key string, expect Expect, change func(PT) error) (PT, error) {
	var out PT
	now := db.now().UTC()
	err := db.update(ctx, func(txn *badger.Txn) (err error) {
		out, err = updateTxn(txn, now, actor, sp, key, expect, change)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateTxn is update inside txn.
func updateTxn[T any, PT interface {
	*T
	entity
}](txn *badger.Txn, now time.Time, actor Actor, sp spec[T], key string, expect Expect, change func(PT) error) (PT, error) {
	old, err := withField(txnGet[T](txn, sp.kind, key))
	if err != nil {
		return nil, err
	}
	if err := checkVersion(sp.kind, key, PT(old).meta().Version, expect); err != nil {
		return nil, err
	}
	next := new(T)
	if err := cloneInto(old, next); err != nil {
		return nil, err
	}
	if err := change(next); err != nil {
		return nil, err
	}
	if PT(next).entityKey() != key {
		return nil, FieldErrorf(Invalid, "key", "the key of a %s cannot change (%q)", kindLabel(sp.kind), key)
	}
	if err := PT(next).validate(); err != nil {
		return nil, err
	}
	if err := PT(next).meta().Provenance.validate(); err != nil {
		return nil, err
	}
	if err := checkDecision(txn, actor.DecidedIn); err != nil {
		return nil, err
	}
	if err := sp.refs(txn, next); err != nil {
		return nil, err
	}
	changed, err := diffFields(old, next)
	if err != nil {
		return nil, err
	}
	if len(changed) == 0 {
		return old, nil
	}
	m := PT(next).meta()
	m.Version, m.UpdatedAt = PT(old).meta().Version+1, now
	if err := sp.write(txn, old, next); err != nil {
		return nil, err
	}
	return next, afterChange(txn, now, actor, sp, key, old, next)
}

// remove deletes the entity with key. Returns NotFound, Conflict for a
// stale version, and Invalid naming what still refers to it. A plan item's
// key is retired: it stays readable and is never used again.
func remove[T any, PT interface {
	*T
	entity
}](ctx context.Context, db *DB, actor Actor, sp spec[T], key string, expect Expect) error {
	now := db.now().UTC()
	return db.update(ctx, func(txn *badger.Txn) error { return removeTxn[T, PT](txn, now, actor, sp, key, expect) })
}

// removeTxn is remove inside txn.
func removeTxn[T any, PT interface {
	*T
	entity
}](txn *badger.Txn, now time.Time, actor Actor, sp spec[T], key string, expect Expect) error {
	old, err := withField(txnGet[T](txn, sp.kind, key))
	if err != nil {
		return err
	}
	if err := checkVersion(sp.kind, key, PT(old).meta().Version, expect); err != nil {
		return err
	}
	if users := sp.inUse(txn, key); len(users) > 0 {
		return Errorf(Invalid, "%s %q is still referenced by %s: change those first", kindLabel(sp.kind), key, listNames(users))
	}
	if err := checkDecision(txn, actor.DecidedIn); err != nil {
		return err
	}
	if err := retire(txn, now, actor, sp.kind, key, old); err != nil {
		return err
	}
	if err := sp.drop(txn, old); err != nil {
		return err
	}
	if err := txn.Delete(recordKey(sp.kind, key)); err != nil {
		return err
	}
	return afterChange(txn, now, actor, sp, key, old, nil)
}

func checkVersion(kind Kind, key string, stored int, expect Expect) error {
	if expect.Version != nil && *expect.Version != stored {
		return FieldErrorf(Conflict, "expectedVersion", "%s %q is at version %d, not %d: it changed since you read it", kindLabel(kind), key, stored, *expect.Version)
	}
	return nil
}

func afterChange[T any](txn *badger.Txn, now time.Time, actor Actor, sp spec[T], key string, old, new *T) error {
	var o, n any
	if old != nil {
		o = old
	}
	if new != nil {
		n = new
	}
	c, err := recordChange(txn, now, actor, sp.kind, key, o, n)
	if err != nil || c == nil || sp.event == "" {
		return err
	}
	return enqueueEvent(txn, now, sp.event, sp.kind, key, c)
}

func cloneInto(src, dst any) error {
	b, err := encode(src)
	if err != nil {
		return err
	}
	return decode(b, dst)
}

func actorLabel(a Actor) string {
	if a.BodyKey != "" {
		return a.TokenName + " (" + a.BodyKey + ")"
	}
	return a.TokenName
}

func listNames(users []string) string {
	sort.Strings(users)
	if len(users) > 10 {
		return strings.Join(users[:10], ", ") + " and " + strconv.Itoa(len(users)-10) + " more"
	}
	return strings.Join(users, ", ")
}

// exists checks that the entity of kind with key is stored.
func exists(txn *badger.Txn, field string, kind Kind, key string) error {
	if key == "" {
		return nil
	}
	_, err := txn.Get(recordKey(kind, key))
	if err == badger.ErrKeyNotFound {
		return FieldErrorf(NotFound, field, "%s refers to %s %q, which does not exist", field, kindLabel(kind), key)
	}
	return err
}

func existAll(txn *badger.Txn, field string, kind Kind, keys []string) error {
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			return FieldErrorf(Invalid, field, "%s lists %q twice", field, k)
		}
		seen[k] = true
		if err := exists(txn, field, kind, k); err != nil {
			return err
		}
	}
	return nil
}

// txnRelated lists the "to" keys of a relationship inside a transaction.
func txnRelated(txn *badger.Txn, rel relation, from string) []string {
	prefix := relPrefix(rel, from)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var out []string
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		out = append(out, lastSegment(it.Item().Key()))
	}
	return out
}

// usedBy collects labelled references for a refused delete.
func usedBy(txn *badger.Txn, from string, rels map[relation]string) []string {
	var out []string
	for rel, label := range rels {
		for _, k := range txnRelated(txn, rel, from) {
			// Secretariats are stored as "fo:<forum>" or "gl:<level>".
			if kind, key, ok := strings.Cut(k, ":"); ok && rel == relBodySecretariat {
				k = map[string]string{"fo": "forum ", "gl": "governance level "}[kind] + key
			}
			out = append(out, label+" "+k)
		}
	}
	return out
}

// writeSimple stores a record and swaps its derived keys.
func writeSimple[T any](kind Kind, key func(*T) string, derive func(*T) derived) func(txn *badger.Txn, old, v *T) error {
	return func(txn *badger.Txn, old, v *T) error {
		var od derived
		if old != nil {
			od = derive(old)
		}
		if err := txnPut(txn, recordKey(kind, key(v)), v); err != nil {
			return err
		}
		return applyDerived(txn, od, derive(v))
	}
}

func dropSimple[T any](derive func(*T) derived) func(txn *badger.Txn, old *T) error {
	return func(txn *badger.Txn, old *T) error { return applyDerived(txn, derive(old), nil) }
}

// withField names the key as the input field at fault when the entity a
// write addresses does not exist.
func withField[T any](v *T, err error) (*T, error) {
	var e *Error
	if errors.As(err, &e) && e.Code == NotFound && e.Field == "" {
		return nil, &Error{Code: NotFound, Field: "key", Message: e.Message}
	}
	return v, err
}

package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Op is what a change did.
type Op string

// The change operations.
const (
	OpCreate Op = "CREATE"
	OpUpdate Op = "UPDATE"
	OpDelete Op = "DELETE"
)

// Change is one entry of the audit trail: who changed which entity when,
// and every field's value before and after. It is written in the same
// transaction as the change itself.
type Change struct {
	Seq    uint64        `json:"seq"`
	At     time.Time     `json:"at"`
	Actor  Actor         `json:"actor"`
	Kind   Kind          `json:"kind"`
	Key    string        `json:"key"`
	Op     Op            `json:"op"`
	Fields []FieldChange `json:"fields"`
	// Reason and DecidedIn (a forum case key) say why, when given.
	Reason    string `json:"reason,omitempty"`
	DecidedIn string `json:"decidedIn,omitempty"`
}

// FieldChange is one field's value before and after a change, as JSON
// (null when absent).
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

func seqString(seq uint64) string { return fmt.Sprintf("%020d", seq) }

func changeKey(seq uint64) []byte { return []byte("a/" + seqString(seq)) }

// entityRef names an entity in index keys: "<kind>:<key>".
func entityRef(kind Kind, key string) string { return kindShort[kind] + ":" + key }

// nextSeq hands out the next number of a sequence kept at key. Writers are
// serialised, so this never conflicts.
func nextSeq(txn *badger.Txn, key []byte) (uint64, error) {
	var n uint64
	item, err := txn.Get(key)
	switch {
	case err == nil:
		if err := item.Value(func(b []byte) error { return json.Unmarshal(b, &n) }); err != nil {
			return 0, err
		}
	case err != badger.ErrKeyNotFound:
		return 0, err
	}
	n++
	b, _ := json.Marshal(n)
	return n, txn.Set(key, b)
}

var keyChangeSeq = []byte("m/change-seq")

// recordChange appends an audit entry for a change from old to new (either
// may be nil) with the fields that differ, and indexes it by entity and by
// the acting body. Returns the entry (nil if nothing changed).
func recordChange(txn *badger.Txn, now time.Time, actor Actor, kind Kind, key string, old, new any) (*Change, error) {
	fields, err := diffFields(old, new)
	if err != nil {
		return nil, err
	}
	return recordFieldChanges(txn, now, actor, kind, key, old, new, fields)
}

// recordFieldChanges is recordChange for a caller that has already
// computed the fields that differ between old and new (diffFields).
func recordFieldChanges(txn *badger.Txn, now time.Time, actor Actor, kind Kind, key string, old, new any, fields []FieldChange) (*Change, error) {
	op := OpUpdate
	switch {
	case old == nil:
		op = OpCreate
	case new == nil:
		op = OpDelete
	}
	if op == OpUpdate && len(fields) == 0 {
		return nil, nil
	}
	seq, err := nextSeq(txn, keyChangeSeq)
	if err != nil {
		return nil, err
	}
	c := &Change{Seq: seq, At: now, Actor: actor, Kind: kind, Key: key, Op: op, Fields: fields, Reason: actor.Reason, DecidedIn: actor.DecidedIn}
	if err := txnPut(txn, changeKey(seq), c); err != nil {
		return nil, err
	}
	if err := txn.Set(relKey(relEntityChange, entityRef(kind, key), seqString(seq)), nil); err != nil {
		return nil, err
	}
	if actor.BodyKey != "" {
		if err := txn.Set(relKey(relBodyChange, actor.BodyKey, seqString(seq)), nil); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// diffFields compares two records field by field (top-level JSON fields,
// leaving out version and updatedAt).
func diffFields(old, new any) ([]FieldChange, error) {
	a, err := fieldMap(old)
	if err != nil {
		return nil, err
	}
	b, err := fieldMap(new)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for k := range a {
		names[k] = true
	}
	for k := range b {
		names[k] = true
	}
	var out []FieldChange
	for k := range names {
		if k == "version" || k == "updatedAt" || k == "reportedAt" {
			continue
		}
		before, after := a[k], b[k]
		if bytes.Equal(before, after) {
			continue
		}
		out = append(out, FieldChange{Field: k, Before: jsonOrNull(before), After: jsonOrNull(after)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out, nil
}

func fieldMap(v any) (map[string]json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if v == nil {
		return m, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return m, nil
	}
	return m, json.Unmarshal(b, &m)
}

func jsonOrNull(b json.RawMessage) string {
	if b == nil {
		return "null"
	}
	return string(b)
}

// ChangeFilter selects audit entries.
type ChangeFilter struct {
	Kind      Kind
	EntityKey string
	BodyKey   string // the acting body
	Since     *time.Time
}

// Changes returns a page of audit entries, newest first.
func (s *Snapshot) Changes(f ChangeFilter, args PageArgs) ([]*Change, Page, error) {
	var seqs []string
	s.mu.Lock()
	switch {
	case f.EntityKey != "" && f.Kind != "":
		seqs = s.prefixKeys(relPrefix(relEntityChange, entityRef(f.Kind, f.EntityKey)))
	case f.EntityKey != "":
		for _, k := range []Kind{KindLifeEvent, KindFocusArea, KindInitiative, KindTiltak, KindBody, KindGovernanceLevel, KindForum, KindStatusReport} {
			seqs = append(seqs, s.prefixKeys(relPrefix(relEntityChange, entityRef(k, f.EntityKey)))...)
		}
		sort.Strings(seqs)
	case f.BodyKey != "":
		seqs = s.prefixKeys(relPrefix(relBodyChange, f.BodyKey))
	default:
		for _, k := range s.prefixFull([]byte("a/")) {
			seqs = append(seqs, k[2:])
		}
	}
	s.mu.Unlock()
	// Newest first.
	for i, j := 0, len(seqs)-1; i < j; i, j = i+1, j-1 {
		seqs[i], seqs[j] = seqs[j], seqs[i]
	}
	var keep []string
	var out []*Change
	s.mu.Lock()
	byKey := map[string]*Change{}
	for _, sq := range seqs {
		c, err := snapGet[Change](s, []byte("a/"+sq))
		if err != nil {
			s.mu.Unlock()
			return nil, Page{}, err
		}
		if f.Since != nil && c.At.Before(*f.Since) {
			break // newest first: the rest are older
		}
		if f.BodyKey != "" && c.Actor.BodyKey != f.BodyKey {
			continue
		}
		keep = append(keep, sq)
		byKey[sq] = c
	}
	s.mu.Unlock()
	pos := map[string]int{}
	for i, k := range keep {
		pos[k] = i
	}
	page, err := pageOrdered(keep, func(a, b string) bool { return pos[a] < pos[b] }, args)
	if err != nil {
		return nil, Page{}, err
	}
	for _, k := range page.Keys {
		out = append(out, byKey[k])
	}
	return out, page, nil
}

// Number returns the sequence number as an int (for the API).
func (c *Change) Number() int { return int(c.Seq) }

// EntityKind returns the kind of entity changed.
func (c *Change) EntityKind() string { return string(c.Kind) }

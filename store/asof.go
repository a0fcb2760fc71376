package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Time travel. The plan as it stood at a time T is the live plan with every
// audited change after T undone, newest first: an UPDATE sets each field
// back to its value before, a CREATE drops the entity, a DELETE restores it
// (from its retired-key marker when there is one, which also holds a
// tiltak's status reports). Status reports are undone the same way. The
// result loads into a temporary in-memory store that answers the reads;
// see [History].

// pastKinds are the kinds the reconstructed plan holds.
var pastKinds = []Kind{KindBody, KindGovernanceLevel, KindForum, KindLifeEvent, KindFocusArea, KindInitiative, KindTiltak, KindStatusReport}

// recordFields is a record as its top-level JSON fields.
type recordFields = map[string]json.RawMessage

// pastPlan is the plan as field maps by kind and key, being rolled back.
type pastPlan struct {
	items map[Kind]map[string]recordFields
	// undone maps an entity ("<kind>:<key>") to the oldest change undone.
	undone map[string]uint64
}

// PlanAt returns the plan as it stood at t, reconstructed from the live
// plan and the audit trail (before the first recorded change: the plan as
// imported). Versions count back with the changes undone; an entity whose
// every change is undone has its time of last change set to t when the
// trail does not tell it. Returns an error only for a damaged store.
func (db *DB) PlanAt(ctx context.Context, t time.Time) (*Plan, error) {
	pp := &pastPlan{items: map[Kind]map[string]recordFields{}, undone: map[string]uint64{}}
	var sources []Source
	err := db.bdb.View(func(txn *badger.Txn) error {
		for _, kind := range pastKinds {
			if err := pp.load(txn, kind); err != nil {
				return err
			}
		}
		var err error
		if sources, err = exportSources(txn); err != nil {
			return err
		}
		changes, err := changesAfter(ctx, txn, t)
		if err != nil {
			return err
		}
		for _, c := range changes {
			if err := pp.undo(txn, c); err != nil {
				return fmt.Errorf("undo change %d: %w", c.Seq, err)
			}
		}
		return pp.fixTimes(txn, t)
	})
	if err != nil {
		return nil, err
	}
	p := &Plan{Format: PlanFormat, Sources: sources}
	for _, err := range []error{
		pastList(pp, KindBody, &p.Bodies), pastList(pp, KindGovernanceLevel, &p.GovernanceLevels),
		pastList(pp, KindForum, &p.Forums), pastList(pp, KindLifeEvent, &p.LifeEvents),
		pastList(pp, KindFocusArea, &p.FocusAreas), pastList(pp, KindInitiative, &p.Initiatives),
		pastList(pp, KindTiltak, &p.Tiltak), pastList(pp, KindStatusReport, &p.StatusReports),
	} {
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(p.StatusReports, compareReports)
	return p, nil
}

// load reads every live record of kind. Status reports are keyed as the
// audit trail names them: tiltak/period/body.
func (pp *pastPlan) load(txn *badger.Txn, kind Kind) error {
	prefix := []byte(recordPrefix[kind])
	m := map[string]recordFields{}
	pp.items[kind] = m
	return eachKey(txn, prefix, func(k, v []byte) error {
		f := recordFields{}
		if err := json.Unmarshal(v, &f); err != nil {
			return err
		}
		key := string(k[len(prefix):])
		if kind == KindStatusReport {
			key = reportRef(f)
		}
		m[key] = f
		return nil
	})
}

func reportRef(f recordFields) string {
	var r StatusReport
	b, _ := json.Marshal(f)
	_ = json.Unmarshal(b, &r)
	return r.TiltakKey + "/" + r.Period + "/" + r.BodyKey
}

// changesAfter returns the audit entries after t, newest first.
func changesAfter(ctx context.Context, txn *badger.Txn, t time.Time) ([]*Change, error) {
	prefix := []byte("a/")
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true, PrefetchValues: true})
	defer it.Close()
	var out []*Change
	for it.Seek([]byte("a/\xff")); it.ValidForPrefix(prefix); it.Next() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := new(Change)
		if err := it.Item().Value(func(b []byte) error { return decode(b, c) }); err != nil {
			return nil, err
		}
		if !c.At.After(t) {
			break
		}
		out = append(out, c)
	}
	return out, nil
}

// undo rolls one change back. Changes to what the plan does not hold
// (tokens, meetings, plan versions) are skipped.
func (pp *pastPlan) undo(txn *badger.Txn, c *Change) error {
	m := pp.items[c.Kind]
	if m == nil {
		return nil
	}
	ref := entityRef(c.Kind, c.Key)
	pp.undone[ref] = c.Seq
	switch c.Op {
	case OpCreate:
		delete(m, c.Key)
	case OpDelete:
		f := recordFields{}
		r, err := txnGetKey[RetiredItem](txn, retiredKey(c.Kind, c.Key))
		if itemKindOf(c.Kind) == "" || err != nil {
			setBefore(f, c.Fields)
			m[c.Key] = f
			return nil
		}
		// The marker holds the whole record, version and time included.
		delete(pp.undone, ref)
		if err := json.Unmarshal(r.Record, &f); err != nil {
			return err
		}
		m[c.Key] = f
		for _, sr := range r.StatusReports {
			if err := pp.restoreReport(sr); err != nil {
				return err
			}
		}
	case OpUpdate:
		f := m[c.Key]
		if f == nil {
			return nil // not in the store: nothing to roll back
		}
		setBefore(f, c.Fields)
		var v int
		_ = json.Unmarshal(f["version"], &v)
		f["version"], _ = json.Marshal(max(v-1, 1))
	}
	return nil
}

func (pp *pastPlan) restoreReport(sr StatusReport) error {
	b, err := json.Marshal(sr)
	if err != nil {
		return err
	}
	f := recordFields{}
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	pp.items[KindStatusReport][sr.TiltakKey+"/"+sr.Period+"/"+sr.BodyKey] = f
	return nil
}

func setBefore(f recordFields, fields []FieldChange) {
	for _, fc := range fields {
		if fc.Before == "null" {
			delete(f, fc.Field)
		} else {
			f[fc.Field] = json.RawMessage(fc.Before)
		}
	}
}

// fixTimes sets the time of last change of every entity with changes
// undone: the time of its latest change at or before t, or t itself when
// the trail has none (it was imported and not changed since).
func (pp *pastPlan) fixTimes(txn *badger.Txn, t time.Time) error {
	for ref, oldest := range pp.undone {
		short, key, _ := strings.Cut(ref, ":")
		f := pp.items[shortKind[short]][key]
		if f == nil {
			continue
		}
		at := t
		prefix := relPrefix(relEntityChange, ref)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true})
		it.Seek(relKey(relEntityChange, ref, seqString(oldest-1)))
		if it.ValidForPrefix(prefix) {
			if c, err := txnGetKey[Change](txn, []byte("a/"+lastSegment(it.Item().Key()))); err == nil {
				at = c.At
			}
		}
		it.Close()
		b, _ := json.Marshal(at)
		f["updatedAt"] = b
		if shortKind[short] == KindStatusReport {
			f["reportedAt"] = b
		}
	}
	return nil
}

// pastList decodes the field maps of kind into *dst, by key.
func pastList[T any](pp *pastPlan, kind Kind, dst *[]T) error {
	keys := make([]string, 0, len(pp.items[kind]))
	for k := range pp.items[kind] {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare[string])
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		b, err := json.Marshal(pp.items[kind][k])
		if err != nil {
			return err
		}
		var v T
		if err := decode(b, &v); err != nil {
			return fmt.Errorf("%s %q as it was: %w", kindLabel(kind), k, err)
		}
		out = append(out, v)
	}
	*dst = out
	return nil
}

// openAt returns a new in-memory store holding the plan as it stood at t.
func (db *DB) openAt(ctx context.Context, t time.Time) (*DB, error) {
	p, err := db.PlanAt(ctx, t)
	if err != nil {
		return nil, err
	}
	past, err := Open(Options{InMemory: true, Now: func() time.Time { return t }})
	if err != nil {
		return nil, err
	}
	if err := past.ImportPlan(ctx, p); err != nil {
		past.Close()
		return nil, fmt.Errorf("load the plan as of %s: %w", t.Format(time.RFC3339), err)
	}
	return past, nil
}

// changeHead returns the newest audit sequence number and its time (zero
// when the trail is empty), as the snapshot sees them.
func (s *Snapshot) changeHead() (uint64, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seq, err := readSeq(s.txn, keyChangeSeq)
	if err != nil || seq == 0 {
		return seq, time.Time{}, err
	}
	c, err := snapGet[Change](s, changeKey(seq))
	if err != nil {
		return 0, time.Time{}, err
	}
	return seq, c.At, nil
}

// changedAtOrBefore reports whether any audit entry in (from, to] is at
// or before t: whether the plan as of t differs between the two points.
func (s *Snapshot) changedAtOrBefore(from, to uint64, t time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for seq := from + 1; seq <= to; seq++ {
		c, err := snapGet[Change](s, changeKey(seq))
		if err != nil {
			return false, err
		}
		if !c.At.After(t) {
			return true, nil
		}
	}
	return false, nil
}

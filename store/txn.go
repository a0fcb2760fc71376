package store

import (
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// Helpers for read-write transactions. Each exported write method opens
// one transaction with db.update and calls these.

func txnGet[T any](txn *badger.Txn, kind Kind, key string) (*T, error) {
	v, err := txnGetKey[T](txn, recordKey(kind, key))
	if ErrorCode(err) == NotFound {
		return nil, Errorf(NotFound, "%s %q not found", kindLabel(kind), key)
	}
	return v, err
}

func txnGetKey[T any](txn *badger.Txn, key []byte) (*T, error) {
	item, err := txn.Get(key)
	if err == badger.ErrKeyNotFound {
		return nil, Errorf(NotFound, "%s not found", key)
	}
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := item.Value(func(b []byte) error { return decode(b, v) }); err != nil {
		return nil, err
	}
	return v, nil
}

func txnPut(txn *badger.Txn, key []byte, v any) error {
	b, err := encode(v)
	if err != nil {
		return err
	}
	return txn.Set(key, b)
}

// applyDerived replaces the old derived keys with the new: deletes what is
// gone, writes what is new or changed.
func applyDerived(txn *badger.Txn, old, new derived) error {
	for k := range old {
		if _, keep := new[k]; !keep {
			if err := txn.Delete([]byte(k)); err != nil {
				return err
			}
		}
	}
	for k, v := range new {
		if ov, had := old[k]; had && string(ov) == string(v) {
			continue
		}
		if v == nil {
			v = []byte{}
		}
		if err := txn.Set([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

// focusAreaLookup returns a function giving an initiative's focus area,
// read inside txn (and remembered).
func focusAreaLookup(txn *badger.Txn) func(string) string {
	seen := map[string]string{}
	return func(in string) string {
		if fa, ok := seen[in]; ok {
			return fa
		}
		i, err := txnGet[Initiative](txn, KindInitiative, in)
		fa := ""
		if err == nil {
			fa = i.FocusAreaKey
		}
		seen[in] = fa
		return fa
	}
}

// putTiltak writes a tiltak (old is nil for a new one) with its indexes
// and counters.
func putTiltak(txn *badger.Txn, old, t *Tiltak) error {
	fa := focusAreaLookup(txn)
	deltas := counterDeltas{}
	var oldDerived derived
	if old != nil {
		deltas.addTiltak(old, fa, -1)
	}
	deltas.addTiltak(t, fa, 1)
	if err := txnPut(txn, recordKey(KindTiltak, t.Key), t); err != nil {
		return err
	}
	// A status change (phase, health, progress) leaves the indexes as they
	// are: only rebuild them when a field they are made from changed.
	if old == nil || !sameIndexInputs(old, t) {
		if old != nil {
			oldDerived = tiltakDerived(old, fa)
		}
		if err := applyDerived(txn, oldDerived, tiltakDerived(t, fa)); err != nil {
			return err
		}
	}
	return applyCounters(txn, deltas)
}

// sameIndexInputs reports whether two versions of a tiltak have the same
// fields that tiltakDerived builds its keys from.
func sameIndexInputs(a, b *Tiltak) bool {
	return a.Key == b.Key && a.Title == b.Title && a.ResponsibleKey == b.ResponsibleKey &&
		a.GovernanceLevel == b.GovernanceLevel &&
		slices.Equal(a.ParticipantKeys, b.ParticipantKeys) &&
		slices.Equal(a.InitiativeKeys, b.InitiativeKeys) &&
		slices.Equal(a.LifeEventKeys, b.LifeEventKeys) &&
		slices.Equal(a.DependsOnKeys, b.DependsOnKeys) &&
		slices.Equal(a.PredecessorKeys, b.PredecessorKeys)
}

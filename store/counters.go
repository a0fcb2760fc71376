package store

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Status counters: one record per scope (the whole plan, a life event, an
// initiative, a focus area, a responsible body, a governance level) at
// c/<scope>/<scopeKey>, holding a cell per phase and health. A roll-up is
// one read, whatever the size of the plan.

// scopeCells is a scope's counter record: "PHASE/HEALTH" → the cell.
type scopeCells map[string]counterValue

func (c scopeCells) MarshalJSON() ([]byte, error) {
	m := make(map[string][3]int64, len(c))
	for k, v := range c {
		m[k] = [3]int64{v.N, v.ProgressSum, v.ProgressN}
	}
	return json.Marshal(m)
}

func (c *scopeCells) UnmarshalJSON(b []byte) error {
	var m map[string][3]int64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*c = make(scopeCells, len(m))
	for k, v := range m {
		(*c)[k] = counterValue{v[0], v[1], v[2]}
	}
	return nil
}

// splitCounterKey splits a cell key c/<scope>/<key>/<phase>/<health> into
// its scope record key and "phase/health".
func splitCounterKey(k string) (record, cellName string) {
	i := strings.LastIndexByte(k, '/')
	j := strings.LastIndexByte(k[:i], '/')
	return k[:j], k[j+1:]
}

// groupDeltas sorts cell deltas into their scope records.
func groupDeltas(deltas counterDeltas) map[string]scopeCells {
	out := map[string]scopeCells{}
	for k, d := range deltas {
		if d.isZero() {
			continue
		}
		rec, name := splitCounterKey(k)
		if out[rec] == nil {
			out[rec] = scopeCells{}
		}
		out[rec][name] = out[rec][name].add(d)
	}
	return out
}

func readScopeCells(get func([]byte) (*badger.Item, error), rec string) (scopeCells, error) {
	cells := scopeCells{}
	item, err := get([]byte(rec))
	if err == badger.ErrKeyNotFound {
		return cells, nil
	}
	if err != nil {
		return nil, err
	}
	return cells, item.Value(func(b []byte) error { return json.Unmarshal(b, &cells) })
}

// applyCounters adds deltas to the stored counters, dropping cells that
// reach zero and records that become empty.
func applyCounters(txn *badger.Txn, deltas counterDeltas) error {
	groups := groupDeltas(deltas)
	recs := make([]string, 0, len(groups))
	for rec := range groups {
		recs = append(recs, rec)
	}
	sort.Strings(recs)
	for _, rec := range recs {
		cells, err := readScopeCells(txn.Get, rec)
		if err != nil {
			return err
		}
		for name, d := range groups[rec] {
			next := cells[name].add(d)
			if next.N == 0 {
				delete(cells, name)
			} else {
				cells[name] = next
			}
		}
		if len(cells) == 0 {
			err = txn.Delete([]byte(rec))
		} else {
			var b []byte
			if b, err = json.Marshal(cells); err == nil {
				err = txn.Set([]byte(rec), b)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// migrateCountersToRecords (schema 3→4) folds the per-cell counter keys of
// older stores into one record per scope.
func migrateCountersToRecords(txn *badger.Txn) error {
	prefix := []byte("c/")
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
	deltas := counterDeltas{}
	var old [][]byte
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		k := string(it.Item().Key())
		if strings.Count(k, "/") != 4 {
			continue
		}
		var cv counterValue
		if err := it.Item().Value(func(b []byte) (err error) { cv, err = decodeCounter(b); return }); err != nil {
			it.Close()
			return err
		}
		deltas[k] = cv
		old = append(old, it.Item().KeyCopy(nil))
	}
	it.Close()
	for _, k := range old {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	return applyCounters(txn, deltas)
}

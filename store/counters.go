package store

import (
	"bytes"
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

// foldCounterCells (schema 3→4) writes one record per scope holding the
// per-cell counter keys of older stores. The records are written whole
// from the cells, which stay until dropCounterCells, so the step can run
// again after a crash.
func foldCounterCells(read *badger.Txn, w *badger.WriteBatch) error {
	deltas := counterDeltas{}
	err := eachCounterCell(read, func(k []byte, cv counterValue) error {
		deltas[string(k)] = cv
		return nil
	})
	if err != nil {
		return err
	}
	for rec, cells := range groupDeltas(deltas) {
		b, err := json.Marshal(cells)
		if err != nil {
			return err
		}
		if err := w.Set([]byte(rec), b); err != nil {
			return err
		}
	}
	return nil
}

// dropCounterCells deletes the per-cell counter keys once the records
// that replace them are in place.
func dropCounterCells(read *badger.Txn, w *badger.WriteBatch) error {
	return eachCounterCell(read, func(k []byte, _ counterValue) error { return w.Delete(bytes.Clone(k)) })
}

// eachCounterCell calls fn for every per-cell counter key of a schema-3
// store (c/<scope>/<key>/<phase>/<health>).
func eachCounterCell(read *badger.Txn, fn func(k []byte, cv counterValue) error) error {
	return iterate(read, []byte("c/"), nil, false, func(k, v []byte) (bool, error) {
		if bytes.Count(k, []byte("/")) != 4 {
			return true, nil
		}
		cv, err := decodeCounter(v)
		if err != nil {
			return false, err
		}
		return true, fn(k, cv)
	})
}

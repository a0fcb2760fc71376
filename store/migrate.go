package store

import (
	"encoding/binary"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// migrations[v] upgrades a store from schema version v to v+1, inside one
// transaction. Add a function here whenever SchemaVersion grows.
var migrations = map[int]func(txn *badger.Txn) error{
	// 1→2: bodies are indexed by kind.
	1: func(txn *badger.Txn) error {
		prefix := []byte(recordPrefix[KindBody])
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		var bodies []*Body
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			b := new(Body)
			if err := it.Item().Value(func(v []byte) error { return decode(v, b) }); err != nil {
				it.Close()
				return err
			}
			bodies = append(bodies, b)
		}
		it.Close()
		for _, b := range bodies {
			if err := txn.Set(relKey(relBodyKind, string(b.Kind), b.Key), []byte{}); err != nil {
				return err
			}
		}
		return nil
	},
	// 2→3: status reports are indexed per period (ps/<period>/<tiltak>).
	2: reindexPeriodStatus,
	// 3→4: status counters become one record per scope.
	3: migrateCountersToRecords,
}

// migrate brings the stored data up to [SchemaVersion]. An empty store is
// stamped with the current version; a store written by a newer version of
// the program is refused rather than misread.
func (db *DB) migrate() error {
	return db.bdb.Update(func(txn *badger.Txn) error {
		v, err := readSchemaVersion(txn)
		if err != nil {
			return err
		}
		if v == 0 {
			empty, err := isEmpty(txn)
			if err != nil {
				return err
			}
			if !empty {
				return fmt.Errorf("store has data but no schema version: not a Handlingsplan data directory")
			}
			return writeSchemaVersion(txn, SchemaVersion)
		}
		if v > SchemaVersion {
			return fmt.Errorf("store has schema version %d, newer than this program's %d: upgrade the program", v, SchemaVersion)
		}
		if v == SchemaVersion {
			return nil // nothing to write: a plain start leaves the store untouched
		}
		for ; v < SchemaVersion; v++ {
			m, ok := migrations[v]
			if !ok {
				return fmt.Errorf("no migration from schema version %d", v)
			}
			if err := m(txn); err != nil {
				return fmt.Errorf("migrate schema %d→%d: %w", v, v+1, err)
			}
		}
		return writeSchemaVersion(txn, SchemaVersion)
	})
}

func readSchemaVersion(txn *badger.Txn) (int, error) {
	item, err := txn.Get(keySchemaVersion)
	if err == badger.ErrKeyNotFound {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var v int
	err = item.Value(func(b []byte) error {
		if len(b) != 8 {
			return fmt.Errorf("schema version record is corrupt")
		}
		v = int(binary.BigEndian.Uint64(b))
		return nil
	})
	return v, err
}

func writeSchemaVersion(txn *badger.Txn, v int) error {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(v))
	return txn.Set(keySchemaVersion, b)
}

func isEmpty(txn *badger.Txn) (bool, error) {
	it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: false})
	defer it.Close()
	it.Rewind()
	return !it.Valid(), nil
}

// SchemaVersionStored returns the schema version recorded in the store.
func (db *DB) SchemaVersionStored() (int, error) {
	var v int
	err := db.bdb.View(func(txn *badger.Txn) (err error) {
		v, err = readSchemaVersion(txn)
		return err
	})
	return v, err
}

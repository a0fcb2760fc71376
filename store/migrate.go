package store

import (
	"encoding/binary"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// migration upgrades a store from one schema version to the next. apply
// reads the store as it stood when the step began (read) and writes through
// a write batch, which spreads the writes over as many transactions as it
// needs, so a store of any size migrates. Because a crash can leave apply
// half done, apply must be idempotent: it derives what it writes from data
// it does not change, and the step runs again on the next start. cleanup,
// if set, runs after the new version is recorded: deletions that apply's
// sources must survive until then (a crash before cleanup leaves harmless
// leftovers).
type migration struct {
	apply   func(read *badger.Txn, w *badger.WriteBatch) error
	cleanup func(read *badger.Txn, w *badger.WriteBatch) error
}

// migrations[v] upgrades a store from schema version v to v+1. Add one
// whenever SchemaVersion grows.
var migrations = map[int]migration{
	// 1→2: bodies are indexed by kind.
	1: {apply: func(read *badger.Txn, w *badger.WriteBatch) error {
		return iterate(read, []byte(recordPrefix[KindBody]), nil, false, func(_, v []byte) (bool, error) {
			b := new(Body)
			if err := decode(v, b); err != nil {
				return false, err
			}
			return true, w.Set(relKey(relBodyKind, string(b.Kind), b.Key), []byte{})
		})
	}},
	// 2→3: status reports are indexed per period (ps/<period>/<tiltak>).
	2: {apply: reindexPeriodStatus},
	// 3→4: status counters become one record per scope.
	3: {apply: foldCounterCells, cleanup: dropCounterCells},
}

// migrate brings the stored data up to [SchemaVersion], one step at a
// time, recording the version after each. An empty store is stamped with
// the current version; a store written by a newer version of the program
// is refused rather than misread.
func (db *DB) migrate() error {
	var v int
	err := db.bdb.Update(func(txn *badger.Txn) (err error) {
		if v, err = readSchemaVersion(txn); err != nil || v != 0 {
			return err
		}
		empty, err := isEmpty(txn)
		if err != nil {
			return err
		}
		if !empty {
			return fmt.Errorf("store has data but no schema version: not a Handlingsplan data directory")
		}
		v = SchemaVersion
		return writeSchemaVersion(txn, SchemaVersion)
	})
	if err != nil {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("store has schema version %d, newer than this program's %d: upgrade the program", v, SchemaVersion)
	}
	if v == SchemaVersion {
		return nil // a plain start leaves the store untouched
	}
	for ; v < SchemaVersion; v++ {
		m, ok := migrations[v]
		if !ok {
			return fmt.Errorf("no migration from schema version %d", v)
		}
		if err := db.migrationStep(m.apply); err != nil {
			return fmt.Errorf("migrate schema %d→%d: %w", v, v+1, err)
		}
		next := v + 1
		if err := db.bdb.Update(func(txn *badger.Txn) error { return writeSchemaVersion(txn, next) }); err != nil {
			return fmt.Errorf("migrate schema %d→%d: record the version: %w", v, next, err)
		}
		if m.cleanup != nil {
			if err := db.migrationStep(m.cleanup); err != nil {
				return fmt.Errorf("migrate schema %d→%d: clean up: %w", v, next, err)
			}
		}
	}
	return db.bdb.Sync()
}

// migrationStep runs one part of a migration and puts its writes on disk.
func (db *DB) migrationStep(fn func(read *badger.Txn, w *badger.WriteBatch) error) error {
	read := db.bdb.NewTransaction(false)
	defer read.Discard()
	w := db.bdb.NewWriteBatch()
	if err := fn(read, w); err != nil {
		w.Cancel()
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return db.bdb.Sync()
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

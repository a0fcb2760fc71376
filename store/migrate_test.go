package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// A store written before bodies were indexed by kind (schema 1) gets the
// index when it is opened by this version.
func TestMigrationIndexesBodiesByKind(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	plan := &Plan{Format: PlanFormat,
		Bodies:           []Body{{Key: "kmd", Name: "KMD", Kind: BodyMinistry}, {Key: "digdir", Name: "Digdir", Kind: BodyDirectorate, ParentKey: "kmd"}},
		GovernanceLevels: []GovernanceLevel{{Level: 3, Name: "Virksomhetsnivå"}},
	}
	if err := db.ImportPlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	// Turn it into a schema-1 store: no kind index, version 1.
	if err := db.bdb.Update(func(txn *badger.Txn) error {
		for _, k := range []string{"x/bo-kind/MINISTRY/kmd", "x/bo-kind/DIRECTORATE/digdir"} {
			if err := txn.Delete([]byte(k)); err != nil {
				return err
			}
		}
		return writeSchemaVersion(txn, 1)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersionStored(); v != SchemaVersion {
		t.Fatalf("schema version %d after open, want %d", v, SchemaVersion)
	}
	snap := db.Snapshot()
	defer snap.Close()
	n, err := snap.CountBodies(BodyFilter{Kinds: []BodyKind{BodyMinistry}})
	if err != nil || n != 1 {
		t.Errorf("ministries after migration: %d, %v; want 1", n, err)
	}
}

// Counters kept as one key per cell (schema 3) are folded into one record
// per scope, and roll-ups read the same after the migration.
func TestMigrationFoldsCounterCells(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bdb.Update(func(txn *badger.Txn) error {
		for k, n := range map[string]int64{"c/all/-/ACTIVE/MAJOR_DELAYS": 2, "c/all/-/COMPLETED/-": 3, "c/le/fa-barn/ACTIVE/MAJOR_DELAYS": 1} {
			if err := txn.Set([]byte(k), encodeCounter(counterValue{N: n})); err != nil {
				return err
			}
		}
		return writeSchemaVersion(txn, 3)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	snap := db.Snapshot()
	defer snap.Close()
	sum, err := snap.TiltakSummary(TiltakFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total != 5 || sum.ByHealth[2].Count != 2 {
		t.Errorf("after migration: total %d, major delays %d; want 5 and 2", sum.Total, sum.ByHealth[2].Count)
	}
	le, _ := snap.TiltakSummary(TiltakFilter{LifeEventKey: "fa-barn"})
	if le.Total != 1 {
		t.Errorf("life event total %d, want 1", le.Total)
	}
	if err := db.bdb.View(func(txn *badger.Txn) error {
		if _, err := txn.Get([]byte("c/all/-/COMPLETED/-")); err != badger.ErrKeyNotFound {
			t.Errorf("old cell key still there (%v)", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A migration larger than one Badger transaction still runs: steps write in
// batches. 60,000 counter cells are more than one transaction may hold.
func TestMigrationLargerThanOneTransaction(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	const scopes = 20000
	w := db.bdb.NewWriteBatch()
	for i := range scopes {
		for _, cell := range []string{"ACTIVE/ON_TRACK", "ACTIVE/MAJOR_DELAYS", "COMPLETED/-"} {
			k := []byte(fmt.Sprintf("c/bo/body-%05d/%s", i, cell))
			if err := w.Set(k, encodeCounter(counterValue{N: 1})); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := db.bdb.Update(func(txn *badger.Txn) error {
		for _, cell := range []string{"ACTIVE/ON_TRACK", "ACTIVE/MAJOR_DELAYS", "COMPLETED/-"} {
			if err := txn.Set([]byte("c/all/-/"+cell), encodeCounter(counterValue{N: scopes})); err != nil {
				return err
			}
		}
		return writeSchemaVersion(txn, 3)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(Options{Dir: dir})
	if err != nil {
		t.Fatalf("open a large schema-3 store: %v", err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersionStored(); v != SchemaVersion {
		t.Fatalf("schema version %d after open, want %d", v, SchemaVersion)
	}
	snap := db.Snapshot()
	defer snap.Close()
	sum, err := snap.TiltakSummary(TiltakFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total != 3*scopes {
		t.Errorf("total after migration %d, want %d", sum.Total, 3*scopes)
	}
	cells := 0
	if err := db.bdb.View(func(txn *badger.Txn) error {
		return eachCounterCell(txn, func([]byte, counterValue) error { cells++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	if cells != 0 {
		t.Errorf("%d old counter cells left after migration", cells)
	}
}

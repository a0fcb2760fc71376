package store

import (
	"context"
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

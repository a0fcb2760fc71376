package store

import (
	"context"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// A write that panics fails alone, with an error; the writer goroutine
// lives on and takes the next write.
func TestBatchedWriteThatPanicsFailsAlone(t *testing.T) {
	db, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	err = db.updateBatched(ctx, func(*badger.Txn, *newestKeys) error { panic("a bug in one write") })
	if err == nil || ErrorCode(err) != Internal {
		t.Fatalf("a panicking write returned %v, want an internal error", err)
	}
	err = db.updateBatched(ctx, func(txn *badger.Txn, _ *newestKeys) error {
		return txn.Set([]byte("m/after-panic"), []byte("ok"))
	})
	if err != nil {
		t.Fatalf("the write after a panic: %v", err)
	}
	if err := db.bdb.View(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte("m/after-panic"))
		return err
	}); err != nil {
		t.Fatalf("the write after a panic is not stored: %v", err)
	}
}

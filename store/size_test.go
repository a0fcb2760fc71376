package store_test

import (
	"context"
	"testing"

	"handlingsplan/store"
)

// The operator's metrics: the store's size on disk, and write failures
// counted (input the store refuses is not a failure).
func TestSizeAndWriteErrors(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.CheckWritable(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateToken(ctx, store.System, "kmd", store.Role("NOBODY"), ""); store.ErrorCode(err) != store.Invalid {
		t.Fatalf("bad role: %v, want Invalid", err)
	}
	if n := db.WriteErrors(); n != 0 {
		t.Errorf("WriteErrors after good writes and refused input = %d, want 0", n)
	}
	db.Close()
	if err := db.CheckWritable(ctx); err == nil {
		t.Fatal("a write to a closed store succeeded")
	}
	if n := db.WriteErrors(); n != 1 {
		t.Errorf("WriteErrors after a failed write = %d, want 1", n)
	}

	db, err = store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := db.Size(); n <= 0 {
		t.Errorf("Size of a store with data on disk = %d, want > 0", n)
	}
}

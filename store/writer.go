package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// maxWriteBatch bounds how many queued writes share one transaction.
const maxWriteBatch = 128

// errClosed is returned for a write that arrives after Close.
var errClosed = Errorf(Internal, "the store is closed")

// writeReq is one write waiting for the writer goroutine.
type writeReq struct {
	fn   func(txn *badger.Txn, newest *newestKeys) error
	err  error
	seq  uint64 // commit sequence number, for the group sync
	done chan struct{}
}

// updateBatched is update for writes that many clients send at once (status
// reports): concurrent writes are applied together in one Badger
// transaction by the writer goroutine, and share its commit and disk sync.
// It returns once the write is on disk. fn may run more than once (when a
// write in its batch fails, every write of the batch is applied again on
// its own), so it must compute everything from txn and keep no state
// between runs. newest is shared by the writes of one transaction (nil
// when a write runs alone).
func (db *DB) updateBatched(ctx context.Context, fn func(txn *badger.Txn, newest *newestKeys) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{fn: fn, done: make(chan struct{})}
	select {
	case db.writes <- req:
	case <-db.stopWriter:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	<-req.done // taken: the write is applied (or refused) whatever ctx does now
	if req.err != nil {
		if errors.Is(req.err, badger.ErrTxnTooBig) {
			return Errorf(Invalid, "the change is too large for one transaction")
		}
		if _, ok := errors.AsType[*Error](req.err); !ok {
			db.writeErrors.Add(1)
		}
		return storageError(req.err)
	}
	if err := db.sync.wait(req.seq); err != nil {
		db.writeErrors.Add(1)
		return syncError(err)
	}
	db.notify()
	return nil
}

// runWriter applies queued writes: it takes one, then every other write
// already waiting (up to maxWriteBatch), and applies them in one
// transaction. The channel is unbuffered, so a write is either taken by
// the writer or refused by Close, never lost in between.
func (db *DB) runWriter() {
	defer close(db.writerDone)
	batch := make([]*writeReq, 0, maxWriteBatch)
	for {
		select {
		case <-db.stopWriter:
			return
		case req := <-db.writes:
			batch = append(batch[:0], req)
		collect:
			for len(batch) < maxWriteBatch {
				select {
				case r := <-db.writes:
					batch = append(batch, r)
				default:
					break collect
				}
			}
			db.applyBatch(batch)
		}
	}
}

// applyBatch applies the writes of batch in one transaction, in order, so
// each sees the ones before it. If any write fails, the shared transaction
// is dropped and each write is applied alone instead: one bad write never
// takes others down with it.
func (db *DB) applyBatch(batch []*writeReq) {
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	if err := db.faults.check(); err != nil {
		for _, r := range batch {
			r.err = err
			close(r.done)
		}
		return
	}
	shared := len(batch) > 1
	if shared {
		committed := db.bdb.NewTransaction(false) // the store before this batch
		newest := newNewestKeys(committed)
		txn := db.bdb.NewTransaction(true)
		for _, r := range batch {
			if err := r.apply(txn, newest); err != nil {
				shared = false
				break
			}
		}
		committed.Discard()
		if shared {
			if err := txn.Commit(); err != nil {
				shared = false
			}
		} else {
			txn.Discard()
		}
	}
	if !shared {
		for _, r := range batch {
			r.err = db.bdb.Update(func(txn *badger.Txn) error { return r.apply(txn, nil) })
		}
	}
	seq := db.sync.committed()
	for _, r := range batch {
		r.seq = seq
		close(r.done)
	}
}

// apply runs the write's function, turning a panic into an error: the
// writer goroutine serves every client and must outlive a bug in one write.
func (r *writeReq) apply(txn *badger.Txn, newest *newestKeys) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write panicked: %v", p)
		}
	}()
	return r.fn(txn, newest)
}

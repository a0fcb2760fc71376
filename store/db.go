package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// SchemaVersion is the version of the key layout and record format this
// code reads and writes. Open migrates older stores up to it.
const SchemaVersion = 4

// Options configure [Open].
type Options struct {
	// Dir is the data directory. Ignored when InMemory is set.
	Dir string
	// InMemory keeps everything in memory (tests, demos).
	InMemory bool
	// Logger receives Badger's warnings and errors. Nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// GCInterval is how often value-log garbage collection runs; zero
	// means every 5 minutes.
	GCInterval time.Duration
	// Faults, if set, injects disk faults into writes (tests, drills).
	Faults *WriteFaults
}

// DB is the action-plan store on Badger. It is safe for concurrent use.
//
// Writes are serialised: one writer at a time applies its transaction, so
// counters and indexes never conflict, and a group of writers shares one
// disk sync (group commit). A write returns only once it is on disk.
type DB struct {
	bdb *badger.DB
	now func() time.Time

	writeMu sync.Mutex // serialises update transactions
	sync    groupSync

	stopGC chan struct{}
	gcDone chan struct{}

	records recordCache // decoded records shared by snapshots

	writes     chan *writeReq // to the writer goroutine (see writer.go)
	stopWriter chan struct{}
	writerDone chan struct{}

	subMu sync.Mutex
	subs  map[chan struct{}]bool

	faults      *WriteFaults  // injected disk faults (fault.go)
	writeErrors atomic.Uint64 // failed write transactions (size.go)
}

// Open opens (or creates) a store. Returns an error naming the cause when
// the directory is held by another process or cannot be read.
func Open(opts Options) (*DB, error) {
	bo := badger.DefaultOptions(opts.Dir)
	if opts.InMemory {
		bo = badger.DefaultOptions("").WithInMemory(true)
	}
	// Sized for a small host (see README): Badger's defaults assume a large server.
	bo = bo.WithLogger(badgerLogger{opts.Logger}).
		WithSyncWrites(false). // durability comes from the group sync after each commit
		WithMemTableSize(16 << 20).
		WithBlockCacheSize(32 << 20).
		WithIndexCacheSize(16 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithValueLogFileSize(64 << 20).
		WithBaseTableSize(4 << 20).
		WithValueThreshold(32 << 10). // records stay in the LSM tree: one read per record
		WithNumCompactors(2).
		WithDetectConflicts(false) // writers are serialised by writeMu
	if opts.InMemory {
		bo = bo.WithValueThreshold(1 << 20) // no value log in memory: every value must fit
	}
	bdb, err := badger.Open(bo)
	if err != nil {
		if opts.Dir != "" && isLockError(err) {
			return nil, fmt.Errorf("data directory %s is in use by another process (Badger holds a lock on it): %w", opts.Dir, err)
		}
		return nil, fmt.Errorf("open store in %q: %w", opts.Dir, err)
	}
	db := &DB{bdb: bdb, now: opts.Now, stopGC: make(chan struct{}), gcDone: make(chan struct{}), faults: opts.Faults,
		writes: make(chan *writeReq), stopWriter: make(chan struct{}), writerDone: make(chan struct{})}
	if db.now == nil {
		db.now = time.Now
	}
	db.sync.sync = opts.Faults.wrapSync(bdb.Sync)
	if err := db.migrate(); err != nil {
		bdb.Close()
		return nil, err
	}
	interval := opts.GCInterval
	if interval == 0 {
		interval = 5 * time.Minute
	}
	go db.runGC(interval, opts.InMemory)
	go db.runWriter()
	return db, nil
}

// Close stops background work and closes Badger. It waits for the writer
// goroutine's batch in progress and the value-log garbage collector to
// finish; writes arriving later are refused.
func (db *DB) Close() error {
	close(db.stopWriter)
	<-db.writerDone
	close(db.stopGC)
	<-db.gcDone
	return db.bdb.Close()
}

func isLockError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot acquire directory lock") || strings.Contains(msg, "resource temporarily unavailable")
}

func (db *DB) runGC(every time.Duration, inMemory bool) {
	defer close(db.gcDone)
	if inMemory {
		<-db.stopGC
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-db.stopGC:
			return
		case <-t.C:
			for db.bdb.RunValueLogGC(0.5) == nil {
			}
		}
	}
}

// update runs fn in a read-write transaction, alone, and returns once the
// change is on disk. fn must not keep values after it returns.
func (db *DB) update(ctx context.Context, fn func(txn *badger.Txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.writeMu.Lock()
	err := db.faults.check()
	if err == nil {
		err = db.bdb.Update(fn)
	}
	var seq uint64
	if err == nil {
		seq = db.sync.committed()
	}
	db.writeMu.Unlock()
	if err != nil {
		if errors.Is(err, badger.ErrTxnTooBig) {
			return Errorf(Invalid, "the change is too large for one transaction")
		}
		if _, ok := errors.AsType[*Error](err); !ok {
			db.writeErrors.Add(1)
		}
		return storageError(err)
	}
	if err := db.sync.wait(seq); err != nil {
		db.writeErrors.Add(1)
		return syncError(err)
	}
	db.notify()
	return nil
}

// Subscribe returns a channel that receives a signal after writes are on
// disk (signals coalesce: one may stand for many writes), and a function to
// stop. Readers then look at what changed, e.g. with [DB.EventsAfter].
func (db *DB) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	db.subMu.Lock()
	if db.subs == nil {
		db.subs = map[chan struct{}]bool{}
	}
	db.subs[ch] = true
	db.subMu.Unlock()
	return ch, func() {
		db.subMu.Lock()
		delete(db.subs, ch)
		db.subMu.Unlock()
	}
}

func (db *DB) notify() {
	db.subMu.Lock()
	defer db.subMu.Unlock()
	for ch := range db.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// groupSync lets many committed writers share one disk sync: a writer waits
// until a sync that started after its commit has finished.
type groupSync struct {
	sync func() error

	mu      sync.Mutex
	cond    *sync.Cond
	last    uint64 // sequence number of the last commit
	synced  uint64 // every commit up to this one is on disk
	running bool
	err     error
}

// committed records a commit (called under the write lock) and returns its
// sequence number.
func (g *groupSync) committed() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.last++
	return g.last
}

func (g *groupSync) wait(seq uint64) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cond == nil {
		g.cond = sync.NewCond(&g.mu)
	}
	for g.synced < seq {
		if g.running {
			g.cond.Wait()
			continue
		}
		g.running = true
		target := g.last
		g.mu.Unlock()
		err := g.sync()
		g.mu.Lock()
		g.running = false
		if err != nil {
			g.err = err
			g.cond.Broadcast()
			return err
		}
		g.synced = target
		g.cond.Broadcast()
	}
	return nil
}

// badgerLogger routes Badger's log lines to slog, dropping its INFO chatter.
type badgerLogger struct{ log *slog.Logger }

func (l badgerLogger) Errorf(f string, a ...any) {
	if l.log != nil {
		l.log.Error("badger: " + fmt.Sprintf(f, a...))
	}
}

func (l badgerLogger) Warningf(f string, a ...any) {
	if l.log != nil {
		l.log.Warn("badger: " + fmt.Sprintf(f, a...))
	}
}
func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}

// CheckWritable writes and syncs a small marker record: it fails when the
// store is closed, the disk is full or the directory is read-only.
func (db *DB) CheckWritable(ctx context.Context) error {
	now := db.now().UTC().Format(time.RFC3339Nano)
	return db.update(ctx, func(txn *badger.Txn) error {
		return txn.Set([]byte("m/ready"), []byte(now))
	})
}

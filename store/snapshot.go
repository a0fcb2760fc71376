package store

import (
	"bytes"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
)

// Snapshot is one consistent read view of the store: everything read
// through it shows the store as it stood when the snapshot was taken, even
// while writes go on. The resolvers of one GraphQL request share one
// snapshot and read it concurrently: a Badger read-only transaction may be
// read from many goroutines, so reads take no lock; only the cache of
// decoded records has one, held for map access alone.
//
// Decoded records are cached for the snapshot's life, so an entity that a
// request meets many times (a responsible body) is read and decoded once.
// Callers must treat records they get as read-only: they are shared.
type Snapshot struct {
	// mu is for readers that walk several keys and want no other reader of
	// this snapshot to interleave (a few list functions); plain reads do not
	// take it.
	mu  sync.Mutex
	txn *badger.Txn

	shared *recordCache // decoded records across snapshots (record_cache.go)

	cacheMu sync.RWMutex
	cache   map[string]any

	reads atomic.Int64
}

// Snapshot opens a read view. The caller must Close it.
func (db *DB) Snapshot() *Snapshot {
	return &Snapshot{txn: db.bdb.NewTransaction(false), cache: map[string]any{}, shared: &db.records}
}

// Close releases the snapshot. No read may be in progress.
func (s *Snapshot) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.txn.Discard()
}

// Reads returns how many records and index entries the snapshot has read
// from Badger (cache hits excluded): the work a request did.
func (s *Snapshot) Reads() int { return int(s.reads.Load()) }

func (s *Snapshot) cached(k string) (any, bool) {
	s.cacheMu.RLock()
	v, ok := s.cache[k]
	s.cacheMu.RUnlock()
	return v, ok
}

// remember caches v under k unless another reader got there first, and
// returns what is cached.
func (s *Snapshot) remember(k string, v any) any {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if old, ok := s.cache[k]; ok {
		return old
	}
	s.cache[k] = v
	return v
}

// getRecord returns the record of kind with key, decoded into a new T.
// Returns NotFound if there is none.
func getRecord[T any](s *Snapshot, kind Kind, key string) (*T, error) {
	k := recordKey(kind, key)
	if v, ok := s.cached(string(k)); ok {
		if v == nil {
			return nil, Errorf(NotFound, "%s %q not found", kindLabel(kind), key)
		}
		return v.(*T), nil
	}
	s.reads.Add(1)
	item, err := s.txn.Get(k)
	if err == badger.ErrKeyNotFound {
		s.remember(string(k), nil)
		return nil, Errorf(NotFound, "%s %q not found", kindLabel(kind), key)
	}
	if err != nil {
		return nil, err
	}
	v, err := decodeShared[T](s, string(k), item)
	if err != nil {
		return nil, err
	}
	return s.remember(string(k), v).(*T), nil
}

// decodeShared decodes item into a *T, or takes the record decoded
// earlier by any snapshot from the same version.
func decodeShared[T any](s *Snapshot, key string, item *badger.Item) (*T, error) {
	version := item.Version()
	if s.shared != nil {
		if v, ok := s.shared.get(key, version); ok {
			if t, ok := v.(*T); ok {
				return t, nil
			}
		}
	}
	v := new(T)
	if err := item.Value(func(b []byte) error { return decode(b, v) }); err != nil {
		return nil, err
	}
	if s.shared != nil {
		s.shared.put(key, version, v)
	}
	return v, nil
}

// getRecords returns the records for keys in order. Returns NotFound naming
// the first key that does not exist.
func getRecords[T any](s *Snapshot, kind Kind, keys []string) ([]*T, error) {
	out := make([]*T, len(keys))
	for i, k := range keys {
		v, err := getRecord[T](s, kind, k)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func getOne[T any](s *Snapshot, kind Kind, key string) (*T, error) {
	return getRecord[T](s, kind, key)
}

// listRecords returns every record under kind's prefix, in key order.
func listRecords[T any](s *Snapshot, kind Kind) ([]*T, error) {
	prefix := []byte(recordPrefix[kind])
	it := s.txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 100, Prefix: prefix})
	defer it.Close()
	var out []*T
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		s.reads.Add(1)
		k := string(it.Item().Key())
		if v, ok := s.cached(k); ok && v != nil {
			out = append(out, v.(*T))
			continue
		}
		v, err := decodeShared[T](s, k, it.Item())
		if err != nil {
			return nil, err
		}
		out = append(out, s.remember(k, v).(*T))
	}
	return out, nil
}

// relatedKeys returns the "to" keys of rel from from, in key order.
func (s *Snapshot) relatedKeys(rel relation, from string) []string {
	return s.prefixKeys(relPrefix(rel, from))
}

// prefixKeys lists the last segment of every key under prefix.
func (s *Snapshot) prefixKeys(prefix []byte) []string {
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var out []string
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		s.reads.Add(1)
		out = append(out, lastSegment(it.Item().Key()))
	}
	return out
}

// countPrefix counts the keys under prefix without reading values.
func (s *Snapshot) countPrefix(prefix []byte) int {
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	n := 0
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		n++
	}
	s.reads.Add(1)
	return n
}

// scanKeys walks the entity keys under prefix (the last segment of each
// key) forwards from after (exclusive) or backwards from before
// (exclusive), calling visit until it returns false. It reads a key only
// when visit asks for the next one, so a page of five reads six keys.
func (s *Snapshot) scanKeys(prefix []byte, from string, reverse bool, visit func(key string) (bool, error)) error {
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: reverse})
	defer it.Close()
	seek := append(bytes.Clone(prefix), from...)
	if reverse && from == "" {
		seek = append(bytes.Clone(prefix), 0xff)
	}
	for it.Seek(seek); it.ValidForPrefix(prefix); it.Next() {
		s.reads.Add(1)
		k := lastSegment(it.Item().Key())
		if from != "" && k == from {
			continue
		}
		more, err := visit(k)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// prefixFull lists every whole key under prefix.
func (s *Snapshot) prefixFull(prefix []byte) []string {
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var out []string
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		s.reads.Add(1)
		out = append(out, string(it.Item().Key()))
	}
	return out
}

// snapGet reads and decodes one record by its full key (uncached).
func snapGet[T any](s *Snapshot, key []byte) (*T, error) {
	s.reads.Add(1)
	item, err := s.txn.Get(key)
	if err == badger.ErrKeyNotFound {
		return nil, Errorf(NotFound, "%s not found", key)
	}
	if err != nil {
		return nil, err
	}
	v := new(T)
	return v, item.Value(func(b []byte) error { return decode(b, v) })
}

// memoEntry is one memoised answer; done closes when it is known.
type memoEntry struct {
	done chan struct{}
	v    any
	err  error
}

// memo computes a value once per snapshot: the same question asked again
// within one request (an initiative under several life events) is answered
// from memory. The snapshot never changes, so neither does the answer.
// Concurrent askers of the same question wait for the first to compute it
// (an error is not remembered: the next asker tries again).
func memo[T any](s *Snapshot, key string, compute func() (T, error)) (T, error) {
	k := "memo:" + key
	for {
		mine := &memoEntry{done: make(chan struct{})}
		e := s.remember(k, mine).(*memoEntry)
		if e != mine {
			<-e.done
			if e.err == nil {
				return e.v.(T), nil
			}
			continue // the first asker failed: try again
		}
		return computeMemo(s, k, mine, compute)
	}
}

// computeMemo computes e's value; on an error or a panic the entry is
// dropped, and waiters are released either way.
func computeMemo[T any](s *Snapshot, k string, e *memoEntry, compute func() (T, error)) (v T, err error) {
	e.err = errMemoPanic
	defer func() {
		if e.err != nil {
			s.cacheMu.Lock()
			delete(s.cache, k)
			s.cacheMu.Unlock()
		}
		close(e.done)
	}()
	v, err = compute()
	e.v, e.err = v, err
	return v, err
}

var errMemoPanic = Errorf(Internal, "computing a memoised value panicked")

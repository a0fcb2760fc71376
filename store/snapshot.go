package store

import (
	"bytes"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// Snapshot is one consistent read view of the store: everything read
// through it shows the store as it stood when the snapshot was taken, even
// while writes go on. The resolvers of one GraphQL request share one
// snapshot; it is safe for concurrent use (reads are serialised on it).
//
// Decoded records are cached for the snapshot's life, so an entity that a
// request meets many times (a responsible body) is read and decoded once.
type Snapshot struct {
	mu    sync.Mutex
	txn   *badger.Txn
	cache map[string]any
	reads int
}

// Snapshot opens a read view. The caller must Close it.
func (db *DB) Snapshot() *Snapshot {
	return &Snapshot{txn: db.bdb.NewTransaction(false), cache: map[string]any{}}
}

// Close releases the snapshot.
func (s *Snapshot) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.txn.Discard()
}

// Reads returns how many records and index entries the snapshot has read
// from Badger (cache hits excluded): the work a request did.
func (s *Snapshot) Reads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads
}

// getRecord returns the record of kind with key, decoded into a new T.
// Returns NotFound if there is none. Callers hold s.mu.
func getRecord[T any](s *Snapshot, kind Kind, key string) (*T, error) {
	k := recordKey(kind, key)
	if v, ok := s.cache[string(k)]; ok {
		if v == nil {
			return nil, Errorf(NotFound, "%s %q not found", kindLabel(kind), key)
		}
		return v.(*T), nil
	}
	s.reads++
	item, err := s.txn.Get(k)
	if err == badger.ErrKeyNotFound {
		s.cache[string(k)] = nil
		return nil, Errorf(NotFound, "%s %q not found", kindLabel(kind), key)
	}
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := item.Value(func(b []byte) error { return decode(b, v) }); err != nil {
		return nil, err
	}
	s.cache[string(k)] = v
	return v, nil
}

// getRecords returns the records for keys in order. Returns NotFound naming
// the first key that does not exist.
func getRecords[T any](s *Snapshot, kind Kind, keys []string) ([]*T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
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
	s.mu.Lock()
	defer s.mu.Unlock()
	return getRecord[T](s, kind, key)
}

// listRecords returns every record under kind's prefix, in key order.
func listRecords[T any](s *Snapshot, kind Kind) ([]*T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := []byte(recordPrefix[kind])
	it := s.txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 100, Prefix: prefix})
	defer it.Close()
	var out []*T
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		s.reads++
		k := string(it.Item().Key())
		if v, ok := s.cache[k]; ok && v != nil {
			out = append(out, v.(*T))
			continue
		}
		v := new(T)
		if err := it.Item().Value(func(b []byte) error { return decode(b, v) }); err != nil {
			return nil, err
		}
		s.cache[k] = v
		out = append(out, v)
	}
	return out, nil
}

// relatedKeys returns the "to" keys of rel from from, in key order.
func (s *Snapshot) relatedKeys(rel relation, from string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.prefixKeys(relPrefix(rel, from))
}

// prefixKeys lists the last segment of every key under prefix. Callers
// hold s.mu.
func (s *Snapshot) prefixKeys(prefix []byte) []string {
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var out []string
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		s.reads++
		out = append(out, lastSegment(it.Item().Key()))
	}
	return out
}

// countPrefix counts the keys under prefix without reading values.
func (s *Snapshot) countPrefix(prefix []byte) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	n := 0
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		n++
	}
	s.reads++
	return n
}

// scanKeys walks the entity keys under prefix (the last segment of each
// key) forwards from after (exclusive) or backwards from before
// (exclusive), calling visit until it returns false.
func (s *Snapshot) scanKeys(prefix []byte, from string, reverse bool, visit func(key string) (bool, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: reverse})
	defer it.Close()
	seek := append(bytes.Clone(prefix), from...)
	if reverse && from == "" {
		seek = append(bytes.Clone(prefix), 0xff)
	}
	var batch []string
	it.Seek(seek)
	for {
		// Read keys in small batches under the lock, then visit them without
		// it, since visiting loads records through the same snapshot.
		batch = batch[:0]
		for ; it.ValidForPrefix(prefix) && len(batch) < 64; it.Next() {
			s.reads++
			k := lastSegment(it.Item().Key())
			if from != "" && k == from {
				continue
			}
			batch = append(batch, k)
		}
		s.mu.Unlock()
		if len(batch) == 0 {
			s.mu.Lock()
			return nil
		}
		for _, k := range batch {
			more, err := visit(k)
			if err != nil || !more {
				s.mu.Lock()
				return err
			}
		}
		s.mu.Lock()
	}
}

// prefixFull lists every whole key under prefix. Callers hold s.mu.
func (s *Snapshot) prefixFull(prefix []byte) []string {
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var out []string
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		s.reads++
		out = append(out, string(it.Item().Key()))
	}
	return out
}

// snapGet reads and decodes one record by its full key. Callers hold s.mu.
func snapGet[T any](s *Snapshot, key []byte) (*T, error) {
	s.reads++
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

// memo computes a value once per snapshot: the same question asked again
// within one request (an initiative under several life events) is answered
// from memory. The snapshot never changes, so neither does the answer.
func memo[T any](s *Snapshot, key string, compute func() (T, error)) (T, error) {
	s.mu.Lock()
	if v, ok := s.cache["memo:"+key]; ok {
		s.mu.Unlock()
		return v.(T), nil
	}
	s.mu.Unlock()
	v, err := compute()
	if err != nil {
		return v, err
	}
	s.mu.Lock()
	s.cache["memo:"+key] = v
	s.mu.Unlock()
	return v, nil
}

package store

import (
	"context"
	"sync"
	"time"
)

// History answers reads of the plan as it stood at a time: it
// reconstructs the plan ([DB.PlanAt]) into an in-memory store and keeps
// the most recently used few. A kept store stays valid while no change
// lands that is dated at or before its time, which it checks on every use
// against the audit trail, so a write never shows through a stale copy.
// Stores idle for longer than the idle time are closed. It is safe for
// concurrent use.
type History struct {
	src  *DB
	size int
	idle time.Duration

	mu   sync.Mutex
	past []*pastStore // least recently used first
}

type pastStore struct {
	at    time.Time
	seq   uint64 // the source's audit sequence it reflects
	db    *DB
	refs  int
	gone  bool // dropped from the list: close when refs reach zero
	timer *time.Timer
}

// NewHistory returns a History over db keeping up to size stores (at least
// one), each closed after idle unused.
func (db *DB) NewHistory(size int, idle time.Duration) *History {
	return &History{src: db, size: max(size, 1), idle: idle}
}

// Snapshot returns a read view of the plan as it stood at t, and a function
// to call after closing it. When nothing has changed since t it is a view
// of the live store.
func (h *History) Snapshot(ctx context.Context, t time.Time) (*Snapshot, func(), error) {
	live := h.src.Snapshot()
	seq, latest, err := live.changeHead()
	if err != nil {
		live.Close()
		return nil, nil, err
	}
	if !latest.After(t) {
		return live, func() {}, nil
	}
	p, err := h.find(live, t, seq)
	live.Close()
	if err != nil {
		return nil, nil, err
	}
	if p == nil {
		past, err := h.src.openAt(ctx, t)
		if err != nil {
			return nil, nil, err
		}
		p = h.add(&pastStore{at: t, seq: seq, db: past, refs: 1})
	}
	return p.db.Snapshot(), func() { h.release(p) }, nil
}

// find returns a kept store for t that is still valid at seq, holding a
// reference to it, or nil.
func (h *History) find(live *Snapshot, t time.Time, seq uint64) (*pastStore, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, p := range h.past {
		if !p.at.Equal(t) {
			continue
		}
		if p.seq != seq {
			changed, err := live.changedAtOrBefore(p.seq, seq, t)
			if err != nil {
				return nil, err
			}
			if changed || p.seq > seq {
				continue
			}
			p.seq = seq
		}
		h.past = append(append(h.past[:i:i], h.past[i+1:]...), p)
		p.refs++
		if p.timer != nil {
			p.timer.Stop()
			p.timer = nil
		}
		return p, nil
	}
	return nil, nil
}

// add keeps p, dropping the least recently used stores beyond the size.
// If an equivalent store was added meanwhile, p is closed and that one is
// used.
func (h *History) add(p *pastStore) *pastStore {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, q := range h.past {
		if q.at.Equal(p.at) && q.seq == p.seq {
			q.refs++
			if q.timer != nil {
				q.timer.Stop()
				q.timer = nil
			}
			p.db.Close()
			return q
		}
	}
	h.past = append(h.past, p)
	for len(h.past) > h.size {
		h.drop(h.past[0])
	}
	return p
}

// drop removes p from the list and closes it once unused. Callers hold h.mu.
func (h *History) drop(p *pastStore) {
	for i, q := range h.past {
		if q == p {
			h.past = append(h.past[:i:i], h.past[i+1:]...)
			break
		}
	}
	p.gone = true
	if p.refs == 0 {
		if p.timer != nil {
			p.timer.Stop()
		}
		p.db.Close()
	}
}

func (h *History) release(p *pastStore) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p.refs--
	if p.refs > 0 {
		return
	}
	if p.gone {
		p.db.Close()
		return
	}
	p.timer = time.AfterFunc(h.idle, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if p.refs == 0 && !p.gone {
			h.drop(p)
		}
	})
}

// Close closes every kept store that is not in use; those in use close
// when released.
func (h *History) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.past) > 0 {
		h.drop(h.past[0])
	}
}

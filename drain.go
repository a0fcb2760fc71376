package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Graceful shutdown. http.Server.Shutdown stops accepting connections and
// waits for idle ones, but gives up at its deadline while handlers may
// still run, and it does not wait for hijacked connections (WebSockets) at
// all. The store must not close under a running handler (its resolvers
// would fail with "DB Closed"), so every handler is counted here, and
// shutdown waits for the count to reach zero before the store closes.

// drainGrace is how long shutdown waits by default for requests to finish
// on their own before it cancels their contexts (--shutdown-grace).
const drainGrace = 15 * time.Second

// inflight counts running handlers and hands them a base context that
// shutdown can cancel.
type inflight struct {
	mu     sync.Mutex
	n      int
	idle   chan struct{} // closed when n drops to 0 while draining
	base   context.Context
	cancel context.CancelFunc
}

func newInflight() *inflight {
	f := &inflight{}
	f.base, f.cancel = context.WithCancel(context.Background())
	return f
}

// track counts h's running calls.
func (f *inflight) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.n++
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.n--
			if f.n == 0 && f.idle != nil {
				close(f.idle)
				f.idle = nil
			}
			f.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	})
}

func (f *inflight) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// drain shuts srv down: no new connections, in-flight requests finish
// (for up to grace; then their contexts are cancelled and their
// connections closed), and it returns only once every handler has
// returned, so the caller may close the store.
func (f *inflight) drain(srv *http.Server, grace time.Duration, log *slog.Logger) {
	start := time.Now()
	log.Info("shutting down: draining requests", "in_flight", f.count())
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	err := srv.Shutdown(ctx)
	cancel()
	if errors.Is(err, context.DeadlineExceeded) {
		log.Warn("shutdown: requests still running after the grace period; cancelling them", "in_flight", f.count(), "grace", grace)
	}
	f.cancel() // ends what Shutdown does not wait for: hijacked connections, stragglers
	srv.Close()
	done := make(chan struct{})
	f.mu.Lock()
	if f.n == 0 {
		close(done)
	} else {
		f.idle = done
	}
	f.mu.Unlock()
	for {
		select {
		case <-done:
			log.Info("shutdown: every request finished", "took", time.Since(start))
			return
		case <-time.After(5 * time.Second):
			log.Warn("shutdown: waiting for requests to finish before closing the store", "in_flight", f.count())
		}
	}
}

// closeStore closes the store cleanly (Badger flushes its memtable, so the
// next start replays nothing) and says so.
func closeStore(db interface{ Close() error }, log *slog.Logger) {
	if err := db.Close(); err != nil {
		log.Error("closing the store", "err", err)
		return
	}
	log.Info("store closed cleanly")
}

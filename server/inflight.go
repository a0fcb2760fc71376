package server

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"
)

// Defaults for [Config.MaxInFlight] and [Config.QueueWait].
var (
	// DefaultMaxInFlight is how many GraphQL operations run at once: a
	// few per CPU keeps every core busy without letting an overload pile
	// up goroutines and memory.
	DefaultMaxInFlight = 4 * runtime.GOMAXPROCS(0)
	// DefaultQueueWait is how long a request waits for a free slot before
	// it is refused with 503.
	DefaultQueueWait = 10 * time.Second
)

// isStream reports whether r opens a long-lived GraphQL stream: a
// WebSocket upgrade or server-sent events.
func isStream(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
		strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// limitInFlight lets at most max requests through to next at once; the
// others wait in line, and one that waits longer than wait is answered
// 503 Service Unavailable with Retry-After and the code SERVER_BUSY.
// Streams (subscriptions) are not counted: they are long-lived and mostly
// idle.
func limitInFlight(max int, wait time.Duration) func(http.Handler) http.Handler {
	if max <= 0 {
		max = DefaultMaxInFlight
	}
	if wait <= 0 {
		wait = DefaultQueueWait
	}
	slots := make(chan struct{}, max)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isStream(r) {
				next.ServeHTTP(w, r)
				return
			}
			select {
			case slots <- struct{}{}:
			default:
				t := time.NewTimer(wait)
				select {
				case slots <- struct{}{}:
					t.Stop()
				case <-t.C:
					w.Header().Set("Retry-After", "1")
					writeError(w, http.StatusServiceUnavailable,
						fmt.Sprintf("the server is busy: %d requests are running and this one waited %s for its turn; retry later", max, wait),
						map[string]any{"code": "SERVER_BUSY", "maxInFlight": max})
					return
				case <-r.Context().Done():
					t.Stop()
					return // the client is gone
				}
			}
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		})
	}
}

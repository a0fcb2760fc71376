package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentiles(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if p := pct(d, 0.50); p != 50 {
		t.Errorf("p50 = %v", p)
	}
	if p := pct(d, 0.99); p != 99 {
		t.Errorf("p99 = %v", p)
	}
	if p := pct(nil, 0.5); p != 0 {
		t.Errorf("empty p50 = %v", p)
	}
}

// A server that answers one request at a time and stalls once for 300 ms.
// With one closed-loop client only the stalled request is slow: the client
// waits, and sends nothing while the server is stuck (coordinated
// omission). The open loop keeps sending on schedule, so every request
// that fell due during the stall is late, and the latency shows it.
func TestOpenLoopCountsFromDueTime(t *testing.T) {
	var mu sync.Mutex
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if n.Add(1) == 20 {
			time.Sleep(300 * time.Millisecond)
		}
		w.Write([]byte(`{"data":{}}`))
	}))
	defer srv.Close()
	tgt := newTarget(srv.URL, "")
	body := []byte(`{"query":"{ x }"}`)
	w := workload{body: func(int, int) []byte { return body }}

	open := openLoop(context.Background(), tgt, w, 100, 0, time.Second, os.Getpid())
	if open.Errors != 0 || open.Requests < 95 {
		t.Fatalf("open loop: %+v", open)
	}
	// About 30 of the 100 requests fall due during the stall.
	if open.P95 < 100 || open.Max < 290 {
		t.Errorf("open loop p95 %.1f ms, max %.1f ms: the 300 ms stall is hidden", open.P95, open.Max)
	}

	n.Store(0)
	closed := closedLoop(context.Background(), tgt, w, 1, 0, time.Second, os.Getpid())
	if closed.Errors != 0 || closed.Max < 290 {
		t.Fatalf("closed loop: %+v", closed)
	}
	if closed.P95 > 50 {
		t.Errorf("closed loop p95 %.1f ms: expected only the stalled request to be slow", closed.P95)
	}
}

func TestGraphQLErrorsCount(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"errors":[{"message":"no"}],"data":null}`))
	}))
	defer srv.Close()
	w := workload{body: func(int, int) []byte { return []byte(`{}`) }}
	c := closedLoop(context.Background(), newTarget(srv.URL, ""), w, 1, 0, 200*time.Millisecond, os.Getpid())
	if c.Errors == 0 || c.Errors != c.Requests || c.FirstError == "" {
		t.Errorf("GraphQL errors not counted: %+v", c)
	}
}

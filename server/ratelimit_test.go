package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"handlingsplan/server"
)

// clock is a settable time for the rate limiter.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// addrCtx returns the context a request from addr gets in a server made by
// New, by sending one through it.
func addrCtx(t *testing.T, addr string) context.Context {
	t.Helper()
	var ctx context.Context
	h := server.New(server.Config{}, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ctx = r.Context() }))
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.RemoteAddr = addr
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got := server.ClientAddr(ctx); got != "192.0.2.1" && got != "192.0.2.2" {
		t.Fatalf("ClientAddr = %q for RemoteAddr %q", got, addr)
	}
	return ctx
}

// The leaky bucket: a burst's worth of cost goes through at once, one unit
// more waits exactly as long as the bucket needs to drain it, and the
// token's and the address's buckets are separate.
func TestRateLimiterJustUnderAndOver(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	l := server.NewRateLimiter(10, 100, c.now) // 10 units a second, 100 at once
	alice := addrCtx(t, "192.0.2.1:4000")
	bob := addrCtx(t, "192.0.2.2:4000")

	if wait := l.Admit(alice, "", 60); wait != 0 {
		t.Fatalf("60 of 100: wait %v", wait)
	}
	if wait := l.Admit(alice, "", 40); wait != 0 {
		t.Fatalf("100 of 100 (just under): wait %v", wait)
	}
	if wait := l.Admit(alice, "", 1); wait != 100*time.Millisecond {
		t.Fatalf("101 of 100 (just over): wait %v, want 100ms", wait)
	}
	if wait := l.Admit(bob, "", 100); wait != 0 {
		t.Fatalf("another address has its own bucket: wait %v", wait)
	}
	c.add(100 * time.Millisecond) // drains 1 unit
	if wait := l.Admit(alice, "", 1); wait != 0 {
		t.Fatalf("after waiting as told: wait %v", wait)
	}
	if by, addr := l.Refused(); by != 0 || addr != 1 {
		t.Errorf("Refused() = %d by token, %d by address; want 0, 1", by, addr)
	}

	// A token's bucket follows the token from any address.
	c.add(time.Minute)
	if wait := l.Admit(alice, "kmd", 100); wait != 0 {
		t.Fatalf("token at 100 of 100: wait %v", wait)
	}
	c.add(10 * time.Second) // alice's address bucket is empty again, bob's too
	if wait := l.Admit(bob, "kmd", 1); wait != 0 {
		t.Fatalf("token drained after 10 s: wait %v", wait)
	}
	if wait := l.Admit(bob, "kmd", 100); wait != 100*time.Millisecond {
		t.Fatalf("token over from another address: wait %v, want 100ms", wait)
	}
	if by, _ := l.Refused(); by != 1 {
		t.Errorf("refusals by token = %d, want 1", by)
	}

	// A query dearer than the whole burst runs from an empty bucket, and
	// every request costs at least 1.
	c.add(time.Minute)
	if wait := l.Admit(alice, "", 5000); wait != 0 {
		t.Errorf("cost above the burst from an empty bucket: wait %v", wait)
	}
	if wait := l.Admit(alice, "", 0); wait != 100*time.Millisecond {
		t.Errorf("cost 0 on a full bucket: wait %v, want 100ms (counts as 1)", wait)
	}
}

func TestRateLimiterOff(t *testing.T) {
	if l := server.NewRateLimiter(0, 100, nil); l != nil {
		t.Fatal("rate 0 should turn the limiter off (nil)")
	}
	var l *server.RateLimiter
	if wait := l.Admit(context.Background(), "x", 1<<30); wait != 0 {
		t.Errorf("nil limiter: wait %v", wait)
	}
}

package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
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

// Behind a reverse proxy every request comes from the proxy; the client is
// the address the proxy appended to X-Forwarded-For, and addresses the
// client wrote there itself are not believed.
func TestClientAddrBehindTrustedProxy(t *testing.T) {
	proxies, err := server.ParseTrustedProxies("10.0.0.0/8, 192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	h := server.New(server.Config{TrustedProxies: proxies}, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = server.ClientAddr(r.Context())
	}))
	for _, tt := range []struct{ name, peer, xff, want string }{
		{"no proxy", "203.0.113.9:5000", "", "203.0.113.9"},
		{"untrusted peer's header is ignored", "203.0.113.9:5000", "198.51.100.1", "203.0.113.9"},
		{"one trusted proxy", "192.0.2.7:443", "203.0.113.9", "203.0.113.9"},
		{"two trusted proxies", "10.1.2.3:443", "203.0.113.9, 10.9.9.9", "203.0.113.9"},
		{"a client's own claim is not believed", "10.1.2.3:443", "198.51.100.1, 203.0.113.9", "203.0.113.9"},
		{"garbage stops the walk", "10.1.2.3:443", "203.0.113.9, not-an-ip", "10.1.2.3"},
		{"IPv6 client", "[::ffff:10.1.2.3]:443", "2001:db8::1", "2001:db8::1"},
	} {
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		req.RemoteAddr = tt.peer
		if tt.xff != "" {
			req.Header.Set("X-Forwarded-For", tt.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != tt.want {
			t.Errorf("%s: ClientAddr = %q, want %q", tt.name, got, tt.want)
		}
	}
	if _, err := server.ParseTrustedProxies("10.0.0.0/8, proxy.example"); err == nil || !strings.Contains(err.Error(), "proxy.example") {
		t.Errorf("bad entry: err %v, want one naming it", err)
	}
}

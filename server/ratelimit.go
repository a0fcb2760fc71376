package server

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// RateLimiter is a leaky bucket of query cost per token and per client
// address. Each bucket drains at Rate cost units per second and holds at
// most Burst; a request is admitted when its cost fits into both its
// token's bucket (if it has a token) and its address's bucket, and is then
// poured into both. A refused request pours nothing, so a client that waits
// as told gets in.
//
// The GraphQL layer asks [RateLimiter.Admit] once it knows an operation's
// cost; the answer becomes 429 with Retry-After there.
type RateLimiter struct {
	rate, burst float64
	now         func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time

	refusedToken, refusedAddr atomic.Uint64
}

type bucket struct {
	level float64
	at    time.Time
}

// sweepEvery is how often buckets that have drained empty are forgotten,
// so that the map does not grow with every address ever seen.
const sweepEvery = time.Minute

// NewRateLimiter returns a limiter draining rate cost units per second
// from buckets of burst units. It returns nil (no limit) when rate is not
// positive; a burst below rate is raised to rate. now is the clock (nil:
// time.Now).
func NewRateLimiter(rate, burst float64, now func() time.Time) *RateLimiter {
	if rate <= 0 {
		return nil
	}
	if now == nil {
		now = time.Now
	}
	return &RateLimiter{rate: rate, burst: max(burst, rate), now: now, buckets: map[string]*bucket{}}
}

// Admit pours cost into the buckets of token (a token's name; "" for
// none) and of the client address of ctx (set by [New]'s middleware), and
// returns 0; or, when it does not fit, pours nothing and returns how long
// to wait until it would. Every request costs at least 1, and a cost above
// the burst is counted as the burst, so that it can run from an empty
// bucket. A nil limiter admits everything.
func (l *RateLimiter) Admit(ctx context.Context, token string, cost int) time.Duration {
	if l == nil {
		return 0
	}
	c := math.Min(math.Max(float64(cost), 1), l.burst)
	addr := ClientAddr(ctx)
	now := l.now()

	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	var keys []string
	if token != "" {
		keys = append(keys, "token:"+token)
	}
	if addr != "" {
		keys = append(keys, "addr:"+addr)
	}
	var wait float64
	refusedBy := ""
	for _, k := range keys {
		b := l.bucket(k, now)
		if over := b.level + c - l.burst; over > 0 && over/l.rate > wait {
			wait, refusedBy = over/l.rate, k
		}
	}
	if wait > 0 {
		if refusedBy[0] == 't' {
			l.refusedToken.Add(1)
		} else {
			l.refusedAddr.Add(1)
		}
		return time.Duration(math.Ceil(wait * float64(time.Second)))
	}
	for _, k := range keys {
		l.buckets[k].level += c
	}
	return 0
}

// bucket returns key's bucket, drained up to now.
func (l *RateLimiter) bucket(key string, now time.Time) *bucket {
	b := l.buckets[key]
	if b == nil {
		b = &bucket{at: now}
		l.buckets[key] = b
	}
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.level = math.Max(0, b.level-dt*l.rate)
		b.at = now
	}
	return b
}

func (l *RateLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < sweepEvery {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.level-now.Sub(b.at).Seconds()*l.rate <= 0 {
			delete(l.buckets, k)
		}
	}
}

// Refused returns how many requests were refused because of their
// token's bucket and because of their address's.
func (l *RateLimiter) Refused() (byToken, byAddr uint64) {
	if l == nil {
		return 0, 0
	}
	return l.refusedToken.Load(), l.refusedAddr.Load()
}

type clientAddrKey struct{}

// ClientAddr returns the client's IP address for the request whose
// context is ctx, or "": the TCP peer, or behind a trusted proxy the
// address that proxy saw (see [Config.TrustedProxies]).
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(clientAddrKey{}).(string)
	return a
}

// withClientAddr puts the client's IP address into the request context for
// [ClientAddr]. When the TCP peer is one of the trusted proxies, the
// client is the last address in X-Forwarded-For that is not itself a
// trusted proxy (each proxy appends the address it saw, so the addresses
// further left are whatever the client claimed).
func withClientAddr(trusted []netip.Prefix) func(http.Handler) http.Handler {
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				host = r.RemoteAddr
			}
			if peer, err := netip.ParseAddr(host); err == nil && len(trusted) > 0 && isTrusted(peer) {
				hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
				for i := len(hops) - 1; i >= 0; i-- {
					a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
					if err != nil {
						break // garbage: keep the last good address
					}
					host = a.Unmap().String()
					if !isTrusted(a) {
						break
					}
				}
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientAddrKey{}, host)))
		})
	}
}

// ParseTrustedProxies parses a comma-separated list of IP addresses and
// CIDR prefixes (e.g. "10.0.0.0/8, 192.0.2.7"), for [Config.TrustedProxies].
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither an IP address nor a CIDR prefix", s)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

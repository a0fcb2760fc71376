package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// documentedRefusals are the error codes a client must expect under load
// and handle by waiting or asking for less (see README): they count as
// refusals, not errors. HTTP 429 with Retry-After is one too.
var documentedRefusals = map[string]bool{
	"RATE_LIMITED":              true,
	"COST_LIMIT_EXCEEDED":       true,
	"DEPTH_LIMIT_EXCEEDED":      true,
	"TOKEN_LIMIT_EXCEEDED":      true,
	"PAGE_SIZE_EXCEEDED":        true,
	"PAYLOAD_TOO_LARGE":         true,
	"STORAGE_UNAVAILABLE":       true,
	"SERVICE_UNAVAILABLE":       true,
	"SERVER_BUSY":               true,
	"PERSISTED_QUERY_NOT_FOUND": true,
}

// soakReads are what dashboards and integrations ask, in rotation.
var soakReads = []string{
	`{ lifeEvents { nodes { key name statusSummary { total byPhase { phase count } byHealth { health count } }
	   initiatives { title tiltak(first: 5) { totalCount nodes { title phase health progress responsible { name } } } } } } }`,
	`{ tiltak(first: 50) { totalCount pageInfo { endCursor hasNextPage } nodes { key title phase health latestStatus { period summary } } } }`,
	`{ body(key: "digdir") { name responsibleFor(first: 20) { totalCount nodes { key title } } participatesIn(first: 20) { totalCount } } }`,
	`{ search(text: "dodsfall") { nodes { __typename ... on LifeEvent { name } ... on Tiltak { title } } } }`,
	`{ statusSummary { total averageProgress byHealth { health count } } governanceLevels { level name forums { name } } }`,
}

// A bounded soak: 64 clients on loopback mix reads and status reports for
// a minute. Nothing may fail except with a documented refusal; afterwards
// the server's goroutines are back to their count before the load (no
// leak) and its heap near where it stood after a warm-up with the same
// load (caches filled). The server runs in this
// process, so both can be measured. SOAK_DURATION shortens it while
// working on it; -short skips it.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: a minute of load (skipped with -short)")
	}
	duration := 60 * time.Second
	if d, err := time.ParseDuration(os.Getenv("SOAK_DURATION")); err == nil {
		duration = d
	}
	const clients = 64
	dir := defaultDataDir(t)
	token := createToken(t, dir, "digdir", "EDITOR")
	srv := startServe(t, nil, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--log-format", "json")
	keys := tiltakKeys(t, srv.url)
	srv.stderr.keepLast(64 << 10) // a log line per request: keep the tail, not 40 MB

	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	// Warm up (query cache, Badger's memtable and block cache, the record
	// cache) with a sixth of the same load, then take the baseline: what
	// the caches hold then may stay, growth after it may not.
	for _, q := range soakReads {
		if _, res, err := postGraphQL(client, srv.url, "", q, nil); err != nil || len(res.Errors) > 0 {
			t.Fatalf("warm-up %q: %v %+v", q, err, res)
		}
	}
	var (
		reads, writes, refusals atomic.Int64
		mu                      sync.Mutex
		errs                    []string
		wg                      sync.WaitGroup
	)
	fail := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(errs) < 20 {
			errs = append(errs, fmt.Sprintf(format, a...))
		}
	}
	soak := func(d time.Duration) {
		stop := time.Now().Add(d)
		for c := range clients {
			wg.Go(func() {
				rnd := rand.New(rand.NewPCG(uint64(c), 1))
				for i := 0; time.Now().Before(stop); i++ {
					var (
						status int
						res    *gqlResponse
						err    error
					)
					write := rnd.IntN(10) < 3
					if write {
						// A bounded set of (tiltak, period): reports replace each
						// other, as an integration's retries do.
						status, res, err = postGraphQL(client, srv.url, token, reportMutation, map[string]any{"in": map[string]any{
							"tiltakKey": keys[rnd.IntN(len(keys))], "period": nthPeriod(600 + rnd.IntN(12)),
							"phase": "ACTIVE", "health": "ON_TRACK", "progress": rnd.IntN(101),
							"summary": fmt.Sprintf("soak client %d #%d", c, i)}})
					} else {
						status, res, err = postGraphQL(client, srv.url, "", soakReads[rnd.IntN(len(soakReads))], nil)
					}
					switch {
					case err != nil:
						fail("client %d: %v", c, err)
					case status == http.StatusTooManyRequests:
						refusals.Add(1)
					case len(res.Errors) > 0:
						code, _ := res.Errors[0].Extensions["code"].(string)
						if documentedRefusals[code] {
							refusals.Add(1)
						} else {
							fail("client %d: status %d, error %q (code %q)", c, status, res.Errors[0].Message, code)
						}
					case status != http.StatusOK:
						fail("client %d: status %d", c, status)
					case write && strings.Contains(string(res.Data), `"userErrors":[{`):
						fail("client %d: report refused: %s", c, res.Data)
					case write:
						writes.Add(1)
					default:
						reads.Add(1)
					}
				}
			})
		}
		wg.Wait()
	}
	soak(duration / 6)
	if len(errs) > 0 {
		t.Fatalf("errors in the warm-up (first %d):\n%s", len(errs), strings.Join(errs, "\n"))
	}
	reads.Store(0)
	writes.Store(0)
	refusals.Store(0)
	transport.CloseIdleConnections()
	goroutinesBefore := settledGoroutines(0)
	heapBefore := heapInUse()

	soak(duration)
	transport.CloseIdleConnections()
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%v with %d clients: %d reads, %d writes (%.0f req/s), %d documented refusals",
		duration, clients, reads.Load(), writes.Load(), float64(reads.Load()+writes.Load())/duration.Seconds(), refusals.Load())
	if len(errs) > 0 {
		t.Errorf("errors under load (first %d):\n%s", len(errs), strings.Join(errs, "\n"))
	}
	if reads.Load() == 0 || writes.Load() == 0 {
		t.Errorf("the load did no work: %d reads, %d writes", reads.Load(), writes.Load())
	}

	goroutinesAfter := settledGoroutines(goroutinesBefore)
	if goroutinesAfter > goroutinesBefore+2 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutine leak: %d before the load, %d after it\n%s", goroutinesBefore, goroutinesAfter, buf[:runtime.Stack(buf, true)])
	}
	heapAfter := heapInUse()
	t.Logf("goroutines %d → %d, heap in use %.1f → %.1f MiB", goroutinesBefore, goroutinesAfter,
		float64(heapBefore)/(1<<20), float64(heapAfter)/(1<<20))
	// Near its start: what the written reports and Badger's caches hold may
	// stay, not what the load itself allocated.
	if heapAfter > heapBefore+heapBefore/2+32<<20 {
		t.Errorf("heap in use %d MiB after the load, %d MiB before: memory is not released", heapAfter>>20, heapBefore>>20)
	}
}

// settledGoroutines waits (up to 10 s) for the goroutine count to drop to
// want (0: to stop changing) and returns it: connections close and
// handlers return a moment after the clients stop.
func settledGoroutines(want int) int {
	deadline := time.Now().Add(10 * time.Second)
	last := runtime.NumGoroutine()
	for time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		n := runtime.NumGoroutine()
		if want > 0 && n <= want || want == 0 && n == last {
			return n
		}
		last = n
	}
	return last
}

// heapInUse returns the heap in use after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

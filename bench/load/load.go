package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// target is an HTTP endpoint the load is sent to.
type target struct {
	url    string
	client *http.Client
	auth   string // Authorization header value, if any
}

func newTarget(url, auth string) *target {
	tr := &http.Transport{
		MaxIdleConns:        2048,
		MaxIdleConnsPerHost: 2048,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &target{url: url, auth: auth, client: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// post sends one GraphQL request and checks the answer: status 200, no
// GraphQL errors, and whatever check asks.
func (t *target) post(ctx context.Context, body []byte, check func([]byte) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if t.auth != "" {
		req.Header.Set("Authorization", t.auth)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	_, err = io.Copy(buf, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	b := buf.Bytes()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, b)
	}
	if bytes.Contains(b, []byte(`"errors":`)) {
		return fmt.Errorf("GraphQL errors: %.300s", b)
	}
	if check != nil {
		return check(b)
	}
	return nil
}

// workload makes request bodies: body(worker, i) is the i-th request of a
// worker (open loop: worker is 0 and i counts all requests).
type workload struct {
	body  func(worker, i int) []byte
	check func([]byte) error
}

// Cell is the result of one load setting: a query at a concurrency
// (closed loop) or at a request rate (open loop).
type Cell struct {
	Target      string  `json:"target"` // graphql or ceiling
	Query       string  `json:"query"`
	Mode        string  `json:"mode"` // closed or open
	Concurrency int     `json:"concurrency,omitempty"`
	Rate        float64 `json:"rate,omitempty"`
	Seconds     float64 `json:"seconds"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	FirstError  string  `json:"firstError,omitempty"`
	Throughput  float64 `json:"throughput"` // successful requests per second
	P50         float64 `json:"p50Ms"`
	P95         float64 `json:"p95Ms"`
	P99         float64 `json:"p99Ms"`
	Max         float64 `json:"maxMs"`
	PeakRSS     int64   `json:"peakRssBytes"` // sampled VmRSS of the server during the cell
	// Where the CPU went during the measured window, in cores (of
	// nproc): the server, this load generator, everything else.
	ServerCores float64 `json:"serverCores"`
	LoadCores   float64 `json:"loadGeneratorCores"`
	OtherCores  float64 `json:"otherCores"`
	// ServerCPUMs is the server's CPU time per successful request.
	ServerCPUMs float64 `json:"serverCpuMsPerRequest"`
}

type recorder struct {
	mu       sync.Mutex
	lat      []time.Duration
	errors   int
	firstErr string
}

func (r *recorder) add(d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errors++
		if r.firstErr == "" {
			r.firstErr = err.Error()
		}
		return
	}
	r.lat = append(r.lat, d)
}

func (r *recorder) cell(c Cell, window time.Duration) Cell {
	slices.Sort(r.lat)
	c.Seconds = window.Seconds()
	c.Requests = len(r.lat) + r.errors
	c.Errors, c.FirstError = r.errors, r.firstErr
	c.Throughput = float64(len(r.lat)) / window.Seconds()
	c.P50, c.P95, c.P99 = pct(r.lat, 0.50), pct(r.lat, 0.95), pct(r.lat, 0.99)
	if n := len(r.lat); n > 0 {
		c.Max = ms(r.lat[n-1])
	}
	return c
}

func pct(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return ms(sorted[max(i, 0)])
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// closedLoop runs conc workers that each send a request as soon as their
// last one is answered. Requests that complete inside the measured window
// (after warmup) count.
func closedLoop(ctx context.Context, t *target, w workload, conc int, warmup, dur time.Duration, pid int) Cell {
	var rec recorder
	start := time.Now()
	from, until := start.Add(warmup), start.Add(warmup+dur)
	cpu := measureCPU(pid, from, until)
	var wg sync.WaitGroup
	for k := 0; k < conc; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				sent := time.Now()
				if !sent.Before(until) || ctx.Err() != nil {
					return
				}
				err := t.post(ctx, w.body(k, i), w.check)
				done := time.Now()
				if !done.Before(from) && done.Before(until) {
					rec.add(done.Sub(sent), err)
				}
			}
		}()
	}
	wg.Wait()
	return withCPU(rec.cell(Cell{Mode: "closed", Concurrency: conc}, dur), <-cpu)
}

type cpuResult struct {
	u      usage
	server float64 // seconds
}

// measureCPU samples CPU use at from and at until, in the background.
func measureCPU(pid int, from, until time.Time) <-chan cpuResult {
	c := make(chan cpuResult, 1)
	go func() {
		time.Sleep(time.Until(from))
		s := sampleCPU(pid)
		time.Sleep(time.Until(until))
		u, server := s.to(sampleCPU(pid))
		c <- cpuResult{u, server}
	}()
	return c
}

func withCPU(c Cell, r cpuResult) Cell {
	c.ServerCores, c.LoadCores, c.OtherCores = r.u.server, r.u.load, r.u.other
	if ok := c.Requests - c.Errors; ok > 0 {
		c.ServerCPUMs = 1000 * r.server / float64(ok)
	}
	return c
}

// maxInFlight bounds the open loop's concurrent requests; a request that
// has to wait for a slot is late, and its latency shows it.
const maxInFlight = 512

// overloadGrace is how long after its window an open-loop cell waits for
// answers; a request still unanswered then counts as an error. It keeps an
// overloaded server from holding the run up for minutes.
const overloadGrace = 10 * time.Second

// openLoop sends requests at a fixed rate whatever the answers do. Each
// request's latency is counted from the moment it was due, not from when
// it was sent, so a stall in the server (or here) is not hidden
// (coordinated omission). Requests due inside the measured window count.
func openLoop(ctx context.Context, t *target, w workload, rate float64, warmup, dur time.Duration, pid int) Cell {
	var rec recorder
	start := time.Now()
	from := start.Add(warmup)
	cpu := measureCPU(pid, from, from.Add(dur))
	ctx, cancel := context.WithDeadline(ctx, from.Add(dur+overloadGrace))
	defer cancel()
	n := int(rate * (warmup + dur).Seconds())
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	var seq atomic.Int64
	for i := 0; i < n && ctx.Err() == nil; i++ {
		due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			err := t.post(ctx, w.body(0, int(seq.Add(1)-1)), w.check)
			if err != nil && ctx.Err() != nil {
				err = fmt.Errorf("no answer within %s after the cell's window (overloaded)", overloadGrace)
			}
			if !due.Before(from) {
				rec.add(time.Since(due), err)
			}
		}()
	}
	wg.Wait()
	return withCPU(rec.cell(Cell{Mode: "open", Rate: rate}, dur), <-cpu)
}

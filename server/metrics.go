package server

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Operation is what the GraphQL layer reports about the operation a
// request ran, for the request's log line and the metrics.
type Operation struct {
	// Name is the operation's name ("" when anonymous).
	Name string
	// Token is the name of the token used, never the token itself.
	Token string
	// Outcome is "ok" or the code of the first error (COST_LIMIT_EXCEEDED, …).
	Outcome string
	// Cost is the operation's query cost.
	Cost int
}

type operationKey struct{}

// ReportOperation records op for the request whose context is ctx; the
// request log and the metrics pick it up when the request ends. Outside a
// request served by [New] it does nothing.
func ReportOperation(ctx context.Context, op Operation) {
	if p, ok := ctx.Value(operationKey{}).(*atomic.Pointer[Operation]); ok {
		p.Store(&op)
	}
}

// maxOperationNames bounds the operation label's values: names come from
// clients, and every new one would be a new time series.
const maxOperationNames = 200

// metrics are the Prometheus metrics of one server, in a registry of their
// own (no global state).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	cost     prometheus.Histogram
	http     *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool
}

func newMetrics(cfg Config) *metrics {
	m := &metrics{reg: prometheus.NewRegistry(), names: map[string]bool{}}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "handlingsplan_graphql_requests_total",
		Help: "GraphQL operations by operation name and outcome (ok or the first error's code).",
	}, []string{"operation", "outcome"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "handlingsplan_graphql_request_duration_seconds",
		Help:    "Time to serve a GraphQL request, by operation name.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"operation"})
	m.cost = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "handlingsplan_graphql_query_cost",
		Help:    "Query cost of GraphQL operations (see README, Limits).",
		Buckets: prometheus.ExponentialBuckets(1, 4, 9), // 1 … 65,536
	})
	m.http = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "handlingsplan_http_requests_total",
		Help: "HTTP requests by status code.",
	}, []string{"code"})
	m.reg.MustRegister(m.requests, m.latency, m.cost, m.http,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if l := cfg.RateLimiter; l != nil {
		refused := func(byToken bool) func() float64 {
			return func() float64 {
				t, a := l.Refused()
				if byToken {
					return float64(t)
				}
				return float64(a)
			}
		}
		const name, help = "handlingsplan_rate_limited_total", "Requests refused with 429 by the cost rate limit, by the bucket that was full."
		m.reg.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: prometheus.Labels{"by": "token"}}, refused(true)),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: prometheus.Labels{"by": "address"}}, refused(false)),
		)
	}
	if f := cfg.StoreSize; f != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "handlingsplan_store_size_bytes",
			Help: "Size of the store on disk (LSM tree and value log).",
		}, func() float64 { return float64(f()) }))
	}
	if f := cfg.WriteErrors; f != nil {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "handlingsplan_store_write_errors_total",
			Help: "Store writes that failed (disk full, read-only, I/O error), not counting refused input.",
		}, func() float64 { return float64(f()) }))
	}
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// observe records one finished request.
func (m *metrics) observe(status int, op *Operation, d time.Duration) {
	if m == nil {
		return
	}
	m.http.WithLabelValues(strconv.Itoa(status)).Inc()
	if op == nil {
		return
	}
	name := m.label(op.Name)
	m.requests.WithLabelValues(name, op.Outcome).Inc()
	m.latency.WithLabelValues(name).Observe(d.Seconds())
	m.cost.Observe(float64(op.Cost))
}

// label returns name as a label value: "anonymous" for none, and "other"
// once maxOperationNames names have been seen.
func (m *metrics) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !validName(name) {
		return "invalid"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[name] {
		return name
	}
	if len(m.names) >= maxOperationNames {
		return "other"
	}
	m.names[name] = true
	return name
}

// validName reports whether s is a GraphQL name of at most 64 characters.
func validName(s string) bool {
	if len(s) > 64 {
		return false
	}
	for i, c := range []byte(s) {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

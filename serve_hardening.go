package main

import (
	"context"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"time"

	"handlingsplan/graph"
	"handlingsplan/server"
)

// hardeningConfig is serve's configuration of query limits, rate limits,
// trusted documents and metrics (README: Limits and operations).
type hardeningConfig struct {
	maxCost, maxDepth, maxTokens int
	rateLimit, rateBurst         float64
	trustedDocuments             string
	trustedProxies               string
	metrics                      bool
}

// hardening is what hardeningConfig names, loaded and parsed.
type hardening struct {
	trusted graph.TrustedDocuments // nil: automatic persisted queries
	proxies []netip.Prefix
	limiter *server.RateLimiter // nil: no rate limit
}

// load reads the trusted documents and parses the proxies.
func (c hardeningConfig) load() (hardening, error) {
	var h hardening
	var err error
	if h.trusted, err = c.trusted(); err != nil {
		return h, err
	}
	if h.proxies, err = server.ParseTrustedProxies(c.trustedProxies); err != nil {
		return h, fmt.Errorf("--trusted-proxies: %w", err)
	}
	h.limiter = server.NewRateLimiter(c.rateLimit, c.rateBurst, nil)
	return h, nil
}

// Defaults of the rate limit, in query cost units (see graph/limits.go):
// ten D1 dashboards a minute is about 1,600 a second, a page of 100 tiltak
// about 100. A client may spend 5,000 a second and 50,000 at once.
const (
	defaultRateLimit = 5_000
	defaultRateBurst = 50_000
)

// addFlags registers the flags on fs, each defaulting to its environment
// variable read through getenv. An environment variable that does not
// parse is an error.
func (c *hardeningConfig) addFlags(fs *flag.FlagSet, getenv func(string) string) error {
	var errs []error
	envInt := func(name string, def int) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not a whole number", name, v))
		}
		return n
	}
	envFloat := func(name string, def float64) float64 {
		v := getenv(name)
		if v == "" {
			return def
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not a number", name, v))
		}
		return f
	}
	metrics := true
	if v := getenv("HANDLINGSPLAN_METRICS"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("HANDLINGSPLAN_METRICS=%q is not true or false", v))
		}
		metrics = b
	}
	fs.IntVar(&c.maxCost, "max-cost", envInt("HANDLINGSPLAN_MAX_COST", graph.DefaultMaxCost), "largest query cost a request may have; 0 turns the limit off (env HANDLINGSPLAN_MAX_COST)")
	fs.IntVar(&c.maxDepth, "max-depth", envInt("HANDLINGSPLAN_MAX_DEPTH", graph.DefaultMaxDepth), "deepest field nesting a query may have; 0 turns the limit off (env HANDLINGSPLAN_MAX_DEPTH)")
	fs.IntVar(&c.maxTokens, "max-tokens", envInt("HANDLINGSPLAN_MAX_TOKENS", graph.DefaultMaxTokens), "most lexical tokens a query document may have; 0 turns the limit off (env HANDLINGSPLAN_MAX_TOKENS)")
	fs.Float64Var(&c.rateLimit, "rate-limit", envFloat("HANDLINGSPLAN_RATE_LIMIT", defaultRateLimit), "query cost per second allowed per token and per client address; 0 turns rate limiting off (env HANDLINGSPLAN_RATE_LIMIT)")
	fs.Float64Var(&c.rateBurst, "rate-burst", envFloat("HANDLINGSPLAN_RATE_BURST", defaultRateBurst), "query cost a token or address may spend at once before the rate applies (env HANDLINGSPLAN_RATE_BURST)")
	fs.StringVar(&c.trustedDocuments, "trusted-documents", getenv("HANDLINGSPLAN_TRUSTED_DOCUMENTS"), "JSON file of sha256 hash → document: only these operations run (env HANDLINGSPLAN_TRUSTED_DOCUMENTS)")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", getenv("HANDLINGSPLAN_TRUSTED_PROXIES"), "comma-separated IP addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For names the client, for the rate limit; empty trusts none (env HANDLINGSPLAN_TRUSTED_PROXIES)")
	fs.BoolVar(&c.metrics, "metrics", metrics, "serve Prometheus metrics at /metrics (env HANDLINGSPLAN_METRICS)")
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// limits returns the query limits for graph.Options: 0 on the command line
// means off, which graph spells negative.
func (c hardeningConfig) limits() graph.Limits {
	off := func(n int) int {
		if n <= 0 {
			return -1
		}
		return n
	}
	return graph.Limits{MaxCost: off(c.maxCost), MaxDepth: off(c.maxDepth), MaxTokens: off(c.maxTokens)}
}

// trusted loads the trusted documents, nil when none are configured.
func (c hardeningConfig) trusted() (graph.TrustedDocuments, error) {
	if c.trustedDocuments == "" {
		return nil, nil
	}
	f, err := os.Open(c.trustedDocuments)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	docs, err := graph.LoadTrustedDocuments(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.trustedDocuments, err)
	}
	return docs, nil
}

// admit adapts a rate limiter to graph.Options.Admit (nil when off).
func admit(l *server.RateLimiter) func(ctx context.Context, token string, cost int) time.Duration {
	if l == nil {
		return nil
	}
	return l.Admit
}

// reportOperation hands the GraphQL layer's report to the HTTP layer's log
// line and metrics.
func reportOperation(ctx context.Context, r graph.Report) {
	server.ReportOperation(ctx, server.Operation{Name: r.Operation, Token: r.Token, Outcome: r.Outcome, Cost: r.Cost})
}

// isTerminal reports whether w is a terminal (a character device), where
// people read logs as text; elsewhere logs are JSON for machines.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

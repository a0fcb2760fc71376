// Package server is the HTTP surface of Handlingsplan: routing, CORS, request
// limits, logging, panic recovery, health checks and the embedded GraphiQL
// page.
//
// It knows nothing about the GraphQL schema or the store: the GraphQL
// endpoint arrives as a plain [http.Handler], so this package can be tested
// with a stub.
package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"time"
)

// Timeouts and limits used by [NewHTTPServer].
const (
	// ReadHeaderTimeout bounds how long a client may take to send the request
	// headers (protects against slowloris).
	ReadHeaderTimeout = 5 * time.Second
	// ReadTimeout bounds reading the whole request, body included.
	ReadTimeout = 30 * time.Second
	// WriteTimeout bounds the time from the end of the request headers to the
	// end of the response, so it is also the longest a query may run.
	// Subscriptions (WebSocket, server-sent events) are exempt.
	WriteTimeout = 60 * time.Second
	// IdleTimeout is how long a keep-alive connection may wait for its next
	// request.
	IdleTimeout = 120 * time.Second
	// MaxHeaderBytes caps request line plus headers; GET queries live in the
	// URL, and 64 KiB leaves plenty of room for them.
	MaxHeaderBytes = 64 << 10
)

// DefaultMaxBodyBytes is the request body cap used when
// [Config.MaxBodyBytes] is 0.
const DefaultMaxBodyBytes int64 = 1 << 20

// Config configures the HTTP surface.
type Config struct {
	// CORSOrigins lists the origins that may read responses from a browser.
	// Empty means any origin, without credentials; otherwise only these
	// origins (rs/cors syntax: one "*" wildcard per origin is allowed).
	CORSOrigins []string
	// GraphiQL serves the GraphiQL page at GET / and its assets under
	// /graphiql/.
	GraphiQL bool
	// SchemaSDL is served at GET /schema.graphql (text/plain; charset=utf-8)
	// for client code generators. Empty means 404.
	SchemaSDL []byte
	// DefaultQuery is preloaded into GraphiQL's editor on a first visit
	// (GraphiQL keeps the user's own tabs in localStorage afterwards).
	DefaultQuery string
	// MaxBodyBytes caps request bodies; 0 means [DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// Ready, if set, is called by GET /readyz, which answers 200 when it
	// returns nil and 503 with the error text otherwise. A nil Ready makes
	// /readyz always answer 200.
	Ready func(ctx context.Context) error
	// Pages are further pages, by http.ServeMux pattern (e.g.
	// "GET /reports/{period}" → the follow-up report). They pass the same
	// middleware as every route.
	Pages map[string]http.Handler
	// Metrics serves Prometheus metrics at GET /metrics.
	Metrics bool
	// RateLimiter, if set, is the cost rate limit the GraphQL layer asks;
	// its refusals are counted in the metrics.
	RateLimiter *RateLimiter
	// StoreSize and WriteErrors, if set, feed the store's metrics: its
	// size in bytes and its failed writes so far.
	StoreSize   func() int64
	WriteErrors func() uint64
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (for the rate limit and [ClientAddr]). Empty trusts none:
	// the TCP peer is the client.
	TrustedProxies []netip.Prefix
}

// New returns the whole HTTP surface as one handler. gql is the GraphQL
// endpoint (the gqlgen handler), mounted at /graphql for GET, POST and
// OPTIONS.
//
// Every request passes, outermost first: request ID and security headers →
// panic recovery → request log → CORS (answers preflights) → body limit →
// no deadlines for GraphQL streams (WebSocket, server-sent events) → the
// mux of routes.go. The request ID comes first so that recovery and the
// log can both report it.
func New(cfg Config, log *slog.Logger, gql http.Handler) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	limit := cfg.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	var m *metrics
	if cfg.Metrics {
		m = newMetrics(cfg)
	}
	mux := http.NewServeMux()
	addRoutes(mux, cfg, gql, m)

	var h http.Handler = mux
	h = allowStreaming(graphqlPath)(h)
	h = limitBody(limit)(h)
	h = withCORS(cfg.CORSOrigins)(h)
	h = logRequests(log, m)(h)
	h = recoverPanics(log)(h)
	h = withRequestID()(h)
	h = withClientAddr(cfg.TrustedProxies)(h)
	return h
}

// NewHTTPServer returns an *http.Server for h with [ReadHeaderTimeout],
// [ReadTimeout], [WriteTimeout], [IdleTimeout] and [MaxHeaderBytes] set. It
// sends no Server header. The caller sets Addr or calls Serve with its own
// listener.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

// gqlError is one entry of a GraphQL-style "errors" array.
type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// writeError answers with a GraphQL-style JSON error body,
// {"errors":[{"message":…,"extensions":{"code":…}}]}, so clients parse every
// failure of this server the same way. ext may be nil.
func writeError(w http.ResponseWriter, status int, message string, ext map[string]any) {
	body, err := json.Marshal(struct {
		Errors []gqlError `json:"errors"`
	}{[]gqlError{{Message: message, Extensions: ext}}})
	if err != nil { // only possible with an unmarshalable ext value: a bug here
		body = []byte(`{"errors":[{"message":"internal error"}]}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

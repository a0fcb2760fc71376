package graph

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
)

// Options configure [NewHandler].
type Options struct {
	// Log receives internal errors and panics. Nil discards them.
	Log *slog.Logger
	// RequestID returns the request ID carried by ctx, quoted in internal
	// errors. Nil means none.
	RequestID func(ctx context.Context) string
	// DisableIntrospection turns schema introspection off.
	DisableIntrospection bool
	// Private requires a token for every request, reads included.
	Private bool
	// Origins may open WebSockets from a browser (as --cors-origins spells
	// them; the server's own origin always may). Empty means any origin.
	Origins []string
	// Done, when closed, ends every subscription, so that a shutting-down
	// http.Server need not wait for them. Nil never ends them.
	Done <-chan struct{}
	// Limits bound each query's cost, depth and tokens (limits.go).
	Limits Limits
	// Admit, if set, is asked before an operation runs whether the caller
	// (the token's name, "" without one; the context carries the rest of
	// the request) may spend the operation's cost. It answers how long to
	// wait first: 0 runs the operation, more refuses it with 429.
	Admit func(ctx context.Context, token string, cost int) time.Duration
	// Report, if set, learns each operation's name, token name, outcome and
	// cost, for logs and metrics.
	Report func(ctx context.Context, r Report)
	// TrustedDocuments, if set, are the only documents that run; without
	// them, automatic persisted queries are on (trusted.go).
	TrustedDocuments TrustedDocuments
	// MaxInFlight is how many queries execute at once; more wait in line
	// (admission.go). 0 means [DefaultMaxInFlight].
	MaxInFlight int
	// QueueWait is how long a query may wait in that line before it is
	// refused (503, code SERVER_BUSY). 0 means [DefaultQueueWait].
	QueueWait time.Duration
}

// NewHandler returns the GraphQL endpoint over st: GET and POST as the
// GraphQL over HTTP spec describes, bearer-token authentication, the
// permission checks of auth.go, a parsed-query cache and introspection;
// subscriptions over WebSocket and server-sent events (live.go).
// Production and tests use this same constructor.
func NewHandler(st Store, opts Options) http.Handler {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.RequestID == nil {
		opts.RequestID = func(context.Context) string { return "" }
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{store: st, log: opts.Log}}))
	srv.AddTransport(transport.Options{AllowedMethods: []string{"GET", "POST", "OPTIONS"}})
	srv.AddTransport(websocketTransport(st, opts.Private)) // before GET and POST, which would claim its requests
	srv.AddTransport(transport.SSE{KeepAlivePingInterval: liveKeepAlive})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	limits := opts.Limits.withDefaults()
	registerLimitCodes()
	srv.SetParserTokenLimit(max(limits.MaxTokens, 0))
	srv.Use(persistedQueries(opts.TrustedDocuments))
	srv.Use(costLimit{limits: limits, admit: opts.Admit})
	if opts.Report != nil {
		srv.Use(observer{report: opts.Report})
	}
	if !opts.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.AroundOperations(admitQueries(opts.MaxInFlight, opts.QueueWait))
	srv.AroundOperations(liveOperations(st, newBroker(st, opts.Log, opts.Done), withSnapshot(st)))
	srv.AroundFields(authorize(st))
	srv.SetErrorPresenter(presentTokenLimit(limits.MaxTokens, errorPresenter(opts.Log, opts.RequestID)))
	srv.SetRecoverFunc(recoverFunc(opts.Log, opts.RequestID))
	// WebSocket upgrades may bring their token in connection_init instead.
	return httpSpec(limitStatus(markStreaming(websocketGate(opts.Origins, authenticate(st, false, srv), authenticate(st, opts.Private, srv)))))
}

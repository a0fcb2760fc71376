package graph

import (
	"context"
	"log/slog"
	"net/http"

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
	if !opts.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.AroundOperations(liveOperations(st, newBroker(st, opts.Log, opts.Done), withSnapshot(st)))
	srv.AroundFields(authorize(st))
	srv.SetErrorPresenter(errorPresenter(opts.Log, opts.RequestID))
	srv.SetRecoverFunc(recoverFunc(opts.Log, opts.RequestID))
	// WebSocket upgrades may bring their token in connection_init instead.
	return httpSpec(markStreaming(websocketGate(opts.Origins, authenticate(st, false, srv), authenticate(st, opts.Private, srv))))
}

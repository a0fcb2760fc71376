package graph

import (
	"context"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Found by FuzzGraphQLHTTP: a subscription sent as a plain POST or GET
// (no WebSocket upgrade, no Accept: text/event-stream) made gqlgen's
// one-shot transports wait for the subscription's first event, which may
// never come — the request hung, holding a goroutine and a connection.
// Such a request is now refused at once.

type streamingKey struct{}

// markStreaming notes in the request context whether the request can carry
// a stream of results: a WebSocket upgrade or a server-sent event stream.
func markStreaming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		streaming := strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
			strings.Contains(r.Header.Get("Accept"), "text/event-stream")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), streamingKey{}, streaming)))
	})
}

// canStream reports whether the operation came over a transport that can
// carry a subscription. Operations not from markStreaming (tests that call
// the executor directly) can.
func canStream(ctx context.Context) bool {
	v, ok := ctx.Value(streamingKey{}).(bool)
	return !ok || v
}

// subscriptionNeedsStream is the answer to a subscription over a one-shot
// transport.
func subscriptionNeedsStream(ctx context.Context) graphql.ResponseHandler {
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
		Message:    "a subscription needs a stream: open a WebSocket (graphql-transport-ws) or POST with «Accept: text/event-stream»",
		Extensions: map[string]any{"code": "BAD_REQUEST"},
	}}})
}

package graph

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Defaults for [Options.MaxInFlight] and [Options.QueueWait].
var (
	// DefaultMaxInFlight is how many queries run at once: a few per CPU
	// keeps every core busy without letting an overload pile up
	// goroutines and memory.
	DefaultMaxInFlight = 4 * runtime.GOMAXPROCS(0)
	// DefaultQueueWait is how long a query waits for its turn before it is
	// refused with 503.
	DefaultQueueWait = 10 * time.Second
)

// admitQueries lets at most max queries execute at once; the others wait
// in line, and one that waits longer than wait is refused with the code
// SERVER_BUSY (HTTP 503 with Retry-After). Mutations are not counted: they
// spend their time waiting for the disk, and the store already applies
// them together (store.updateBatched); subscriptions are long-lived and
// mostly idle.
func admitQueries(max int, wait time.Duration) graphql.OperationMiddleware {
	if max <= 0 {
		max = DefaultMaxInFlight
	}
	if wait <= 0 {
		wait = DefaultQueueWait
	}
	slots := make(chan struct{}, max)
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation == nil || oc.Operation.Operation != ast.Query {
			return next(ctx)
		}
		select {
		case slots <- struct{}{}:
		default:
			t := time.NewTimer(wait)
			select {
			case slots <- struct{}{}:
				t.Stop()
			case <-t.C:
				if m := metaOf(ctx); m != nil {
					m.retryAfter, m.status = 1, 503
				}
				return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
					Message:    busyMessage(max, wait),
					Extensions: map[string]any{"code": "SERVER_BUSY", "maxInFlight": max},
				}}})
			case <-ctx.Done():
				t.Stop()
				return graphql.OneShot(graphql.ErrorResponse(ctx, "the request was cancelled while it waited for its turn"))
			}
		}
		rh := next(ctx)
		released := false
		return func(ctx context.Context) *graphql.Response {
			resp := rh(ctx)
			if !released { // the first response carries the whole answer
				released = true
				<-slots
			}
			return resp
		}
	}
}

func busyMessage(max int, wait time.Duration) string {
	return fmt.Sprintf("the server is busy: %d queries are running and this one waited %s for its turn; retry later", max, wait)
}

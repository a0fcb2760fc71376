package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"handlingsplan/store"
)

type snapshotKey struct{}

// withSnapshot opens one store snapshot per operation, so that every
// resolver of a request reads the same consistent view, and closes it when
// the response is written.
func withSnapshot(st Store) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		snap := st.Snapshot()
		rh := next(context.WithValue(ctx, snapshotKey{}, snap))
		closed := false
		return func(ctx context.Context) *graphql.Response {
			if closed {
				return nil
			}
			resp := rh(ctx)
			// Queries and mutations answer once; then the view is released.
			closed = true
			snap.Close()
			return resp
		}
	}
}

// snapshot returns the request's store snapshot.
func snapshot(ctx context.Context) *store.Snapshot {
	return ctx.Value(snapshotKey{}).(*store.Snapshot)
}

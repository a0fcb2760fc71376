package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"handlingsplan/store"
)

type snapshotKey struct{}

// views holds the store snapshot of one operation. A query reads one
// consistent view throughout; a mutation moves to a fresh view after each
// write, so its payload shows what it wrote.
type views struct {
	st   Store
	past pastViews // the plan as of earlier times (asOf), see revisions.go
	mu   sync.Mutex
	cur  *store.Snapshot
	used []*store.Snapshot
}

func (v *views) current() *store.Snapshot {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.cur == nil {
		v.cur = v.st.Snapshot()
		v.used = append(v.used, v.cur)
	}
	return v.cur
}

// refresh makes the next read see the latest writes.
func (v *views) refresh() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.cur = nil
}

func (v *views) close() {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, s := range v.used {
		s.Close()
	}
	v.used, v.cur = nil, nil
	v.past.close()
}

// withSnapshot gives each operation its own views and releases them when
// the response is written.
func withSnapshot(st Store) graphql.OperationMiddleware {
	hist := &history{st: st}
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		v := &views{st: st, past: pastViews{hist: hist}}
		rh := next(context.WithValue(ctx, snapshotKey{}, v))
		done := false
		return func(ctx context.Context) *graphql.Response {
			if done {
				return nil
			}
			resp := rh(ctx)
			done = true
			v.close()
			return resp
		}
	}
}

// snapshot returns the operation's current store snapshot, or beneath a
// root field with asOf, the snapshot of the plan as it stood then.
func snapshot(ctx context.Context) *store.Snapshot {
	v := ctx.Value(snapshotKey{}).(*views)
	if t := asOfArg(ctx); t != nil {
		return pastSnapshot(ctx, v, *t)
	}
	return v.current()
}

// wrote tells the operation that a write happened, so later reads see it.
func wrote(ctx context.Context) {
	ctx.Value(snapshotKey{}).(*views).refresh()
}

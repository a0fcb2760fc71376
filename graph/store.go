package graph

import "handlingsplan/store"

// Store is what the GraphQL layer needs of the store: a consistent
// snapshot per request.
type Store interface {
	Snapshot() *store.Snapshot
}

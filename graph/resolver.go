// Package graph turns GraphQL into calls on the store. Resolvers stay thin:
// they read through the request's snapshot (see [snapshot]) and convert.
package graph

//go:generate go tool gqlgen generate

import "log/slog"

// Resolver is the root resolver. It holds only what every resolver needs.
type Resolver struct {
	store Store
	log   *slog.Logger
}

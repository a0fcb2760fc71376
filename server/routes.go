package server

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"
)

// graphqlPath is where the GraphQL endpoint is mounted; GraphiQL talks to it.
const graphqlPath = "/graphql"

// graphqlMethods are the methods the GraphQL endpoint accepts (the Allow
// header of its 405).
var graphqlMethods = []string{http.MethodGet, http.MethodPost, http.MethodOptions}

// readyTimeout bounds one call of Config.Ready, so a stuck dependency makes
// /readyz fail instead of hang.
const readyTimeout = 2 * time.Second

// addRoutes registers the whole HTTP surface. Patterns with a method are
// more specific than those without, so "/graphql" only catches the methods
// not listed above it, and "/" only the paths not listed at all.
func addRoutes(mux *http.ServeMux, cfg Config, gql http.Handler, m *metrics) {
	mux.Handle("GET "+graphqlPath, gql)
	mux.Handle("POST "+graphqlPath, gql)
	mux.Handle("OPTIONS "+graphqlPath, gql)
	mux.Handle("HEAD "+graphqlPath, handleMethodNotAllowed(graphqlMethods)) // "GET" would match HEAD too
	mux.Handle(graphqlPath, handleMethodNotAllowed(graphqlMethods))

	mux.Handle("GET /healthz", handleHealthz())
	mux.Handle("GET /readyz", handleReadyz(cfg.Ready))
	mux.Handle("GET /schema.graphql", handleSchema(cfg.SchemaSDL))
	if m != nil {
		mux.Handle("GET /metrics", m.handler())
	}
	for pattern, h := range cfg.Pages {
		mux.Handle(pattern, h)
	}

	if cfg.GraphiQL {
		g := newGraphiQL(strings.TrimPrefix(graphqlPath, "/"), cfg.DefaultQuery)
		mux.Handle("GET /{$}", g.handlePage())
		mux.Handle("GET "+graphiqlAssetPath+"{file}", g.handleAsset())
	}

	mux.Handle("/", handleNotFound())
}

// handleHealthz reports that the process is alive and serving HTTP.
func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
}

// handleReadyz reports whether the server can do useful work, as decided by
// ready (nil: always ready).
func handleReadyz(ready func(context.Context) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
			defer cancel()
			if err := ready(ctx); err != nil {
				writeText(w, http.StatusServiceUnavailable, err.Error())
				return
			}
		}
		writeText(w, http.StatusOK, "ok")
	})
}

// handleSchema serves the schema in SDL for client code generators.
func handleSchema(sdl []byte) http.Handler {
	if len(sdl) == 0 {
		return handleNotFound()
	}
	etag := `"` + contentHash(sdl)[:16] + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Cache-Control", "no-cache") // revalidate: the schema changes with deploys
		h.Set("ETag", etag)
		http.ServeContent(w, r, "schema.graphql", time.Time{}, bytes.NewReader(sdl))
	})
}

// handleMethodNotAllowed answers 405 with an Allow header listing allowed.
func handleMethodNotAllowed(allowed []string) http.Handler {
	allow := strings.Join(allowed, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed,
			"method "+r.Method+" not allowed; use "+allow,
			map[string]any{"code": "METHOD_NOT_ALLOWED"})
	})
}

// handleNotFound answers 404 for every path no other route claims.
func handleNotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not found", map[string]any{"code": "NOT_FOUND"})
	})
}

// writeText answers with a short plain-text body that is never cached.
func writeText(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(body))
}

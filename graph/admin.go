package graph

import (
	"encoding/json"
	"net/http"

	"handlingsplan/store"
)

// AdminOnly guards an operator endpoint outside GraphQL (the online backup)
// with the same bearer tokens as the API: no or a bad token is 401
// UNAUTHENTICATED, a token without the ADMIN role 403 FORBIDDEN, both as
// GraphQL-style JSON errors.
func AdminOnly(st Store, next http.Handler) http.Handler {
	return authenticate(st, true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := actor(r.Context())
		if tok == nil {
			refuse(w, "this needs an ADMIN token: send «Authorization: Bearer <token>»")
			return
		}
		if tok.Role != store.RoleAdmin {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
				"message":    "only an ADMIN token may do this (this token is " + string(tok.Role) + ")",
				"extensions": map[string]any{"code": "FORBIDDEN"},
			}}})
			return
		}
		next.ServeHTTP(w, r)
	}))
}

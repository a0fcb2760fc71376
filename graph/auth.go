package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// Who may do what: the whole permission matrix is in this file.
//
//	                      ADMIN  EDITOR  REPORTER               READER  no token
//	read (default)          ✓      ✓       ✓                      ✓       ✓
//	read (--private)        ✓      ✓       ✓                      ✓       UNAUTHENTICATED
//	reportStatus            ✓      ✓       own tiltak, own body   –       –
//	updateTiltak            ✓      ✓       own tiltak, title/     –       –
//	                                       description/dates only
//	create/update/delete    ✓      ✓       –                      –       –
//	tokens                  ✓      –       –                      –       –
//	webhooks (own body's)   ✓ all  ✓       ✓                      –       –
//	proposeChange           ✓      ✓       ✓                      ✓       –
//	money of a tiltak       ✓      ✓       own tiltak             –       –
//	(funding, cost, schedule, rebaseline)
//	reportBenefitRealisation ✓     ✓       own tiltak's benefits  –       –
//	goals, indicators,      ✓      ✓       –                      –       –
//	segments, benefits, money settings
//	draftReport             ✓      ✓       own tiltak, own body   –       –
//	update/submitReport     ✓      ✓       own body's report      –       –
//	accept/returnReport     ✓      ✓       –                      –       –
//	save/deleteDelivery     ✓      ✓       own tiltak             –       –
//	verifyDelivery          ✓      ✓       –                      –       –
//	assess                  ✓      ✓       SELF, own tiltak/body  –       –
//	save/removeDependency   ✓      ✓       own tiltak (from)      –       –
//
// "Own tiltak" are those the token's body is responsible for or takes
// part in. Refusals are GraphQL errors with extensions.code FORBIDDEN (a
// token without the right) or UNAUTHENTICATED (no token).

type actorKey struct{}

// actor returns the token making the request, or nil.
func actor(ctx context.Context) *store.Token {
	t, _ := ctx.Value(actorKey{}).(*store.Token)
	return t
}

// actorOf returns who acts, for the audit trail.
func actorOf(ctx context.Context) store.Actor {
	if t := actor(ctx); t != nil {
		return t.Actor()
	}
	return store.Actor{}
}

// authenticate reads the bearer token. A request with a bad token is
// refused outright; one without a token goes on anonymously, unless the
// server is private.
func authenticate(st Store, private bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			if private && r.Method != http.MethodOptions {
				refuse(w, "this server is private: send «Authorization: Bearer <token>»")
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		scheme, secret, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
			refuse(w, "the Authorization header must be «Bearer <token>»")
			return
		}
		tok, err := st.Authenticate(strings.TrimSpace(secret))
		if err != nil {
			refuse(w, "unknown or revoked token")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, tok)))
	})
}

func refuse(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", `Bearer realm="handlingsplan"`)
	w.WriteHeader(http.StatusUnauthorized)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
		"message": msg, "extensions": map[string]any{"code": "UNAUTHENTICATED"},
	}}})
}

func forbidden(format string, args ...any) error {
	e := gqlerror.Errorf(format, args...)
	e.Extensions = map[string]any{"code": "FORBIDDEN"}
	return e
}

func unauthenticated() error {
	e := gqlerror.Errorf("this needs a token: send «Authorization: Bearer <token>»")
	e.Extensions = map[string]any{"code": "UNAUTHENTICATED"}
	return e
}

// authorize checks every mutation, and the admin-only queries, before
// their resolver runs.
func authorize(st Store) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || (fc.Object != "Mutation" && fc.Object != "Query") {
			return next(ctx)
		}
		check, ok := rules[fc.Object+"."+fc.Field.Name]
		if !ok && fc.Object == "Mutation" {
			check = editor
		}
		if check != nil {
			tok := actor(ctx)
			if tok == nil {
				return nil, unauthenticated()
			}
			if err := check(ctx, st, tok, fc.Args); err != nil {
				return nil, err
			}
		}
		return next(ctx)
	}
}

type rule func(ctx context.Context, st Store, tok *store.Token, args map[string]any) error

var rules = map[string]rule{
	"Query.tokens":             admin,
	"Mutation.createToken":     admin,
	"Mutation.revokeToken":     admin,
	"Mutation.reportStatus":    reportsOn,
	"Mutation.updateTiltak":    editsTiltak,
	"Query.webhooks":           integrator,
	"Mutation.registerWebhook": integrator,
	"Mutation.deleteWebhook":   integrator,
	"Mutation.proposeChange":   anyToken,
	// Money, benefits and goals (money.graphqls): a body's REPORTER token
	// keeps its own tiltak's money and reports its benefits' realisations.
	"Mutation.setMoneySettings":           editor,
	"Mutation.setFunding":                 moneyOfTiltak,
	"Mutation.removeFunding":              moneyOfTiltak,
	"Mutation.setCostYear":                moneyOfTiltak,
	"Mutation.setSchedule":                moneyOfTiltak,
	"Mutation.rebaseline":                 moneyOfTiltak,
	"Mutation.createBenefit":              editor,
	"Mutation.updateBenefit":              editor,
	"Mutation.reportBenefitRealisation":   realisesBenefit,
	"Mutation.createGoal":                 editor,
	"Mutation.createIndicator":            editor,
	"Mutation.recordIndicatorObservation": editor,
	"Mutation.linkTiltakGoal":             editor,
	"Mutation.unlinkTiltakGoal":           editor,
	"Mutation.createSegment":              editor,
	"Mutation.setTiltakSegment":           editor,
	"Mutation.updateGoal":                 editor,
	"Mutation.updateIndicator":            editor,
	"Mutation.updateSegment":              editor,
	// Lifecycle: see lifecycle_auth.go.
	"Mutation.draftReport":      draftsReport,
	"Mutation.updateReport":     ownsReport,
	"Mutation.submitReport":     ownsReport,
	"Mutation.acceptReport":     editor,
	"Mutation.returnReport":     editor,
	"Mutation.saveDelivery":     keepsDelivery,
	"Mutation.deleteDelivery":   keepsDelivery,
	"Mutation.verifyDelivery":   editor,
	"Mutation.assess":           assesses,
	"Mutation.saveDependency":   keepsDelivery,
	"Mutation.removeDependency": keepsDelivery,
}

// anyToken allows every role; the token itself is required.
func anyToken(context.Context, Store, *store.Token, map[string]any) error { return nil }

// integrator may manage its own body's webhooks (which one is checked by
// the resolver, which only sees the token's own).
func integrator(_ context.Context, _ Store, tok *store.Token, _ map[string]any) error {
	if tok.Role == store.RoleReader {
		return forbidden("managing webhooks needs a REPORTER, EDITOR or ADMIN token (this token is READER)")
	}
	return nil
}

func admin(_ context.Context, _ Store, tok *store.Token, _ map[string]any) error {
	if tok.Role != store.RoleAdmin {
		return forbidden("only an ADMIN token may manage tokens (this token is %s)", tok.Role)
	}
	return nil
}

func editor(_ context.Context, _ Store, tok *store.Token, _ map[string]any) error {
	if tok.Role != store.RoleAdmin && tok.Role != store.RoleEditor {
		return forbidden("changing the plan's structure needs an EDITOR or ADMIN token (this token is %s)", tok.Role)
	}
	return nil
}

func reportsOn(_ context.Context, st Store, tok *store.Token, args map[string]any) error {
	in, _ := args["input"].(model.ReportStatusInput)
	switch tok.Role {
	case store.RoleAdmin, store.RoleEditor:
		return nil
	case store.RoleReporter:
		if in.BodyKey != nil && *in.BodyKey != tok.BodyKey {
			return forbidden("a REPORTER token reports for its own body (%s), not for %s", tok.BodyKey, *in.BodyKey)
		}
		return ownTiltak(st, tok, in.TiltakKey)
	}
	return forbidden("reporting status needs a REPORTER, EDITOR or ADMIN token (this token is %s)", tok.Role)
}

func editsTiltak(ctx context.Context, st Store, tok *store.Token, args map[string]any) error {
	in, _ := args["input"].(model.UpdateTiltakInput)
	switch tok.Role {
	case store.RoleAdmin, store.RoleEditor:
		return nil
	case store.RoleReporter:
		if in.ResponsibleKey != nil || in.ParticipantKeys != nil || in.InitiativeKeys != nil || in.LifeEventKeys != nil || in.DependsOnKeys != nil || in.GovernanceLevel != nil || in.PredecessorKeys != nil {
			return forbidden("a REPORTER token may change only title, description, startDate and endDate of a tiltak")
		}
		return ownTiltak(st, tok, in.Key)
	}
	return forbidden("changing a tiltak needs a REPORTER, EDITOR or ADMIN token (this token is %s)", tok.Role)
}

// ownTiltak allows a tiltak the token's body is responsible for or takes
// part in. An unknown tiltak passes here and is reported by the resolver.
func ownTiltak(st Store, tok *store.Token, key string) error {
	snap := st.Snapshot()
	defer snap.Close()
	t, err := snap.Tiltak(key)
	if err != nil {
		return nil
	}
	if t.ResponsibleKey == tok.BodyKey {
		return nil
	}
	for _, p := range t.ParticipantKeys {
		if p == tok.BodyKey {
			return nil
		}
	}
	return forbidden("tiltak %q is not one that %s is responsible for or takes part in", key, tok.BodyKey)
}

// mayManageWebhook: a body's own webhooks, or any for ADMIN.
func mayManageWebhook(tok *store.Token, w *store.Webhook) bool {
	return tok != nil && (tok.Role == store.RoleAdmin || tok.BodyKey == w.BodyKey)
}

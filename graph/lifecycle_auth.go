package graph

import (
	"context"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// The lifecycle's permission rules (listed in the rules map in auth.go).
// A REPORTER works on its own body's reports of its own tiltak; the
// secretariat (EDITOR, ADMIN) accepts, returns, verifies and rates.

func isEditor(tok *store.Token) bool {
	return tok.Role == store.RoleAdmin || tok.Role == store.RoleEditor
}

// ownBody refuses a REPORTER acting for another body than its own.
func ownBody(tok *store.Token, body *string, what string) error {
	if body != nil && *body != "" && *body != tok.BodyKey {
		return forbidden("a REPORTER token %s for its own body (%s), not for %s", what, tok.BodyKey, *body)
	}
	return nil
}

func draftsReport(_ context.Context, st Store, tok *store.Token, args map[string]any) error {
	in, _ := args["input"].(model.DraftReportInput)
	if isEditor(tok) {
		return nil
	}
	if tok.Role != store.RoleReporter {
		return forbidden("drafting a report needs a REPORTER, EDITOR or ADMIN token (this token is %s)", tok.Role)
	}
	if err := ownBody(tok, in.BodyKey, "reports"); err != nil {
		return err
	}
	return ownTiltak(st, tok, in.TiltakKey)
}

// ownsReport allows a REPORTER its own body's reports (by the body in the id).
func ownsReport(_ context.Context, _ Store, tok *store.Token, args map[string]any) error {
	if isEditor(tok) {
		return nil
	}
	if tok.Role != store.RoleReporter {
		return forbidden("changing or submitting a report needs a REPORTER, EDITOR or ADMIN token (this token is %s)", tok.Role)
	}
	id, _ := args["id"].(string)
	if in, ok := args["input"].(model.UpdateReportInput); ok {
		id = in.ID
	}
	_, _, _, body, err := store.ParseReportID("id", id)
	if err != nil {
		return nil // the resolver reports the malformed id
	}
	if body != tok.BodyKey {
		return forbidden("report %s is %s's: a REPORTER token works on its own body's (%s) reports", id, body, tok.BodyKey)
	}
	return nil
}

// keepsDelivery allows a REPORTER the deliveries and typed dependencies of
// its own tiltak.
func keepsDelivery(_ context.Context, st Store, tok *store.Token, args map[string]any) error {
	if isEditor(tok) {
		return nil
	}
	if tok.Role != store.RoleReporter {
		return forbidden("changing deliveries or dependencies needs a REPORTER, EDITOR or ADMIN token (this token is %s)", tok.Role)
	}
	key, _ := args["tiltakKey"].(string)
	switch in := args["input"].(type) {
	case model.SaveDeliveryInput:
		key = in.TiltakKey
	case model.SaveDependencyInput:
		key = in.FromTiltakKey
	}
	return ownTiltak(st, tok, key)
}

// assesses: SELF ratings by the tiltak's own bodies, the rest by editors.
func assesses(_ context.Context, st Store, tok *store.Token, args map[string]any) error {
	in, _ := args["input"].(model.AssessInput)
	if isEditor(tok) {
		return nil
	}
	if tok.Role != store.RoleReporter || in.Role != store.RoleSelf {
		return forbidden("a %s token may give only its own body's SELF rating; %s ratings need an EDITOR or ADMIN token", tok.Role, in.Role)
	}
	if err := ownBody(tok, in.AssessorKey, "rates"); err != nil {
		return err
	}
	return ownTiltak(st, tok, in.TiltakKey)
}

package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"handlingsplan/graph"
	"handlingsplan/store"
)

// outcome is what one cell of the permission matrix must give.
type outcome int

const (
	// permit: no errors, no userErrors, and the change is visible afterwards.
	permit outcome = iota
	// forbid: a GraphQL error with extensions.code FORBIDDEN; nothing written.
	forbid
	// noauth: a GraphQL error with extensions.code UNAUTHENTICATED; nothing
	// written.
	noauth
	// reject: HTTP 401 with WWW-Authenticate and a JSON error with code
	// UNAUTHENTICATED; nothing written.
	reject
)

// callers are the matrix's columns. Every token is digdir's except the
// READER's, so the REPORTER's "own" tiltak are digdir's.
var callers = [7]string{"ADMIN", "EDITOR", "REPORTER", "READER", "no token", "bad token", "revoked token"}

type cells [7]outcome

// permissionMatrix is the table in graph/auth.go, cell by cell. "own",
// "participant" and "other" tiltak are seen from the REPORTER of digdir:
// digitalt-dodsbo, digital-gravferdsmelding, livshendelse-alvorlig-sykt-barn.
var permissionMatrix = []struct {
	want cells
	op   string
}{
	//     ADMIN   EDITOR  REPORTR READER  none    bad     revoked
	{cells{permit, permit, permit, permit, permit, reject, reject}, "query"},
	{cells{permit, permit, permit, forbid, noauth, reject, reject}, "webhooks query"},
	{cells{permit, permit, permit, forbid, noauth, reject, reject}, "reportStatus own"},
	{cells{permit, permit, permit, forbid, noauth, reject, reject}, "reportStatus participant"},
	{cells{permit, permit, forbid, forbid, noauth, reject, reject}, "reportStatus other"},
	{cells{permit, permit, forbid, forbid, noauth, reject, reject}, "reportStatus for kartverket"},
	{cells{permit, permit, permit, forbid, noauth, reject, reject}, "updateTiltak text own"},
	{cells{permit, permit, permit, forbid, noauth, reject, reject}, "updateTiltak text participant"},
	{cells{permit, permit, forbid, forbid, noauth, reject, reject}, "updateTiltak text other"},
	{cells{permit, permit, forbid, forbid, noauth, reject, reject}, "updateTiltak responsibleKey own"},
	{cells{permit, permit, forbid, forbid, noauth, reject, reject}, "updateTiltak participantKeys own"},
	{cells{permit, permit, forbid, forbid, noauth, reject, reject}, "createTiltak"},
	{cells{permit, permit, forbid, forbid, noauth, reject, reject}, "deleteTiltak own"},
	{cells{permit, permit, forbid, forbid, noauth, reject, reject}, "createBody"},
	{cells{permit, forbid, forbid, forbid, noauth, reject, reject}, "createToken"},
	{cells{permit, forbid, forbid, forbid, noauth, reject, reject}, "revokeToken"},
	{cells{permit, forbid, forbid, forbid, noauth, reject, reject}, "tokens query"},
	{cells{permit, permit, permit, forbid, noauth, reject, reject}, "registerWebhook"},
}

// knownBugs are cells where the code and the table in graph/auth.go
// disagree; the cell is checked, and skipped with this note if it fails.
var knownBugs = map[string]string{}

// request is one cell's GraphQL request (its one field aliased r) and how
// to see that an allowed request took effect.
type request struct {
	doc     string
	vars    map[string]any
	visible func(t *testing.T, e *env, r json.RawMessage)
}

const userErrorsSel = "userErrors { field message code }"

// buildOp makes the request of an operation for one cell; id is unique
// to the cell and kebab-case. Setup (a tiltak to delete, a token to
// revoke) is written here, before the cell's state is taken.
func buildOp(t *testing.T, e *env, op, id string) request {
	report := func(tiltak, body string) request {
		in := map[string]any{"tiltakKey": tiltak, "period": "2024-H2", "phase": "ACTIVE", "health": "ON_TRACK", "progress": 40, "summary": id}
		if body != "" {
			in["bodyKey"] = body
		}
		return request{
			doc:  `mutation($in: ReportStatusInput!) { r: reportStatus(input: $in) { report { summary } ` + userErrorsSel + ` } }`,
			vars: map[string]any{"in": in},
			visible: func(t *testing.T, e *env, _ json.RawMessage) {
				var d struct {
					T struct {
						StatusReports struct {
							Nodes []struct {
								Summary string
								Body    struct{ Key string }
							}
						}
					} `json:"tiltakByKey"`
				}
				e.query("", `query($k: String!) { tiltakByKey(key: $k) { statusReports(first: 100) { nodes { summary body { key } } } } }`, map[string]any{"k": tiltak}, &d)
				for _, n := range d.T.StatusReports.Nodes {
					if n.Summary == id && (body == "" || n.Body.Key == body) {
						return
					}
				}
				t.Errorf("report %q (body %q) not among %+v", id, body, d.T.StatusReports.Nodes)
			},
		}
	}
	updateText := func(tiltak string) request {
		return request{
			doc:  `mutation($in: UpdateTiltakInput!) { r: updateTiltak(input: $in) { tiltak { description } ` + userErrorsSel + ` } }`,
			vars: map[string]any{"in": map[string]any{"key": tiltak, "description": "Beskrivelse " + id, "title": "Tittel " + id}},
			visible: func(t *testing.T, e *env, _ json.RawMessage) {
				var d struct {
					T struct{ Title, Description string } `json:"tiltakByKey"`
				}
				e.query("", `query($k: String!) { tiltakByKey(key: $k) { title description } }`, map[string]any{"k": tiltak}, &d)
				if d.T.Description != "Beskrivelse "+id || d.T.Title != "Tittel "+id {
					t.Errorf("after the update: %+v", d.T)
				}
			},
		}
	}
	updateStructure := func(field string, value any, want string) request {
		key := "s-" + id
		e.createTiltak(key, "digdir") // digdir's own: only the field refuses it
		return request{
			doc:  `mutation($in: UpdateTiltakInput!) { r: updateTiltak(input: $in) { tiltak { key } ` + userErrorsSel + ` } }`,
			vars: map[string]any{"in": map[string]any{"key": key, field: value}},
			visible: func(t *testing.T, e *env, _ json.RawMessage) {
				var d struct {
					T struct {
						Responsible  struct{ Key string }
						Participants []struct{ Key string }
					} `json:"tiltakByKey"`
				}
				e.query("", `query($k: String!) { tiltakByKey(key: $k) { responsible { key } participants { key } } }`, map[string]any{"k": key}, &d)
				got := d.T.Responsible.Key
				if field == "participantKeys" && len(d.T.Participants) == 1 {
					got = d.T.Participants[0].Key
				}
				if got != want {
					t.Errorf("%s after the update = %q, want %q", field, got, want)
				}
			},
		}
	}
	exists := func(query, key string, want bool) func(*testing.T, *env, json.RawMessage) {
		return func(t *testing.T, e *env, _ json.RawMessage) {
			var d map[string]json.RawMessage
			json.Unmarshal(e.post("", query, map[string]any{"k": key}).Data, &d)
			for _, v := range d {
				if got := len(v) > 0 && string(v) != "null"; got != want {
					t.Errorf("%s exists = %v, want %v", key, got, want)
				}
			}
		}
	}

	switch op {
	case "query":
		return request{doc: `query($k: String!) { r: tiltakByKey(key: $k) { key } }`, vars: map[string]any{"k": ownTiltak},
			visible: func(t *testing.T, _ *env, r json.RawMessage) {
				if !strings.Contains(string(r), ownTiltak) {
					t.Errorf("query answered %s", r)
				}
			}}
	case "webhooks query":
		return request{doc: `{ r: webhooks { id url } }`, visible: func(*testing.T, *env, json.RawMessage) {}}
	case "reportStatus own":
		return report(ownTiltak, "")
	case "reportStatus participant":
		return report(partTiltak, "")
	case "reportStatus other":
		return report(otherTiltak, "")
	case "reportStatus for kartverket":
		return report(ownTiltak, "kartverket")
	case "updateTiltak text own":
		return updateText(ownTiltak)
	case "updateTiltak text participant":
		return updateText(partTiltak)
	case "updateTiltak text other":
		return updateText(otherTiltak)
	case "updateTiltak responsibleKey own":
		return updateStructure("responsibleKey", "kartverket", "kartverket")
	case "updateTiltak participantKeys own":
		return updateStructure("participantKeys", []string{"brreg"}, "brreg")
	case "createTiltak":
		key := "n-" + id
		return request{
			doc:     `mutation($in: CreateTiltakInput!) { r: createTiltak(input: $in) { tiltak { key } ` + userErrorsSel + ` } }`,
			vars:    map[string]any{"in": map[string]any{"key": key, "title": "Nytt " + id, "responsibleKey": "digdir"}},
			visible: exists(`query($k: String!) { tiltakByKey(key: $k) { key } }`, key, true),
		}
	case "deleteTiltak own":
		key := "d-" + id
		e.createTiltak(key, "digdir")
		return request{
			doc:     `mutation($in: DeleteInput!) { r: deleteTiltak(input: $in) { deletedKey ` + userErrorsSel + ` } }`,
			vars:    map[string]any{"in": map[string]any{"key": key}},
			visible: exists(`query($k: String!) { tiltakByKey(key: $k) { key } }`, key, false),
		}
	case "createBody":
		key := "b-" + id
		return request{
			doc:     `mutation($in: CreateBodyInput!) { r: createBody(input: $in) { body { key } ` + userErrorsSel + ` } }`,
			vars:    map[string]any{"in": map[string]any{"key": key, "name": "Etat " + id, "kind": "AGENCY"}},
			visible: exists(`query($k: String!) { body(key: $k) { key } }`, key, true),
		}
	case "createToken":
		return request{
			doc:  `mutation($in: CreateTokenInput!) { r: createToken(input: $in) { secret token { name } ` + userErrorsSel + ` } }`,
			vars: map[string]any{"in": map[string]any{"bodyKey": "nav", "role": "READER", "name": "t-" + id}},
			visible: func(t *testing.T, e *env, r json.RawMessage) {
				var p struct{ Secret string }
				json.Unmarshal(r, &p)
				var d struct{ Viewer struct{ Name string } }
				e.query(p.Secret, `{ viewer { name } }`, nil, &d)
				if d.Viewer.Name != "t-"+id {
					t.Errorf("viewer with the new secret = %q, want %q", d.Viewer.Name, "t-"+id)
				}
			},
		}
	case "revokeToken":
		secret, tok, err := e.db.CreateToken(context.Background(), store.System, "nav", store.RoleReader, "v-"+id)
		if err != nil {
			t.Fatal(err)
		}
		return request{
			doc:  `mutation($id: String!) { r: revokeToken(id: $id) { token { revokedAt } ` + userErrorsSel + ` } }`,
			vars: map[string]any{"id": tok.ID},
			visible: func(t *testing.T, e *env, _ json.RawMessage) {
				if r := e.post(secret, `{ viewer { name } }`, nil); r.Status != http.StatusUnauthorized {
					t.Errorf("revoked token: HTTP %d, want 401", r.Status)
				}
			},
		}
	case "tokens query":
		return request{doc: `{ r: tokens { name role } }`, visible: func(t *testing.T, _ *env, r json.RawMessage) {
			if !strings.Contains(string(r), `"matrix-reporter"`) {
				t.Errorf("tokens lacks matrix-reporter: %s", r)
			}
		}}
	case "registerWebhook":
		url := "https://example.org/hooks/" + id
		return request{
			doc:  `mutation($in: RegisterWebhookInput!) { r: registerWebhook(input: $in) { webhook { id } ` + userErrorsSel + ` } }`,
			vars: map[string]any{"in": map[string]any{"url": url, "events": []string{"STATUS_REPORTED"}}},
			visible: func(t *testing.T, e *env, _ json.RawMessage) {
				hooks, err := e.db.Webhooks("")
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(hooks, func(w *store.Webhook) bool { return w.URL == url }) {
					t.Errorf("webhook %s not stored", url)
				}
			},
		}
	}
	t.Fatalf("no operation %q", op)
	return request{}
}

// TestPermissionMatrix walks every cell of the matrix in graph/auth.go over
// real HTTP: an integrator relies on being refused exactly where the table
// says, with the code the table says, and on a refusal writing nothing.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{})
	secrets := []string{
		e.token("digdir", store.RoleAdmin, "matrix-admin"),
		e.token("digdir", store.RoleEditor, "matrix-editor"),
		e.token("digdir", store.RoleReporter, "matrix-reporter"),
		e.token("nav", store.RoleReader, "matrix-reader"),
		"",
		"hp_bm90LWEtcmVhbC10b2tlbg",
	}
	revoked, tok, err := e.db.CreateToken(context.Background(), store.System, "digdir", store.RoleAdmin, "matrix-revoked")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.RevokeToken(context.Background(), store.System, tok.ID); err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, revoked)

	for i, row := range permissionMatrix {
		for j, caller := range callers {
			want := row.want[j]
			t.Run(row.op+"/"+caller, func(t *testing.T) {
				e := e.with(t)
				id := fmt.Sprintf("m%d-%d", i, j)
				req := buildOp(t, e, row.op, id)
				keys := []string{ownTiltak, partTiltak, otherTiltak, "s-" + id, "n-" + id, "d-" + id, "b-" + id}
				before := e.touched(keys...)
				r := e.post(secrets[j], req.doc, req.vars)
				if p := checkOutcome(r, want); p != "" {
					if bug, ok := knownBugs[row.op+"/"+caller]; ok {
						t.Skipf("%s: %s", bug, p)
					}
					t.Fatal(p)
				}
				if want != permit {
					requireUnchanged(t, before, e.touched(keys...))
					return
				}
				var d struct{ R json.RawMessage }
				json.Unmarshal(r.Data, &d)
				var p struct{ UserErrors []userError }
				json.Unmarshal(d.R, &p)
				if len(p.UserErrors) > 0 {
					t.Fatalf("allowed, but userErrors %v", p.UserErrors)
				}
				req.visible(t, e, d.R)
			})
		}
	}
}

// checkOutcome checks the protocol side of a cell (status, error code,
// header) and returns what is wrong, or "".
func checkOutcome(r response, want outcome) string {
	switch want {
	case permit:
		if r.Status != http.StatusOK || len(r.Errors) > 0 {
			return fmt.Sprintf("want permitted, got HTTP %d: %s", r.Status, r.Raw)
		}
	case forbid, noauth:
		code := map[outcome]string{forbid: "FORBIDDEN", noauth: "UNAUTHENTICATED"}[want]
		if r.Status != http.StatusOK || len(r.Errors) != 1 || r.Errors[0].code() != code {
			return fmt.Sprintf("want one GraphQL error %s (HTTP 200), got HTTP %d: %s", code, r.Status, r.Raw)
		}
		var d struct{ R json.RawMessage }
		if json.Unmarshal(r.Data, &d); d.R != nil && string(d.R) != "null" {
			return fmt.Sprintf("refused, but answered r = %s", d.R)
		}
	case reject:
		return unauthorizedProblem(r)
	}
	return ""
}

// checkUnauthorized checks a refusal at the HTTP level: 401, a bearer
// challenge and a GraphQL-shaped error with code UNAUTHENTICATED.
func checkUnauthorized(t *testing.T, r response) {
	t.Helper()
	if p := unauthorizedProblem(r); p != "" {
		t.Fatal(p)
	}
}

func unauthorizedProblem(r response) string {
	switch {
	case r.Status != http.StatusUnauthorized:
		return fmt.Sprintf("want HTTP 401, got %d: %s", r.Status, r.Raw)
	case !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer"):
		return fmt.Sprintf("WWW-Authenticate = %q, want a Bearer challenge", r.Header.Get("WWW-Authenticate"))
	case len(r.Errors) != 1 || r.Errors[0].code() != "UNAUTHENTICATED":
		return fmt.Sprintf("want one error with code UNAUTHENTICATED, got %s", r.Raw)
	case len(r.Data) > 0 && string(r.Data) != "null":
		return fmt.Sprintf("a refused request answered data %s", r.Data)
	}
	return ""
}

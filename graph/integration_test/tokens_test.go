package integration_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"handlingsplan/graph"
	"handlingsplan/store"
)

// TestTokensByMutation: an ADMIN hands out a token through the API; its
// secret works at once, is shown only in that answer, and stops working
// the moment the token is revoked.
func TestTokensByMutation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{})
	admin := e.token("digdir", store.RoleAdmin, "drift")

	var created struct {
		Secret string
		Token  struct {
			ID, Name, Role, CreatedAt string
			Body                      struct{ Key string }
			RevokedAt                 *string
		}
	}
	e.mustMutate(admin, `mutation($in: CreateTokenInput!) { r: createToken(input: $in) {
		secret token { id name role createdAt revokedAt body { key } } userErrors { field message code } } }`,
		map[string]any{"in": map[string]any{"bodyKey": "ks", "role": "REPORTER", "name": "ks-integrasjon"}}, &created)
	tok := created.Token
	if created.Secret == "" || tok.ID == "" || tok.Name != "ks-integrasjon" || tok.Role != "REPORTER" || tok.Body.Key != "ks" || tok.RevokedAt != nil || tok.CreatedAt == "" {
		t.Fatalf("createToken answered %+v", created)
	}

	t.Run("the secret works at once", func(t *testing.T) {
		e := e.with(t)
		var d struct {
			Viewer struct {
				ID, Name, Role string
				Body           struct{ Key string }
			}
		}
		e.query(created.Secret, `{ viewer { id name role body { key } } }`, nil, &d)
		if d.Viewer.ID != tok.ID || d.Viewer.Name != "ks-integrasjon" || d.Viewer.Role != "REPORTER" || d.Viewer.Body.Key != "ks" {
			t.Errorf("viewer %+v, want the new token", d.Viewer)
		}
		// And it writes: KS takes part in livshendelse-dodsfall-og-arv.
		e.report(created.Secret, map[string]any{"tiltakKey": "livshendelse-dodsfall-og-arv", "period": "2024-H2", "phase": "ACTIVE", "health": "ON_TRACK", "progress": 60})
	})
	t.Run("viewer is null without a token", func(t *testing.T) {
		e := e.with(t)
		var d struct{ Viewer *struct{ Name string } }
		e.query("", `{ viewer { name } }`, nil, &d)
		if d.Viewer != nil {
			t.Errorf("viewer %+v, want null", d.Viewer)
		}
	})
	t.Run("tokens lists them without secrets", func(t *testing.T) {
		e := e.with(t)
		r := e.post(admin, `{ tokens { id name role createdAt revokedAt body { key } } }`, nil)
		if r.Status != http.StatusOK || len(r.Errors) > 0 {
			t.Fatalf("tokens: %s", r.Raw)
		}
		for _, want := range []string{`"drift"`, `"ks-integrasjon"`, tok.ID} {
			if !strings.Contains(string(r.Data), want) {
				t.Errorf("tokens lacks %s: %s", want, r.Data)
			}
		}
		sum := sha256.Sum256([]byte(created.Secret))
		for _, secretish := range []string{created.Secret, admin, hex.EncodeToString(sum[:]), `"hash"`, `"secret"`, `"createdBy"`} {
			if strings.Contains(string(r.Raw), secretish) {
				t.Errorf("tokens answer shows %s", secretish)
			}
		}
		for _, field := range []string{"secret", "hash"} {
			r := e.post(admin, `{ tokens { `+field+` } }`, nil)
			if len(r.Errors) == 0 || r.Errors[0].code() != "GRAPHQL_VALIDATION_FAILED" {
				t.Errorf("tokens { %s }: want a validation error (no such field), got %s", field, r.Raw)
			}
		}
	})
	t.Run("unknown body", func(t *testing.T) {
		e := e.with(t)
		before := e.touched()
		_, ue := e.mutate(admin, mutation("createToken", "CreateTokenInput"), map[string]any{"in": map[string]any{"bodyKey": "finnes-ikke", "role": "READER"}})
		if len(ue) != 1 || ue[0].Code != "NOT_FOUND" || ptrString(ue[0].Field) != "bodyKey" {
			t.Errorf("userErrors %v, want NOT_FOUND on bodyKey", ue)
		}
		requireUnchanged(t, before, e.touched())
	})
	t.Run("revokeToken makes the secret fail with 401", func(t *testing.T) {
		e := e.with(t)
		var p struct {
			Token struct {
				ID        string
				RevokedAt *string
			}
		}
		e.mustMutate(admin, `mutation($id: String!) { r: revokeToken(id: $id) { token { id revokedAt } userErrors { field message code } } }`, map[string]any{"id": tok.ID}, &p)
		if p.Token.ID != tok.ID || p.Token.RevokedAt == nil {
			t.Errorf("revokeToken answered %+v", p)
		}
		checkUnauthorized(t, e.post(created.Secret, `{ viewer { name } }`, nil))
		checkUnauthorized(t, e.post(created.Secret, reportStatusDoc, map[string]any{"in": map[string]any{
			"tiltakKey": "livshendelse-dodsfall-og-arv", "period": "2025-H1", "phase": "ACTIVE", "health": "ON_TRACK", "progress": 70}}))
		var d struct {
			Tokens []struct {
				ID        string
				RevokedAt *string
			}
		}
		e.query(admin, `{ tokens { id revokedAt } }`, nil, &d)
		var listed, revoked int
		for _, x := range d.Tokens {
			listed++
			if x.RevokedAt != nil {
				revoked++
				if x.ID != tok.ID {
					t.Errorf("token %s is listed as revoked", x.ID)
				}
			}
		}
		if listed != 2 || revoked != 1 {
			t.Errorf("tokens lists %d (%d revoked), want both, one revoked", listed, revoked)
		}
	})
	t.Run("revoking an unknown token", func(t *testing.T) {
		e := e.with(t)
		_, ue := e.mutate(admin, `mutation { r: revokeToken(id: "tok-000000000000") { userErrors { field message code } } }`, nil)
		if len(ue) != 1 || ue[0].Code != "NOT_FOUND" || ptrString(ue[0].Field) != "id" {
			t.Errorf("userErrors %v, want NOT_FOUND on id", ue)
		}
	})
}

// TestAuthorizationHeader: a header that is not «Bearer <token>» is
// refused with 401, never taken as anonymous; the scheme's case does not
// matter.
func TestAuthorizationHeader(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{})
	reader := e.token("nav", store.RoleReader, "nav-lesing")
	for _, tt := range []struct{ name, header string }{
		{"Basic", "Basic bmF2Omxlc2luZw=="},
		{"Bearer alone", "Bearer"},
		{"Bearer and a space", "Bearer "},
		{"a secret without a scheme", reader},
		{"the prefix alone", "Bearer hp_"},
		{"a secret one character off", "Bearer " + reader + "x"},
		{"a long secret", "Bearer " + strings.Repeat("x", 300)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.send(tt.header, `{ viewer { name } }`, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkUnauthorized(t, r)
		})
	}
	for _, h := range []string{"bearer " + reader, "BEARER " + reader} {
		r, err := e.send(h, `{ viewer { name } }`, nil)
		if err != nil || r.Status != http.StatusOK || !strings.Contains(string(r.Data), "nav-lesing") {
			t.Errorf("%q: HTTP %d %s %v, want the viewer", h, r.Status, r.Raw, err)
		}
	}
}

// TestPrivateMode: a --private server answers nothing without a token,
// and reads with any valid token; the roles still hold for writes.
func TestPrivateMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{Private: true})
	reader := e.token("nav", store.RoleReader, "nav-lesing")
	const query = `{ tiltakByKey(key: "digitalt-dodsbo") { key } }`

	checkUnauthorized(t, e.post("", query, nil))
	checkUnauthorized(t, e.post("hp_ugyldig", query, nil))
	var d struct {
		T struct{ Key string } `json:"tiltakByKey"`
	}
	e.query(reader, query, nil, &d)
	if d.T.Key != ownTiltak {
		t.Errorf("READER read %+v", d.T)
	}
	r := e.post(reader, updateTiltakDoc, map[string]any{"in": map[string]any{"key": ownTiltak, "description": "x"}})
	if len(r.Errors) != 1 || r.Errors[0].code() != "FORBIDDEN" {
		t.Errorf("READER write on a private server: %s, want FORBIDDEN", r.Raw)
	}
	// A browser's preflight carries no token; it must not be refused.
	req, _ := http.NewRequest(http.MethodOptions, e.srv.URL, nil)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		t.Errorf("OPTIONS without a token: HTTP 401")
	}
}

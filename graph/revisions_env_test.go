package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"handlingsplan/defaultdata"
	"handlingsplan/graph"
	"handlingsplan/store"
)

// revEnv is a GraphQL server over the default data whose store clock moves
// one minute at every reading, with an EDITOR token (digdir's secretariat),
// and the forum skate's meetings skate-2020 and skate-2021 with the
// decision cases skate-2020-04 and skate-2021-02.
type revEnv struct {
	t      *testing.T
	db     *store.DB
	srv    *httptest.Server
	mu     sync.Mutex
	now    time.Time
	editor string
}

func newRevEnv(t *testing.T) *revEnv {
	t.Helper()
	e := &revEnv{t: t, now: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	db, err := store.Open(store.Options{InMemory: true, Now: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	plan, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportPlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	e.db, e.srv = db, httptest.NewServer(graph.NewHandler(db, graph.Options{}))
	t.Cleanup(e.srv.Close)
	e.editor = e.token("digdir", store.RoleEditor)
	e.ok(e.editor, `mutation {
		a: createMeeting(input: {key: "skate-2020", forumKey: "skate", date: "2020-06-10", title: "Skate juni 2020"}) { userErrors { message } }
		b: createMeeting(input: {key: "skate-2021", forumKey: "skate", date: "2021-06-09", title: "Skate juni 2021", followUpPeriod: "2021-H1"}) { userErrors { message } }
		c: createCase(input: {key: "skate-2020-04", meetingKey: "skate-2020", number: "04/2020", title: "Handlingsplanen", kind: DECISION}) { userErrors { message } }
		d: createCase(input: {key: "skate-2021-02", meetingKey: "skate-2021", number: "02/2021", title: "Revisjon", kind: DECISION,
			concerns: [{kind: TILTAK, key: "digitalt-dodsbo"}, {kind: LIFE_EVENT, key: "dodsfall-og-arv"}]}) { userErrors { message } }
	}`, nil, nil)
	return e
}

func (e *revEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(time.Minute)
	return e.now
}

func (e *revEnv) token(body string, role store.Role) string {
	e.t.Helper()
	secret, _, err := e.db.CreateToken(context.Background(), store.System, body, role, body+"-"+strings.ToLower(string(role)))
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// do posts a request with a token (none when empty) and decodes data into
// out; it returns the errors.
func (e *revEnv) do(token, query string, vars map[string]any, out any) []gqlError {
	e.t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	r := send(e.t, req)
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			e.t.Fatalf("decode %s: %v", r.Data, err)
		}
	}
	return r.Errors
}

// ok is do that must succeed without errors or userErrors anywhere.
func (e *revEnv) ok(token, query string, vars map[string]any, out any) {
	e.t.Helper()
	var raw json.RawMessage
	if errs := e.do(token, query, vars, &raw); len(errs) > 0 {
		e.t.Fatalf("errors %+v\n%s", errs, query)
	}
	if strings.Contains(string(raw), `"message"`) {
		e.t.Fatalf("userErrors in %s\n%s", raw, query)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatal(err)
		}
	}
}

type userErr struct{ Field, Message, Code string }

// Package integration_test drives the GraphQL API's integration features
// (tokens, permissions, writes, status reports, the audit trail, webhooks)
// over real HTTP, against a real in-memory Badger store loaded with the
// real default data.
package integration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"handlingsplan/defaultdata"
	"handlingsplan/graph"
	"handlingsplan/store"
)

// Default-data facts the tests rely on: digdir is responsible for
// digitalt-dodsbo, takes part in digital-gravferdsmelding (responsible:
// statsforvalteren-i-vestfold-og-telemark) and has nothing to do with
// livshendelse-alvorlig-sykt-barn (responsible: helsedirektoratet).
const (
	ownTiltak   = "digitalt-dodsbo"
	partTiltak  = "digital-gravferdsmelding"
	otherTiltak = "livshendelse-alvorlig-sykt-barn"
)

// clock is a store clock that moves one second on every reading, so every
// write has its own updatedAt and `since` filters have something to cut.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

// env is one GraphQL server over its own store.
type env struct {
	t   testing.TB
	db  *store.DB
	srv *httptest.Server
}

// newEnv opens an in-memory store, loads the default data and serves
// graph.NewHandler over real HTTP.
func newEnv(t testing.TB, opts graph.Options) *env {
	t.Helper()
	c := &clock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	db, err := store.Open(store.Options{InMemory: true, Now: c.Now})
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
	if opts.Log == nil {
		// Internal errors are masked in answers: show them in the test's log.
		opts.Log = slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv := httptest.NewServer(graph.NewHandler(db, opts))
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, srv: srv}
}

// testLog writes the server's log to the test's.
type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// with returns e reporting to t: a subtest's failures end the subtest.
func (e *env) with(t testing.TB) *env {
	c := *e
	c.t = t
	return &c
}

// token makes a token as the operator would (command line) and returns
// its secret.
func (e *env) token(body string, role store.Role, name string) string {
	e.t.Helper()
	secret, _, err := e.db.CreateToken(context.Background(), store.System, body, role, name)
	if err != nil {
		e.t.Fatalf("CreateToken(%s, %s): %v", body, role, err)
	}
	return secret
}

// gqlError is one entry of a response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (g gqlError) code() string { s, _ := g.Extensions["code"].(string); return s }

// userError is a mutation payload's userErrors entry.
type userError struct {
	Field   *string `json:"field"`
	Message string  `json:"message"`
	Code    string  `json:"code"`
}

func (u userError) String() string {
	f := "<nil>"
	if u.Field != nil {
		f = *u.Field
	}
	return fmt.Sprintf("{field %s, code %s: %s}", f, u.Code, u.Message)
}

// response is a GraphQL response as it came over HTTP.
type response struct {
	Status int
	Header http.Header
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	Raw    []byte
}

// post sends one GraphQL request, with «Authorization: Bearer secret»
// unless secret is empty.
func (e *env) post(secret, query string, vars map[string]any) response {
	e.t.Helper()
	auth := ""
	if secret != "" {
		auth = "Bearer " + secret
	}
	r, err := e.send(auth, query, vars)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// send sends one GraphQL request with the Authorization header given
// (none if empty). It is safe to call from any goroutine.
func (e *env) send(authorization, query string, vars map[string]any) (response, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return response{}, err
	}
	req, err := http.NewRequest(http.MethodPost, e.srv.URL, bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	r := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, fmt.Errorf("response is not JSON (HTTP %d): %v\n%s", resp.StatusCode, err, raw)
	}
	return r, nil
}

// query posts and requires an answer without errors, decoded into out.
func (e *env) query(secret, query string, vars map[string]any, out any) {
	e.t.Helper()
	r := e.post(secret, query, vars)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		e.t.Fatalf("query failed (HTTP %d): %s\nquery: %s", r.Status, r.Raw, query)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			e.t.Fatalf("decode %s: %v", r.Data, err)
		}
	}
}

// mutate posts a mutation whose one field is aliased r, requires no
// GraphQL error, and returns the payload as JSON and its userErrors.
func (e *env) mutate(secret, query string, vars map[string]any) (json.RawMessage, []userError) {
	e.t.Helper()
	r := e.post(secret, query, vars)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		e.t.Fatalf("mutation failed (HTTP %d): %s\nmutation: %s", r.Status, r.Raw, query)
	}
	var d struct {
		R json.RawMessage `json:"r"`
	}
	var p struct {
		UserErrors []userError `json:"userErrors"`
	}
	if err := json.Unmarshal(r.Data, &d); err != nil || json.Unmarshal(d.R, &p) != nil {
		e.t.Fatalf("payload %s lacks r.userErrors", r.Data)
	}
	return d.R, p.UserErrors
}

// mustMutate is mutate requiring no userErrors; it decodes the payload
// into out.
func (e *env) mustMutate(secret, query string, vars map[string]any, out any) {
	e.t.Helper()
	payload, ue := e.mutate(secret, query, vars)
	if len(ue) > 0 {
		e.t.Fatalf("userErrors %v\nmutation: %s", ue, query)
	}
	if out != nil {
		if err := json.Unmarshal(payload, out); err != nil {
			e.t.Fatalf("decode %s: %v", payload, err)
		}
	}
}

// export is the whole plan as ExportPlan writes it: two equal exports
// mean an equal plan.
func (e *env) export() []byte {
	e.t.Helper()
	p, err := e.db.ExportPlan(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	b, err := json.MarshalIndent(p, "", " ")
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// lastSeq is the sequence number of the newest audit entry (0 if none).
func (e *env) lastSeq() uint64 {
	e.t.Helper()
	snap := e.db.Snapshot()
	defer snap.Close()
	one := 1
	cs, _, err := snap.Changes(store.ChangeFilter{}, store.PageArgs{First: &one})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(cs) == 0 {
		return 0
	}
	return cs[0].Seq
}

// touched is what a write could change, cheaper than a full export
// (slow under -race) for tests that make many requests: the audit
// trail's length (every entity and status write appends to it in the same
// transaction), the tokens, the webhooks, and the stored records (of any
// kind) and status reports of the keys a request names.
func (e *env) touched(keys ...string) string {
	e.t.Helper()
	toks, err := e.db.Tokens()
	if err != nil {
		e.t.Fatal(err)
	}
	hooks, err := e.db.Webhooks("")
	if err != nil {
		e.t.Fatal(err)
	}
	snap := e.db.Snapshot()
	defer snap.Close()
	records := map[string]any{}
	for _, k := range keys {
		if t, err := snap.Tiltak(k); err == nil {
			first := store.MaxPageSize
			reports, _, _ := snap.StatusReports(k, store.PageArgs{First: &first})
			records["tiltak "+k] = map[string]any{"tiltak": t, "reports": reports}
		}
		if b, err := snap.Body(k); err == nil {
			records["body "+k] = b
		}
		if v, err := snap.LifeEvent(k); err == nil {
			records["life event "+k] = v
		}
		if v, err := snap.FocusArea(k); err == nil {
			records["focus area "+k] = v
		}
		if v, err := snap.Initiative(k); err == nil {
			records["initiative "+k] = v
		}
		if v, err := snap.Forum(k); err == nil {
			records["forum "+k] = v
		}
		if n, err := strconv.Atoi(k); err == nil {
			if v, err := snap.GovernanceLevel(n); err == nil {
				records["governance level "+k] = v
			}
		}
	}
	b, err := json.Marshal(map[string]any{"tokens": toks, "webhooks": hooks, "lastSeq": e.lastSeq(), "records": records})
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

// requireUnchanged fails when the state differs from before, naming the
// first line that differs.
func requireUnchanged(t testing.TB, before, after string) {
	t.Helper()
	if before == after {
		return
	}
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	for i := 0; i < len(b) && i < len(a); i++ {
		if b[i] != a[i] {
			t.Fatalf("a refused write changed the store: line %d\n-%s\n+%s", i+1, b[i], a[i])
		}
	}
	t.Fatalf("a refused write changed the store (%d lines before, %d after)", len(b), len(a))
}

// createTiltak makes a tiltak with the system actor, as setup for a test.
func (e *env) createTiltak(key, responsible string, dependsOn ...string) {
	e.t.Helper()
	_, err := e.db.CreateTiltak(context.Background(), store.System, &store.Tiltak{
		Key: key, Title: "Test " + key, ResponsibleKey: responsible, DependsOnKeys: dependsOn, GovernanceLevel: 3})
	if err != nil {
		e.t.Fatalf("CreateTiltak(%s): %v", key, err)
	}
}

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

	"handlingsplan/defaultdata"
	"handlingsplan/graph"
	"handlingsplan/server"
	"handlingsplan/store"
)

var (
	fuzzOnce    sync.Once
	fuzzHandler http.Handler
	fuzzToken   string
	fuzzErr     error
)

// fuzzServer is the whole HTTP surface (server.New around the GraphQL
// handler, as serve mounts it) over an in-memory store with the default
// data, built once per fuzzing process, and an EDITOR token for it.
func fuzzServer(t *testing.T) (http.Handler, string) {
	fuzzOnce.Do(func() {
		db, err := store.Open(store.Options{InMemory: true})
		if err != nil {
			fuzzErr = err
			return
		}
		plan, err := defaultdata.Plan()
		if err == nil {
			err = db.ImportPlan(context.Background(), plan)
		}
		if err == nil {
			fuzzToken, _, err = db.CreateToken(context.Background(), store.System, "digdir", store.RoleEditor, "fuzz")
		}
		fuzzErr = err
		fuzzHandler = server.New(server.Config{}, nil, graph.NewHandler(db, graph.Options{RequestID: server.RequestID}))
	})
	if fuzzErr != nil {
		t.Fatal(fuzzErr)
	}
	return fuzzHandler, fuzzToken
}

// FuzzGraphQLHTTP sends arbitrary requests to /graphql: any body with any
// content type over POST, or any query string over GET, with or without a
// token. No input may crash the server, get a non-JSON answer or a 5xx
// other than an INTERNAL error with a request ID, or leak internals (Go
// errors, stack traces, Badger). Seeds: testdata/fuzz/FuzzGraphQLHTTP (the
// README's queries and mutations, malformed JSON, batches, GET forms).
func FuzzGraphQLHTTP(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte, contentType string, get, withToken bool) {
		h, token := fuzzServer(t)
		var req *http.Request
		if get {
			req = httptest.NewRequest(http.MethodGet, "/graphql", nil)
			req.URL.RawQuery = string(body)
		} else {
			req = httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Accept", "application/graphql-response+json, application/json")
		if withToken {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		out := rec.Body.Bytes()
		var answer struct {
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(out, &answer); err != nil {
			t.Fatalf("status %d, answer is not JSON (%v): %.300q", res.StatusCode, err, out)
		}
		if res.StatusCode >= 500 {
			if len(answer.Errors) == 0 || answer.Errors[0].Extensions["code"] != "INTERNAL" || answer.Errors[0].Extensions["requestId"] == "" {
				t.Fatalf("status %d without an INTERNAL error and request ID: %.300q", res.StatusCode, out)
			}
		}
		for _, leak := range []string{"goroutine ", "runtime error", ".go:", "badger", "Badger", "panic"} {
			if bytes.Contains(out, []byte(leak)) && !strings.Contains(string(body), leak) {
				t.Fatalf("answer leaks internals (%q): %.500q", leak, out)
			}
		}
	})
}

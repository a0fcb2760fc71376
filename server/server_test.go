package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"handlingsplan/server"
)

// logBuffer collects slog output; server goroutines write concurrently.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the JSON log records.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// stubGraphQL stands in for gqlgen: it reads the whole body and reports what
// it saw.
type stubGraphQL struct {
	mu    sync.Mutex
	calls int
	last  stubCall
}

type stubCall struct {
	Method    string
	BodyBytes int64
	ReadErr   string
	RequestID string
}

func (s *stubGraphQL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	c := stubCall{Method: r.Method, BodyBytes: n, RequestID: server.RequestID(r.Context())}
	if err != nil {
		c.ReadErr = err.Error()
	}
	s.mu.Lock()
	s.calls++
	s.last = c
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"data":{"method":%q}}`, r.Method)
}

func (s *stubGraphQL) seen() (int, stubCall) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, s.last
}

// start serves server.New(cfg, log, gql) on a real socket.
func start(t *testing.T, cfg server.Config, gql http.Handler) (*httptest.Server, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	ts := httptest.NewServer(server.New(cfg, slog.New(slog.NewJSONHandler(logs, nil)), gql))
	t.Cleanup(ts.Close)
	return ts, logs
}

func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, body
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	return do(t, req)
}

// gqlErrorBody is the GraphQL-style error body the server answers with.
type gqlErrorBody struct {
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func decodeError(t *testing.T, resp *http.Response, body []byte) gqlErrorBody {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var e gqlErrorBody
	if err := json.Unmarshal(body, &e); err != nil || len(e.Errors) != 1 {
		t.Fatalf("body %q is not a GraphQL error with one entry (err %v)", body, err)
	}
	return e
}

func preflight(t *testing.T, url, origin string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodOptions, url, nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,x-request-id")
	resp, _ := do(t, req)
	return resp
}

func TestCORSConfiguredOrigins(t *testing.T) {
	stub := &stubGraphQL{}
	ts, _ := start(t, server.Config{CORSOrigins: []string{"https://allowed.example"}}, stub)

	resp := preflight(t, ts.URL+"/graphql", "https://allowed.example")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://allowed.example" {
		t.Errorf("allowed origin: Access-Control-Allow-Origin = %q", got)
	}
	if got := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "authorization") || !strings.Contains(got, "content-type") {
		t.Errorf("allowed origin: Access-Control-Allow-Headers = %q", got)
	}
	if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("Access-Control-Allow-Credentials = %q, want none", got)
	}

	resp = preflight(t, ts.URL+"/graphql", "https://evil.example")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("denied origin: Access-Control-Allow-Origin = %q, want none", got)
	}
	if n, _ := stub.seen(); n != 0 {
		t.Errorf("preflights reached the GraphQL handler %d times", n)
	}

	// The actual request: the browser may read it and the request ID.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", strings.NewReader(`{"query":"{a}"}`))
	req.Header.Set("Origin", "https://allowed.example")
	resp, _ = do(t, req)
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://allowed.example" {
		t.Errorf("POST: Access-Control-Allow-Origin = %q", got)
	}
	if got := resp.Header.Get("Access-Control-Expose-Headers"); !strings.EqualFold(got, "X-Request-Id") {
		t.Errorf("POST: Access-Control-Expose-Headers = %q, want X-Request-ID", got)
	}
}

func TestCORSDefaultAnyOriginWithoutCredentials(t *testing.T) {
	ts, _ := start(t, server.Config{}, &stubGraphQL{})
	for _, origin := range []string{"https://anyone.example", "http://localhost:3000"} {
		resp := preflight(t, ts.URL+"/graphql", origin)
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin = %q, want *", origin, got)
		}
		if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Credentials = %q, want none", origin, got)
		}
	}
}

func TestHealthz(t *testing.T) {
	ts, _ := start(t, server.Config{Ready: func(context.Context) error { return errors.New("not yet") }}, &stubGraphQL{})
	resp, body := get(t, ts.URL+"/healthz")
	if resp.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Errorf("GET /healthz = %d %q, want 200 ok (liveness ignores Ready)", resp.StatusCode, body)
	}
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name       string
		ready      func(context.Context) error
		wantStatus int
		wantBody   string
	}{
		{"no check", nil, http.StatusOK, "ok"},
		{"ready", func(context.Context) error { return nil }, http.StatusOK, "ok"},
		{"not ready", func(context.Context) error { return errors.New("store closed") }, http.StatusServiceUnavailable, "store closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, _ := start(t, server.Config{Ready: tt.ready}, &stubGraphQL{})
			resp, body := get(t, ts.URL+"/readyz")
			if resp.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("GET /readyz = %d %q, want %d containing %q", resp.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	ts, _ := start(t, server.Config{}, &stubGraphQL{})
	for _, path := range []string{"/nope", "/graphql/extra", "/healthz/x"} {
		resp, body := get(t, ts.URL+path)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
			continue
		}
		if e := decodeError(t, resp, body); e.Errors[0].Extensions["code"] != "NOT_FOUND" {
			t.Errorf("GET %s: error %+v, want code NOT_FOUND", path, e.Errors[0])
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options = %q", path, got)
		}
	}
}

func TestGraphQLMethods(t *testing.T) {
	stub := &stubGraphQL{}
	ts, _ := start(t, server.Config{}, stub)
	// GET, POST and a plain (non-preflight) OPTIONS reach the GraphQL handler.
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodOptions} {
		req, _ := http.NewRequest(method, ts.URL+"/graphql", nil)
		resp, _ := do(t, req)
		if n, last := stub.seen(); resp.StatusCode != http.StatusOK || n == 0 || last.Method != method {
			t.Errorf("%s /graphql = %d, handler saw %q, want 200 from the handler", method, resp.StatusCode, last.Method)
		}
	}
	before, _ := stub.seen()
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead} {
		req, _ := http.NewRequest(method, ts.URL+"/graphql", nil)
		resp, body := do(t, req)
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s /graphql = %d, want 405", method, resp.StatusCode)
		}
		if got := resp.Header.Get("Allow"); got != "GET, POST, OPTIONS" {
			t.Errorf("%s /graphql: Allow = %q", method, got)
		}
		if method != http.MethodHead {
			if e := decodeError(t, resp, body); e.Errors[0].Extensions["code"] != "METHOD_NOT_ALLOWED" {
				t.Errorf("%s /graphql: error %+v", method, e.Errors[0])
			}
		}
	}
	if after, _ := stub.seen(); after != before {
		t.Errorf("405 requests reached the GraphQL handler")
	}
}

func TestSchemaSDL(t *testing.T) {
	sdl := []byte("type Query {\n  \"Tiltak: a measure\"\n  hello: String\n}\n")
	ts, _ := start(t, server.Config{SchemaSDL: sdl}, &stubGraphQL{})
	resp, body := get(t, ts.URL+"/schema.graphql")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, sdl) {
		t.Errorf("GET /schema.graphql = %d %q, want 200 %q", resp.StatusCode, body, sdl)
	}
	if got := resp.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}

	ts, _ = start(t, server.Config{}, &stubGraphQL{})
	if resp, _ := get(t, ts.URL+"/schema.graphql"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("without SDL: GET /schema.graphql = %d, want 404", resp.StatusCode)
	}
}

func TestNewHTTPServer(t *testing.T) {
	h := http.NotFoundHandler()
	s := server.NewHTTPServer(h)
	if s.Handler == nil || s.ReadHeaderTimeout != server.ReadHeaderTimeout || s.ReadTimeout != server.ReadTimeout ||
		s.WriteTimeout != server.WriteTimeout || s.IdleTimeout != server.IdleTimeout || s.MaxHeaderBytes != server.MaxHeaderBytes {
		t.Errorf("NewHTTPServer = %+v, want the exported timeouts", s)
	}
	for _, d := range []any{server.ReadHeaderTimeout, server.ReadTimeout, server.WriteTimeout, server.IdleTimeout} {
		if fmt.Sprint(d) == "0s" {
			t.Errorf("a timeout is zero")
		}
	}
}

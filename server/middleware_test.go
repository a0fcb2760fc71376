package server_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"handlingsplan/server"
)

func TestBodyLimit(t *testing.T) {
	const limit = 4096
	tests := []struct {
		name       string
		limit      int64 // Config.MaxBodyBytes
		size       int64
		chunked    bool
		wantStatus int
	}{
		{"at limit, Content-Length", limit, limit, false, http.StatusOK},
		{"over limit, Content-Length", limit, limit + 1, false, http.StatusRequestEntityTooLarge},
		{"at limit, chunked", limit, limit, true, http.StatusOK},
		{"over limit, chunked", limit, limit + 1, true, http.StatusRequestEntityTooLarge},
		{"far over limit, chunked", limit, 50 * limit, true, http.StatusRequestEntityTooLarge},
		{"default 1 MiB, at limit", 0, server.DefaultMaxBodyBytes, true, http.StatusOK},
		{"default 1 MiB, over limit", 0, server.DefaultMaxBodyBytes + 1, false, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub := &stubGraphQL{}
			h := server.New(server.Config{MaxBodyBytes: tt.limit}, nil, stub)
			// Record how the request arrived, to be sure the chunked cases are chunked.
			var mu sync.Mutex
			var gotTE []string
			var gotCL int64
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				gotTE, gotCL = r.TransferEncoding, r.ContentLength
				mu.Unlock()
				h.ServeHTTP(w, r)
			}))
			defer ts.Close()

			var body io.Reader = bytes.NewReader(bytes.Repeat([]byte("x"), int(tt.size)))
			if tt.chunked {
				body = io.MultiReader(body) // hides the length from the client
			}
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", body)
			if tt.chunked {
				req.ContentLength = -1
			}
			resp, respBody := do(t, req)

			mu.Lock()
			chunked := len(gotTE) == 1 && gotTE[0] == "chunked" && gotCL == -1
			mu.Unlock()
			if chunked != tt.chunked {
				t.Fatalf("server saw Transfer-Encoding %v, Content-Length %d; want chunked=%v", gotTE, gotCL, tt.chunked)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d %q, want %d", resp.StatusCode, respBody, tt.wantStatus)
			}
			calls, last := stub.seen()
			if tt.wantStatus == http.StatusOK {
				if calls != 1 || last.BodyBytes != tt.size || last.ReadErr != "" {
					t.Errorf("handler calls %d, read %d bytes (err %q), want 1 call reading %d", calls, last.BodyBytes, last.ReadErr, tt.size)
				}
				return
			}
			if calls != 0 {
				t.Errorf("an oversized body reached the GraphQL handler")
			}
			want := strconv.FormatInt(tt.limit, 10)
			if tt.limit == 0 {
				want = strconv.FormatInt(server.DefaultMaxBodyBytes, 10)
			}
			e := decodeError(t, resp, respBody)
			if !strings.Contains(e.Errors[0].Message, want) || e.Errors[0].Extensions["code"] != "PAYLOAD_TOO_LARGE" {
				t.Errorf("413 error %+v does not state the limit %s", e.Errors[0], want)
			}
		})
	}
}

func TestPanicBecomesInternalError(t *testing.T) {
	boom := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html") // must not survive into the 500
		panic("boom: resolver exploded")
	})
	for _, sentID := range []string{"client-req.42", ""} {
		ts, logs := start(t, server.Config{}, boom)
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", strings.NewReader(`{"query":"{a}"}`))
		if sentID != "" {
			req.Header.Set("X-Request-ID", sentID)
		}
		resp, body := do(t, req)
		if resp.StatusCode != http.StatusInternalServerError {
			t.Fatalf("status = %d, want 500", resp.StatusCode)
		}
		e := decodeError(t, resp, body).Errors[0]
		id, _ := e.Extensions["requestId"].(string)
		if e.Message != "internal error" || e.Extensions["code"] != "INTERNAL" || id == "" {
			t.Errorf("error = %+v, want internal error, code INTERNAL and a requestId", e)
		}
		if sentID != "" && id != sentID {
			t.Errorf("requestId = %q, want the client's %q", id, sentID)
		}
		if got := resp.Header.Get("X-Request-ID"); got != id {
			t.Errorf("X-Request-ID header %q != requestId %q", got, id)
		}
		if strings.Contains(string(body), "boom") {
			t.Errorf("the panic value leaked to the client: %s", body)
		}

		var panicLogged, requestLogged bool
		for _, l := range logs.lines(t) {
			switch l["msg"] {
			case "panic serving request":
				panicLogged = l["level"] == "ERROR" && l["request_id"] == id &&
					strings.Contains(l["panic"].(string), "boom") && strings.Contains(l["stack"].(string), "server_test")
			case "request":
				requestLogged = l["request_id"] == id && l["status"] == float64(500)
			}
		}
		if !panicLogged || !requestLogged {
			t.Errorf("log (panic %v, request %v) lacks the panic or request line with id %q:\n%s", panicLogged, requestLogged, id, logs)
		}
	}
}

func TestRequestID(t *testing.T) {
	tests := []struct {
		name, sent string
		kept       bool
	}{
		{"sane", "abc-DEF_1.2", true},
		{"64 chars", strings.Repeat("a", 64), true},
		{"65 chars", strings.Repeat("a", 65), false},
		{"bad characters", "abc def<script>", false},
		{"none", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub := &stubGraphQL{}
			ts, _ := start(t, server.Config{}, stub)
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/graphql", nil)
			if tt.sent != "" {
				req.Header.Set("X-Request-ID", tt.sent)
			}
			resp, _ := do(t, req)
			got := resp.Header.Get("X-Request-ID")
			if tt.kept != (got == tt.sent) || got == "" || len(got) > 64 {
				t.Errorf("sent %q, got %q; want kept=%v", tt.sent, got, tt.kept)
			}
			if _, last := stub.seen(); last.RequestID != got {
				t.Errorf("RequestID(ctx) in the handler = %q, header %q", last.RequestID, got)
			}
		})
	}
	if got := server.RequestID(t.Context()); got != "" {
		t.Errorf("RequestID of a bare context = %q, want empty", got)
	}
}

func TestRequestLog(t *testing.T) {
	ts, logs := start(t, server.Config{}, &stubGraphQL{})
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql?variables=personal-number-123", strings.NewReader(`{"query":"{a}"}`))
	req.Header.Set("Authorization", "Bearer secret-token-xyz")
	req.Header.Set("X-Request-ID", "log-test-1")
	resp, body := do(t, req)

	lines := logs.lines(t)
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1:\n%s", len(lines), logs)
	}
	l := lines[0]
	want := map[string]any{
		"level": "INFO", "msg": "request", "method": "POST", "path": "/graphql",
		"status": float64(resp.StatusCode), "bytes": float64(len(body)), "request_id": "log-test-1",
	}
	for k, v := range want {
		if l[k] != v {
			t.Errorf("log %s = %v, want %v", k, l[k], v)
		}
	}
	if d, ok := l["duration"].(float64); !ok || d <= 0 {
		t.Errorf("log duration = %v, want > 0", l["duration"])
	}
	for _, secret := range []string{"secret-token-xyz", "personal-number-123"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log contains %q:\n%s", secret, logs)
		}
	}
}

// TestNilLogger checks New tolerates a nil logger (no output, no crash).
func TestNilLogger(t *testing.T) {
	ts := httptest.NewServer(server.New(server.Config{}, (*slog.Logger)(nil), &stubGraphQL{}))
	defer ts.Close()
	if resp, _ := get(t, ts.URL+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz = %d", resp.StatusCode)
	}
}

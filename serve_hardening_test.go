package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// post sends a GraphQL request body to the running server.
func post(t *testing.T, r *running, body string) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.Post(r.url+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp, out
}

func firstCode(out map[string]any) string {
	errs, _ := out["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	c, _ := ext["code"].(string)
	return c
}

// The serve flags reach the server: the cost limit, the rate limit with
// its 429, a JSON log line naming the operation, and /metrics counting it.
func TestServeLimitsLogsAndMetrics(t *testing.T) {
	t.Parallel()
	r := startServe(t, nil, "serve", "--in-memory", "--addr", "127.0.0.1:0", "--max-cost", "150", "--rate-limit", "0.001", "--rate-burst", "150")
	const page = `{"query":"query Page { tiltak(first: 100) { nodes { responsible { key } } } }"}` // cost 101

	if resp, out := post(t, r, `{"query":"query Big { tiltak(first: 100) { nodes { responsible { key } participants { key } } } }"}`); firstCode(out) != "COST_LIMIT_EXCEEDED" {
		t.Fatalf("cost 201 over --max-cost 150: %d %v", resp.StatusCode, out)
	}
	if resp, out := post(t, r, page); resp.StatusCode != http.StatusOK || out["errors"] != nil {
		t.Fatalf("first page: %d %v", resp.StatusCode, out)
	}
	resp, out := post(t, r, page)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || firstCode(out) != "RATE_LIMITED" {
		t.Fatalf("second page over the burst: %d, Retry-After %q, %v; want 429 RATE_LIMITED", resp.StatusCode, resp.Header.Get("Retry-After"), out)
	}

	mresp, err := http.Get(r.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(mresp.Body)
	mresp.Body.Close()
	for _, want := range []string{
		`handlingsplan_graphql_requests_total{operation="Page",outcome="ok"} 1`,
		`handlingsplan_graphql_requests_total{operation="Page",outcome="RATE_LIMITED"} 1`,
		`handlingsplan_graphql_requests_total{operation="Big",outcome="COST_LIMIT_EXCEEDED"} 1`,
		`handlingsplan_rate_limited_total{by="address"} 1`,
		`handlingsplan_store_size_bytes`,
		`handlingsplan_store_write_errors_total 0`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	// Not a terminal: the log is JSON, one line per request.
	var found bool
	for _, line := range strings.Split(r.stderr.String(), "\n") {
		var l map[string]any
		if json.Unmarshal([]byte(line), &l) != nil || l["msg"] != "request" || l["operation"] != "Page" {
			continue
		}
		found = true
		if l["outcome"] == "ok" && (l["cost"] != 101.0 || l["request_id"] == "" || l["duration"] == nil) {
			t.Errorf("log line %v: want cost 101, a request ID and a duration", l)
		}
	}
	if !found {
		t.Errorf("no JSON request log line for operation Page:\n%s", r.stderr)
	}
}

// With --trusted-documents only the listed operations run.
func TestServeTrustedDocuments(t *testing.T) {
	t.Parallel()
	const doc = `query Count { lifeEvents { totalCount } }`
	sum := sha256.Sum256([]byte(doc))
	hash := hex.EncodeToString(sum[:])
	file := filepath.Join(t.TempDir(), "trusted.json")
	b, _ := json.Marshal(map[string]string{hash: doc})
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := startServe(t, map[string]string{"HANDLINGSPLAN_TRUSTED_DOCUMENTS": file}, "serve", "--in-memory", "--addr", "127.0.0.1:0")

	if resp, out := post(t, r, `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"`+hash+`"}}}`); resp.StatusCode != http.StatusOK || out["errors"] != nil {
		t.Errorf("listed document by hash: %d %v", resp.StatusCode, out)
	}
	if _, out := post(t, r, `{"query":"{ lifeEvents { totalCount } }"}`); firstCode(out) != "DOCUMENT_NOT_TRUSTED" {
		t.Errorf("unlisted document: %v, want DOCUMENT_NOT_TRUSTED", out)
	}
}

func TestServeRefusesBadHardeningConfig(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "trusted.json")
	if err := os.WriteFile(bad, []byte(`{"0000": "query A { __typename }"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string
	}{
		{"cost limit not a number", map[string]string{"HANDLINGSPLAN_MAX_COST": "lots"}, nil, "HANDLINGSPLAN_MAX_COST"},
		{"rate not a number", map[string]string{"HANDLINGSPLAN_RATE_LIMIT": "fast"}, nil, "HANDLINGSPLAN_RATE_LIMIT"},
		{"trusted documents with a wrong hash", nil, []string{"--trusted-documents", bad}, bad},
		{"trusted documents missing", nil, []string{"--trusted-documents", bad + ".missing"}, "missing"},
		{"trusted proxy not an address", map[string]string{"HANDLINGSPLAN_TRUSTED_PROXIES": "lb.example"}, nil, "lb.example"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := runErr(t, tt.env, append([]string{"serve", "--in-memory", "--addr", "127.0.0.1:0"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one naming %q", err, tt.wantErr)
			}
		})
	}
}

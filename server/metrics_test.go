package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"handlingsplan/server"
)

// reportingGraphQL stands in for the GraphQL layer: it reports the
// operation named in the X-Test-Operation header as the real one does.
type reportingGraphQL struct{}

func (reportingGraphQL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.Header.Get("X-Test-Operation")
	outcome := "ok"
	if name == "Refused" {
		outcome = "COST_LIMIT_EXCEEDED"
	}
	server.ReportOperation(r.Context(), server.Operation{Name: name, Token: "kmd-dashboard", Outcome: outcome, Cost: 42})
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"data":{}}`))
}

// scrape returns the /metrics text.
func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, body := get(t, url+"/metrics")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return string(body)
}

// An operator scrapes /metrics and sees the counters move: requests by
// operation and outcome, latency, cost, rate-limit refusals, store size
// and write errors.
func TestMetrics(t *testing.T) {
	limiter := server.NewRateLimiter(1, 1, nil)
	writeErrors := uint64(3)
	ts, _ := start(t, server.Config{
		Metrics:     true,
		RateLimiter: limiter,
		StoreSize:   func() int64 { return 12345 },
		WriteErrors: func() uint64 { return writeErrors },
	}, reportingGraphQL{})
	for _, op := range []string{"Dashboard", "Dashboard", "Refused", ""} {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Test-Operation", op)
		do(t, req)
	}
	// Two requests from the same address: the second is refused.
	ctx := addrCtx(t, "192.0.2.1:1")
	limiter.Admit(ctx, "", 1)
	limiter.Admit(ctx, "", 1)
	writeErrors++

	m := scrape(t, ts.URL)
	for _, want := range []string{
		`handlingsplan_graphql_requests_total{operation="Dashboard",outcome="ok"} 2`,
		`handlingsplan_graphql_requests_total{operation="Refused",outcome="COST_LIMIT_EXCEEDED"} 1`,
		`handlingsplan_graphql_requests_total{operation="anonymous",outcome="ok"} 1`,
		`handlingsplan_graphql_request_duration_seconds_count{operation="Dashboard"} 2`,
		`handlingsplan_graphql_query_cost_sum 168`,
		`handlingsplan_graphql_query_cost_count 4`,
		`handlingsplan_rate_limited_total{by="address"} 1`,
		`handlingsplan_rate_limited_total{by="token"} 0`,
		`handlingsplan_store_size_bytes 12345`,
		`handlingsplan_store_write_errors_total 4`,
		`handlingsplan_http_requests_total{code="200"} 4`,
		`go_goroutines `,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestMetricsOff(t *testing.T) {
	ts, _ := start(t, server.Config{}, reportingGraphQL{})
	if resp, _ := get(t, ts.URL+"/metrics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics without Config.Metrics: %d, want 404", resp.StatusCode)
	}
}

// The request's log line carries what the GraphQL layer reported: the
// operation, the token's name (never the token), the outcome and the cost.
func TestRequestLogOperation(t *testing.T) {
	ts, logs := start(t, server.Config{}, reportingGraphQL{})
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Test-Operation", "Dashboard")
	req.Header.Set("Authorization", "Bearer hp_secret-token-xyz")
	do(t, req)
	lines := logs.lines(t)
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1:\n%s", len(lines), logs)
	}
	want := map[string]any{"operation": "Dashboard", "token": "kmd-dashboard", "outcome": "ok", "cost": 42.0}
	for k, v := range want {
		if lines[0][k] != v {
			t.Errorf("log %s = %v, want %v", k, lines[0][k], v)
		}
	}
	if strings.Contains(logs.String(), "secret-token-xyz") {
		t.Errorf("the log contains the token:\n%s", logs)
	}
	// Outside a request, reporting does nothing (and does not panic).
	server.ReportOperation(context.Background(), server.Operation{Name: "x"})
}

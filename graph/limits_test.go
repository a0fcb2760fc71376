package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"handlingsplan/bench/queries"
	"handlingsplan/defaultdata"
	"handlingsplan/graph"
	"handlingsplan/store"
)

// newServerOpts serves the default data with opts.
func newServerOpts(t testing.TB, opts graph.Options) (*httptest.Server, *store.DB) {
	t.Helper()
	db, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return fixedNow }})
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
	srv := httptest.NewServer(graph.NewHandler(db, opts))
	t.Cleanup(srv.Close)
	return srv, db
}

// costOf decodes extensions.cost of a raw response body.
func costOf(t testing.TB, body []byte) graph.Cost {
	t.Helper()
	var r struct {
		Extensions struct {
			Cost *graph.Cost `json:"cost"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.Extensions.Cost == nil {
		t.Fatalf("no extensions.cost in %.300s (%v)", body, err)
	}
	return *r.Extensions.Cost
}

// dashboardQueries returns the queries the Statusoversikt page sends, read
// from its script, so that a change there is checked here too.
func dashboardQueries(t *testing.T) map[string]string {
	t.Helper()
	js, err := os.ReadFile("../dashboard/static/dashboard.js")
	if err != nil {
		t.Fatal(err)
	}
	summary := regexp.MustCompile(`const SUMMARY = '([^']*)'`).FindSubmatch(js)
	if summary == nil {
		t.Fatal("dashboard.js: no SUMMARY constant")
	}
	out := map[string]string{}
	for _, name := range []string{"OVERVIEW", "ROUND"} {
		m := regexp.MustCompile(`const ` + name + " = `([^`]*)`").FindSubmatch(js)
		if m == nil {
			t.Fatalf("dashboard.js: no %s query", name)
		}
		out[name] = strings.ReplaceAll(string(m[1]), "${SUMMARY}", string(summary[1]))
	}
	return out
}

// The defaults must let every real client query through: the benchmark's
// dashboard questions (D1–D5, W1), the dashboard page's own queries and
// GraphiQL's introspection. Each answer reports its cost.
func TestDefaultLimitsAdmitRealQueries(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	reqs := map[string]queries.Request{}
	for name, r := range queries.Named() {
		reqs[name] = r
	}
	reqs["d5"] = queries.D5Request("")
	reqs["w1"] = queries.W1Request("nyinorge-no", "ACTIVE", "ON_TRACK", 50) // no token: refused, but costed first
	for name, q := range dashboardQueries(t) {
		reqs[name] = queries.Request{Query: q, Variables: map[string]any{"period": "2026-H1"}}
	}
	reqs["introspection"] = queries.Request{Query: introspectionQuery}
	for name, q := range reqs {
		r := postRaw(t, srv, "application/json", "application/json", q.Body())
		for _, e := range r.Errors {
			if strings.HasSuffix(e.code(), "_LIMIT_EXCEEDED") {
				t.Errorf("%s refused by the default limits: %s", name, e.Message)
			}
		}
		c := costOf(t, r.Body)
		if c.Limit != graph.DefaultMaxCost || c.Requested > c.Limit {
			t.Errorf("%s: extensions.cost = %+v, want within the default limit %d", name, c, graph.DefaultMaxCost)
		}
		t.Logf("%-14s cost %6d", name, c.Requested)
	}
}

// introspectionQuery is the shape of GraphiQL's schema query: deep ofType
// chains, which must not count against the depth limit.
const introspectionQuery = `query IntrospectionQuery { __schema { queryType { name } mutationType { name }
  subscriptionType { name } types { ...FullType } directives { name description locations args { ...InputValue } } } }
fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description
  args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue }
  interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }`

// limitCase is one request sent just under (or at) a limit and one just
// over it.
type limitCase struct {
	name          string
	opts          graph.Options
	under, over   string
	vars          [2]map[string]any // of under and over
	code          string
	wantInMessage []string // the over request's message names the limit and the actual value
}

func TestLimitsJustUnderAndOver(t *testing.T) {
	t.Parallel()
	const tiltakPage = `query($n: Int) { tiltak(first: $n) { nodes { key responsible { key } } } }`
	cases := []limitCase{
		{
			// 1 for the connection + 50 × 1 for each tiltak's responsible body.
			name:  "cost",
			opts:  graph.Options{Limits: graph.Limits{MaxCost: 51}},
			under: `{ tiltak(first: 50) { nodes { key responsible { key } } } }`,
			over:  `{ tiltak(first: 51) { nodes { key responsible { key } } } }`,
			code:  "COST_LIMIT_EXCEEDED", wantInMessage: []string{"costs 52", "limit is 51"},
		},
		{
			name:  "cost, page size in a variable",
			opts:  graph.Options{Limits: graph.Limits{MaxCost: 51}},
			under: tiltakPage, over: tiltakPage,
			vars: [2]map[string]any{{"n": 50}, {"n": 51}},
			code: "COST_LIMIT_EXCEEDED", wantInMessage: []string{"costs 52", "limit is 51"},
		},
		{
			name:  "cost, no page size: the default page counts",
			opts:  graph.Options{Limits: graph.Limits{MaxCost: store.DefaultPageSize + 1}},
			under: `{ tiltak { nodes { responsible { key } } } }`,
			over:  `{ tiltak { nodes { responsible { key } } } governanceLevels { level } }`,
			code:  "COST_LIMIT_EXCEEDED", wantInMessage: []string{"costs 22", "limit is 21"},
		},
		{
			// tiltak 1, nodes 2, responsible 3, key 4.
			name:  "depth",
			opts:  graph.Options{Limits: graph.Limits{MaxDepth: 4}},
			under: `{ tiltak(first: 1) { nodes { responsible { key } } } }`,
			over:  `{ tiltak(first: 1) { nodes { ...R } } } fragment R on Tiltak { responsible { responsibleFor(first: 1) { totalCount } } }`,
			code:  "DEPTH_LIMIT_EXCEEDED", wantInMessage: []string{"5 deep", "limit is 4"},
		},
		{
			// { lifeEvents { totalCount } } is 6 tokens; a comment is one more.
			name:  "tokens",
			opts:  graph.Options{Limits: graph.Limits{MaxTokens: 6}},
			under: `{ lifeEvents { totalCount } }`,
			over:  `{ lifeEvents { totalCount } } # a comment counts too`,
			code:  "TOKEN_LIMIT_EXCEEDED", wantInMessage: []string{"7 tokens", "limit is 6"},
		},
		{
			name:  "page size",
			opts:  graph.Options{},
			under: `{ tiltak(last: 100) { totalCount } }`,
			over:  `{ tiltak(last: 101) { totalCount } }`,
			code:  "INVALID", wantInMessage: []string{"100", "101"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServerOpts(t, tc.opts)
			send := func(q string, vars map[string]any) httpResult {
				return gqlPost(t, srv, "application/graphql-response+json", q, vars)
			}
			under := send(tc.under, tc.vars[0])
			if under.Status != http.StatusOK || len(under.Errors) > 0 {
				t.Fatalf("just under the limit: status %d, errors %+v", under.Status, under.Errors)
			}
			over := send(tc.over, tc.vars[1])
			if len(over.Errors) != 1 || over.Errors[0].code() != tc.code {
				t.Fatalf("just over the limit: status %d, errors %+v; want one %s", over.Status, over.Errors, tc.code)
			}
			for _, s := range tc.wantInMessage {
				if !strings.Contains(over.Errors[0].Message, s) {
					t.Errorf("message %q does not say %q", over.Errors[0].Message, s)
				}
			}
			if tc.code == "INVALID" {
				return // a field error, not a request error: the query ran
			}
			// A refused request is a request error: 4xx, nothing executed, no data.
			if over.Status != http.StatusBadRequest || over.Data != nil {
				t.Errorf("just over the limit: status %d, data %s; want 400 and no data entry", over.Status, over.Data)
			}
		})
	}
}

// Every response says what the query cost and what the limit is, refused
// ones too, so clients can see how close they are.
func TestCostReportedInExtensions(t *testing.T) {
	t.Parallel()
	srv, _ := newServerOpts(t, graph.Options{Limits: graph.Limits{MaxCost: 100}})
	r := gqlPost(t, srv, "", `{ lifeEvents(first: 7) { nodes { key initiatives { key } } } }`, nil)
	// 1 + 7 × (initiatives: 1 + 10 assumed × 0) = 8.
	if c := costOf(t, r.Body); c != (graph.Cost{Requested: 8, Limit: 100}) {
		t.Errorf("extensions.cost = %+v, want {8 100}", c)
	}
	r = gqlPost(t, srv, "", `{ a: tiltak(first: 100) { nodes { responsible { key } } } }`, nil)
	if c := costOf(t, r.Body); c != (graph.Cost{Requested: 101, Limit: 100}) || len(r.Errors) != 1 {
		t.Errorf("refused: extensions.cost = %+v, errors %+v; want {101 100} and one error", c, r.Errors)
	}
	// With the limit off, the cost is still reported.
	srv, _ = newServerOpts(t, graph.Options{Limits: graph.Limits{MaxCost: -1}})
	r = gqlPost(t, srv, "", `{ tiltak(first: 100) { nodes { dependents(first: 100) { nodes { responsible { key } } } } } }`, nil)
	if c := costOf(t, r.Body); c.Requested != 1+100*(1+100) || len(r.Errors) > 0 {
		t.Errorf("limit off: cost %+v, errors %+v", c, r.Errors)
	}
}

// The rate limiter is asked with the token's name and the cost, and a
// refusal is 429 with Retry-After and a GraphQL error saying when to retry.
func TestRateLimitRefusalIs429(t *testing.T) {
	t.Parallel()
	type ask struct {
		token string
		cost  int
	}
	asks := make(chan ask, 10)
	admit := func(_ context.Context, token string, cost int) time.Duration {
		asks <- ask{token, cost}
		if cost > 10 {
			return 1500 * time.Millisecond
		}
		return 0
	}
	srv, db := newServerOpts(t, graph.Options{Admit: admit})
	secret, _, err := db.CreateToken(context.Background(), store.System, "kmd", store.RoleReader, "kmd-dashboard")
	if err != nil {
		t.Fatal(err)
	}
	post := func(q string) httpResult {
		b, _ := json.Marshal(map[string]any{"query": q})
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		return send(t, req)
	}
	if r := post(`{ tiltak(first: 9) { nodes { responsible { key } } } }`); r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("cost 10: status %d, errors %+v", r.Status, r.Errors)
	}
	if a := <-asks; a != (ask{"kmd-dashboard", 10}) {
		t.Errorf("asked %+v, want the token's name and cost 10", a)
	}
	b, _ := json.Marshal(map[string]any{"query": `{ tiltak(first: 10) { nodes { responsible { key } } } }`})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "2" {
		t.Errorf("status %d, Retry-After %q; want 429 and 2 (1.5 s rounded up)", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if len(body.Errors) != 1 || body.Errors[0].code() != "RATE_LIMITED" || body.Errors[0].Extensions["retryAfter"] != 2.0 || body.Data != nil {
		t.Errorf("body: errors %+v, data %s; want one RATE_LIMITED error with retryAfter 2 and no data", body.Errors, body.Data)
	}
	if a := <-asks; a != (ask{"", 11}) {
		t.Errorf("asked %+v, want no token and cost 11", a)
	}
}

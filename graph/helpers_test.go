package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"handlingsplan/defaultdata"
	"handlingsplan/graph"
	"handlingsplan/store"
)

// fixedNow is the store's clock in every test, so updatedAt (and the
// golden files) never change from run to run.
var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// newServer serves the GraphQL endpoint over a real in-memory store loaded
// with the real default data.
func newServer(t testing.TB) *httptest.Server {
	t.Helper()
	return newServerWith(t, nil)
}

// newServerWith is newServer with the default data changed by edit first.
func newServerWith(t testing.TB, edit func(*store.Plan)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(graph.NewHandler(openDefaultDB(t, fixedNow, edit), graph.Options{}))
	t.Cleanup(srv.Close)
	return srv
}

// openDefaultDB opens an in-memory store whose clock stands at now, loaded
// with the real default data changed by edit (when given).
func openDefaultDB(t testing.TB, now time.Time, edit func(*store.Plan)) *store.DB {
	t.Helper()
	db, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	plan, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(plan)
	}
	if err := db.ImportPlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	return db
}

// defaultPlan is the default data as loaded, to compare answers with.
func defaultPlan(t testing.TB) *store.Plan {
	t.Helper()
	p, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// gqlError is one entry of a response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string { s, _ := e.Extensions["code"].(string); return s }

// httpResult is a GraphQL response as it came over HTTP.
type httpResult struct {
	Status      int
	ContentType string
	Data        json.RawMessage `json:"data"`
	Errors      []gqlError      `json:"errors"`
	Body        []byte
}

// send sends req and decodes the answer. The body must be JSON whatever the
// status: a GraphQL server never answers with an HTML error page.
func send(t testing.TB, req *http.Request) httpResult {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := httpResult{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), Body: body}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("%s %s: status %d, body is not JSON (%v): %.500s", req.Method, req.URL, res.StatusCode, err, body)
	}
	if res.StatusCode >= 500 {
		t.Fatalf("%s %s: status %d: %.500s", req.Method, req.URL, res.StatusCode, body)
	}
	return r
}

// gqlPost sends a GraphQL request as JSON with the given Accept header (none
// when accept is empty).
func gqlPost(t testing.TB, srv *httptest.Server, accept, query string, vars map[string]any) httpResult {
	t.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return postRaw(t, srv, accept, "application/json", b)
}

func postRaw(t testing.TB, srv *httptest.Server, accept, contentType string, body []byte) httpResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return send(t, req)
}

// mustQuery runs a query that must succeed (HTTP 200, no errors) and decodes
// its data into out.
func mustQuery(t testing.TB, srv *httptest.Server, q string, vars map[string]any, out any) {
	t.Helper()
	r := gqlPost(t, srv, "application/json", q, vars)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("query failed: status %d, errors %+v\nquery: %s\nvars: %v", r.Status, r.Errors, q, vars)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		t.Fatalf("decode data: %v\n%.500s", err, r.Data)
	}
}

// pageInfo and conn mirror the schema's connection types; every node of
// the plan has a key.
type pageInfo struct {
	HasNextPage     bool    `json:"hasNextPage"`
	HasPreviousPage bool    `json:"hasPreviousPage"`
	StartCursor     *string `json:"startCursor"`
	EndCursor       *string `json:"endCursor"`
}

type conn struct {
	TotalCount int      `json:"totalCount"`
	PageInfo   pageInfo `json:"pageInfo"`
	Edges      []struct {
		Cursor string `json:"cursor"`
		Node   struct {
			Key string `json:"key"`
		} `json:"node"`
	} `json:"edges"`
}

// connFields selects what conn decodes.
const connFields = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { key } }`

func (c conn) keys() []string {
	out := make([]string, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node.Key
	}
	return out
}

// jsonAt returns the JSON value at path in data.
func jsonAt(t testing.TB, data json.RawMessage, path []string) json.RawMessage {
	t.Helper()
	for _, p := range path {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("at %v: %v in %.300s", path, err, data)
		}
		data = m[p]
	}
	return data
}

// pageRest returns the keys of c and of every page after it: q takes $after
// (and whatever vars holds) and selects the connection at path with
// connFields.
func pageRest(t testing.TB, srv *httptest.Server, c conn, q string, vars map[string]any, path ...string) []string {
	t.Helper()
	keys := c.keys()
	for c.PageInfo.HasNextPage {
		if c.PageInfo.EndCursor == nil {
			t.Fatalf("%v: hasNextPage without endCursor", path)
		}
		v := map[string]any{"after": *c.PageInfo.EndCursor}
		for k, x := range vars {
			v[k] = x
		}
		var data json.RawMessage
		mustQuery(t, srv, q, v, &data)
		c = conn{}
		if err := json.Unmarshal(jsonAt(t, data, path), &c); err != nil {
			t.Fatal(err)
		}
		if len(c.Edges) == 0 {
			t.Fatalf("%v: empty page with hasNextPage true before it", path)
		}
		keys = append(keys, c.keys()...)
	}
	return keys
}

// pageAll pages forwards through the connection at path, 100 at a time. q
// takes $first and $after.
func pageAll(t testing.TB, srv *httptest.Server, q string, vars map[string]any, path ...string) []string {
	t.Helper()
	v := map[string]any{"first": 100}
	for k, x := range vars {
		v[k] = x
	}
	var data json.RawMessage
	mustQuery(t, srv, q, v, &data)
	var c conn
	if err := json.Unmarshal(jsonAt(t, data, path), &c); err != nil {
		t.Fatal(err)
	}
	return pageRest(t, srv, c, q, v, path...)
}

// keyed is any entity reference: only its key is selected.
type keyed struct {
	Key string `json:"key"`
}

func keysOf(ks []keyed) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.Key
	}
	return out
}

// lineDiff returns a line diff of want and got, "-" for want and "+" for
// got, with two lines of context; empty when they are equal.
func lineDiff(want, got string) string {
	if want == got {
		return ""
	}
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var lines []line
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			lines = append(lines, line{' ', a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, line{'-', a[i]})
			i++
		default:
			lines = append(lines, line{'+', b[j]})
			j++
		}
	}
	var sb strings.Builder
	const ctx = 2
	last := -1
	for k, l := range lines {
		if l.op == ' ' {
			near := false
			for d := max(0, k-ctx); d <= min(len(lines)-1, k+ctx); d++ {
				if lines[d].op != ' ' {
					near = true
				}
			}
			if !near {
				continue
			}
		}
		if last >= 0 && k > last+1 {
			sb.WriteString("@@\n")
		}
		last = k
		sb.WriteByte(l.op)
		sb.WriteByte(' ')
		sb.WriteString(l.text)
		sb.WriteByte('\n')
	}
	return sb.String()
}

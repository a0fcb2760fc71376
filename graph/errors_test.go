package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Bad input gets a GraphQL error that says what is wrong, with a code in
// extensions.code a client can branch on: never a panic, a 500 or an
// "internal error".
func TestBadInputGetsAnError(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tests := []struct {
		name     string
		query    string
		wantCode string
		wantMsg  []string // each must appear in the message
		wantNull string   // a field of data that must be present and null; "" means data itself is null
	}{
		{name: "unknown key in a look-up", query: `{ lifeEvent(key: "nope") { key } }`,
			wantCode: "NOT_FOUND", wantMsg: []string{`"nope"`, "not found"}, wantNull: "lifeEvent"},
		{name: "unknown tiltak key", query: `{ tiltakByKey(key: "finnes-ikke") { key } }`,
			wantCode: "NOT_FOUND", wantMsg: []string{`"finnes-ikke"`}, wantNull: "tiltakByKey"},
		{name: "unknown body in a tiltak filter", query: `{ tiltak(filter: { responsibleKey: "nope" }) { totalCount } }`,
			wantCode: "NOT_FOUND", wantMsg: []string{`"nope"`}},
		{name: "unknown life event in a tiltak filter", query: `{ tiltak(filter: { lifeEventKey: "nope" }) { totalCount } }`,
			wantCode: "NOT_FOUND", wantMsg: []string{`"nope"`}},
		{name: "unknown focus area in a statusSummary filter", query: `{ statusSummary(filter: { focusAreaKey: "nope" }) { total } }`,
			wantCode: "NOT_FOUND", wantMsg: []string{`"nope"`}},
		{name: "unknown forum in a body filter", query: `{ bodies(filter: { forumKey: "nope" }) { totalCount } }`,
			wantCode: "NOT_FOUND", wantMsg: []string{`"nope"`}},
		{name: "unknown parent in a body filter", query: `{ bodies(filter: { parentKey: "nope" }) { totalCount } }`,
			wantCode: "NOT_FOUND", wantMsg: []string{`"nope"`}},
		{name: "unknown focus area in an initiative filter", query: `{ initiatives(filter: { focusAreaKey: "nope" }) { totalCount } }`,
			wantCode: "NOT_FOUND", wantMsg: []string{`"nope"`}},
		{name: "unknown lead body in a life event filter", query: `{ lifeEvents(filter: { leadBodyKey: "nope" }) { totalCount } }`,
			wantCode: "NOT_FOUND", wantMsg: []string{`"nope"`}},
		{name: "malformed cursor", query: `{ tiltak(after: "!!!") { totalCount } }`,
			wantCode: "INVALID", wantMsg: []string{"cursor", `"!!!"`}},
		{name: "well-formed base64 that is no cursor", query: `{ bodies(before: "bm9wZQ") { totalCount } }`,
			wantCode: "INVALID", wantMsg: []string{"cursor"}},
		{name: "malformed cursor in a nested connection", query: `{ body(key: "digdir") { responsibleFor(after: "x y") { totalCount } } }`,
			wantCode: "INVALID", wantMsg: []string{"cursor"}, wantNull: "body"},
		{name: "malformed cursor in search", query: `{ search(text: "kommune", after: "!!!") { totalCount } }`,
			wantCode: "INVALID", wantMsg: []string{"cursor"}},
		{name: "malformed global ID", query: `{ node(id: "garbage!") { id } }`,
			wantCode: "INVALID", wantMsg: []string{"ID", `"garbage!"`}, wantNull: "node"},
		{name: "global ID of an unknown kind", query: `{ node(id: "Rm9vOmJhcg") { id } }`, // "Foo:bar"
			wantCode: "INVALID", wantMsg: []string{"ID"}, wantNull: "node"},
		{name: "malformed global ID in nodes", query: `{ nodes(ids: ["garbage!"]) { id } }`,
			wantCode: "INVALID", wantMsg: []string{"ID"}},
		{name: "page size over the maximum", query: `{ tiltak(first: 101) { totalCount } }`,
			wantCode: "INVALID", wantMsg: []string{"first", "100", "101"}},
		{name: "last over the maximum", query: `{ bodies(last: 1000) { totalCount } }`,
			wantCode: "INVALID", wantMsg: []string{"last", "100"}},
		{name: "negative page size", query: `{ lifeEvents(first: -1) { totalCount } }`,
			wantCode: "INVALID", wantMsg: []string{"first"}},
		{name: "first and last together", query: `{ lifeEvents(first: 1, last: 1) { totalCount } }`,
			wantCode: "INVALID", wantMsg: []string{"first", "last"}},
		{name: "nested page size over the maximum", query: `{ body(key: "digdir") { responsibleFor(first: 500) { totalCount } } }`,
			wantCode: "INVALID", wantMsg: []string{"100"}, wantNull: "body"},
		{name: "governance level out of range", query: `{ governanceLevel(level: 9) { name } }`,
			wantCode: "INVALID", wantMsg: []string{"level", "9"}, wantNull: "governanceLevel"},
		{name: "governance level out of range in a filter", query: `{ tiltak(filter: { governanceLevel: 0 }) { totalCount } }`,
			wantCode: "INVALID", wantMsg: []string{"governanceLevel"}},
		{name: "body with neither key nor orgNumber", query: `{ body { key } }`,
			wantCode: "INVALID", wantMsg: []string{"key", "orgNumber"}, wantNull: "body"},
		{name: "body with both key and orgNumber", query: `{ body(key: "digdir", orgNumber: "991825827") { key } }`,
			wantCode: "INVALID", wantMsg: []string{"key", "orgNumber"}, wantNull: "body"},
		{name: "org number with a bad check digit", query: `{ body(orgNumber: "991825828") { key } }`,
			wantCode: "INVALID", wantMsg: []string{"991825828", "check digit"}, wantNull: "body"},
		{name: "org number too short", query: `{ body(orgNumber: "12345") { key } }`,
			wantCode: "INVALID", wantMsg: []string{"9 digits"}, wantNull: "body"},
		{name: "empty search", query: `{ search(text: " - ") { totalCount } }`,
			wantCode: "INVALID", wantMsg: []string{"search text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := gqlPost(t, srv, "application/graphql-response+json", tt.query, nil)
			if r.Status != http.StatusOK {
				t.Errorf("status %d, want 200: the request was valid GraphQL and ran", r.Status)
			}
			if len(r.Errors) == 0 {
				t.Fatalf("no error; data %s", r.Data)
			}
			e := r.Errors[0]
			if e.code() != tt.wantCode {
				t.Errorf("extensions.code = %q, want %q (message %q)", e.code(), tt.wantCode, e.Message)
			}
			for _, w := range tt.wantMsg {
				if !strings.Contains(e.Message, w) {
					t.Errorf("message %q does not mention %s", e.Message, w)
				}
			}
			if strings.Contains(e.Message, "internal") || strings.Contains(e.Message, "panic") {
				t.Errorf("message %q hides a server fault", e.Message)
			}
			if len(e.Path) == 0 {
				t.Errorf("error has no path: a client can't tell which field failed")
			}
			var data map[string]json.RawMessage
			if err := json.Unmarshal(r.Data, &data); err != nil {
				t.Fatal(err)
			}
			if tt.wantNull == "" {
				if data != nil {
					t.Errorf("data = %s, want null", r.Data)
				}
			} else if v, ok := data[tt.wantNull]; !ok || string(v) != "null" {
				t.Errorf("data = %s, want %s: null", r.Data, tt.wantNull)
			}
		})
	}
}

// A request that is not GraphQL at all, or that does not parse or
// validate, is refused before it runs. With Accept:
// application/graphql-response+json the GraphQL-over-HTTP spec asks for a
// 4xx status (400) and the response is still JSON that says why.
func TestRequestErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	const gqlJSON = "application/graphql-response+json"
	tests := []struct {
		name        string
		contentType string
		body        string
		wantCode    string   // extensions.code; "" means not checked
		wantMsg     []string // each must appear in the first message or its path
	}{
		{"syntax error", "application/json", `{"query": "{ lifeEvents { totalCount }"}`, "GRAPHQL_PARSE_FAILED", nil},
		{"unknown field", "application/json", `{"query": "{ lifeEvents { colour } }"}`, "GRAPHQL_VALIDATION_FAILED", []string{`"colour"`, "LifeEventConnection"}},
		{"unknown argument", "application/json", `{"query": "{ lifeEvents(size: 3) { totalCount } }"}`, "GRAPHQL_VALIDATION_FAILED", []string{`"size"`}},
		{"wrong argument type", "application/json", `{"query": "{ tiltak(first: \"ten\") { totalCount } }"}`, "GRAPHQL_VALIDATION_FAILED", nil},
		{"unknown enum value", "application/json", `{"query": "{ bodies(filter: { kind: [CASTLE] }) { totalCount } }"}`, "GRAPHQL_VALIDATION_FAILED", []string{"CASTLE"}},
		{"missing required variable", "application/json", `{"query": "query($k: String!) { lifeEvent(key: $k) { key } }"}`, "", []string{"k"}},
		{"non-JSON body", "application/json", `this is not json`, "", []string{"json"}},
		{"no query", "application/json", `{}`, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postRaw(t, srv, gqlJSON, tt.contentType, []byte(tt.body))
			if r.Status != http.StatusBadRequest {
				t.Errorf("status %d, want 400: %s", r.Status, r.Body)
			}
			if r.ContentType != gqlJSON {
				t.Errorf("Content-Type %q, want %q", r.ContentType, gqlJSON)
			}
			if len(r.Errors) == 0 || r.Errors[0].Message == "" {
				t.Fatalf("no error message: %s", r.Body)
			}
			if tt.wantCode != "" && r.Errors[0].code() != tt.wantCode {
				t.Errorf("extensions.code = %q, want %q", r.Errors[0].code(), tt.wantCode)
			}
			said := strings.ToLower(fmt.Sprint(r.Errors[0].Message, r.Errors[0].Path))
			for _, w := range tt.wantMsg {
				if !strings.Contains(said, strings.ToLower(w)) {
					t.Errorf("message %q (path %v) does not mention %s", r.Errors[0].Message, r.Errors[0].Path, w)
				}
			}
		})
	}

	// The spec: a request error is answered without a data entry at all
	// ("data": null would mean the request ran and failed in a field).
	t.Run("no data entry", func(t *testing.T) {
		r := postRaw(t, srv, gqlJSON, "application/json", []byte(`{"query": "{ lifeEvents { totalCount }"}`))
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(r.Body, &raw); err != nil {
			t.Fatal(err)
		}
		if v, ok := raw["data"]; ok {
			t.Errorf("response has a data entry (%s): %s", v, r.Body)
		}
	})
}

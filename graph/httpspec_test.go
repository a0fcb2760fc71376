package graph_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Status codes and media types of the GraphQL over HTTP spec for requests
// that go wrong, as a client library sees them.
func TestGraphQLOverHTTPRequestErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	const legacy, modern = "application/json", "application/graphql-response+json"
	tests := []struct {
		name        string
		do          func() httpResult
		status      int
		contentType string
		code        string
	}{
		{"POST without Content-Type: 415", func() httpResult {
			return postRaw(t, srv, "", "", []byte(`{"query":"{ __typename }"}`))
		}, http.StatusUnsupportedMediaType, legacy, "UNSUPPORTED_MEDIA_TYPE"},
		{"POST as text/plain: 415", func() httpResult {
			return postRaw(t, srv, "", "text/plain", []byte(`{"query":"{ __typename }"}`))
		}, http.StatusUnsupportedMediaType, legacy, "UNSUPPORTED_MEDIA_TYPE"},
		{"body not JSON: 400", func() httpResult {
			return postRaw(t, srv, legacy, legacy, []byte(`{"query": "secret-ish text`))
		}, http.StatusBadRequest, legacy, "BAD_REQUEST"},
		{"no query: 400", func() httpResult {
			return get(t, srv, legacy, url.Values{})
		}, http.StatusBadRequest, legacy, "GRAPHQL_VALIDATION_FAILED"},
		// application/json: a well-formed request is 200 even with request errors (SHOULD).
		{"invalid document, application/json: 200", func() httpResult {
			return gqlPost(t, srv, legacy, `{ noSuchField }`, nil)
		}, http.StatusOK, legacy, "GRAPHQL_VALIDATION_FAILED"},
		{"unparsable document, application/json: 200", func() httpResult {
			return gqlPost(t, srv, legacy, `{ lifeEvents {`, nil)
		}, http.StatusOK, legacy, "GRAPHQL_PARSE_FAILED"},
		// application/graphql-response+json: request errors are 400 (MUST).
		{"invalid document, graphql-response+json: 400", func() httpResult {
			return gqlPost(t, srv, modern, `{ noSuchField }`, nil)
		}, http.StatusBadRequest, modern, "GRAPHQL_VALIDATION_FAILED"},
		{"unparsable document, graphql-response+json: 400", func() httpResult {
			return gqlPost(t, srv, modern, `{ lifeEvents {`, nil)
		}, http.StatusBadRequest, modern, "GRAPHQL_PARSE_FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.do()
			if r.Status != tt.status || !strings.HasPrefix(r.ContentType, tt.contentType) {
				t.Errorf("status %d, Content-Type %q; want %d, %s", r.Status, r.ContentType, tt.status, tt.contentType)
			}
			if len(r.Errors) != 1 || r.Errors[0].code() != tt.code {
				t.Errorf("errors %+v, want one %s", r.Errors, tt.code)
			}
			// A request error never executed anything: no "data" entry at all.
			if strings.Contains(string(r.Body), `"data"`) {
				t.Errorf("a request error has a data entry: %s", r.Body)
			}
			if strings.Contains(string(r.Body), "secret-ish") {
				t.Errorf("the error quotes the request body back: %s", r.Body)
			}
		})
	}
}

package graph_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func get(t *testing.T, srv *httptest.Server, accept string, params url.Values) httpResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"?"+params.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return send(t, req)
}

// The GraphQL-over-HTTP basics a client relies on: queries over GET (so
// they can be cached and bookmarked), the media type it asks for, and no
// mutations over GET (a link or a prefetch must never change anything).
func TestGraphQLOverHTTP(t *testing.T) {
	t.Parallel()
	srv := newServer(t)

	t.Run("GET with a query", func(t *testing.T) {
		r := get(t, srv, "application/json", url.Values{
			"query":     {`query($key: String!) { lifeEvent(key: $key) { key } lifeEvents { totalCount } }`},
			"variables": {`{"key": "fa-barn"}`},
		})
		if r.Status != http.StatusOK || len(r.Errors) > 0 {
			t.Fatalf("status %d, errors %+v", r.Status, r.Errors)
		}
		var data struct {
			LifeEvent  struct{ Key string }
			LifeEvents struct{ TotalCount int }
		}
		if err := json.Unmarshal(r.Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.LifeEvent.Key != "fa-barn" || data.LifeEvents.TotalCount != 7 {
			t.Errorf("data = %s, want fa-barn and 7 life events", r.Data)
		}
	})

	for _, tt := range []struct{ accept, want string }{
		{"application/graphql-response+json", "application/graphql-response+json"},
		{"application/graphql-response+json, application/json;q=0.9", "application/graphql-response+json"},
		{"application/json", "application/json"},
	} {
		t.Run("Accept: "+tt.accept, func(t *testing.T) {
			for _, r := range []httpResult{
				gqlPost(t, srv, tt.accept, `{ lifeEvents { totalCount } }`, nil),
				get(t, srv, tt.accept, url.Values{"query": {`{ lifeEvents { totalCount } }`}}),
			} {
				if r.Status != http.StatusOK || r.ContentType != tt.want {
					t.Errorf("status %d, Content-Type %q; want 200, %q", r.Status, r.ContentType, tt.want)
				}
			}
		})
	}

	t.Run("no mutation over GET", func(t *testing.T) {
		var schema struct {
			Schema struct{ MutationType *struct{ Name string } } `json:"__schema"`
		}
		mustQuery(t, srv, `{ __schema { mutationType { name } } }`, nil, &schema)
		if schema.Schema.MutationType == nil {
			t.Skip("the schema has no Mutation type yet: nothing to refuse")
		}
		for _, accept := range []string{"application/json", "application/graphql-response+json"} {
			r := get(t, srv, accept, url.Values{"query": {`mutation { __typename }`}})
			// The spec: 405 Method Not Allowed, with Allow: POST.
			if r.Status != http.StatusMethodNotAllowed {
				t.Errorf("Accept %s: status %d, want 405: %s", accept, r.Status, r.Body)
			}
			if len(r.Errors) == 0 {
				t.Errorf("Accept %s: no error says why: %s", accept, r.Body)
			}
			if len(r.Data) > 0 && string(r.Data) != "null" {
				t.Errorf("Accept %s: the mutation ran: data %s", accept, r.Data)
			}
		}
		// The same document over POST is not refused for its method.
		r := gqlPost(t, srv, "application/json", `mutation { __typename }`, nil)
		if r.Status != http.StatusOK {
			t.Errorf("mutation over POST: status %d, want 200: %s", r.Status, r.Body)
		}
	})
}

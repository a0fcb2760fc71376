package graph_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"handlingsplan/graph"
)

func sha(doc string) string {
	b := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(b[:])
}

// persisted posts a request with extensions.persistedQuery; query may be
// empty (hash only).
func persisted(t *testing.T, url, query, hash string) httpResult {
	t.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "extensions": map[string]any{
		"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	return send(t, req)
}

// Automatic persisted queries (the Apollo protocol): a client first sends
// only the hash, is told the server does not know it, sends hash and text
// once, and from then on the hash alone runs the query, over GET too.
func TestAutomaticPersistedQueries(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	const q = `query Count { lifeEvents { totalCount } }`
	h := sha(q)

	r := persisted(t, srv.URL, "", h)
	if len(r.Errors) != 1 || r.Errors[0].Message != "PersistedQueryNotFound" || r.Errors[0].code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: errors %+v, want PersistedQueryNotFound", r.Errors)
	}
	if r := persisted(t, srv.URL, q, h); len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"totalCount":7`) {
		t.Fatalf("hash and text: errors %+v, data %s", r.Errors, r.Data)
	}
	if r := persisted(t, srv.URL, "", h); len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"totalCount":7`) {
		t.Fatalf("hash only, now known: errors %+v, data %s", r.Errors, r.Data)
	}
	r = get(t, srv, "", url.Values{"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + h + `"}}`}})
	if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"totalCount":7`) {
		t.Fatalf("GET with the hash: errors %+v, data %s", r.Errors, r.Data)
	}
	if r := persisted(t, srv.URL, `{ lifeEvents { totalCount } }`, h); len(r.Errors) != 1 {
		t.Errorf("text that does not match the hash: errors %+v, want one", r.Errors)
	}
}

// In trusted-documents mode only the listed operations run, whether the
// client sends the hash, the text or both; anything else is refused with
// DOCUMENT_NOT_TRUSTED before it is parsed.
func TestTrustedDocuments(t *testing.T) {
	t.Parallel()
	const listed = `query Count { lifeEvents { totalCount } }`
	docs, err := graph.LoadTrustedDocuments(strings.NewReader(`{"` + sha(listed) + `": ` + mustJSON(listed) + `}`))
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newServerOpts(t, graph.Options{TrustedDocuments: docs})

	for name, r := range map[string]httpResult{
		"hash":          persisted(t, srv.URL, "", sha(listed)),
		"text":          gqlPost(t, srv, "", listed, nil),
		"hash and text": persisted(t, srv.URL, listed, sha(listed)),
		"GET by hash": get(t, srv, "", url.Values{"extensions": {
			`{"persistedQuery":{"version":1,"sha256Hash":"` + sha(listed) + `"}}`}}),
	} {
		if r.Status != http.StatusOK || len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"totalCount":7`) {
			t.Errorf("listed document by %s: status %d, errors %+v, data %s", name, r.Status, r.Errors, r.Data)
		}
	}

	const other = `{ lifeEvents { totalCount } }`
	for name, r := range map[string]httpResult{
		"unknown hash":         persisted(t, srv.URL, "", sha(other)),
		"unlisted text":        gqlPost(t, srv, "application/graphql-response+json", other, nil),
		"text under another's": persisted(t, srv.URL, other, sha(listed)),
		"introspection":        gqlPost(t, srv, "", `{ __schema { types { name } } }`, nil),
		"nothing":              postRaw(t, srv, "", "application/json", []byte(`{}`)),
	} {
		if len(r.Errors) != 1 || r.Errors[0].code() != "DOCUMENT_NOT_TRUSTED" || r.Data != nil {
			t.Errorf("%s: status %d, errors %+v, data %s; want one DOCUMENT_NOT_TRUSTED and no data", name, r.Status, r.Errors, r.Data)
		}
	}
}

// A trusted-documents file whose hash does not match its document is
// refused when the server starts, naming the entry.
func TestLoadTrustedDocumentsChecksHashes(t *testing.T) {
	t.Parallel()
	for name, file := range map[string]string{
		"wrong hash": `{"` + sha("query A { __typename }") + `": "query B { __typename }"}`,
		"not JSON":   `query A { __typename }`,
		"empty":      `{}`,
		"a list":     `["query A { __typename }"]`,
	} {
		if _, err := graph.LoadTrustedDocuments(strings.NewReader(file)); err == nil {
			t.Errorf("%s: no error", name)
		} else if name == "wrong hash" && !strings.Contains(err.Error(), sha("query A { __typename }")) {
			t.Errorf("%s: error %q does not name the entry", name, err)
		}
	}
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TrustedDocuments are the only operations a locked-down server runs, by
// the lowercase hex SHA-256 hash of each document's exact text.
type TrustedDocuments map[string]string

// LoadTrustedDocuments reads a trusted-documents file: one JSON object
// whose keys are the SHA-256 hashes (lowercase hex) of the documents that
// are its values, e.g. {"8f3a…": "query Dashboard { … }"}. That is the
// shape of the persisted-query manifests client tools write. Every hash
// must match its document, so a typo cannot let in something unreviewed.
func LoadTrustedDocuments(r io.Reader) (TrustedDocuments, error) {
	var docs TrustedDocuments
	if err := json.NewDecoder(r).Decode(&docs); err != nil {
		return nil, fmt.Errorf("trusted documents: want a JSON object of sha256 hash → document: %w", err)
	}
	hashes := make([]string, 0, len(docs))
	for h := range docs {
		hashes = append(hashes, h)
	}
	sort.Strings(hashes)
	for _, h := range hashes {
		if got := documentHash(docs[h]); got != h {
			return nil, fmt.Errorf("trusted documents: the document under %q has the sha256 hash %s", h, got)
		}
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("trusted documents: the file lists no document")
	}
	return docs, nil
}

func documentHash(doc string) string {
	b := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(b[:])
}

// persistedQueries returns the extension that resolves documents by hash.
// Without trusted documents it is automatic persisted queries (the Apollo
// protocol: a client sends extensions.persistedQuery.sha256Hash, and the
// query text too the first time); with them, only those documents run.
func persistedQueries(trusted TrustedDocuments) graphql.HandlerExtension {
	if trusted != nil {
		return trustedOnly{docs: trusted}
	}
	return extension.AutomaticPersistedQuery{Cache: apqCache{lru.New[string](1000)}}
}

// maxPersistedBytes bounds a document kept by automatic persisted queries,
// so that 1,000 of them cannot take more than about 64 MiB.
const maxPersistedBytes = 64 << 10

// apqCache is an LRU cache that does not keep large documents.
type apqCache struct{ *lru.LRU[string] }

func (c apqCache) Add(ctx context.Context, key, doc string) {
	if len(doc) <= maxPersistedBytes {
		c.LRU.Add(ctx, key, doc)
	}
}

// trustedOnly refuses every document that is not in docs. A client may
// send the hash alone (extensions.persistedQuery.sha256Hash, as with
// automatic persisted queries), the text alone, or both.
type trustedOnly struct{ docs TrustedDocuments }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = trustedOnly{}

func (trustedOnly) ExtensionName() string                   { return "TrustedDocuments" }
func (trustedOnly) Validate(graphql.ExecutableSchema) error { return nil }

func (t trustedOnly) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	hash := persistedHash(p.Extensions)
	if hash == "" {
		if p.Query == "" {
			return limitError("DOCUMENT_NOT_TRUSTED", map[string]any{},
				"this server runs trusted documents only: send extensions.persistedQuery.sha256Hash")
		}
		hash = documentHash(p.Query)
	}
	doc, ok := t.docs[hash]
	if !ok {
		return limitError("DOCUMENT_NOT_TRUSTED", map[string]any{"sha256Hash": hash},
			"this server runs trusted documents only, and no trusted document has the sha256 hash %s", hash)
	}
	if p.Query != "" && p.Query != doc {
		return limitError("DOCUMENT_NOT_TRUSTED", map[string]any{"sha256Hash": hash},
			"the query text does not match the trusted document with the sha256 hash %s", hash)
	}
	p.Query = doc
	return nil
}

// persistedHash returns extensions.persistedQuery.sha256Hash, or "".
func persistedHash(ext map[string]any) string {
	pq, _ := ext["persistedQuery"].(map[string]any)
	h, _ := pq["sha256Hash"].(string)
	return h
}

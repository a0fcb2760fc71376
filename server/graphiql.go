package server

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// graphiqlFiles holds GraphiQL, React and our page; see graphiql/README.md
// for where the vendored files come from. Nothing is loaded from a CDN.
//
//go:embed graphiql/*.js graphiql/*.css graphiql/index.html
var graphiqlFiles embed.FS

// graphiqlPage is the GraphiQL HTML page; it has no inline script or style.
var graphiqlPage = template.Must(template.ParseFS(graphiqlFiles, "graphiql/index.html"))

// graphiqlAssetPath is the URL prefix of the embedded assets.
const graphiqlAssetPath = "/graphiql/"

// Load order matters: React, then ReactDOM, then GraphiQL (which needs both
// globals), then our init script (rendered separately, it carries the nonce).
var (
	graphiqlStyles  = []string{"graphiql.min.css", "page.css"}
	graphiqlScripts = []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js"}
)

const graphiqlInit = "graphiql-init.js"

// assetTypes maps the served file extensions to their content types; files
// with other extensions (the LICENSE and README files) are not served.
var assetTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// assetCacheControl lets browsers keep assets for a year: every URL the page
// uses carries the content hash (?v=…), so a changed file gets a new URL.
const assetCacheControl = "public, max-age=31536000, immutable"

// graphiqlCSP is the page's Content-Security-Policy. Scripts only from this
// origin, and no inline script at all; inline <style> only with the nonce of
// the response (GraphiQL's dialogs inject one, see graphiql-init.js); fonts
// are data: URLs inside graphiql.min.css.
func graphiqlCSP(nonce string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-" + nonce + "'; " +
		"connect-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// asset is one embedded file ready to serve.
type asset struct {
	body        []byte
	contentType string
	hash        string        // hex SHA-256 of body
	gzipped     func() []byte // body compressed, computed on first use
	ref         assetRef      // how the page refers to it
}

// assetRef is what the page template needs to load an asset.
type assetRef struct {
	URL       string // path with ?v=<hash prefix>
	Integrity string // subresource integrity, sha256-<base64>
}

// graphiql serves the GraphiQL page and its assets.
type graphiql struct {
	endpoint     string
	defaultQuery string
	assets       map[string]*asset
}

// newGraphiQL prepares the page for the GraphQL endpoint at endpoint (a URL
// relative to the page, such as "graphql") with defaultQuery preloaded.
func newGraphiQL(endpoint, defaultQuery string) *graphiql {
	g := &graphiql{endpoint: endpoint, defaultQuery: defaultQuery, assets: map[string]*asset{}}
	entries, err := fs.ReadDir(graphiqlFiles, "graphiql")
	if err != nil {
		panic("server: embedded graphiql directory: " + err.Error()) // cannot happen with go:embed
	}
	for _, e := range entries {
		ct, ok := assetTypes[path.Ext(e.Name())]
		if !ok {
			continue
		}
		body, err := fs.ReadFile(graphiqlFiles, "graphiql/"+e.Name())
		if err != nil {
			panic("server: embedded " + e.Name() + ": " + err.Error())
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		g.assets[e.Name()] = &asset{
			body:        body,
			contentType: ct,
			hash:        hash,
			gzipped:     sync.OnceValue(func() []byte { return gzipBytes(body) }),
			ref: assetRef{
				// Relative to the page at "/", so a proxy may mount the server under a prefix.
				URL:       strings.TrimPrefix(graphiqlAssetPath, "/") + e.Name() + "?v=" + hash[:12],
				Integrity: "sha256-" + base64.StdEncoding.EncodeToString(sum[:]),
			},
		}
	}
	return g
}

// pageData fills graphiql/index.html.
type pageData struct {
	Endpoint     string
	DefaultQuery string
	Nonce        string
	Styles       []assetRef
	Scripts      []assetRef
	Init         assetRef
}

func (g *graphiql) refs(names []string) []assetRef {
	refs := make([]assetRef, len(names))
	for i, n := range names {
		refs[i] = g.assets[n].ref
	}
	return refs
}

// handlePage serves the GraphiQL page with a fresh style nonce and a strict
// Content-Security-Policy.
func (g *graphiql) handlePage() http.Handler {
	data := pageData{
		Endpoint:     g.endpoint,
		DefaultQuery: g.defaultQuery,
		Styles:       g.refs(graphiqlStyles),
		Scripts:      g.refs(graphiqlScripts),
		Init:         g.assets[graphiqlInit].ref,
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := data
		d.Nonce = rand.Text()
		var buf bytes.Buffer
		if err := graphiqlPage.Execute(&buf, d); err != nil {
			panic("server: render graphiql page: " + err.Error()) // a template bug; recoverPanics logs it
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store") // the nonce must be fresh
		h.Set("Content-Security-Policy", graphiqlCSP(d.Nonce))
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		w.Write(buf.Bytes())
	})
}

// handleAsset serves the embedded file named by the {file} path value,
// gzip-compressed when the client accepts it.
func (g *graphiql) handleAsset() http.Handler {
	notFound := handleNotFound()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		a, ok := g.assets[name]
		if !ok {
			notFound.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", assetCacheControl)
		h.Add("Vary", "Accept-Encoding")
		body, etag := a.body, `"`+a.hash[:32]+`"`
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if gz := a.gzipped(); len(gz) < len(body) {
				body, etag = gz, `"`+a.hash[:32]+`-gzip"`
				h.Set("Content-Encoding", "gzip")
			}
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
	})
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip.
func acceptsGzip(acceptEncoding string) bool {
	for part := range strings.SplitSeq(acceptEncoding, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}

// gzipBytes compresses b; it cannot fail when writing to memory.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// contentHash returns the hex SHA-256 of b.
func contentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

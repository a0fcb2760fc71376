package server_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"handlingsplan/server"
)

var (
	tagRE   = regexp.MustCompile(`<(script|link)\b[^>]*>`)
	attrRE  = regexp.MustCompile(`\b(src|href|integrity|nonce|rel)="([^"]*)"`)
	queryRE = regexp.MustCompile(`data-default-query="([^"]*)"`)
	nonceRE = regexp.MustCompile(`style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'`)
)

// pageTag is a <script> or <link> of the GraphiQL page.
type pageTag struct {
	name  string
	attrs map[string]string
}

func pageTags(page string) []pageTag {
	var tags []pageTag
	for _, m := range tagRE.FindAllStringSubmatch(page, -1) {
		t := pageTag{name: m[1], attrs: map[string]string{}}
		for _, a := range attrRE.FindAllStringSubmatch(m[0], -1) {
			t.attrs[a[1]] = html.UnescapeString(a[2])
		}
		tags = append(tags, t)
	}
	return tags
}

func TestGraphiQLPage(t *testing.T) {
	const query = "# Tiltak & <planer>\nquery { hello(name: \"verden\") }"
	ts, _ := start(t, server.Config{GraphiQL: true, DefaultQuery: query}, &stubGraphQL{})

	resp, body := get(t, ts.URL+"/")
	page := string(body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET / = %d %q, want 200 HTML", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{
		"default-src 'self'", "script-src 'self';", "connect-src 'self'",
		"img-src 'self' data:", "font-src 'self' data:", "frame-ancestors 'none'",
	} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q allows inline code", csp)
	}
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
	m := nonceRE.FindStringSubmatch(csp)
	if m == nil {
		t.Fatalf("CSP %q has no style nonce", csp)
	}
	nonce := m[1]

	// The query is an escaped data attribute, not markup or script.
	if m := queryRE.FindStringSubmatch(page); m == nil || html.UnescapeString(m[1]) != query || strings.Contains(m[1], "<") {
		t.Errorf("page does not carry the escaped default query:\n%s", page)
	}
	if !strings.Contains(page, `data-endpoint="graphql"`) {
		t.Errorf("page does not carry the endpoint")
	}

	tags := pageTags(page)
	var scripts, styles int
	for _, tag := range tags {
		url := tag.attrs["src"]
		if tag.name == "link" {
			url = tag.attrs["href"]
			if tag.attrs["rel"] == "icon" && url == "data:," {
				continue // no favicon request
			}
		}
		if url == "" {
			t.Errorf("<%s> without src/href: an inline script or a broken link", tag.name)
			continue
		}
		if !strings.HasPrefix(url, "graphiql/") { // relative: the server may sit under a path prefix
			t.Errorf("asset %q is not served by this server", url)
			continue
		}
		if tag.name == "script" {
			scripts++
			if strings.Contains(url, "graphiql-init.js") && tag.attrs["nonce"] != nonce {
				t.Errorf("init script nonce %q != CSP nonce %q", tag.attrs["nonce"], nonce)
			}
		} else {
			styles++
		}
		checkAsset(t, ts.URL+"/"+url, tag.attrs["integrity"])
	}
	if scripts != 4 || styles != 2 {
		t.Errorf("page loads %d scripts and %d stylesheets, want 4 (React, ReactDOM, GraphiQL, init) and 2", scripts, styles)
	}
	if n := strings.Count(page, "<script"); n != scripts {
		t.Errorf("page has %d <script> tags, %d of them with src", n, scripts)
	}

	// Every response gets its own nonce.
	resp2, _ := get(t, ts.URL+"/")
	if m2 := nonceRE.FindStringSubmatch(resp2.Header.Get("Content-Security-Policy")); m2 == nil || m2[1] == nonce {
		t.Errorf("nonce not fresh per response: %q then %v", nonce, m2)
	}
}

// checkAsset fetches an asset plain and gzipped and checks its headers and
// that its content matches the page's integrity attribute.
func checkAsset(t *testing.T, url, integrity string) {
	t.Helper()
	wantType := "text/javascript; charset=utf-8"
	if strings.Contains(url, ".css") {
		wantType = "text/css; charset=utf-8"
	}
	for _, enc := range []string{"identity", "gzip"} {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept-Encoding", enc) // set explicitly: the client then leaves the body alone
		resp, body := do(t, req)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s (%s) = %d", url, enc, resp.StatusCode)
			continue
		}
		if got := resp.Header.Get("Content-Type"); got != wantType {
			t.Errorf("GET %s: Content-Type = %q, want %q", url, got, wantType)
		}
		if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, "max-age=31536000") || !strings.Contains(got, "immutable") {
			t.Errorf("GET %s: Cache-Control = %q, want a long immutable cache", url, got)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options = %q", url, got)
		}
		gzipped := resp.Header.Get("Content-Encoding") == "gzip"
		if enc == "identity" && gzipped || enc == "gzip" && !gzipped && len(body) > 2048 {
			t.Errorf("GET %s with Accept-Encoding %s: Content-Encoding %q", url, enc, resp.Header.Get("Content-Encoding"))
			continue
		}
		if gzipped {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("GET %s: %v", url, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatalf("GET %s: %v", url, err)
			}
		}
		sum := sha256.Sum256(body)
		if got := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); got != integrity {
			t.Errorf("GET %s (%s): content hash %s, page says %s", url, enc, got, integrity)
		}

		// Revalidation by ETag.
		req, _ = http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept-Encoding", enc)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		if resp, _ := do(t, req); resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag = %d, want 304", url, resp.StatusCode)
		}
	}
}

func TestGraphiQLUnknownAssets(t *testing.T) {
	ts, _ := start(t, server.Config{GraphiQL: true}, &stubGraphQL{})
	for _, path := range []string{"/graphiql/nope.js", "/graphiql/LICENSE.react", "/graphiql/README.md", "/graphiql/index.html"} {
		if resp, _ := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestGraphiQLOff(t *testing.T) {
	ts, _ := start(t, server.Config{GraphiQL: false, DefaultQuery: "{a}"}, &stubGraphQL{})
	for _, path := range []string{"/", "/graphiql/graphiql.min.js", "/graphiql/graphiql-init.js"} {
		resp, body := get(t, ts.URL+path)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GraphiQL off: GET %s = %d, want 404", path, resp.StatusCode)
		}
		if strings.Contains(string(body), "GraphiQL") {
			t.Errorf("GraphiQL off: GET %s serves GraphiQL", path)
		}
	}
}

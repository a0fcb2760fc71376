// Package dashboard serves the overview page (statusoversikt) of the
// action plan: status per life event and per focus area as charts, the
// tiltak at risk and who has not reported. The page is static HTML, CSS and
// JavaScript embedded in the binary; everything it shows comes from the
// public GraphQL API, and it refreshes itself over the statusReported
// subscription. Nothing is loaded from anywhere else.
package dashboard

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"net/http"
	"time"
)

//go:embed static/index.html static/dashboard.js static/dashboard.css
var files embed.FS

// Path is where the page is served; its assets are under Path + "/".
const Path = "/dashboard"

// csp allows scripts, styles and requests to this origin only: no inline
// script or style, no frames, no plug-ins.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// asset is an embedded file with the URL the page loads it by.
type asset struct {
	name, contentType string
	body              []byte
	URL               string // with ?v=<hash>, so it can be cached for good
	Integrity         string // subresource integrity
}

func load(name, contentType string) *asset {
	body, err := files.ReadFile("static/" + name)
	if err != nil {
		panic("dashboard: embedded " + name + ": " + err.Error()) // cannot happen with go:embed
	}
	sum := sha256.Sum256(body)
	return &asset{
		name: name, contentType: contentType, body: body,
		URL:       Path + "/" + name + "?v=" + hex.EncodeToString(sum[:6]),
		Integrity: "sha256-" + base64.StdEncoding.EncodeToString(sum[:]),
	}
}

// Options configure [Handler].
type Options struct {
	// Endpoint is the GraphQL endpoint the page calls; "/graphql" if empty.
	Endpoint string
}

// Handler serves GET /dashboard (the page) and GET /dashboard/{file} (its
// script and stylesheet); mount it at both patterns.
func Handler(opts Options) http.Handler {
	if opts.Endpoint == "" {
		opts.Endpoint = "/graphql"
	}
	js, css := load("dashboard.js", "text/javascript; charset=utf-8"), load("dashboard.css", "text/css; charset=utf-8")
	page := template.Must(template.ParseFS(files, "static/index.html"))
	var buf bytes.Buffer
	if err := page.Execute(&buf, map[string]any{"JS": js, "CSS": css, "Endpoint": opts.Endpoint}); err != nil {
		panic("dashboard: render page: " + err.Error())
	}
	html := buf.Bytes()
	assets := map[string]*asset{js.name: js, css.name: css}

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Path, func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", csp)
		h.Set("Cache-Control", "no-cache")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(html))
	})
	mux.HandleFunc("GET "+Path+"/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Path, http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET "+Path+"/{file}", func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[r.PathValue("file")]
		if !ok {
			notFound(w)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("ETag", `"`+a.URL[len(a.URL)-12:]+`"`)
		http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.body))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { notFound(w) })
	return mux
}

func notFound(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte(`{"errors":[{"message":"not found","extensions":{"code":"NOT_FOUND"}}]}` + "\n"))
}

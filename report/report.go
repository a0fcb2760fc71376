// Package report renders the follow-up report (oppfølgingsrapport) of a
// reporting period from the store: as a printable HTML page for
// leadership, exceptions first, and as CSV for a spreadsheet. It serves
// both over HTTP with [Handler]; the server mounts it at /reports/{period}.
package report

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"handlingsplan/store"
)

// Source is what the report reads: a snapshot of the store, the store's
// clock, and token look-up for a private server. *store.DB implements it.
type Source interface {
	Snapshot() *store.Snapshot
	Now() time.Time
	Authenticate(secret string) (*store.Token, error)
}

// Options configure [Handler].
type Options struct {
	// Private requires a bearer token (any role) for the report, as the
	// GraphQL endpoint does on a private server.
	Private bool
}

//go:embed report.css
var stylesheet []byte

//go:embed report.html.tmpl
var pageHTML string

// page is the printable report: no script, no inline style (see csp).
var page = template.Must(template.New("report").Parse(pageHTML))

// cssName is the stylesheet's file name; pages link it relatively, so it
// is served beside them (/reports/report.css).
const cssName = "report.css"

// csp allows nothing but this origin's stylesheet: no script at all, no
// inline style, no frames.
const csp = "default-src 'self'; style-src 'self'; script-src 'none'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the report: GET …/{period} as HTML, …/{period}.csv as
// CSV and …/report.css, the page's stylesheet. The last path segment
// decides, so it can be mounted under any prefix. ?governanceLevel=N
// restricts the report to the tiltak followed up at level N. A bad period
// or level answers 400.
func Handler(src Source, opts Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.URL.Path)
		if name == cssName {
			serveCSS(w, r)
			return
		}
		if opts.Private && !authenticated(src, r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="handlingsplan"`)
			plain(w, http.StatusUnauthorized, "this server is private: send «Authorization: Bearer <token>»")
			return
		}
		period, csv := strings.CutSuffix(name, ".csv")
		var level *int
		if v := r.URL.Query().Get("governanceLevel"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || store.ValidateLevel("governanceLevel", n) != nil {
				plain(w, http.StatusBadRequest, "governanceLevel must be 1, 2 or 3")
				return
			}
			level = &n
		}
		snap := src.Snapshot()
		defer snap.Close()
		now := src.Now()
		rep, err := snap.FollowUpReport(period, level, now)
		if err != nil {
			if store.ErrorCode(err) == store.Invalid {
				plain(w, http.StatusBadRequest, store.ErrorMessage(err))
				return
			}
			plain(w, http.StatusInternalServerError, "internal error")
			return
		}
		v, err := newView(snap, rep, now)
		if err != nil {
			plain(w, http.StatusInternalServerError, "internal error")
			return
		}
		var buf bytes.Buffer
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		if csv {
			err = writeCSV(&buf, v)
			h.Set("Content-Type", "text/csv; charset=utf-8")
			h.Set("Content-Disposition", `attachment; filename="oppfolging-`+rep.Period.Key+`.csv"`)
		} else {
			err = page.Execute(&buf, v)
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Content-Security-Policy", csp)
		}
		if err != nil {
			h.Del("Content-Disposition")
			plain(w, http.StatusInternalServerError, "internal error")
			return
		}
		w.Write(buf.Bytes())
	})
}

func serveCSS(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, cssName, time.Time{}, bytes.NewReader(stylesheet))
}

func authenticated(src Source, r *http.Request) bool {
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	_, err := src.Authenticate(strings.TrimSpace(secret))
	return err == nil
}

func plain(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(msg + "\n"))
}

// Package export serves the plan as flat files for dashboards, spreadsheets
// and open data: CSV (UTF-8 with a byte-order mark, so Excel shows æøå) and
// JSON, one file per kind of entity, at stable URLs:
//
//	/export/{tiltak,status-reports,bodies,initiatives,life-events,focus-areas}.{csv,json}
//	/open-data/{period}/…the same files…  the plan as it stood at the end of a period
//	/open-data/                           an index of periods and files (JSON)
//	/open-data/FORMAT.md                  the format: columns, types, encoding, meaning
//
// Query parameters filter as the GraphQL API's filters do. FORMAT.md is the
// reference; this package only reads the store.
package export

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"handlingsplan/store"
)

// Source is what the exports read: a snapshot of the store, the store's
// clock, and token look-up for a private server. *store.DB implements it.
type Source interface {
	Snapshot() *store.Snapshot
	Now() time.Time
	Authenticate(secret string) (*store.Token, error)
}

// Options configure [Handler].
type Options struct {
	// Private requires a bearer token (any role), as the GraphQL endpoint
	// does on a private server.
	Private bool
}

// The URL prefixes [Handler] serves; mount it at both.
const (
	ExportPath   = "/export/"
	OpenDataPath = "/open-data/"
)

// HeaderDescribesPeriod names the period an open-data file describes.
const HeaderDescribesPeriod = "X-Describes-Period"

//go:embed FORMAT.md
var formatDoc []byte

// Handler serves the exports and the open data under [ExportPath] and
// [OpenDataPath]. Bad query parameters answer 400 naming the parameter;
// unknown files 404.
func Handler(src Source, opts Options) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+ExportPath+"{file}", func(w http.ResponseWriter, r *http.Request) {
		serveTable(w, r, src, nil)
	})
	mux.HandleFunc("GET "+OpenDataPath+"{$}", func(w http.ResponseWriter, r *http.Request) {
		serveIndex(w, r, src)
	})
	mux.HandleFunc("GET "+OpenDataPath+"FORMAT.md", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		serveBody(w, r, "FORMAT.md", formatDoc)
	})
	mux.HandleFunc("GET "+OpenDataPath+"{period}/{file}", func(w http.ResponseWriter, r *http.Request) {
		per, err := store.ParsePeriod(strings.ToUpper(r.PathValue("period")))
		if err != nil {
			writeError(w, http.StatusNotFound, "NOT_FOUND", "", "no such period: use YYYY-H1, YYYY-H2 or YYYY-Q1 … YYYY-Q4 (see "+OpenDataPath+")")
			return
		}
		if per.Start.After(src.Now()) {
			writeError(w, http.StatusNotFound, "NOT_FOUND", "", "period "+per.Key+" has not begun")
			return
		}
		serveTable(w, r, src, &per)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "", "not found: see "+OpenDataPath+" for the files")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if opts.Private && !authenticated(src, r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="handlingsplan"`)
			writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "", "this server is private: send «Authorization: Bearer <token>»")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// serveTable serves one file, live or (asOf) as of the end of a period.
func serveTable(w http.ResponseWriter, r *http.Request, src Source, asOf *store.Period) {
	file := r.PathValue("file")
	name, ext, _ := strings.Cut(file, ".")
	t := tableNamed(name)
	if t == nil && asOf == nil {
		t = liveTableNamed(name)
	}
	if t == nil || ext != "csv" && ext != "json" {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "", "no file "+file+": see "+OpenDataPath+" for the files")
		return
	}
	snap := src.Snapshot()
	defer snap.Close()
	p := newParams(r.URL.Query(), snap, t.params)
	comma := p.comma()
	v := &view{snap: snap, asOf: asOf}
	var rows []row
	var err error
	if p.err == nil {
		rows, err = t.rows(v, p)
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", p.err.param, "parameter "+p.err.Error())
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL", "", "internal error")
		return
	}
	cols := t.columns
	if d := v.describes(); d != nil {
		cols = append(cols[:len(cols):len(cols)], describesColumns...)
		for i := range rows {
			rows[i] = append(rows[i], d...)
		}
		w.Header().Set(HeaderDescribesPeriod, asOf.Key)
	}
	var body []byte
	download := t.name
	if asOf != nil {
		download += "-" + asOf.Key
	}
	if ext == "csv" {
		body, err = writeCSV(cols, rows, comma)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	} else {
		body, err = writeJSON(cols, rows)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL", "", "internal error")
		return
	}
	w.Header().Set("Content-Disposition", `inline; filename="`+download+"."+ext+`"`)
	serveBody(w, r, file, body)
}

// serveBody answers with body, an ETag of its content, and revalidation on
// every use (late reports change past periods too); it handles HEAD,
// If-None-Match and ranges.
func serveBody(w http.ResponseWriter, r *http.Request, name string, body []byte) {
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// indexEntry is one period of the open-data index.
type indexEntry struct {
	Period   string            `json:"period"`
	Start    string            `json:"start"`
	End      string            `json:"end"`
	AsOfDate string            `json:"asOfDate"`
	Ended    bool              `json:"ended"`
	Files    map[string]string `json:"files"`
}

// serveIndex lists the periods (the plan's reporting periods, oldest first,
// up to the current one) and each one's files.
func serveIndex(w http.ResponseWriter, r *http.Request, src Source) {
	snap := src.Snapshot()
	defer snap.Close()
	now := src.Now()
	periods, err := snap.ReportingPeriods(now)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL", "", "internal error")
		return
	}
	files := func(prefix string) map[string]string {
		m := map[string]string{}
		for _, t := range tables {
			for _, ext := range []string{"csv", "json"} {
				m[t.name+"."+ext] = prefix + t.name + "." + ext
			}
		}
		return m
	}
	idx := struct {
		Description string       `json:"description"`
		Format      string       `json:"format"`
		Live        any          `json:"live"`
		Periods     []indexEntry `json:"periods"`
	}{
		Description: "Handlingsplan for Én digital offentlig sektor: open data, one set of files per reporting period, " +
			"each the plan as it stood at the end of the period.",
		Format: OpenDataPath + "FORMAT.md",
		Live:   withLiveTables(files(ExportPath)),
	}
	for _, p := range periods {
		idx.Periods = append(idx.Periods, indexEntry{
			Period: p.Key, Start: p.StartDate(), End: p.EndDate(), AsOfDate: p.EndDate(),
			Ended: p.End.Before(now.Truncate(24 * time.Hour)), Files: files(OpenDataPath + p.Key + "/"),
		})
	}
	body, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL", "", "internal error")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	serveBody(w, r, "index.json", append(body, '\n'))
}

func authenticated(src Source, r *http.Request) bool {
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	_, err := src.Authenticate(strings.TrimSpace(secret))
	return err == nil
}

// writeError answers with the server's JSON error shape,
// {"errors":[{"message":…,"extensions":{"code":…,"parameter":…}}]}.
func writeError(w http.ResponseWriter, status int, code, param, msg string) {
	ext := map[string]any{"code": code}
	if param != "" {
		ext["parameter"] = param
	}
	body, err := json.Marshal(map[string]any{"errors": []map[string]any{{"message": msg, "extensions": ext}}})
	if err != nil {
		body = []byte(`{"errors":[{"message":"internal error"}]}`)
	}
	h := w.Header()
	for _, k := range []string{"Content-Disposition", "ETag", HeaderDescribesPeriod} {
		h.Del(k)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

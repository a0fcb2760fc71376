package dashboard_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"handlingsplan/dashboard"
	"handlingsplan/defaultdata"
	"handlingsplan/graph"
	"handlingsplan/store"
)

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

var (
	assetRef = regexp.MustCompile(`(?:src|href)="(/dashboard/[^"?]+)\?v=[0-9a-f]+" integrity="([^"]+)"`)
	inline   = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|<style|\sstyle=|\son[a-z]+=`)
	external = regexp.MustCompile(`(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
)

// TestPageIsSelfContained: the page has a strict CSP, no inline script or
// style, loads only its own two assets (with matching integrity) and refers
// to no other host.
func TestPageIsSelfContained(t *testing.T) {
	srv := httptest.NewServer(dashboard.Handler(dashboard.Options{}))
	defer srv.Close()
	res, page := get(t, srv, "/dashboard")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /dashboard: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q allows inline code", csp)
	}
	if m := inline.Find(page); m != nil {
		t.Errorf("inline script or style in the page: %q", m)
	}
	refs := assetRef.FindAllSubmatch(page, -1)
	if len(refs) != 2 {
		t.Fatalf("want the script and the stylesheet, found %d asset references", len(refs))
	}
	for _, ref := range refs {
		res, body := get(t, srv, string(ref[1]))
		sum := sha256.Sum256(body)
		if res.StatusCode != http.StatusOK || "sha256-"+base64.StdEncoding.EncodeToString(sum[:]) != html.UnescapeString(string(ref[2])) {
			t.Errorf("%s: %d, integrity does not match", ref[1], res.StatusCode)
		}
		if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", ref[1], res.Header.Get("Cache-Control"))
		}
		text := strings.ReplaceAll(string(body), "http://www.w3.org/2000/svg", "")
		if m := external.FindString(text); m != "" {
			t.Errorf("%s refers to another host: %q", ref[1], m)
		}
	}
	if m := external.FindString(string(page)); m != "" {
		t.Errorf("the page refers to another host: %q", m)
	}
	for path, want := range map[string]int{"/dashboard/": http.StatusMovedPermanently, "/dashboard/secret.go": http.StatusNotFound} {
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
		}
	}
}

// jsQueries returns the GraphQL documents of dashboard.js by name, with
// their ${…} interpolations filled in.
func jsQueries(t *testing.T, js string) map[string]string {
	t.Helper()
	def := regexp.MustCompile("(?s)const ([A-Z]+) = (['`])(.*?)['`];")
	out := map[string]string{}
	for _, m := range def.FindAllStringSubmatch(js, -1) {
		out[m[1]] = m[3]
	}
	for name, q := range out {
		for k, v := range out {
			q = strings.ReplaceAll(q, "${"+k+"}", v)
		}
		out[name] = q
	}
	for _, name := range []string{"OVERVIEW", "ROUND", "LIVE"} {
		if out[name] == "" {
			t.Fatalf("dashboard.js has no const %s", name)
		}
	}
	return out
}

// TestQueriesRunAgainstTheAPI runs the page's queries and its subscription
// against the real GraphQL handler, so a schema change that breaks the
// page fails here.
func TestQueriesRunAgainstTheAPI(t *testing.T) {
	page := httptest.NewServer(dashboard.Handler(dashboard.Options{}))
	defer page.Close()
	_, html := get(t, page, "/dashboard")
	var js []byte
	for _, ref := range assetRef.FindAllSubmatch(html, -1) {
		if strings.HasSuffix(string(ref[1]), ".js") {
			_, js = get(t, page, string(ref[1]))
		}
	}
	queries := jsQueries(t, string(js))

	db, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plan, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportPlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(graph.NewHandler(db, graph.Options{}))
	defer api.Close()

	post := func(ctx context.Context, accept, q string, vars map[string]any) []byte {
		b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, api.URL, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", accept)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body) // a stream ends with ctx
		return body
	}
	var overview struct {
		Data struct {
			ReportingPeriods []struct{ Key string }
			LifeEvents       struct{ Nodes []any }
			AtRisk           struct{ TotalCount int }
		}
		Errors []any
	}
	json.Unmarshal(post(t.Context(), "application/json", queries["OVERVIEW"], nil), &overview)
	if len(overview.Errors) > 0 || len(overview.Data.LifeEvents.Nodes) != 7 || overview.Data.AtRisk.TotalCount != 1 {
		t.Errorf("OVERVIEW: errors %v, %d life events, %d at risk", overview.Errors, len(overview.Data.LifeEvents.Nodes), overview.Data.AtRisk.TotalCount)
	}
	periods := overview.Data.ReportingPeriods
	if len(periods) == 0 {
		t.Fatal("OVERVIEW: no reporting periods")
	}
	round := post(t.Context(), "application/json", queries["ROUND"], map[string]any{"period": periods[len(periods)-1].Key})
	if bytes.Contains(round, []byte(`"errors"`)) || !bytes.Contains(round, []byte(`"missing"`)) {
		t.Errorf("ROUND: %.500s", round)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if live := post(ctx, "text/event-stream", queries["LIVE"], nil); bytes.Contains(live, []byte(`"errors"`)) || !bytes.HasPrefix(live, []byte(":")) {
		t.Errorf("LIVE: %.500s", live)
	}
}

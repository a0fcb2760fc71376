package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"handlingsplan/server"
)

func TestMountedPageIsServed(t *testing.T) {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "report "+r.PathValue("period"))
	})
	srv := httptest.NewServer(server.New(server.Config{Pages: map[string]http.Handler{"GET /reports/{period}": page}}, nil, &stubGraphQL{}))
	defer srv.Close()

	for _, c := range []struct {
		method, path string
		status       int
		body         string
	}{
		{http.MethodGet, "/reports/2025-H2", http.StatusOK, "report 2025-H2"},
		{http.MethodGet, "/reports/2025-H2.csv", http.StatusOK, "report 2025-H2.csv"},
		{http.MethodGet, "/reports/", http.StatusNotFound, ""},
		{http.MethodPost, "/reports/2025-H2", http.StatusNotFound, ""}, // as for every GET route
	} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != c.status || (c.body != "" && string(body) != c.body) {
			t.Errorf("%s %s: %d %q, want %d %q", c.method, c.path, res.StatusCode, body, c.status, c.body)
		}
		if res.Header.Get("X-Request-ID") == "" {
			t.Errorf("%s %s: no request ID: the page skipped the middleware", c.method, c.path)
		}
	}
}

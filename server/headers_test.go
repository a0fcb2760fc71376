package server_test

import (
	"strings"
	"testing"

	"handlingsplan/server"
)

// Every response, whatever the route or status, forbids MIME sniffing and
// names no server software; HTML pages carry a strict CSP that allows
// nothing from other origins.
func TestSecurityHeaders(t *testing.T) {
	ts, _ := start(t, server.Config{GraphiQL: true, Metrics: true}, &stubGraphQL{})
	for _, path := range []string{"/", "/graphql", "/healthz", "/readyz", "/metrics", "/no-such-page"} {
		resp, _ := get(t, ts.URL+path)
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q, want nosniff", path, got)
		}
		if got := resp.Header.Get("Server"); got != "" {
			t.Errorf("GET %s: Server header %q, want none", path, got)
		}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("GET %s: CSP %q lacks %q", path, csp, want)
				}
			}
			if strings.Contains(csp, "http") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "*") {
				t.Errorf("GET %s: CSP %q allows more than this origin", path, csp)
			}
		}
	}
}

package graph_test

import (
	"net/http"
	"testing"
	"time"
)

// A subscription sent as a plain POST or GET is refused at once, instead
// of hanging until its first event (found by FuzzGraphQLHTTP).
func TestSubscriptionOverOneShotRequestIsRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	done := make(chan httpResult, 1)
	go func() { done <- gqlPost(t, srv, "application/json", `subscription { statusReported { period } }`, nil) }()
	select {
	case r := <-done:
		if r.Status == http.StatusOK && len(r.Errors) == 0 || len(r.Errors) != 1 || r.Errors[0].code() != "BAD_REQUEST" {
			t.Errorf("subscription over POST: status %d, %s; want one BAD_REQUEST error", r.Status, r.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a subscription over POST still waits for its first event")
	}
}

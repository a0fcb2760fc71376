package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"handlingsplan/server"
)

// At most MaxInFlight GraphQL requests run at once. With the limit taken,
// the next request waits QueueWait and is then refused with 503, a
// Retry-After header and the code SERVER_BUSY; a subscription stream is
// not counted; once a slot frees, requests run again.
func TestRequestsInFlightAreCapped(t *testing.T) {
	release := make(chan struct{})
	var running sync.WaitGroup
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Block") == "yes" {
			running.Done()
			<-release
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data":{"ok":true}}`))
	})
	ts, _ := start(t, server.Config{MaxInFlight: 2, QueueWait: 200 * time.Millisecond}, gql)
	post := func(block bool, accept string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", strings.NewReader(`{"query":"{ ok }"}`))
		req.Header.Set("Content-Type", "application/json")
		if block {
			req.Header.Set("X-Block", "yes")
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		return do(t, req)
	}

	// Just under the limit: two requests run at once.
	running.Add(2)
	done := make(chan int, 2)
	for range 2 {
		go func() {
			resp, _ := post(true, "")
			done <- resp.StatusCode
		}()
	}
	running.Wait()

	// Just over: the third waits its turn, then is refused.
	began := time.Now()
	resp, body := post(false, "")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("third request with two running: status %d, want 503 (%s)", resp.StatusCode, body)
	}
	if waited := time.Since(began); waited < 200*time.Millisecond {
		t.Errorf("refused after %s, before the queue wait of 200ms", waited)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	var out struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "SERVER_BUSY" {
		t.Fatalf("503 body %s, want one error with code SERVER_BUSY", body)
	}
	if !strings.Contains(out.Errors[0].Message, "2 requests") {
		t.Errorf("message %q does not say the limit", out.Errors[0].Message)
	}

	// A subscription stream is not held back by the limit.
	if resp, body := post(false, "text/event-stream"); resp.StatusCode != http.StatusOK {
		t.Errorf("event stream with the limit taken: status %d (%s)", resp.StatusCode, body)
	}

	// A waiting request gets the first slot that frees.
	got := make(chan int, 1)
	go func() {
		resp, _ := post(false, "")
		got <- resp.StatusCode
	}()
	time.Sleep(50 * time.Millisecond)
	close(release)
	if code := <-got; code != http.StatusOK {
		t.Errorf("request queued behind a freed slot: status %d, want 200", code)
	}
	for range 2 {
		if code := <-done; code != http.StatusOK {
			t.Errorf("running request: status %d", code)
		}
	}
}

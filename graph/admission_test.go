package graph_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"handlingsplan/graph"
	"handlingsplan/store"
)

// gatedStore holds every query at its first store read while gate is
// closed, so a test can keep queries running as long as it likes.
type gatedStore struct {
	*store.DB
	gate    chan struct{}
	started sync.WaitGroup
	hold    atomic.Bool
}

func (g *gatedStore) Snapshot() *store.Snapshot {
	if g.hold.Load() {
		g.started.Done()
		<-g.gate
	}
	return g.DB.Snapshot()
}

func rawPost(t *testing.T, url, query string) (int, http.Header, []byte) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query})
	res, err := http.Post(url, "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Error(err)
		return 0, nil, nil
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, body
}

// At most MaxInFlight queries execute at once. With the limit taken, the
// next query waits QueueWait and is refused with 503, Retry-After and the
// code SERVER_BUSY; a mutation is not held back; when a query ends, the
// one waiting runs.
func TestQueriesInFlightAreCapped(t *testing.T) {
	db := openDefaultDB(t, fixedNow, nil)
	st := &gatedStore{DB: db, gate: make(chan struct{})}
	st.hold.Store(true)
	srv := httptest.NewServer(graph.NewHandler(st, graph.Options{MaxInFlight: 2, QueueWait: 200 * time.Millisecond}))
	t.Cleanup(srv.Close)
	const query = `{ lifeEvents(first: 1) { nodes { key } } }`

	// Just under the limit: two queries run at once (both reach the store).
	st.started.Add(2)
	done := make(chan int, 2)
	for range 2 {
		go func() {
			code, _, _ := rawPost(t, srv.URL, query)
			done <- code
		}()
	}
	st.started.Wait()

	// Just over: the third waits its turn, then is refused.
	began := time.Now()
	code, h, body := rawPost(t, srv.URL, query)
	if code != http.StatusServiceUnavailable {
		t.Fatalf("third query with two running: status %d, want 503 (%s)", code, body)
	}
	if waited := time.Since(began); waited < 200*time.Millisecond {
		t.Errorf("refused after %s, before the queue wait of 200ms", waited)
	}
	if h.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	var out struct {
		Data   json.RawMessage
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "SERVER_BUSY" || out.Data != nil {
		t.Fatalf("503 body %s, want one error with code SERVER_BUSY and no data", body)
	}
	if !strings.Contains(out.Errors[0].Message, "2 queries") {
		t.Errorf("message %q does not say the limit", out.Errors[0].Message)
	}

	// A mutation is not held back by the limit (it is refused for want of
	// a token, at once, not after the queue wait).
	began = time.Now()
	code, _, body = rawPost(t, srv.URL, `mutation { deleteWebhook(id: "x") { userErrors { code } } }`)
	if code == http.StatusServiceUnavailable || time.Since(began) >= 200*time.Millisecond {
		t.Errorf("mutation with the query limit taken: status %d after %s (%s)", code, time.Since(began), body)
	}

	// A waiting query gets the first slot that frees.
	got := make(chan int, 1)
	go func() {
		code, _, _ := rawPost(t, srv.URL, query)
		got <- code
	}()
	time.Sleep(50 * time.Millisecond)
	st.hold.Store(false)
	close(st.gate)
	if code := <-got; code != http.StatusOK {
		t.Errorf("query queued behind a freed slot: status %d, want 200", code)
	}
	for range 2 {
		if code := <-done; code != http.StatusOK {
			t.Errorf("running query: status %d", code)
		}
	}
}

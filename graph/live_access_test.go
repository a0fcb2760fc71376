package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"handlingsplan/graph"
	"handlingsplan/store"
)

// Access to the live feeds: bad filters, WebSocket origins, tokens on a
// private server, and the end of the streams at shutdown.

// TestStatusReportedUnknownFilterKey: a filter key that names nothing is
// NOT_FOUND, and the stream ends.
func TestStatusReportedUnknownFilterKey(t *testing.T) {
	s := newLiveServer(t, nil, false)
	body, _ := json.Marshal(map[string]string{"query": `subscription { statusReported(filter: {lifeEventKey: "finnes-ikke"}) { period } }`})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body) // the stream ends after the error
	if !bytes.Contains(b, []byte(`"code":"NOT_FOUND"`)) || !bytes.Contains(b, []byte("event: complete")) {
		t.Errorf("want a NOT_FOUND error and the end of the stream, got:\n%s", b)
	}
}

func TestWebSocketOrigins(t *testing.T) {
	allowed := "https://dashboard.example.no"
	s := newLiveServer(t, []string{allowed, "https://*.kommune.no"}, false)
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{allowed, true},
		{"https://oslo.kommune.no", true},
		{"", true},    // not a browser
		{s.URL, true}, // the server's own pages (the dashboard)
		{"https://evil.example", false},
		{"http://dashboard.example.no", false}, // another scheme is another origin
	} {
		h := http.Header{}
		if tc.origin != "" {
			h.Set("Origin", tc.origin)
		}
		_, err := dialWS(t, s, h, nil)
		if (err == nil) != tc.ok {
			t.Errorf("Origin %q: err %v, want allowed=%v", tc.origin, err, tc.ok)
		}
		if !tc.ok && err != nil && !strings.Contains(err.Error(), "status 403") {
			t.Errorf("Origin %q: want 403, got %v", tc.origin, err)
		}
	}

	open := newLiveServer(t, nil, false)
	if _, err := dialWS(t, open, http.Header{"Origin": {"https://anywhere.example"}}, nil); err != nil {
		t.Errorf("no --cors-origins: any origin may connect, got %v", err)
	}
}

func TestWebSocketTokenOnPrivateServer(t *testing.T) {
	s := newLiveServer(t, nil, true)
	if _, err := dialWS(t, s, nil, nil); err == nil {
		t.Error("private server: a socket without a token was acknowledged")
	}
	if _, err := dialWS(t, s, nil, map[string]any{"authorization": "Bearer wrong"}); err == nil {
		t.Error("private server: a socket with a bad token was acknowledged")
	}
	w, err := dialWS(t, s, nil, map[string]any{"authorization": "Bearer " + s.token})
	if err != nil {
		t.Fatalf("token in connection_init: %v", err)
	}
	ch := w.subscribe(t, "1", "")
	s.warmUp(t, "digitalt-dodsbo", ch)
	if _, err := dialWS(t, s, http.Header{"Authorization": {"Bearer " + s.token}}, nil); err != nil {
		t.Errorf("token in the Authorization header: %v", err)
	}
}

// TestSubscriptionsEndOnShutdown: closing Options.Done completes open event
// streams, so http.Server.Shutdown does not wait for them.
func TestSubscriptionsEndOnShutdown(t *testing.T) {
	db, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	done := make(chan struct{})
	srv := httptest.NewServer(graph.NewHandler(db, graph.Options{Done: done}))
	defer srv.Close()
	body := strings.NewReader(`{"query":"subscription { statusReported { period } }"}`)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	time.Sleep(100 * time.Millisecond) // let the subscription register
	close(done)
	ended := make(chan []byte)
	go func() { b, _ := io.ReadAll(res.Body); ended <- b }()
	select {
	case b := <-ended:
		if !bytes.Contains(b, []byte("event: complete")) {
			t.Errorf("stream ended without completing: %q", b)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the stream outlived Done")
	}
}

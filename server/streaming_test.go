package server_test

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"handlingsplan/server"
)

// Subscriptions outlive the server's timeouts: here WriteTimeout and
// ReadTimeout are 100 ms and each stream runs three times as long. The same
// stream without «Accept: text/event-stream» is cut, which shows that the
// timeouts bite.
func TestStreamsOutliveTimeouts(t *testing.T) {
	const ticks, tick = 3, 100 * time.Millisecond
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			c, err := websocket.Accept(w, r, nil) // needs Hijack through the middleware's writers
			if err != nil {
				return
			}
			defer c.CloseNow()
			for range ticks {
				time.Sleep(tick)
				if err := c.Write(r.Context(), websocket.MessageText, []byte("tick")); err != nil {
					return
				}
			}
			c.Close(websocket.StatusNormalClosure, "")
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for range ticks {
			w.Write([]byte("data: tick\n\n"))
			http.NewResponseController(w).Flush()
			time.Sleep(tick)
		}
	})
	ts := httptest.NewUnstartedServer(server.New(server.Config{}, nil, gql))
	ts.Config.WriteTimeout, ts.Config.ReadTimeout = tick, tick
	ts.Start()
	defer ts.Close()

	events := func(accept string) int {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", strings.NewReader(`{"query":"subscription { x }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", accept)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		defer res.Body.Close()
		n := 0
		for sc := bufio.NewScanner(res.Body); sc.Scan(); {
			if sc.Text() == "data: tick" {
				n++
			}
		}
		return n
	}
	if n := events("text/event-stream"); n != ticks {
		t.Errorf("event stream: got %d of %d events", n, ticks)
	}
	if n := events("application/json"); n == ticks {
		t.Errorf("a plain response outlived WriteTimeout: the test's timeouts do not bite")
	}

	c, _, err := websocket.Dial(t.Context(), "ws"+strings.TrimPrefix(ts.URL, "http")+"/graphql", nil)
	if err != nil {
		t.Fatalf("websocket upgrade through the middleware: %v", err)
	}
	defer c.CloseNow()
	for i := range ticks {
		if _, _, err := c.Read(t.Context()); err != nil {
			t.Fatalf("websocket message %d of %d: %v", i+1, ticks, err)
		}
	}
}

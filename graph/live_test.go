package graph_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"handlingsplan/defaultdata"
	"handlingsplan/graph"
	"handlingsplan/server"
	"handlingsplan/store"
)

// The live tests run the real HTTP surface (server.New around the GraphQL
// handler) over a real in-memory store, with a real WebSocket client and a
// plain net/http event-stream reader.

const livePeriod = "2026-H2"   // what the measured reports are for
const warmupPeriod = "2019-H2" // warm-up reports, which readers skip

const reportedFields = `period progress bodyKey: body { key } tiltak { key title progress }`

// liveReport is a statusReported payload.
type liveReport struct {
	Period   string `json:"period"`
	Progress int    `json:"progress"`
	Tiltak   struct {
		Key      string `json:"key"`
		Title    string `json:"title"`
		Progress int    `json:"progress"`
	} `json:"tiltak"`
}

type liveServer struct {
	*httptest.Server
	token string
}

// newLiveServer serves the default data like production does; origins
// configure --cors-origins, private --private.
func newLiveServer(t *testing.T, origins []string, private bool) *liveServer {
	t.Helper()
	db, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	plan, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportPlan(t.Context(), plan); err != nil {
		t.Fatal(err)
	}
	secret, _, err := db.CreateToken(t.Context(), store.System, "digdir", store.RoleAdmin, "live-test")
	if err != nil {
		t.Fatal(err)
	}
	gql := graph.NewHandler(db, graph.Options{Origins: origins, Private: private})
	srv := httptest.NewServer(server.New(server.Config{CORSOrigins: origins}, nil, gql))
	t.Cleanup(srv.Close)
	return &liveServer{Server: srv, token: secret}
}

// report posts a reportStatus mutation and returns when it is answered.
func (s *liveServer) report(t *testing.T, tiltak, period string, progress int) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query": `mutation($in: ReportStatusInput!) { reportStatus(input: $in) { userErrors { message } } }`,
		"variables": map[string]any{"in": map[string]any{
			"tiltakKey": tiltak, "period": period, "phase": "ACTIVE", "health": "ON_TRACK",
			"progress": progress, "summary": "Framdrift på skjemaet for dødsbo",
		}},
	})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !bytes.Contains(b, []byte(`"userErrors":[]`)) {
		t.Fatalf("reportStatus: %d %s", res.StatusCode, b)
	}
}

// warmUp reports on tiltak (for the warm-up period) until recv gets
// something: then the subscription is surely registered.
func (s *liveServer) warmUp(t *testing.T, tiltak string, recv <-chan liveReport) {
	t.Helper()
	for i := range 50 {
		s.report(t, tiltak, warmupPeriod, i)
		select {
		case <-recv:
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("no warm-up report on %s arrived in 5 s", tiltak)
}

// next returns the next report on ch outside the warm-up period.
func next(t *testing.T, ch <-chan liveReport, within time.Duration) (liveReport, bool) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case r, ok := <-ch:
			if !ok {
				t.Fatal("subscription ended")
			}
			if r.Period != warmupPeriod {
				return r, true
			}
		case <-deadline:
			return liveReport{}, false
		}
	}
}

// wsClient speaks graphql-transport-ws and routes "next" payloads by
// subscription id.
type wsClient struct {
	c    *websocket.Conn
	mu   sync.Mutex
	subs map[string]chan liveReport
}

func dialWS(t *testing.T, s *liveServer, header http.Header, initPayload map[string]any) (*wsClient, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	c, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/graphql", &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: header,
	})
	if err != nil {
		if res != nil {
			return nil, fmt.Errorf("status %d: %w", res.StatusCode, err)
		}
		return nil, err
	}
	t.Cleanup(func() { c.CloseNow() })
	w := &wsClient{c: c, subs: map[string]chan liveReport{}}
	w.send(t, map[string]any{"type": "connection_init", "payload": initPayload})
	var ack struct{ Type string }
	if err := readJSON(ctx, c, &ack); err != nil {
		return nil, err
	}
	if ack.Type != "connection_ack" {
		return nil, fmt.Errorf("got %q, want connection_ack", ack.Type)
	}
	go w.read(t.Context())
	return w, nil
}

func readJSON(ctx context.Context, c *websocket.Conn, v any) error {
	_, b, err := c.Read(ctx)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func (w *wsClient) send(t *testing.T, msg any) {
	b, _ := json.Marshal(msg)
	if err := w.c.Write(t.Context(), websocket.MessageText, b); err != nil {
		t.Errorf("websocket write: %v", err)
	}
}

func (w *wsClient) read(ctx context.Context) {
	for {
		var m struct {
			ID      string          `json:"id"`
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := readJSON(ctx, w.c, &m); err != nil {
			return
		}
		switch m.Type {
		case "ping":
			b, _ := json.Marshal(map[string]string{"type": "pong"})
			_ = w.c.Write(ctx, websocket.MessageText, b)
		case "next":
			var p struct {
				Data struct {
					StatusReported liveReport `json:"statusReported"`
				} `json:"data"`
			}
			_ = json.Unmarshal(m.Payload, &p)
			w.mu.Lock()
			ch := w.subs[m.ID]
			w.mu.Unlock()
			ch <- p.Data.StatusReported
		}
	}
}

func (w *wsClient) subscribe(t *testing.T, id, filter string) <-chan liveReport {
	ch := make(chan liveReport, 100)
	w.mu.Lock()
	w.subs[id] = ch
	w.mu.Unlock()
	w.send(t, map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{
		"query": "subscription { statusReported" + filter + " { " + reportedFields + " } }",
	}})
	return ch
}

// checkArrives reports on digitalt-dodsbo and wants it on ch within a second.
func checkArrives(t *testing.T, s *liveServer, ch <-chan liveReport) {
	t.Helper()
	s.report(t, "digitalt-dodsbo", livePeriod, 42)
	reported := time.Now()
	r, ok := next(t, ch, time.Second)
	if !ok {
		t.Fatal("no status report within a second of the mutation")
	}
	t.Logf("arrived %v after the mutation's answer", time.Since(reported))
	if r.Period != livePeriod || r.Progress != 42 || r.Tiltak.Key != "digitalt-dodsbo" || r.Tiltak.Title == "" || r.Tiltak.Progress != 42 {
		t.Errorf("got %+v, want digitalt-dodsbo %s at 42%% with its tiltak as it stands after the report", r, livePeriod)
	}
}

func TestStatusReportedOverWebSocket(t *testing.T) {
	s := newLiveServer(t, nil, false)
	w, err := dialWS(t, s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ch := w.subscribe(t, "1", "")
	s.warmUp(t, "digitalt-dodsbo", ch)
	checkArrives(t, s, ch)
}

func TestStatusReportedOverServerSentEvents(t *testing.T) {
	s := newLiveServer(t, nil, false)
	body, _ := json.Marshal(map[string]string{"query": "subscription { statusReported { " + reportedFields + " } }"})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	ch := make(chan liveReport, 100)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(res.Body)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "next":
				var p struct {
					Data struct {
						StatusReported liveReport `json:"statusReported"`
					} `json:"data"`
				}
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &p); err == nil {
					ch <- p.Data.StatusReported
				}
			}
		}
	}()
	s.warmUp(t, "digitalt-dodsbo", ch)
	checkArrives(t, s, ch)
}

// TestStatusReportedFilters gives each subscription its own filter, sends
// reports on several tiltak, and then one sentinel per subscription on a
// tiltak it matches: reports arrive in order, so what came before the
// sentinel is exactly what the subscription received.
func TestStatusReportedFilters(t *testing.T) {
	s := newLiveServer(t, nil, false)
	w, err := dialWS(t, s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	subs := []struct {
		filter string
		own    string   // a tiltak that matches, for warm-up and sentinel
		want   []string // of the reports below
	}{
		{`(filter: {tiltakKey: "digitalt-dodsbo"})`, "digitalt-dodsbo", []string{"digitalt-dodsbo"}},
		{`(filter: {focusAreaKey: "deling-av-data"})`, "datafabrikken", []string{"datafabrikken"}},
		// brreg is responsible for the frivillighetsregister; digdir reports (and is responsible for digitalt-dodsbo).
		{`(filter: {bodyKey: "brreg"})`, "videreutvikling-frivillighetsregisteret", []string{"videreutvikling-frivillighetsregisteret"}},
		{`(filter: {bodyKey: "digdir"})`, "datafabrikken", []string{"digitalt-dodsbo", "datafabrikken", "videreutvikling-frivillighetsregisteret", "nyinorge-no"}},
		{`(filter: {lifeEventKey: "dodsfall-og-arv", focusAreaKey: "sammenhengende-tjenester"})`, "digitalt-dodsbo", []string{"digitalt-dodsbo"}},
		{`(filter: {lifeEventKey: "ny-i-norge"})`, "nyinorge-no", []string{"nyinorge-no"}},
	}
	chans := make([]<-chan liveReport, len(subs))
	for i, sub := range subs {
		chans[i] = w.subscribe(t, fmt.Sprint(i), sub.filter)
		s.warmUp(t, sub.own, chans[i])
	}
	for i, k := range []string{"digitalt-dodsbo", "datafabrikken", "videreutvikling-frivillighetsregisteret", "nyinorge-no"} {
		s.report(t, k, livePeriod, 10+i)
	}
	for i, sub := range subs {
		s.report(t, sub.own, livePeriod, 99)
		var got []string
		for {
			r, ok := next(t, chans[i], 2*time.Second)
			if !ok {
				t.Fatalf("%s: no sentinel; got %v", sub.filter, got)
			}
			if r.Progress == 99 {
				break
			}
			got = append(got, r.Tiltak.Key)
		}
		if strings.Join(got, " ") != strings.Join(sub.want, " ") {
			t.Errorf("%s received %v, want %v", sub.filter, got, sub.want)
		}
	}
}

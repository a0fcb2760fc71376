package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"handlingsplan/defaultdata"
	"handlingsplan/graph"
	"handlingsplan/server"
	"handlingsplan/store"
)

// panickyStore is the real store except that ReportStatus panics: a bug a
// real store cannot be made to have.
type panickyStore struct{ *store.DB }

func (panickyStore) ReportStatus(context.Context, store.Actor, store.StatusReport) (*store.StatusReport, error) {
	var m map[string]int
	m["boom"]++ // assignment to entry in nil map
	return nil, nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// A panic in a resolver reaches the client as an INTERNAL error with the
// request ID, which is also in the log with the panic; the panic itself
// (message, stack) stays out of the answer, and the server goes on.
func TestResolverPanicIsInternalWithRequestID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	plan, _ := defaultdata.Plan()
	if err := db.ImportPlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	secret, _, err := db.CreateToken(ctx, store.System, "digdir", store.RoleEditor, "")
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	srv := httptest.NewServer(server.New(server.Config{}, log,
		graph.NewHandler(panickyStore{db}, graph.Options{Log: log, RequestID: server.RequestID})))
	t.Cleanup(srv.Close)

	body, _ := json.Marshal(map[string]any{"query": `mutation { reportStatus(input: {tiltakKey: "` + plan.Tiltak[0].Key +
		`", period: "2025-H2", phase: PLANNED, progress: 0}) { userErrors { message } } }`})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+secret)
	r := send(t, req)
	if len(r.Errors) != 1 || r.Errors[0].code() != "INTERNAL" {
		t.Fatalf("answer %s, want one INTERNAL error", r.Body)
	}
	id, _ := r.Errors[0].Extensions["requestId"].(string)
	if id == "" {
		t.Fatalf("INTERNAL error without a requestId: %s", r.Body)
	}
	if s := string(r.Body); strings.Contains(s, "nil map") || strings.Contains(s, "boom") || strings.Contains(s, ".go:") {
		t.Errorf("the answer leaks the panic: %s", s)
	}
	if l := logs.String(); !strings.Contains(l, id) || !strings.Contains(l, "nil map") {
		t.Errorf("the log lacks the request ID %s with the panic:\n%s", id, l)
	}
	if n := lifeEventsCount(t, srv); n == 0 {
		t.Errorf("the server stopped answering after the panic")
	}
}

func lifeEventsCount(t *testing.T, srv *httptest.Server) int {
	t.Helper()
	var d struct{ LifeEvents struct{ TotalCount int } }
	b, _ := json.Marshal(map[string]any{"query": `{ lifeEvents { totalCount } }`})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if err := json.Unmarshal(send(t, req).Data, &d); err != nil {
		t.Fatal(err)
	}
	return d.LifeEvents.TotalCount
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"testing"

	"handlingsplan/bench/queries"
	"handlingsplan/generate"
	"handlingsplan/graph"
	"handlingsplan/store"
)

// The ceiling handler must answer exactly what the GraphQL server answers
// to D1, or comparing their throughput means nothing.
func TestCeilingAnswersLikeGraphQL(t *testing.T) {
	small, err := generate.Lookup("small")
	if err != nil {
		t.Fatal(err)
	}
	db, err := generate.Open(context.Background(), "", small, generate.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	body := queries.Request{Query: queries.D1}.Body()
	gql := post(t, graph.NewHandler(db, graph.Options{}), body)
	ceil := post(t, newHandler(db), body)

	var g, c any
	if err := json.Unmarshal(gql, &g); err != nil {
		t.Fatalf("GraphQL answer: %v", err)
	}
	if err := json.Unmarshal(ceil, &c); err != nil {
		t.Fatalf("ceiling answer: %v", err)
	}
	if m, ok := g.(map[string]any); !ok || m["errors"] != nil {
		t.Fatalf("GraphQL answered with errors: %.500s", gql)
	}
	if !reflect.DeepEqual(g, c) {
		t.Fatalf("the answers differ\nGraphQL: %.2000s\nceiling: %.2000s", gql, ceil)
	}
	if !bytes.Equal(gql, ceil) {
		t.Errorf("same JSON value, different bytes (%d vs %d): the ceiling writes less or more than GraphQL", len(gql), len(ceil))
	}
	nodes := g.(map[string]any)["data"].(map[string]any)["lifeEvents"].(map[string]any)["nodes"].([]any)
	if len(nodes) != generate.LifeEvents {
		t.Errorf("%d life events in D1, want %d", len(nodes), generate.LifeEvents)
	}
}

func post(t testing.TB, h http.Handler, body []byte) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	out, _ := io.ReadAll(rec.Body)
	return out
}

// BenchmarkD1 compares, in process and without HTTP, the ceiling handler
// with the GraphQL handler on D1: the small preset, or the data directory
// HANDLINGSPLAN_BENCH_DATA names (a copy: Badger writes to it on open).
func BenchmarkD1(b *testing.B) {
	var db *store.DB
	var err error
	if dir := os.Getenv("HANDLINGSPLAN_BENCH_DATA"); dir != "" {
		db, err = store.Open(store.Options{Dir: dir})
	} else {
		small, _ := generate.Lookup("small")
		db, err = generate.Open(context.Background(), "", small, generate.DefaultSeed)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	body := queries.Request{Query: queries.D1}.Body()
	for _, h := range []struct {
		name string
		h    http.Handler
	}{{"graphql", graph.NewHandler(db, graph.Options{})}, {"ceiling", newHandler(db)}} {
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				post(b, h.h, body)
			}
		})
		// n goroutines per CPU; 16 per CPU is 32 clients on two cores, as
		// the load runner's D1 c=32 cell (but without the server's cap on
		// requests in flight).
		for _, n := range []int{1, 4, 16} {
			b.Run(fmt.Sprintf("%s-par%dxCPU", h.name, n), func(b *testing.B) {
				b.ReportAllocs()
				b.SetParallelism(n)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						post(b, h.h, body)
					}
				})
			})
		}
	}
}

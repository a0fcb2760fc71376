// Command ceiling serves the D1 dashboard answer (bench/queries/d1-dashboard.graphql)
// from a plain net/http handler that reads the store directly, with no
// GraphQL in between. The load runner drives it like the real server; the
// difference in throughput is what GraphQL costs on top of storage.
//
//	ceiling --data DIR [--addr 127.0.0.1:0]
//
// It opens the data directory itself, so the real server must not be
// running on it. Like serve, it prints "listening on http://ADDR".
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"handlingsplan/bench/direct"
	"handlingsplan/graph"
	"handlingsplan/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ceiling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "data directory (a generated data set)")
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("--data is required")
	}
	db, err := store.Open(store.Options{Dir: *data})
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newHandler(db), ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// d1Extensions is the extensions.cost GraphQL reports for D1 under the
// default limit (graph/limits.go; the test compares the bytes).
var d1Extensions = struct {
	Cost graph.Cost `json:"cost"`
}{graph.Cost{Requested: 9401, Limit: graph.DefaultMaxCost}}

// newHandler answers every request with D1's response, read straight from
// the store: the ceiling that GraphQL is measured against. It ignores the
// request body, so the load runner can send it the same D1 request.
func newHandler(db *store.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		snap := db.Snapshot()
		resp, err := direct.Dashboard(snap)
		snap.Close()
		if err != nil {
			http.Error(w, fmt.Sprintf(`{"errors":[{"message":%q}]}`, err.Error()), http.StatusInternalServerError)
			return
		}
		resp.Extensions = d1Extensions
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // gqlgen does not escape <, > and &
		if err := enc.Encode(resp); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	})
}

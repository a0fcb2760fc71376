package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer that run's goroutines may write while the
// test reads it.
type lockedBuffer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	keep int // if > 0, only about the last keep bytes are kept
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.keep > 0 && b.buf.Len()+len(p) > 2*b.keep {
		rest := bytes.Clone(b.buf.Bytes()[b.buf.Len()-min(b.buf.Len(), b.keep):])
		b.buf.Reset()
		b.buf.Write(rest)
	}
	return b.buf.Write(p)
}

// keepLast bounds the buffer to about the last n bytes, for a long run
// whose log would otherwise fill memory (the soak test measures the heap).
func (b *lockedBuffer) keepLast(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.keep = n
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// envOf returns a getenv that knows only env.
func envOf(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// running is a server started by run in the background.
type running struct {
	url    string // http://ADDR
	stderr *lockedBuffer
	cancel context.CancelFunc
	done   chan error
}

// startServe calls run with args (after the program name) as main would,
// waits for its "listening on" line and for /healthz to answer, and stops
// it when the test ends.
func startServe(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stderr: &lockedBuffer{}, cancel: cancel, done: make(chan error, 1)}
	pr, pw := io.Pipe()
	go func() {
		err := run(ctx, append([]string{"handlingsplan"}, args...), envOf(env), pw, r.stderr)
		pw.Close()
		r.done <- err
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				urls <- u
				break
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	t.Cleanup(func() { r.stop(t) })
	select {
	case r.url = <-urls:
	case err := <-r.done:
		r.done <- err // for stop
		t.Fatalf("run %v returned before serving: %v\nstderr:\n%s", args, err, r.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("run %v: no \"listening on\" line after 30 s\nstderr:\n%s", args, r.stderr)
	}
	if !strings.HasPrefix(r.url, "http://") {
		t.Fatalf("listening on %q, want an http:// URL", r.url)
	}
	waitHealthy(t, r.url)
	return r
}

// stop cancels run's context and returns what run returned.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err // a second stop (the cleanup) sees the same
		return err
	case <-time.After(20 * time.Second):
		t.Fatalf("run did not return within 20 s of cancelling its context")
		return nil
	}
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(url + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/healthz not ready after 10 s: %v", url, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lifeEvents asks the server how many life events it holds, and when the
// first was last changed.
func lifeEvents(t *testing.T, url string) (count int, updatedAt string) {
	t.Helper()
	body := `{"query": "{ lifeEvents(first: 1) { totalCount nodes { updatedAt } } }"}`
	res, err := http.Post(url+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct {
		Data struct {
			LifeEvents struct {
				TotalCount int
				Nodes      []struct{ UpdatedAt string }
			}
		}
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || len(got.Errors) > 0 {
		t.Fatalf("POST /graphql: status %d, errors %v", res.StatusCode, got.Errors)
	}
	if len(got.Data.LifeEvents.Nodes) > 0 {
		updatedAt = got.Data.LifeEvents.Nodes[0].UpdatedAt
	}
	return got.Data.LifeEvents.TotalCount, updatedAt
}

func getBody(t *testing.T, url string) (contentType, body string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, res.StatusCode)
	}
	return res.Header.Get("Content-Type"), string(b)
}

// The whole program, as a user starts it: it serves the default data,
// GraphiQL and the schema, and stops cleanly when told to.
func TestServeInMemory(t *testing.T) {
	t.Parallel()
	r := startServe(t, nil, "serve", "--in-memory", "--addr", "127.0.0.1:0")
	if n, _ := lifeEvents(t, r.url); n != 7 {
		t.Errorf("lifeEvents.totalCount = %d, want 7", n)
	}
	ct, page := getBody(t, r.url+"/")
	if !strings.HasPrefix(ct, "text/html") || !strings.Contains(page, "GraphiQL") {
		t.Errorf("GET /: Content-Type %q, body %.200q; want the GraphiQL page", ct, page)
	}
	ct, sdl := getBody(t, r.url+"/schema.graphql")
	if !strings.Contains(sdl, "type Tiltak") || !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("GET /schema.graphql: Content-Type %q, want SDL with «type Tiltak»: %.200q", ct, sdl)
	}
	if err := r.stop(t); err != nil {
		t.Errorf("run returned %v after its context was cancelled, want nil", err)
	}
	if _, err := http.Get(r.url + "/healthz"); err == nil {
		t.Errorf("still serving after run returned")
	}
}

// A bare invocation that starts with a flag means serve.
func TestBareInvocationServes(t *testing.T) {
	t.Parallel()
	r := startServe(t, nil, "--in-memory", "--addr", "127.0.0.1:0")
	if n, _ := lifeEvents(t, r.url); n != 7 {
		t.Errorf("lifeEvents.totalCount = %d, want 7", n)
	}
}

// Data written to --data survives a restart, and the default data is
// loaded only into an empty store: the second start does not load it
// again (which would change every updatedAt).
func TestServePersistsDataDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := startServe(t, nil, "serve", "--addr", "127.0.0.1:0", "--data", dir)
	n1, at1 := lifeEvents(t, first.url)
	if err := first.stop(t); err != nil {
		t.Fatalf("first run: %v", err)
	}
	if n1 != 7 || at1 == "" {
		t.Fatalf("first run: %d life events, updatedAt %q; want 7 and a time", n1, at1)
	}

	second := startServe(t, nil, "serve", "--addr", "127.0.0.1:0", "--data", dir)
	n2, at2 := lifeEvents(t, second.url)
	if n2 != 7 {
		t.Errorf("after a restart: %d life events, want 7", n2)
	}
	if at2 != at1 {
		t.Errorf("after a restart: updatedAt %q, was %q: the default data was loaded a second time", at2, at1)
	}
	if err := second.stop(t); err != nil {
		t.Errorf("second run: %v", err)
	}
}

// --seed=none starts with an empty store.
func TestServeSeedNone(t *testing.T) {
	t.Parallel()
	r := startServe(t, nil, "serve", "--in-memory", "--addr", "127.0.0.1:0", "--seed=none")
	if n, _ := lifeEvents(t, r.url); n != 0 {
		t.Errorf("with --seed=none: %d life events, want 0", n)
	}
}

// Environment variables configure serve where no flag is given, and flags
// win over them.
func TestServeEnvironment(t *testing.T) {
	t.Parallel()
	hasFiles := func(dir string) bool {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries) > 0
	}

	t.Run("env only", func(t *testing.T) {
		dir := t.TempDir()
		r := startServe(t, map[string]string{"HANDLINGSPLAN_ADDR": "127.0.0.1:0", "HANDLINGSPLAN_DATA": dir}, "serve")
		if !strings.HasPrefix(r.url, "http://127.0.0.1:") {
			t.Errorf("listening on %s, want HANDLINGSPLAN_ADDR's 127.0.0.1", r.url)
		}
		if n, _ := lifeEvents(t, r.url); n != 7 {
			t.Errorf("%d life events, want 7", n)
		}
		if !hasFiles(dir) {
			t.Errorf("nothing written to HANDLINGSPLAN_DATA %s", dir)
		}
	})

	t.Run("flags win", func(t *testing.T) {
		envDir, flagDir := t.TempDir(), t.TempDir()
		env := map[string]string{
			"HANDLINGSPLAN_ADDR": "127.0.0.1:-1", // would fail to listen
			"HANDLINGSPLAN_DATA": envDir,
			"HANDLINGSPLAN_SEED": "none",
		}
		r := startServe(t, env, "serve", "--addr", "127.0.0.1:0", "--data", flagDir, "--seed", "default")
		if n, _ := lifeEvents(t, r.url); n != 7 {
			t.Errorf("--seed default over HANDLINGSPLAN_SEED=none: %d life events, want 7", n)
		}
		if !hasFiles(flagDir) || hasFiles(envDir) {
			t.Errorf("--data %s has files: %v; HANDLINGSPLAN_DATA %s has files: %v; want only --data used",
				flagDir, hasFiles(flagDir), envDir, hasFiles(envDir))
		}
	})

	t.Run("HANDLINGSPLAN_SEED", func(t *testing.T) {
		r := startServe(t, map[string]string{"HANDLINGSPLAN_SEED": "none", "HANDLINGSPLAN_IN_MEMORY": "true"}, "--addr", "127.0.0.1:0")
		if n, _ := lifeEvents(t, r.url); n != 0 {
			t.Errorf("HANDLINGSPLAN_SEED=none: %d life events, want 0", n)
		}
	})
}

// runErr calls run and expects it to return promptly (not to serve).
func runErr(t *testing.T, env map[string]string, args ...string) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	var stdout, stderr lockedBuffer
	go func() { done <- run(ctx, append([]string{"handlingsplan"}, args...), envOf(env), &stdout, &stderr) }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		cancel()
		<-done
		t.Fatalf("run %v did not return: it should have refused to start", args)
		return nil
	}
}

// A typo on the command line gets an error that names it, before anything
// is opened or served.
func TestRunRefusesBadInvocations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr []string // each must appear in the error
	}{
		{"unknown subcommand", nil, []string{"frobnicate"}, []string{`"frobnicate"`}},
		{"bad seed", nil, []string{"serve", "--in-memory", "--seed=bogus"}, []string{"seed", "bogus"}},
		{"bad log format", nil, []string{"serve", "--in-memory", "--log-format", "xml"}, []string{"log-format", "xml"}},
		{"unknown flag", nil, []string{"serve", "--in-memory", "--colour"}, []string{"colour"}},
		{"no request may run", nil, []string{"serve", "--in-memory", "--max-in-flight", "0"}, []string{"max-in-flight", "0"}},
		{"bad queue wait in the environment", map[string]string{"HANDLINGSPLAN_QUEUE_WAIT": "soon"}, []string{"serve", "--in-memory"}, []string{"HANDLINGSPLAN_QUEUE_WAIT", "soon"}},
		{"stray argument", nil, []string{"serve", "--in-memory", "extra"}, []string{"extra"}},
		{"bad boolean in the environment", map[string]string{"HANDLINGSPLAN_IN_MEMORY": "maybe"}, []string{"serve"}, []string{"HANDLINGSPLAN_IN_MEMORY", "maybe"}},
		{"bad seed in the environment", map[string]string{"HANDLINGSPLAN_SEED": "bogus"}, []string{"serve", "--in-memory"}, []string{"bogus"}},
		{"address that cannot be listened on", nil, []string{"serve", "--in-memory", "--addr", "127.0.0.1:-1"}, []string{"127.0.0.1:-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runErr(t, tt.env, tt.args...)
			if err == nil {
				t.Fatalf("run %v = nil, want an error", tt.args)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("run %v = %q, want it to mention %s", tt.args, err, w)
				}
			}
		})
	}
}

package server_test

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"handlingsplan/server"
)

// serveReal serves New's handler with NewHTTPServer's timeouts on a real
// loopback listener.
func serveReal(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.NewHTTPServer(server.New(server.Config{}, nil, &stubGraphQL{}))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// slowHeaders sends a request's headers but holds back the blank line that
// ends them for wait, and reports whether the server still answered.
func slowHeaders(t *testing.T, addr string, wait time.Duration) (answered bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(wait)
	if _, err := c.Write([]byte("\r\n")); err != nil {
		return false
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// A client that trickles its headers (slowloris) is cut off after
// ReadHeaderTimeout, and not before.
func TestReadHeaderTimeoutJustUnderAndOver(t *testing.T) {
	if testing.Short() {
		t.Skip("takes ReadHeaderTimeout and a bit")
	}
	t.Parallel()
	addr := serveReal(t)
	under, over := make(chan bool), make(chan bool)
	go func() { under <- slowHeaders(t, addr, server.ReadHeaderTimeout-time.Second) }()
	go func() { over <- slowHeaders(t, addr, server.ReadHeaderTimeout+time.Second) }()
	if !<-under {
		t.Errorf("headers finished 1 s before ReadHeaderTimeout (%v) were not answered", server.ReadHeaderTimeout)
	}
	if <-over {
		t.Errorf("headers finished 1 s after ReadHeaderTimeout (%v) were still answered", server.ReadHeaderTimeout)
	}
}

// GET queries live in the URL: a request line and headers up to
// MaxHeaderBytes are read; far beyond it (net/http allows 4 KiB of slack)
// the answer is 431.
func TestMaxHeaderBytesJustUnderAndOver(t *testing.T) {
	t.Parallel()
	addr := serveReal(t)
	get := func(n int) int {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/healthz", nil)
		req.Header.Set("X-Pad", strings.Repeat("a", n))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(server.MaxHeaderBytes - 1024); got != http.StatusOK {
		t.Errorf("headers just under MaxHeaderBytes: %d, want 200", got)
	}
	if got := get(server.MaxHeaderBytes + 4096 + 1); got != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("headers over MaxHeaderBytes and net/http's slack: %d, want 431", got)
	}
}

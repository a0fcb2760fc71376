package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// loadReports runs clients goroutines that send distinct status reports
// to url until stop is closed or the server goes away. It returns every
// report the server acknowledged and every error it answered with while
// up (transport errors once gone is set do not count).
type reportLoad struct {
	mu    sync.Mutex
	acked []sentReport
	errs  []error
	sent  atomic.Int64
	gone  atomic.Bool // the server is being stopped: transport errors are expected
	stop  chan struct{}
	wg    sync.WaitGroup
}

func startReportLoad(url, token string, keys []string, clients int) *reportLoad {
	l := &reportLoad{stop: make(chan struct{})}
	for c := range clients {
		l.wg.Go(func() {
			client := &http.Client{Timeout: 30 * time.Second}
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				n := int(l.sent.Add(1)) - 1
				r := sentReport{tiltak: keys[n%len(keys)], period: nthPeriod(n / len(keys)),
					summary: fmt.Sprintf("client %d, report %d", c, n)}
				ok, err := sendReport(client, url, token, r)
				l.mu.Lock()
				switch {
				case ok:
					l.acked = append(l.acked, r)
				case err != nil && l.gone.Load():
					l.mu.Unlock()
					return
				case err != nil:
					l.errs = append(l.errs, err)
				default:
					l.errs = append(l.errs, fmt.Errorf("report %v answered with another summary", r))
				}
				l.mu.Unlock()
			}
		})
	}
	return l
}

// waitAcked waits until at least n reports are acknowledged.
func (l *reportLoad) waitAcked(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		l.mu.Lock()
		got, errs := len(l.acked), len(l.errs)
		l.mu.Unlock()
		if got >= n {
			return
		}
		if errs > 0 || time.Now().After(deadline) {
			l.finish()
			t.Fatalf("%d of %d reports acknowledged; errors: %v", got, n, l.errs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (l *reportLoad) finish() {
	close(l.stop)
	l.wg.Wait()
}

// A report the server acknowledged is on disk: killing the server with
// SIGKILL in the middle of concurrent reporting loses none of them.
func TestAcknowledgedReportsSurviveSIGKILL(t *testing.T) {
	t.Parallel()
	dir := defaultDataDir(t)
	token := createToken(t, dir, "digdir", "EDITOR")
	p := startBinary(t, "--data", dir)
	load := startReportLoad(p.url, token, tiltakKeys(t, p.url), 16)
	load.waitAcked(t, 300)
	load.gone.Store(true)
	p.kill() // SIGKILL: no drain, no clean close
	load.finish()
	if len(load.errs) > 0 {
		t.Fatalf("errors before the kill: %v", load.errs)
	}
	t.Logf("%d reports sent, %d acknowledged before SIGKILL", load.sent.Load(), len(load.acked))

	// Badger replays its log at the next start, and the server serves.
	p2 := startBinary(t, "--data", dir)
	if err := p2.terminate(t, 30*time.Second); err != nil {
		t.Fatalf("restart after SIGKILL: %v\nstderr:\n%s", err, p2.stderr)
	}
	got := exportedReports(t, dir)
	lost := 0
	for _, r := range load.acked {
		if s, ok := got[[2]string{r.tiltak, r.period}]; !ok || s != r.summary {
			if lost++; lost <= 5 {
				t.Errorf("acknowledged report %s %s (%q) lost: found %q, %v", r.tiltak, r.period, r.summary, s, ok)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged reports lost after SIGKILL", lost, len(load.acked))
	}
}

// SIGTERM lets a request that is still arriving finish, answers every
// request that got in, closes the store cleanly (no log to replay at the
// next start) and exits 0.
func TestSIGTERMDrainsRequestsAndClosesStore(t *testing.T) {
	t.Parallel()
	dir := defaultDataDir(t)
	token := createToken(t, dir, "digdir", "EDITOR")
	p := startBinary(t, "--data", dir)
	keys := tiltakKeys(t, p.url)
	load := startReportLoad(p.url, token, keys[1:], 8)
	load.waitAcked(t, 50)

	// A slow client: headers and half its body are in when SIGTERM comes.
	body := fmt.Sprintf(`{"query":%q,"variables":{"in":{"tiltakKey":%q,"period":"2024-H2","phase":"ACTIVE","health":"ON_TRACK","progress":70,"summary":"sent slowly"}}}`,
		reportMutation, keys[0])
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n%s",
		token, len(body), body[:len(body)/2])
	time.Sleep(200 * time.Millisecond) // the server reads the headers and starts the handler

	load.gone.Store(true)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := conn.Write([]byte(body[len(body)/2:])); err != nil {
		t.Fatalf("the server dropped an in-flight request at SIGTERM: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the in-flight request: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("in-flight request: status %d, want 200", res.StatusCode)
	}
	if err := p.terminate(t, 30*time.Second); err != nil {
		t.Fatalf("exit status after SIGTERM: %v\nstderr:\n%s", err, p.stderr)
	}
	load.finish()
	if len(load.errs) > 0 {
		t.Errorf("requests that got in were answered with errors: %v", load.errs)
	}
	stderr := p.stderr.String()
	for _, want := range []string{"draining requests", "every request finished", "store closed cleanly"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("log lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "DB Closed") || strings.Contains(stderr, "panic") {
		t.Errorf("the store closed under a running request:\n%s", stderr)
	}
	// A clean Badger close flushes the memtable: no write-ahead log is left
	// to replay, so the next start needs no recovery.
	if mems, _ := filepath.Glob(filepath.Join(dir, "*.mem")); len(mems) > 0 {
		t.Errorf("write-ahead logs left after SIGTERM (the next start must recover): %v", mems)
	}
	got := exportedReports(t, dir)
	if s := got[[2]string{keys[0], "2024-H2"}]; s != "sent slowly" {
		t.Errorf("the in-flight report is not stored: summary %q", s)
	}
	for _, r := range load.acked {
		if got[[2]string{r.tiltak, r.period}] != r.summary {
			t.Errorf("acknowledged report %v missing after SIGTERM", r)
		}
	}
}

// A second server on a data directory in use is refused with a message
// that says so; the first keeps serving.
func TestStartRefusesDataDirInUse(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	p := startBinary(t, "--data", dir, "--seed", "none")
	out, err := exec.Command(binary(t), "serve", "--addr", "127.0.0.1:0", "--data", dir).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("second server on %s: %v, want a non-zero exit\n%s", dir, err, out)
	}
	if !strings.Contains(string(out), "in use by another process") {
		t.Errorf("second server's message does not say the directory is in use:\n%s", out)
	}
	if _, _, err := runBulk(t, "backup", "--data", dir, "--out", filepath.Join(t.TempDir(), "b")); err == nil ||
		!strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("backup of a directory in use: %v, want a message that it is in use", err)
	}
	waitHealthy(t, p.url)
	if _, err := os.Stat(filepath.Join(dir, "LOCK")); err != nil {
		t.Errorf("the first server's lock is gone: %v", err)
	}
}

// A request still running when the shutdown grace period ends is
// cancelled and its connection closed; the store closes only after its
// handler has returned (before, the store closed under it and resolvers
// failed with "DB Closed"), and the process exits 0.
func TestSIGTERMCancelsRequestsAfterGrace(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	p := startBinary(t, "--data", dir, "--shutdown-grace", "1s")
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A client that sends half its body and then stalls.
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":")
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := p.terminate(t, 20*time.Second); err != nil {
		t.Fatalf("exit status: %v\nstderr:\n%s", err, p.stderr)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("shutdown took %v with a 1 s grace period", took)
	}
	stderr := p.stderr.String()
	for _, want := range []string{"still running after the grace period", "every request finished", "store closed cleanly"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("log lacks %q:\n%s", want, stderr)
		}
	}
	if i, j := strings.Index(stderr, "every request finished"), strings.Index(stderr, "store closed cleanly"); i < 0 || j < i {
		t.Errorf("the store closed before the requests finished:\n%s", stderr)
	}
}

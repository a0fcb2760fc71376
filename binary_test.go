package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Tests that start the real binary: durability across SIGKILL, draining on
// SIGTERM, the data-directory lock, online backups. The binary is built
// once per test run.

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary returns the path of the handlingsplan binary built from this tree.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "handlingsplan-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "handlingsplan")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// proc is the real binary serving on a loopback port.
type proc struct {
	cmd    *exec.Cmd
	url    string
	stderr *lockedBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // the exit status, once done
}

// startBinary runs "handlingsplan serve --addr 127.0.0.1:0 args…" and waits
// until it answers /healthz. The process is killed when the test ends, if
// it still runs.
func startBinary(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	p := &proc{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				urls <- u
			}
		}
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	select {
	case p.url = <-urls:
	case <-p.done:
		t.Fatalf("the server exited before serving: %v\nstderr:\n%s", p.err, p.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("no \"listening on\" line after 30 s\nstderr:\n%s", p.stderr)
	}
	waitHealthy(t, p.url)
	return p
}

// kill sends SIGKILL and waits for the process to go.
func (p *proc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// terminate sends SIGTERM and returns the exit status, failing the test if
// the process does not exit within limit.
func (p *proc) terminate(t *testing.T, limit time.Duration) error {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		return p.err
	case <-time.After(limit):
		t.Fatalf("the server did not exit within %v of SIGTERM\nstderr:\n%s", limit, p.stderr)
		return nil
	}
}

// gqlResponse is a GraphQL response, data left raw.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// postGraphQL posts a query with variables and a bearer token ("" for
// none). It returns the HTTP status and the decoded body; a transport error
// (server gone) is returned as err.
func postGraphQL(client *http.Client, url, token, query string, vars map[string]any) (int, *gqlResponse, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, nil, err
	}
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return res.StatusCode, nil, fmt.Errorf("status %d, body %q: %w", res.StatusCode, raw, err)
	}
	return res.StatusCode, &out, nil
}

// createToken makes a token in a data directory no server runs on and
// returns its secret.
func createToken(t *testing.T, dir, body, role string) string {
	t.Helper()
	out := strings.TrimSpace(mustRun(t, "token", "create", "--data", dir, "--body", body, "--role", role))
	lines := strings.Split(out, "\n")
	return lines[len(lines)-1]
}

// tiltakKeys returns the keys of up to 100 tiltak.
func tiltakKeys(t *testing.T, url string) []string {
	t.Helper()
	_, res, err := postGraphQL(http.DefaultClient, url, "", `{ tiltak(first: 100) { nodes { key } } }`, nil)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("tiltak keys: %v %v", err, res)
	}
	var d struct {
		Tiltak struct{ Nodes []struct{ Key string } }
	}
	if err := json.Unmarshal(res.Data, &d); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, n := range d.Tiltak.Nodes {
		keys = append(keys, n.Key)
	}
	if len(keys) == 0 {
		t.Fatal("no tiltak")
	}
	return keys
}

const reportMutation = `mutation($in: ReportStatusInput!) {
  reportStatus(input: $in) { report { period summary } userErrors { field message code } }
}`

// sentReport is one status report a client sent: (tiltak, period) is unique
// per test, summary says who sent it.
type sentReport struct{ tiltak, period, summary string }

// sendReport sends r and reports whether the server acknowledged it (a
// report in the payload, no errors). err is a transport error or an error
// the server answered with.
func sendReport(client *http.Client, url, token string, r sentReport) (acked bool, err error) {
	status, res, err := postGraphQL(client, url, token, reportMutation, map[string]any{"in": map[string]any{
		"tiltakKey": r.tiltak, "period": r.period, "phase": "ACTIVE", "health": "ON_TRACK",
		"progress": 50, "summary": r.summary,
	}})
	if err != nil {
		return false, err
	}
	if status != http.StatusOK || len(res.Errors) > 0 {
		return false, fmt.Errorf("status %d, errors %+v", status, res.Errors)
	}
	var d struct {
		ReportStatus struct {
			Report     *struct{ Period, Summary string }
			UserErrors []struct{ Field, Message string }
		}
	}
	if err := json.Unmarshal(res.Data, &d); err != nil {
		return false, err
	}
	if len(d.ReportStatus.UserErrors) > 0 || d.ReportStatus.Report == nil {
		return false, fmt.Errorf("user errors %+v", d.ReportStatus.UserErrors)
	}
	return d.ReportStatus.Report.Summary == r.summary, nil
}

// nthPeriod returns a distinct valid period for each n < 6600.
func nthPeriod(n int) string {
	kinds := []string{"H1", "H2", "Q1", "Q2", "Q3", "Q4"}
	return fmt.Sprintf("%d-%s", 1900+n/len(kinds), kinds[n%len(kinds)])
}

// exportedReports reads the status reports of a data directory no server
// runs on, by (tiltak, period) → summary.
func exportedReports(t *testing.T, dir string) map[[2]string]string {
	t.Helper()
	var plan struct {
		StatusReports []struct{ TiltakKey, Period, Summary string }
	}
	if err := json.Unmarshal([]byte(mustRun(t, "export", "--data", dir)), &plan); err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]string{}
	for _, r := range plan.StatusReports {
		got[[2]string{r.TiltakKey, r.Period}] = r.Summary
	}
	return got
}

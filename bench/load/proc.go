package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is a server process under test: the GraphQL server or the ceiling.
type proc struct {
	name    string
	cmd     *exec.Cmd
	logFile string
	started time.Time
	url     string // GraphQL endpoint
	// FirstAnswer is the time from starting the process to its first
	// successful answer to a real query.
	firstAnswer time.Duration
	exited      chan error

	mu      sync.Mutex
	peakRSS int64 // highest VmRSS seen since the last resetPeak
	stop    chan struct{}
}

// startProc starts bin with args, waits for "listening on http://ADDR" on
// its stdout, then polls ADDR/graphql with probe until it answers.
func startProc(name, bin string, args []string, logFile string, probe []byte) (*proc, error) {
	logf, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	// The benchmark measures throughput, not the cost rate limit, which would
	// refuse a single client after a few dashboards. Set through the
	// environment so that builds from before the limit start too.
	cmd.Env = append(os.Environ(), "HANDLINGSPLAN_RATE_LIMIT=0")
	cmd.Stderr = logf
	addrc := make(chan string, 1)
	cmd.Stdout = &lineWatcher{prefix: "listening on ", found: addrc}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, logFile: logFile, started: start, exited: make(chan error, 1), stop: make(chan struct{})}
	go func() { p.exited <- cmd.Wait(); logf.Close() }()
	select {
	case a := <-addrc:
		p.url = strings.TrimSuffix(a, "/") + "/graphql"
	case err := <-p.exited:
		return nil, fmt.Errorf("%s exited before listening (%v): %s", name, err, lastLine(logFile))
	case <-time.After(2 * time.Minute):
		p.kill()
		return nil, fmt.Errorf("%s did not say where it listens within 2 minutes; see %s", name, logFile)
	}
	t := newTarget(p.url, "")
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := t.post(ctx, probe, nil)
		cancel()
		if err == nil {
			break
		}
		if time.Since(start) > 2*time.Minute {
			p.kill()
			return nil, fmt.Errorf("%s gave no good answer within 2 minutes: %v", name, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	p.firstAnswer = time.Since(start)
	go p.sampleRSS()
	return p, nil
}

// lineWatcher is a process's stdout: it sends the rest of the first line
// that starts with prefix.
type lineWatcher struct {
	prefix string
	found  chan<- string
	buf    []byte
	done   bool
}

func (w *lineWatcher) Write(b []byte) (int, error) {
	if w.done {
		return len(b), nil
	}
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		line := string(w.buf[:i])
		w.buf = w.buf[i+1:]
		if rest, ok := strings.CutPrefix(line, w.prefix); ok {
			w.found <- rest
			w.done = true
			return len(b), nil
		}
	}
}

// sampleRSS keeps the highest VmRSS seen, every 50 ms.
func (p *proc) sampleRSS() {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			if rss, err := procStatus(p.cmd.Process.Pid, "VmRSS"); err == nil {
				p.mu.Lock()
				p.peakRSS = max(p.peakRSS, rss)
				p.mu.Unlock()
			}
		}
	}
}

// resetPeak starts a new RSS peak and returns the previous one.
func (p *proc) resetPeak() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	v := p.peakRSS
	p.peakRSS = 0
	if rss, err := procStatus(p.cmd.Process.Pid, "VmRSS"); err == nil {
		p.peakRSS = rss
	}
	return v
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// hwm is the process's peak resident set size over its whole life.
func (p *proc) hwm() int64 {
	v, _ := procStatus(p.cmd.Process.Pid, "VmHWM")
	return v
}

// shutdown asks the process to stop (SIGTERM) and waits for it.
func (p *proc) shutdown() error {
	close(p.stop)
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		return err
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not stop within 30 s of SIGTERM; killed", p.name)
	}
}

func (p *proc) kill() {
	p.cmd.Process.Kill()
	<-p.exited
}

// procStatus reads a "kB" field of /proc/PID/status, in bytes.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte(field+":")); ok {
			f := strings.Fields(string(v))
			if len(f) == 0 {
				break
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// runCmd runs a command to completion and returns its stdout.
func runCmd(bin string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %v: %s", bin, strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

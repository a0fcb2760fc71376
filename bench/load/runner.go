package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"handlingsplan/bench/queries"
)

// probe is the query that tells a server is answering.
var probe = queries.Request{Query: "{ statusSummary { total } }"}.Body()

// runner runs the sessions: one server process per query, so that each
// query's peak RSS (VmHWM) is its own. Each session gets its own copy of
// the data set, so every session starts from the same store.
type runner struct {
	cfg    *config
	res    *Results
	work   string
	source string // the pristine data set, never opened here
	data   string // the current session's copy
	log    io.Writer

	pages [][]byte // D5 request bodies, one per page
	keys  []string // every tiltak key, for W1

	hwmClosed int64 // the session's VmHWM before its open-loop cell
}

func (r *runner) all(ctx context.Context) error {
	for _, q := range r.cfg.queries {
		if q == "w1" || ctx.Err() != nil {
			continue
		}
		if err := r.readSession(ctx, q); err != nil {
			return err
		}
	}
	if r.cfg.ceilingBin != "" && r.has("d1") && ctx.Err() == nil {
		if err := r.ceilingSession(ctx); err != nil {
			return err
		}
	}
	if r.has("w1") && ctx.Err() == nil {
		if err := r.writeSession(ctx); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func (r *runner) has(q string) bool {
	for _, x := range r.cfg.queries {
		if x == q {
			return true
		}
	}
	return false
}

// copyData gives a session its own copy of the data set.
func (r *runner) copyData(session string) error {
	if r.data != "" && !r.cfg.keep {
		os.RemoveAll(r.data)
	}
	r.data = filepath.Join(r.work, "data-"+session)
	if err := copyDir(r.source, r.data); err != nil {
		return fmt.Errorf("copy the data set: %w", err)
	}
	return nil
}

func (r *runner) startServer(session string, fresh bool) (*proc, error) {
	if fresh {
		if err := r.copyData(session); err != nil {
			return nil, err
		}
	}
	args := []string{"serve", "--data", r.data, "--addr", "127.0.0.1:0", "--graphiql=false"}
	p, err := startProc("server", r.cfg.bin, args, filepath.Join(r.work, "server-"+session+".log"), probe)
	if err != nil {
		if r.res.Generate != nil && !r.res.Generate.Fresh {
			err = fmt.Errorf("%w\n(the cached data set was written by an earlier build; --fresh generates it again)", err)
		}
		return nil, err
	}
	quiet := waitQuiet(p)
	r.res.Startups = append(r.res.Startups, Startup{Session: session, FirstAnswerMs: ms(p.firstAnswer), BusyMs: ms(quiet)})
	fmt.Fprintf(r.log, "load: server up for %s: first answer %.0f ms after start, busy (compaction) until %.0f ms\n", session, ms(p.firstAnswer), ms(quiet))
	return p, nil
}

// waitQuiet waits (at most 30 s) until a just started process stops using
// CPU, so that start-up work (Badger compacting what the last run left)
// does not count against the first cell. It returns how long after the
// start that was.
func waitQuiet(p *proc) time.Duration {
	pid := strconv.Itoa(p.pid())
	last, quiet := procCPU(pid), 0
	deadline := time.Now().Add(30 * time.Second)
	for quiet < 3 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		now := procCPU(pid)
		if now-last < 0.01 {
			quiet++
		} else {
			quiet = 0
		}
		last = now
	}
	return time.Since(p.started) - 600*time.Millisecond
}

func (r *runner) endSession(p *proc, name string) error {
	hwm := p.hwm()
	r.res.Sessions = append(r.res.Sessions, Session{Name: name, Process: p.name, HWMBytes: hwm, HWMClosedBytes: r.hwmClosed})
	r.hwmClosed = 0
	fmt.Fprintf(r.log, "load: %s session over: peak RSS (VmHWM) %.1f MB\n", name, float64(hwm)/1e6)
	if err := p.shutdown(); err != nil {
		// An overloaded server may not drain in time; note it and go on.
		w := fmt.Sprintf("%s session: the %s did not stop cleanly: %v (log: %s)", name, p.name, err, lastLine(p.logFile))
		r.res.Warnings = append(r.res.Warnings, w)
		fmt.Fprintln(r.log, "load: warning:", w)
	}
	return nil
}

// lastLine returns the last line of a file.
func lastLine(file string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

func (r *runner) readSession(ctx context.Context, q string) error {
	p, err := r.startServer(q, true)
	if err != nil {
		return err
	}
	if q == "d5" {
		if err := r.prepare(ctx, p.url); err != nil {
			p.shutdown()
			return err
		}
	}
	r.cells(ctx, p, "graphql", q, r.workload(q))
	return r.endSession(p, q)
}

func (r *runner) ceilingSession(ctx context.Context) error {
	if err := r.copyData("ceiling"); err != nil {
		return err
	}
	args := []string{"--data", r.data, "--addr", "127.0.0.1:0"}
	p, err := startProc("ceiling", r.cfg.ceilingBin, args, filepath.Join(r.work, "ceiling.log"), probe)
	if err != nil {
		return err
	}
	waitQuiet(p)
	r.cells(ctx, p, "ceiling", "d1", r.workload("d1"))
	return r.endSession(p, "ceiling-d1")
}

// cells runs the closed-loop cells and the open-loop cell of one query.
func (r *runner) cells(ctx context.Context, p *proc, tgt, q string, w workload) {
	t := newTarget(p.url, "")
	for _, c := range r.cfg.conc {
		p.resetPeak()
		cell := closedLoop(ctx, t, w, c, r.cfg.warmup, r.cfg.duration, p.pid())
		r.add(p, tgt, q, cell)
	}
	// The open loop may overload the server; its peak RSS so far is that
	// of the closed-loop cells (and start-up).
	r.hwmClosed = p.hwm()
	p.resetPeak()
	cell := openLoop(ctx, t, w, r.cfg.rate, r.cfg.warmup, r.cfg.duration, p.pid())
	r.add(p, tgt, q, cell)
}

func (r *runner) add(p *proc, tgt, q string, c Cell) {
	c.Target, c.Query, c.PeakRSS = tgt, q, p.resetPeak()
	r.res.Cells = append(r.res.Cells, c)
	fmt.Fprintf(r.log, "load: %-7s %s %-6s %8.1f req/s  p50 %7.2f  p95 %7.2f  p99 %7.2f ms  errors %d  rss %3.0f MB  cpu/req %.2f ms  cores server %.2f load %.2f other %.2f%s\n",
		tgt, strings.ToUpper(q), c.setting(), c.Throughput, c.P50, c.P95, c.P99, c.Errors, float64(c.PeakRSS)/1e6,
		c.ServerCPUMs, c.ServerCores, c.LoadCores, c.OtherCores, firstErr(c))
}

func firstErr(c Cell) string {
	if c.FirstError == "" {
		return ""
	}
	return "  first error: " + c.FirstError
}

func (c Cell) setting() string {
	if c.Mode == "open" {
		return fmt.Sprintf("@%g/s", c.Rate)
	}
	return fmt.Sprintf("c=%d", c.Concurrency)
}

func (r *runner) workload(q string) workload {
	switch q {
	case "d5":
		return workload{body: func(worker, i int) []byte { return r.pages[(worker*7919+i)%len(r.pages)] }}
	case "w1":
		return r.w1Workload()
	}
	body := queries.Named()[q].Body()
	return workload{body: func(int, int) []byte { return body }}
}

// prepare walks every page of D5 once (timing the walk) and keeps the
// request of each page, for the D5 cells, and every tiltak key, for W1.
func (r *runner) prepare(ctx context.Context, url string) error {
	if r.pages != nil {
		return nil
	}
	t := newTarget(url, "")
	start := time.Now()
	after := ""
	for {
		body := queries.D5Request(after).Body()
		r.pages = append(r.pages, body)
		var page struct {
			Data struct {
				Tiltak struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
					Nodes []struct{ Key string }
				}
			}
		}
		if err := t.post(ctx, body, func(b []byte) error { return json.Unmarshal(b, &page) }); err != nil {
			return fmt.Errorf("D5 walk, page %d: %w", len(r.pages), err)
		}
		for _, n := range page.Data.Tiltak.Nodes {
			r.keys = append(r.keys, n.Key)
		}
		if !page.Data.Tiltak.PageInfo.HasNextPage {
			break
		}
		after = page.Data.Tiltak.PageInfo.EndCursor
	}
	r.res.D5Walk = &Walk{Pages: len(r.pages), Tiltak: len(r.keys), Seconds: time.Since(start).Seconds()}
	fmt.Fprintf(r.log, "load: D5 walk: %d pages, %d tiltak in %.2f s\n", len(r.pages), len(r.keys), r.res.D5Walk.Seconds)
	return nil
}

var noUserErrors = []byte(`"userErrors":[]`)

// w1Workload gives each client its own tiltak (every w1Clients-th key), so
// no two clients ever write the same tiltak.
func (r *runner) w1Workload() workload {
	n := r.cfg.w1Clients
	own := make([][]string, n)
	for i, k := range r.keys {
		own[i%n] = append(own[i%n], k)
	}
	healths := []string{"ON_TRACK", "MINOR_DELAYS", "MAJOR_DELAYS"}
	return workload{
		body: func(worker, i int) []byte {
			keys := own[worker%n]
			return queries.W1Request(keys[i%len(keys)], "ACTIVE", healths[i%3], i%101).Body()
		},
		check: func(b []byte) error {
			if !bytes.Contains(b, noUserErrors) {
				return fmt.Errorf("user errors: %.300s", b)
			}
			return nil
		},
	}
}

// writeSession makes an ADMIN token (before the server holds the data
// directory), then runs W1 from w1Clients clients.
func (r *runner) writeSession(ctx context.Context) error {
	if r.keys == nil {
		p, err := r.startServer("w1-prepare", true)
		if err != nil {
			return err
		}
		err = r.prepare(ctx, p.url)
		p.shutdown()
		if err != nil {
			return err
		}
	}
	if err := r.copyData("w1"); err != nil {
		return err
	}
	out, err := runCmd(r.cfg.bin, "token", "create", "--data", r.data, "--body", r.cfg.tokenBody, "--role", "ADMIN", "--name", "bench")
	if err != nil {
		r.res.W1Skipped = err.Error()
		fmt.Fprintf(r.log, "load: W1 skipped: %v\n", err)
		return nil
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := strings.TrimSpace(lines[len(lines)-1])
	p, err := r.startServer("w1", false)
	if err != nil {
		return err
	}
	t := newTarget(p.url, "Bearer "+token)
	w := r.w1Workload()
	p.resetPeak()
	cell := closedLoop(ctx, t, w, r.cfg.w1Clients, r.cfg.warmup, r.cfg.duration, p.pid())
	r.add(p, "graphql", "w1", cell)
	return r.endSession(p, "w1")
}

// ensureData returns a pristine data directory for the preset: --data, or
// the cached one, generated (and timed) when missing or when --fresh.
func ensureData(cfg *config, log io.Writer) (string, *GenerateInfo, error) {
	if cfg.data != "" {
		return cfg.data, nil, nil
	}
	dir := filepath.Join(cfg.cache, fmt.Sprintf("%s-seed%d", cfg.preset, cfg.seed))
	data, meta := filepath.Join(dir, "data"), filepath.Join(dir, "generate.json")
	var info GenerateInfo
	if !cfg.fresh {
		if b, err := os.ReadFile(meta); err == nil && json.Unmarshal(b, &info) == nil {
			if _, err := os.Stat(data); err == nil {
				info.Fresh = false
				fmt.Fprintf(log, "load: using the cached data set %s (generated %s in %.1f s)\n", data, info.Date, info.Seconds)
				if !info.Settled {
					if err := settle(cfg.bin, data, &info, log); err != nil {
						return "", nil, err
					}
					b, _ := json.MarshalIndent(info, "", "  ")
					err = os.WriteFile(meta, b, 0o644)
				}
				return data, &info, err
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, err
	}
	tmp := data + ".tmp"
	os.RemoveAll(tmp)
	os.Remove(meta)
	fmt.Fprintf(log, "load: generating preset %s into %s …\n", cfg.preset, data)
	start := time.Now()
	out, err := runCmd(cfg.bin, "generate", "--preset", cfg.preset, "--seed", fmt.Sprint(cfg.seed), "--data", tmp)
	if err != nil {
		return "", nil, err
	}
	info = GenerateInfo{Seconds: time.Since(start).Seconds(), Date: time.Now().UTC().Format(time.RFC3339), Fresh: true, Output: strings.TrimSpace(out)}
	fmt.Fprintln(log, strings.TrimSpace(out))
	os.RemoveAll(data)
	if err := os.Rename(tmp, data); err != nil {
		return "", nil, err
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	if err := os.WriteFile(meta, b, 0o644); err != nil {
		return "", nil, err
	}
	if err := settle(cfg.bin, data, &info, log); err != nil {
		return "", nil, err
	}
	b, _ = json.MarshalIndent(info, "", "  ")
	return data, &info, os.WriteFile(meta, b, 0o644)
}

// settle prepares a new data set in the cache. An import may leave
// Badger's level 0 over-full, so the first start compacts for a while (CPU,
// and a heap the Go runtime keeps for minutes); and if every start leaves
// one more level-0 table behind, starts take turns compacting. settle starts
// the server until the store is steady: a start has just compacted (so the
// next one will not), or two starts in a row were idle. Then every session
// of every run starts alike, from a copy of the cache.
func settle(bin, data string, info *GenerateInfo, log io.Writer) error {
	idle := 0
	for i := 0; i < 6; i++ {
		p, err := startProc("server", bin, []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--graphiql=false"},
			filepath.Join(filepath.Dir(data), "settle.log"), probe)
		if err != nil {
			return fmt.Errorf("settle the data set: %w", err)
		}
		busy := waitQuiet(p)
		cpu := procCPU(strconv.Itoa(p.pid()))
		if i == 0 {
			info.FirstStartMs, info.SettleSeconds, info.SettleCPUSeconds, info.SettleHWMBytes = ms(p.firstAnswer), busy.Seconds(), cpu, p.hwm()
			fmt.Fprintf(log, "load: the first start on the new data set was busy (compacting) for %.1f s (%.1f s CPU), peak RSS %.0f MB\n",
				busy.Seconds(), cpu, float64(p.hwm())/1e6)
		}
		if err := p.shutdown(); err != nil {
			return fmt.Errorf("settle the data set: %w", err)
		}
		if cpu > 0.15 {
			idle = 0
			if i > 0 {
				break
			}
			continue
		}
		if idle++; idle == 2 {
			break
		}
	}
	info.Settled = true
	return nil
}

// copyDir copies the regular files of a data directory (Badger's is flat).
func copyDir(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if rel == "LOCK" {
			return nil
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, src); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

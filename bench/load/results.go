package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// Results is everything one run measured.
type Results struct {
	Date      string        `json:"date"`
	Machine   string        `json:"machine"`
	NumCPU    int           `json:"nproc"`
	Commit    string        `json:"commit,omitempty"`
	GoVersion string        `json:"goVersion"`
	Preset    string        `json:"preset"`
	Seed      uint64        `json:"seed"`
	Duration  string        `json:"cellDuration"`
	LoadAvg   [2]float64    `json:"loadAvg"` // one-minute load average at the start and the end
	Warmup    string        `json:"warmup"`
	Generate  *GenerateInfo `json:"generate,omitempty"`
	Startups  []Startup     `json:"startups"`
	Sessions  []Session     `json:"sessions"`
	D5Walk    *Walk         `json:"d5Walk,omitempty"`
	Cells     []Cell        `json:"cells"`
	W1Skipped string        `json:"w1Skipped,omitempty"`
	Compare   []Comparison  `json:"compare,omitempty"`
	Warnings  []string      `json:"warnings,omitempty"`
	Targets   []Target      `json:"targets"`
}

// GenerateInfo is how long "handlingsplan generate" took for the data set.
type GenerateInfo struct {
	Seconds float64 `json:"seconds"`
	Date    string  `json:"date"`
	Fresh   bool    `json:"fresh"` // generated in this run (else cached)
	Output  string  `json:"output"`
	// The first start of the server on the new data set compacts what the
	// import left (see settle); these describe that start.
	Settled          bool    `json:"settled"`
	FirstStartMs     float64 `json:"firstStartMs,omitempty"`
	SettleSeconds    float64 `json:"settleSeconds,omitempty"`
	SettleCPUSeconds float64 `json:"settleCpuSeconds,omitempty"`
	SettleHWMBytes   int64   `json:"settleVmHwmBytes,omitempty"`
}

// Startup is the time from starting a server to its first good answer.
type Startup struct {
	Session       string  `json:"session"`
	FirstAnswerMs float64 `json:"firstAnswerMs"`
	// BusyMs is when the process stopped using CPU after its start
	// (Badger compactions), before any load.
	BusyMs float64 `json:"busyMs"`
}

// Session is one server process's life: its peak RSS over it.
type Session struct {
	Name     string `json:"name"`
	Process  string `json:"process"`
	HWMBytes int64  `json:"vmHwmBytes"`
	// HWMClosedBytes is VmHWM before the open-loop cell: start-up and the
	// closed-loop cells only (0 if the session had no open-loop cell).
	HWMClosedBytes int64 `json:"vmHwmClosedLoopBytes,omitempty"`
}

// Walk is the D5 walk over every page.
type Walk struct {
	Pages   int     `json:"pages"`
	Tiltak  int     `json:"tiltak"`
	Seconds float64 `json:"seconds"`
}

// Comparison sets a throughput of this run against an earlier run's.
type Comparison struct {
	Query       string  `json:"query"`
	Concurrency int     `json:"concurrency"`
	Earlier     float64 `json:"earlierThroughput"`
	EarlierSet  string  `json:"earlierPreset"`
	Now         float64 `json:"throughput"`
	Slowdown    float64 `json:"slowdown"` // earlier / now
}

// Target is one goal of BENCHMARKS.md with what this run measured.
type Target struct {
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  string `json:"met"` // yes, NO, or n/a
}

func newResults(cfg *config) *Results {
	return &Results{
		Date: time.Now().UTC().Format(time.RFC3339), Machine: cpuModel(), NumCPU: runtime.NumCPU(), Commit: cfg.commit,
		GoVersion: runtime.Version(), Preset: cfg.preset, Seed: cfg.seed, Duration: cfg.duration.String(), Warmup: cfg.warmup.String(),
	}
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func (r *Results) cell(target, query, mode string, conc int) *Cell {
	for i := range r.Cells {
		c := &r.Cells[i]
		if c.Target == target && c.Query == query && c.Mode == mode && (mode == "open" || conc == 0 || c.Concurrency == conc) {
			return c
		}
	}
	return nil
}

func (r *Results) compareWith(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var old Results
	if err := json.Unmarshal(b, &old); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	for _, c := range r.Cells {
		if c.Target != "graphql" || c.Mode != "closed" || (c.Query != "d1" && c.Query != "d2") {
			continue
		}
		if o := old.cell("graphql", c.Query, "closed", c.Concurrency); o != nil && c.Throughput > 0 {
			r.Compare = append(r.Compare, Comparison{Query: c.Query, Concurrency: c.Concurrency, Earlier: o.Throughput,
				EarlierSet: old.Preset, Now: c.Throughput, Slowdown: o.Throughput / c.Throughput})
		}
	}
	return nil
}

func (r *Results) evaluate() {
	add := func(name, want, got string, met *bool) {
		m := "n/a"
		if met != nil {
			m = map[bool]string{true: "yes", false: "NO"}[*met]
		}
		r.Targets = append(r.Targets, Target{name, want, got, m})
	}
	b := func(v bool) *bool { return &v }
	d1, ceil := r.cell("graphql", "d1", "closed", 32), r.cell("ceiling", "d1", "closed", 32)
	if d1 != nil && ceil != nil && ceil.Throughput > 0 {
		ratio := d1.Throughput / ceil.Throughput
		add("D1 throughput at 32 clients vs ceiling", "≥ 50%", fmt.Sprintf("%.0f%% (%.1f vs %.1f req/s)", 100*ratio, d1.Throughput, ceil.Throughput), b(ratio >= 0.5))
		if d1.ServerCPUMs > 0 {
			cpu := ceil.ServerCPUMs / d1.ServerCPUMs
			add("… the same by server CPU per request (noise-free)", "≥ 50%", fmt.Sprintf("%.0f%% (%.1f vs %.1f ms)", 100*cpu, d1.ServerCPUMs, ceil.ServerCPUMs), b(cpu >= 0.5))
		}
	}
	if c := r.cell("graphql", "d1", "open", 0); c != nil {
		add(fmt.Sprintf("D1 p99 at %g req/s", c.Rate), "≤ 50 ms", fmt.Sprintf("%.1f ms", c.P99), b(c.P99 <= 50 && c.Errors == 0))
	}
	if c := r.cell("graphql", "d2", "open", 0); c != nil {
		add(fmt.Sprintf("D2 p99 at %g req/s", c.Rate), "≤ 20 ms", fmt.Sprintf("%.1f ms", c.P99), b(c.P99 <= 20 && c.Errors == 0))
	}
	if c := r.cell("graphql", "d3", "closed", 1); c != nil {
		add("D3 p50 at 1 client", "≤ 5 ms", fmt.Sprintf("%.2f ms", c.P50), b(c.P50 <= 5))
	}
	if c := r.cell("graphql", "d4", "closed", 1); c != nil {
		add("D4 p50 at 1 client", "≤ 10 ms", fmt.Sprintf("%.2f ms", c.P50), b(c.P50 <= 10))
	}
	for _, c := range r.Compare {
		add(fmt.Sprintf("%s throughput at c=%d, %s vs %s", strings.ToUpper(c.Query), c.Concurrency, r.Preset, c.EarlierSet),
			"within 1.5×", fmt.Sprintf("%.2f× slower (%.1f vs %.1f req/s)", c.Slowdown, c.Now, c.Earlier), b(c.Slowdown <= 1.5))
	}
	if c := r.cell("graphql", "w1", "closed", 0); c != nil || r.W1Skipped != "" {
		if c == nil {
			add("W1 durable reports/s", "≥ 1,000", "not run: "+r.W1Skipped, nil)
		} else {
			add(fmt.Sprintf("W1 durable reports/s (%d clients)", c.Concurrency), "≥ 1,000", fmt.Sprintf("%.0f/s (p99 %.1f ms, %d errors)", c.Throughput, c.P99, c.Errors), b(c.Throughput >= 1000 && c.Errors == 0))
		}
	}
	if g := r.Generate; g != nil {
		when := "this run"
		if !g.Fresh {
			when = "cached, " + g.Date
		}
		var met *bool
		if r.Preset == "national" {
			met = b(g.Seconds <= 20)
		}
		add("generate "+r.Preset, "≤ 20 s (national)", fmt.Sprintf("%.1f s (%s)", g.Seconds, when), met)
		if g.Settled {
			add("first start after generate", "-", fmt.Sprintf("first answer %.0f ms; busy (compacting) %.1f s (%.1f s CPU), peak RSS %.0f MB",
				g.FirstStartMs, g.SettleSeconds, g.SettleCPUSeconds, float64(g.SettleHWMBytes)/1e6), nil)
		}
	}
	if len(r.Startups) > 0 {
		worst := 0.0
		for _, s := range r.Startups {
			worst = max(worst, s.FirstAnswerMs)
		}
		add("start to first answer ("+r.Preset+")", "≤ 1 s", fmt.Sprintf("%.0f ms (worst of %d starts)", worst, len(r.Startups)), b(worst <= 1000))
	}
	for _, s := range r.Sessions {
		if s.Name == "d1" && s.Process == "server" {
			if s.HWMClosedBytes > 0 {
				add("peak RSS under D1 load, 1–32 clients (VmHWM)", "≤ 200 MB", fmt.Sprintf("%.0f MB", float64(s.HWMClosedBytes)/1e6), b(s.HWMClosedBytes <= 200e6))
			}
			if c := r.cell("graphql", "d1", "open", 0); c != nil {
				add(fmt.Sprintf("peak RSS with D1 at %g req/s too (VmHWM)", c.Rate), "≤ 200 MB", fmt.Sprintf("%.0f MB", float64(s.HWMBytes)/1e6), b(s.HWMBytes <= 200e6))
			}
		}
	}
}

func (r *Results) print(w io.Writer) {
	fmt.Fprintf(w, "\n## %s, preset %s (seed %d), %s\n\n", r.Date, r.Preset, r.Seed, r.Machine)
	fmt.Fprintf(w, "nproc %d, %s, commit %s, cells of %s after %s warm-up; load average %.2f at the start, %.2f at the end\n\n",
		r.NumCPU, r.GoVersion, orDash(r.Commit), r.Duration, r.Warmup, r.LoadAvg[0], r.LoadAvg[1])
	fmt.Fprintln(w, "| target | query | load | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | peak RSS MB | server CPU ms/req | cores: server / load gen / other |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, c := range r.Cells {
		fmt.Fprintf(w, "| %s | %s | %s | %.1f | %.2f | %.2f | %.2f | %.1f | %d | %.0f | %.2f | %.2f / %.2f / %.2f |\n", c.Target, strings.ToUpper(c.Query), c.setting(),
			c.Throughput, c.P50, c.P95, c.P99, c.Max, c.Errors, float64(c.PeakRSS)/1e6, c.ServerCPUMs, c.ServerCores, c.LoadCores, c.OtherCores)
	}
	fmt.Fprintln(w)
	for _, conc := range []int{1, 8, 32} {
		if g, c := r.cell("graphql", "d1", "closed", conc), r.cell("ceiling", "d1", "closed", conc); g != nil && c != nil && c.Throughput > 0 {
			fmt.Fprintf(w, "D1 GraphQL / ceiling at c=%d: %.0f%%\n", conc, 100*g.Throughput/c.Throughput)
		}
	}
	if r.D5Walk != nil {
		fmt.Fprintf(w, "D5 walk: %d pages (%d tiltak) in %.2f s at 1 client\n", r.D5Walk.Pages, r.D5Walk.Tiltak, r.D5Walk.Seconds)
	}
	for _, s := range r.Sessions {
		fmt.Fprintf(w, "peak RSS (VmHWM) of the %s process in the %s session: %.0f MB", s.Process, s.Name, float64(s.HWMBytes)/1e6)
		if s.HWMClosedBytes > 0 {
			fmt.Fprintf(w, " (%.0f MB before its open-loop cell)", float64(s.HWMClosedBytes)/1e6)
		}
		fmt.Fprintln(w)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintln(w, "warning:", warn)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "| target\t| want\t| measured\t| met |")
	fmt.Fprintln(tw, "|---\t|---\t|---\t|--- |")
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "| %s\t| %s\t| %s\t| %s |\n", t.Name, t.Want, t.Got, t.Met)
	}
	tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

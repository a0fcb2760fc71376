// Command load drives the benchmark: it generates (or reuses) a data set,
// starts the server on it, sends each dashboard query (bench/queries) at
// fixed concurrencies and at a fixed rate, does the same for the ceiling
// handler (bench/ceiling), runs the W1 write load, and prints throughput,
// latency percentiles, peak RSS and the targets of BENCHMARKS.md. It uses
// the standard library only. bench/run.sh builds everything and runs it.
//
//	load --bin ./handlingsplan [--ceiling-bin ./ceiling] --cache DIR --preset national [--quick]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type config struct {
	bin, ceilingBin  string
	preset           string
	seed             uint64
	cache, data      string
	fresh, keep      bool
	duration, warmup time.Duration
	conc             []int
	rate             float64
	queries          []string
	w1Clients        int
	tokenBody        string
	out, compare     string
	commit           string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.bin, "bin", "", "the handlingsplan binary (required)")
	fs.StringVar(&c.ceilingBin, "ceiling-bin", "", "the ceiling binary (bench/ceiling); empty skips the ceiling")
	fs.StringVar(&c.preset, "preset", "", "data set preset: small, national or national10x (default national; small with --quick)")
	fs.Uint64Var(&c.seed, "seed", 1, "data set seed")
	fs.StringVar(&c.cache, "cache", filepath.Join(os.TempDir(), "handlingsplan-bench"), "where generated data sets are kept between runs, by preset and seed")
	fs.StringVar(&c.data, "data", "", "use this generated data directory instead of the cache (it is copied, never changed)")
	fs.BoolVar(&c.fresh, "fresh", false, "generate the data set again even if it is cached (to time generate)")
	fs.BoolVar(&c.keep, "keep", false, "keep the work directory (server logs, the copy of the data)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured time per cell")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "unmeasured time before each cell")
	conc := fs.String("concurrency", "1,8,32", "closed-loop client counts")
	fs.Float64Var(&c.rate, "rate", 50, "open-loop request rate, per second")
	queries := fs.String("queries", "d1,d2,d3,d4,d5,w1", "what to run (d1…d5, w1)")
	fs.IntVar(&c.w1Clients, "w1-clients", 32, "concurrent clients of W1, each writing its own tiltak")
	fs.StringVar(&c.tokenBody, "token-body", "digdir", "body of the ADMIN token W1 writes with")
	fs.StringVar(&c.out, "out", "", "write the results as JSON to this file")
	fs.StringVar(&c.compare, "compare", "", "results JSON of an earlier run (national) to compare D1 and D2 throughput with")
	fs.StringVar(&c.commit, "commit", "", "commit being measured (for the record)")
	quick := fs.Bool("quick", false, "smoke run: 2 s cells, 0.5 s warm-up, small preset unless --preset is given")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if c.bin == "" {
		return nil, errors.New("--bin is required")
	}
	if *quick {
		c.duration, c.warmup = 2*time.Second, 500*time.Millisecond
		if c.preset == "" {
			c.preset = "small"
		}
	}
	if c.preset == "" {
		c.preset = "national"
	}
	for _, s := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--concurrency: %q is not a positive number", s)
		}
		c.conc = append(c.conc, n)
	}
	for _, q := range strings.Split(*queries, ",") {
		q = strings.ToLower(strings.TrimSpace(q))
		switch q {
		case "d1", "d2", "d3", "d4", "d5", "w1":
			c.queries = append(c.queries, q)
		default:
			return nil, fmt.Errorf("--queries: unknown %q (use d1…d5, w1)", q)
		}
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	res := newResults(cfg)
	res.LoadAvg[0] = loadAvg()
	if res.LoadAvg[0] > 1 {
		fmt.Fprintf(stderr, "load: warning: load average is %.2f on %d cores: other work will disturb the figures (see the \"other\" cores column)\n", res.LoadAvg[0], runtime.NumCPU())
	}
	fmt.Fprintf(stderr, "load: preset %s, %d cells of %s (+%s warm-up): about %s\n", cfg.preset, cfg.cellCount(), cfg.duration, cfg.warmup,
		(time.Duration(cfg.cellCount()) * (cfg.duration + cfg.warmup)).Round(time.Second))

	data, gen, err := ensureData(cfg, stderr)
	if err != nil {
		return err
	}
	res.Generate = gen
	work, err := os.MkdirTemp("", "handlingsplan-load-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintf(stderr, "load: work directory %s (kept)\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	r := &runner{cfg: cfg, res: res, work: work, source: data, log: stderr}
	if err := r.all(ctx); err != nil {
		return err
	}
	if cfg.compare != "" {
		if err := res.compareWith(cfg.compare); err != nil {
			return err
		}
	}
	res.LoadAvg[1] = loadAvg()
	res.evaluate()
	res.print(stdout)
	if cfg.out != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.MkdirAll(filepath.Dir(cfg.out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(cfg.out, b, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "load: results in %s\n", cfg.out)
	}
	return nil
}

func (c *config) cellCount() int {
	n := 0
	for _, q := range c.queries {
		switch q {
		case "w1":
			n++
		case "d1":
			n += len(c.conc) + 1
			if c.ceilingBin != "" {
				n += len(c.conc) + 1
			}
		default:
			n += len(c.conc) + 1
		}
	}
	return n
}

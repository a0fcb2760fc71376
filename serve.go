package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"handlingsplan/dashboard"
	"handlingsplan/defaultdata"
	dataexport "handlingsplan/export" // main has an export subcommand
	"handlingsplan/graph"
	"handlingsplan/report"
	"handlingsplan/server"
	"handlingsplan/store"
	"handlingsplan/webhook"
)

//go:embed schema.graphqls
var schemaSDL []byte

// defaultQuery is what GraphiQL opens with: the dashboard's first question.
const defaultQuery = `# Every life event with its status, its initiatives and their first tiltak.
{
  lifeEvents(first: 10) {
    totalCount
    nodes {
      key
      name
      statusSummary { total byPhase { phase count } byHealth { health count } }
      initiatives {
        title
        tiltak(first: 5) {
          nodes { title phase health progress responsible { name } }
        }
      }
    }
  }
}
`

// serveConfig is serve's configuration: flags, with environment fallbacks.
type serveConfig struct {
	addr        string
	data        string
	inMemory    bool
	seed        string
	corsOrigins string
	graphiql    bool
	logFormat   string
	private     bool
	maxInFlight int
	queueWait   time.Duration
	hard        hardeningConfig // serve_hardening.go
	grace       time.Duration   // how long shutdown lets requests finish (drain.go)
}

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (serveConfig, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	envBool := func(name string, def bool) (bool, error) {
		v := getenv(name)
		if v == "" {
			return def, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("%s=%q is not true or false", name, v)
		}
		return b, nil
	}
	var c serveConfig
	inMem, err := envBool("HANDLINGSPLAN_IN_MEMORY", false)
	if err != nil {
		return c, err
	}
	giql, err := envBool("HANDLINGSPLAN_GRAPHIQL", true)
	if err != nil {
		return c, err
	}
	private, err := envBool("HANDLINGSPLAN_PRIVATE", false)
	if err != nil {
		return c, err
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", env("HANDLINGSPLAN_ADDR", ":8080"), "listen address (env HANDLINGSPLAN_ADDR)")
	fs.StringVar(&c.data, "data", env("HANDLINGSPLAN_DATA", "./data"), "data directory (env HANDLINGSPLAN_DATA)")
	fs.BoolVar(&c.inMemory, "in-memory", inMem, "keep everything in memory; nothing is written to disk (env HANDLINGSPLAN_IN_MEMORY)")
	fs.StringVar(&c.seed, "seed", env("HANDLINGSPLAN_SEED", "default"), "data loaded into an empty store: default (the 2020 action plan) or none (env HANDLINGSPLAN_SEED)")
	fs.StringVar(&c.corsOrigins, "cors-origins", env("HANDLINGSPLAN_CORS_ORIGINS", ""), "comma-separated origins allowed to call the API from a browser; empty allows any origin without credentials (env HANDLINGSPLAN_CORS_ORIGINS)")
	fs.BoolVar(&c.graphiql, "graphiql", giql, "serve GraphiQL at / (env HANDLINGSPLAN_GRAPHIQL)")
	fs.BoolVar(&c.private, "private", private, "require a token for every request, reads included (env HANDLINGSPLAN_PRIVATE)")
	fs.StringVar(&c.logFormat, "log-format", env("HANDLINGSPLAN_LOG_FORMAT", "auto"), "log format: text, json, or auto (text on a terminal, json elsewhere) (env HANDLINGSPLAN_LOG_FORMAT)")
	maxInFlight, err := strconv.Atoi(env("HANDLINGSPLAN_MAX_IN_FLIGHT", strconv.Itoa(graph.DefaultMaxInFlight)))
	if err != nil {
		return c, fmt.Errorf("HANDLINGSPLAN_MAX_IN_FLIGHT is not a number: %w", err)
	}
	fs.IntVar(&c.maxInFlight, "max-in-flight", maxInFlight, "GraphQL queries run at once; more wait in line (env HANDLINGSPLAN_MAX_IN_FLIGHT)")
	queueWait, err := time.ParseDuration(env("HANDLINGSPLAN_QUEUE_WAIT", graph.DefaultQueueWait.String()))
	if err != nil {
		return c, fmt.Errorf("HANDLINGSPLAN_QUEUE_WAIT is not a duration such as 10s: %w", err)
	}
	fs.DurationVar(&c.queueWait, "queue-wait", queueWait, "how long a query waits in line before a 503 (env HANDLINGSPLAN_QUEUE_WAIT)")
	if err := c.hard.addFlags(fs, getenv); err != nil {
		return c, err
	}
	grace, err := time.ParseDuration(env("HANDLINGSPLAN_SHUTDOWN_GRACE", drainGrace.String()))
	if err != nil {
		return c, fmt.Errorf("HANDLINGSPLAN_SHUTDOWN_GRACE: %w", err)
	}
	fs.DurationVar(&c.grace, "shutdown-grace", grace, "how long shutdown lets running requests finish before cancelling them (env HANDLINGSPLAN_SHUTDOWN_GRACE)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	if c.seed != "default" && c.seed != "none" {
		return c, fmt.Errorf("--seed must be default or none, got %q", c.seed)
	}
	if c.maxInFlight < 1 {
		return c, fmt.Errorf("--max-in-flight must be at least 1, got %d", c.maxInFlight)
	}
	if c.queueWait <= 0 {
		return c, fmt.Errorf("--queue-wait must be positive, got %s", c.queueWait)
	}
	if c.logFormat != "text" && c.logFormat != "json" && c.logFormat != "auto" {
		return c, fmt.Errorf("--log-format must be text, json or auto, got %q", c.logFormat)
	}
	return c, nil
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" || format == "auto" && !isTerminal(w) {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	log := newLogger(cfg.logFormat, stderr)

	db, err := store.Open(store.Options{Dir: cfg.data, InMemory: cfg.inMemory, Logger: log})
	if err != nil {
		return err
	}
	defer closeStore(db, log)
	if err := seed(ctx, db, cfg.seed, log); err != nil {
		return err
	}

	// Webhook deliveries run beside the server and stop before the store closes.
	hooksCtx, stopHooks := context.WithCancel(context.Background())
	hooksDone := make(chan struct{})
	go func() { webhook.New(db, log).Run(hooksCtx); close(hooksDone) }()
	// Reporting reminders go to the outbox hourly; the dispatcher delivers them.
	remindersDone := make(chan struct{})
	go func() { db.RunReminders(hooksCtx, time.Hour, logReminders(log)); close(remindersDone) }()
	defer func() { stopHooks(); <-hooksDone; <-remindersDone }()

	var origins []string
	for _, o := range strings.Split(cfg.corsOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	hard, err := cfg.hard.load()
	if err != nil {
		return err
	}
	// Subscriptions end when shutdown begins, so that it need not wait for them.
	endStreams := make(chan struct{})
	gql := graph.NewHandler(db, graph.Options{Log: log, RequestID: server.RequestID, Private: cfg.private,
		Origins: origins, Done: endStreams,
		Limits: cfg.hard.limits(), Admit: admit(hard.limiter), Report: reportOperation, TrustedDocuments: hard.trusted,
		MaxInFlight: cfg.maxInFlight, QueueWait: cfg.queueWait})
	exports := dataexport.Handler(db, dataexport.Options{Private: cfg.private})
	overview := dashboard.Handler(dashboard.Options{})
	h := server.New(server.Config{
		CORSOrigins:  origins,
		GraphiQL:     cfg.graphiql,
		SchemaSDL:    schemaSDL,
		DefaultQuery: defaultQuery,
		Ready:        db.CheckWritable,
		Pages: map[string]http.Handler{
			"GET /reports/{period}":          report.Handler(db, report.Options{Private: cfg.private}),
			"GET " + dataexport.ExportPath:   exports,
			"GET " + dataexport.OpenDataPath: exports,
			"GET " + dashboard.Path:          overview,
			"GET " + dashboard.Path + "/":    overview,
			"GET " + backupPath:              graph.AdminOnly(db, handleBackup(db, log)),
		},
		Metrics:        cfg.hard.metrics,
		RateLimiter:    hard.limiter,
		StoreSize:      db.Size,
		WriteErrors:    db.WriteErrors,
		TrustedProxies: hard.proxies,
	}, log, gql)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	inflight := newInflight()
	srv := server.NewHTTPServer(inflight.track(h))
	srv.BaseContext = func(net.Listener) context.Context { return inflight.base }
	srv.RegisterOnShutdown(func() { close(endStreams) })
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "data", dataLabel(cfg), "graphiql", cfg.graphiql)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	inflight.drain(srv, cfg.grace, log)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func dataLabel(cfg serveConfig) string {
	if cfg.inMemory {
		return "in memory"
	}
	return cfg.data
}

// seed loads the default data into an empty store, unless told not to.
func seed(ctx context.Context, db *store.DB, mode string, log *slog.Logger) error {
	if mode == "none" {
		return nil
	}
	empty, err := db.IsEmpty()
	if err != nil || !empty {
		return err
	}
	plan, err := defaultdata.Plan()
	if err != nil {
		return fmt.Errorf("default data: %w", err)
	}
	if err := db.ImportPlan(ctx, plan); err != nil {
		return fmt.Errorf("load default data: %w", err)
	}
	log.Info("loaded the default data (the 2020 action plan)", "tiltak", len(plan.Tiltak), "bodies", len(plan.Bodies))
	return nil
}

func logReminders(log *slog.Logger) func(int, error) {
	return func(sent int, err error) {
		if err != nil {
			log.Error("reporting reminders", "err", err)
		} else if sent > 0 {
			log.Info("reporting reminders written to the outbox", "sent", sent)
		}
	}
}

// Command handlingsplan serves the Norwegian public sector's digitalisation
// action plan as a GraphQL graph, stored in an embedded Badger database.
//
//	handlingsplan [serve] [--addr :8080] [--data ./data] [--in-memory]
//
// See README.md for every subcommand, flag and environment variable.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "handlingsplan:", err)
		os.Exit(1)
	}
}

// run dispatches to a subcommand; a bare invocation (or one that starts with
// a flag) means serve.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd, rest := "serve", args[1:]
	if len(rest) > 0 && len(rest[0]) > 0 && rest[0][0] != '-' {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "token":
		return token(ctx, rest, getenv, stdout, stderr)
	case "generate":
		return generate(ctx, rest, stdout, stderr)
	case "export":
		return export(ctx, rest, getenv, stdout, stderr)
	case "import":
		return importPlan(ctx, rest, getenv, stdout, stderr)
	case "import-status":
		return importStatus(ctx, rest, getenv, stdout, stderr)
	case "backup", "restore":
		return backupOrRestore(ctx, cmd, rest, getenv, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown subcommand %q\n%s", cmd, usage)
}

const usage = `Usage: handlingsplan <subcommand> [flags]

Subcommands:
  serve    serve the GraphQL API (the default when no subcommand is given)
  token    create, list or revoke API tokens (token create --data DIR --body KEY --role ROLE)
  generate write a synthetic national-scale data set (benchmarks)
  export   write the whole plan as JSON to stdout (export --data DIR > plan.json)
  import   load a plan document into an empty data directory (import --data DIR FILE.json)
  import-status
           load status reports from a CSV file (import-status --data DIR FILE.csv)
  backup   write a full or incremental backup (backup --data DIR --out FILE [--since VERSION])
  restore  load backups into an empty data directory (restore --data EMPTYDIR FILE…)
  help     show this text

Run "handlingsplan serve -h" for the flags of serve.
`

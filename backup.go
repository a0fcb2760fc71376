package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"handlingsplan/store"
)

// backupPath is the online backup endpoint (ADMIN tokens only).
const backupPath = "/admin/backup"

// backupNextHeader is the HTTP trailer of an online backup that carries the
// version to pass as ?since= for the next, incremental, backup.
const backupNextHeader = "X-Backup-Next-Since"

// backup writes a backup of a data directory the server is not running on
// (while it runs, use GET /admin/backup). The last line of stdout is the
// version to pass as --since for the next, incremental, backup.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr(getenv, "HANDLINGSPLAN_DATA", "./data"), "data directory (env HANDLINGSPLAN_DATA)")
	out := fs.String("out", "", "backup file to write (required)")
	since := fs.Uint64("since", 0, "only what changed after this version (the number a previous backup printed): an incremental backup")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("backup takes no arguments, got %q", fs.Args())
	}
	if *out == "" {
		return fmt.Errorf("backup needs --out FILE")
	}
	db, err := store.Open(store.Options{Dir: *data})
	if err != nil {
		return err
	}
	defer db.Close()
	// Write beside the target and rename, so a failed backup never leaves
	// a half-written file under the name an operator will restore from.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	next, err := db.Backup(ctx, tmp, *since)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	kind := "full"
	if *since > 0 {
		kind = fmt.Sprintf("incremental since %d", *since)
	}
	fmt.Fprintf(stdout, "wrote a %s backup of %s to %s; for the next incremental backup use --since with the number below:\n", kind, *data, *out)
	fmt.Fprintln(stdout, next)
	return nil
}

// restore loads backups into an empty data directory: a full backup, then
// any incremental ones in the order they were taken.
func restore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "empty (or new) data directory to restore into (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || fs.NArg() == 0 {
		return fmt.Errorf("usage: restore --data EMPTYDIR FULL.backup [INCREMENTAL.backup …]")
	}
	var readers []io.Reader
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	if err := store.Restore(ctx, *data, readers...); err != nil {
		return err
	}
	// Open once, as the server will: it checks the result and migrates a
	// backup from an older version.
	db, err := store.Open(store.Options{Dir: *data})
	if err != nil {
		return fmt.Errorf("the restored store does not open: %w", err)
	}
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %d backup file(s) into %s\n", len(readers), *data)
	return nil
}

// handleBackup streams a backup of the running server's store: the server
// keeps serving reads and writes meanwhile, and the backup is the snapshot
// of the moment it started. ?since=N makes it incremental; the trailer
// X-Backup-Next-Since carries the N for the next one.
func handleBackup(db *store.DB, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var since uint64
		if s := r.URL.Query().Get("since"); s != "" {
			n, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"errors":[{"message":"since must be a version number (what a previous backup returned), got %q","extensions":{"code":"BAD_REQUEST"}}]}`+"\n", s)
				return
			}
			since = n
		}
		// A big store takes longer than the server's write timeout.
		_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
		h := w.Header()
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="handlingsplan-%s.backup"`, time.Now().UTC().Format("20060102T150405Z")))
		h.Set("Cache-Control", "no-store")
		h.Set("Trailer", backupNextHeader)
		start := time.Now()
		next, err := db.Backup(r.Context(), w, since)
		if err != nil {
			// The status line is sent: all that is left is to cut the
			// response short, so the client sees no trailer and knows.
			if !errors.Is(err, context.Canceled) {
				log.Error("online backup failed", "err", err)
			}
			panic(http.ErrAbortHandler)
		}
		h.Set(backupNextHeader, strconv.FormatUint(next, 10))
		log.Info("online backup", "since", since, "next_since", next, "duration", time.Since(start))
	})
}

// backupOrRestore dispatches the backup and restore subcommands.
func backupOrRestore(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if cmd == "backup" {
		return backup(ctx, args, getenv, stdout, stderr)
	}
	return restore(ctx, args, getenv, stdout, stderr)
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"handlingsplan/store"
)

// bulkNote ends the -h text of every bulk subcommand: they open the data
// directory themselves, and Badger allows one process per directory.
const bulkNote = `
The server must not be running on the data directory: Badger allows one
process per directory, and this command opens it itself.
`

// bulkFlags parses a bulk subcommand's flags, which may come before or
// after its one file argument (wantFile) or none.
func bulkFlags(name, synopsis, about string, args []string, getenv func(string) string, stderr io.Writer, wantFile bool, extra func(*flag.FlagSet)) (data, file string, err error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&data, "data", envOr(getenv, "HANDLINGSPLAN_DATA", "./data"), "data directory (env HANDLINGSPLAN_DATA)")
	if extra != nil {
		extra(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: handlingsplan %s\n\n%s%s\nFlags:\n", synopsis, about, bulkNote)
		fs.PrintDefaults()
	}
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", "", err
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	switch {
	case !wantFile && len(files) > 0:
		return "", "", fmt.Errorf("%s takes no arguments, got %q", name, files)
	case wantFile && len(files) != 1:
		return "", "", fmt.Errorf("%s takes one file (- for standard input), got %d: usage: handlingsplan %s", name, len(files), synopsis)
	case wantFile:
		file = files[0]
	}
	return data, file, nil
}

// openPlanStore opens a data directory that must already hold a plan.
func openPlanStore(data string) (*store.DB, error) {
	if _, err := os.Stat(data); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", data, err)
	}
	db, err := store.Open(store.Options{Dir: data})
	if err != nil {
		return nil, err
	}
	if empty, err := db.IsEmpty(); err != nil || empty {
		db.Close()
		if err == nil {
			err = fmt.Errorf("data directory %s holds no plan (start the server on it once to load the default data, or use import)", data)
		}
		return nil, err
	}
	return db, nil
}

// readInput reads a whole file, or standard input for "-".
func readInput(file string) ([]byte, error) {
	if file == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(file)
}

func inputName(file string) string {
	if file == "-" {
		return "standard input"
	}
	return file
}

// export writes the whole plan in a data directory as JSON to stdout.
func export(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	data, _, err := bulkFlags("export", "export [--data DIR] > plan.json",
		exportAbout, args, getenv, stderr, false, nil)
	if err != nil {
		return helpIsNoError(err)
	}
	db, err := openPlanStore(data)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.ExportPlan(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return w.Flush()
}

// importPlan loads a plan document into an empty data directory.
func importPlan(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	data, file, err := bulkFlags("import", "import [--data DIR] FILE.json",
		importAbout, args, getenv, stderr, true, nil)
	if err != nil {
		return helpIsNoError(err)
	}
	b, err := readInput(file)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, utf8BOM)))
	dec.DisallowUnknownFields()
	var p store.Plan
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("%s is not a plan document: %w", inputName(file), err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s is not a plan document: data after the plan", inputName(file))
	}
	db, err := store.Open(store.Options{Dir: data})
	if err != nil {
		return err
	}
	defer db.Close()
	if empty, err := db.IsEmpty(); err != nil {
		return err
	} else if !empty {
		return fmt.Errorf("data directory %s already holds a plan; import loads only into an empty directory (nothing was changed)", data)
	}
	if err := db.ImportPlan(ctx, &p); err != nil {
		return fmt.Errorf("import %s: %w", inputName(file), err)
	}
	fmt.Fprintf(stdout, "imported %s into %s: %d bodies, %d initiatives, %d tiltak, %d status reports\n",
		inputName(file), data, len(p.Bodies), len(p.Initiatives), len(p.Tiltak), len(p.StatusReports))
	return nil
}

// importStatus loads status reports from a CSV file.
func importStatus(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var check bool
	checkFlag := func(fs *flag.FlagSet) {
		fs.BoolVar(&check, "check", false, "only check the file; write nothing")
	}
	data, file, err := bulkFlags("import-status", "import-status [--data DIR] [--check] FILE.csv",
		importStatusAbout, args, getenv, stderr, true, checkFlag)
	if err != nil {
		return helpIsNoError(err)
	}
	b, err := readInput(file)
	if err != nil {
		return err
	}
	rows, err := parseStatusCSV(b)
	if err != nil {
		return fmt.Errorf("%s: %w", inputName(file), err)
	}
	db, err := openPlanStore(data)
	if err != nil {
		return err
	}
	defer db.Close()
	reports := rows.reports
	if len(rows.problems) > 0 || check {
		err = db.CheckStatusReports(ctx, reports)
	} else {
		actor := store.System
		actor.TokenName = "import-status"
		shown := 0
		err = db.ImportStatusReports(ctx, actor, reports, func(done, total int) {
			if total >= progressEvery && (done/progressEvery > shown/progressEvery || done == total) {
				fmt.Fprintf(stderr, "import-status: %d of %d reports written (%d%%)\n", done, total, done*100/total)
				shown = done
			}
		})
	}
	var rowErrs *store.RowErrors
	if err != nil && !errors.As(err, &rowErrs) {
		return err
	}
	if rowErrs != nil || len(rows.problems) > 0 {
		return rows.report(inputName(file), rowErrs)
	}
	if check {
		fmt.Fprintf(stdout, "%s: %s can be imported (nothing was written)\n", inputName(file), countOf(len(reports), "status report"))
		return nil
	}
	fmt.Fprintf(stdout, "imported %s from %s\n", countOf(len(reports), "status report"), inputName(file))
	return nil
}

// progressEvery is how often, in reports, import-status shows progress;
// smaller files are done before anyone would look.
const progressEvery = 10000

// countOf says "1 status report", "2 status reports".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func helpIsNoError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

var utf8BOM = []byte("\uFEFF")

const exportAbout = `Writes the whole plan in DIR as one JSON document (format handlingsplan/v1,
indented, UTF-8) to standard output: every entity with its version, time of
last change and provenance, the status reports and the sources, in a stable
order. "handlingsplan import" reads it back. The audit trail, the webhook
outbox and API tokens are not part of the plan.
`

const importAbout = `Loads a plan document (as written by "handlingsplan export", or the default
data's format handlingsplan/v1) into DIR, which must be empty or not exist
yet: import never merges into a plan. FILE - reads standard input. Every
entity and reference is checked first; nothing is written if one fails.
`

const importStatusAbout = `Reads status reports from a CSV file (as Excel saves it) and stores each as
the reportStatus mutation would: a report replaces an earlier one for the
same tiltak, period and body, so importing a file again duplicates nothing;
the tiltak's phase, health and progress follow the report of its latest
period; the audit trail (actor "import-status") and webhooks see each one.

The first line names the columns, in any order, in any case:
  tiltakKey, period, bodyKey, phase, progress   required
  health                                        required in rows whose phase is ACTIVE
  summary, risks                                optional
The separator is , or ; (Excel in Norwegian writes ;), found from the first
line. The file must be UTF-8 (Excel: "CSV UTF-8"); a byte-order mark is fine.
  period    2024-H1, 2024-H2, 2024-Q1 … 2024-Q4
  phase     PLANNED (ikke startet, planlagt), ACTIVE (pågår, i gang),
            PAUSED (satt på vent, på vent), COMPLETED (ferdigstilt, fullført),
            IN_OPERATION (i drift), DISCONTINUED (avbrutt); "avsluttet" is
            refused as ambiguous
  health    ON_TRACK (i rute, grønn), MINOR_DELAYS (mindre forsinkelser, gul),
            MAJOR_DELAYS (betydelige forsinkelser, rød)
  progress  a whole number from 0 to 100, optionally with %
Every row is checked before anything is written; each bad row is reported
by its line number and column, and then nothing is written. FILE - reads
standard input.
`

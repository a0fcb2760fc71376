package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"handlingsplan/store"
)

// Reading status reports from CSV for import-status: the format a
// municipality keeps in Excel.

// The columns of a status CSV, in the order problems are listed.
var statusColumns = []string{"tiltakKey", "period", "bodyKey", "phase", "health", "progress", "summary", "risks"}

var requiredColumns = []string{"tiltakKey", "period", "bodyKey", "phase", "progress"}

// statusRows is a parsed status CSV.
type statusRows struct {
	reports  []store.StatusReport
	lines    []int             // lines[i] is the line of the file reports[i] starts on
	spelling map[string]string // column → as the file's header spells it
	problems []rowProblem      // found while reading, before the store sees the rows
}

type rowProblem struct {
	line   int
	column string // "" for the row as a whole
	msg    string
}

// parseStatusCSV reads a status CSV: a header line naming the columns,
// then one report per line. It returns an error for a file it cannot read
// as such (encoding, header, quoting), and collects problems with single
// values in the result.
func parseStatusCSV(b []byte) (*statusRows, error) {
	b = bytes.TrimPrefix(b, utf8BOM)
	if !utf8.Valid(b) {
		line := 1
		for _, l := range bytes.SplitAfter(b, []byte("\n")) {
			if !utf8.Valid(l) {
				break
			}
			line++
		}
		return nil, fmt.Errorf(`line %d is not UTF-8: save the file as "CSV UTF-8" (in Excel: Save As, CSV UTF-8)`, line)
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	sep := ','
	for _, c := range []rune{';', '\t'} {
		if bytes.Count(first, []byte(string(c))) > bytes.Count(first, []byte(string(sep))) {
			sep = c
		}
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma, r.FieldsPerRecord = sep, -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("the file is empty: line 1 must name the columns (%s)", strings.Join(statusColumns, ", "))
	}
	if err != nil {
		return nil, err
	}
	known := map[string]string{}
	for _, c := range statusColumns {
		known[strings.ToLower(c)] = c
	}
	rows := &statusRows{spelling: map[string]string{}}
	cols := make([]string, len(header))
	var unknown []string
	for j, h := range header {
		h = strings.TrimSpace(h)
		c, ok := known[strings.ToLower(h)]
		switch {
		case h == "":
			continue
		case !ok:
			unknown = append(unknown, strconv.Quote(h))
			continue
		case rows.spelling[c] != "":
			return nil, fmt.Errorf("line 1 names column %s twice", c)
		}
		cols[j], rows.spelling[c] = c, h
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("line 1 names unknown column(s) %s; the columns are %s", strings.Join(unknown, ", "), strings.Join(statusColumns, ", "))
	}
	var missing []string
	for _, c := range requiredColumns {
		if rows.spelling[c] == "" {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("line 1 lacks the required column(s) %s (the header must name the columns: %s)", strings.Join(missing, ", "), strings.Join(statusColumns, ", "))
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // an empty row, as Excel leaves below a table
		}
		rows.add(line, cols, rec)
	}
}

// add turns one record into a report, noting the values it cannot read.
func (rows *statusRows) add(line int, cols, rec []string) {
	problem := func(column, format string, a ...any) {
		rows.problems = append(rows.problems, rowProblem{line, column, fmt.Sprintf(format, a...)})
	}
	v := map[string]string{}
	for j, s := range rec {
		if j >= len(cols) {
			if strings.TrimSpace(strings.Join(rec[j:], "")) != "" {
				problem("", "the row has %d fields, but line 1 names %d columns", len(rec), len(cols))
			}
			break
		}
		if cols[j] == "" {
			if strings.TrimSpace(s) != "" {
				problem("", "field %d has a value, but its column has no name in line 1", j+1)
			}
			continue
		}
		v[cols[j]] = strings.TrimSpace(s)
	}
	r := store.StatusReport{
		TiltakKey: strings.ToLower(v["tiltakKey"]),
		Period:    strings.ToUpper(v["period"]),
		BodyKey:   strings.ToLower(v["bodyKey"]),
		Summary:   v["summary"],
		Risks:     v["risks"],
	}
	if w := v["phase"]; w != "" {
		p, ok := phaseWords[enumWord(w)]
		switch {
		case ok:
			r.Phase = p
		case enumWord(w) == "avsluttet":
			problem("phase", `phase %q is ambiguous: write COMPLETED (ferdigstilt) or DISCONTINUED (avbrutt)`, w)
		default:
			r.Phase = store.Phase(w) // the store says what is wrong with it
		}
	}
	if w := v["health"]; w != "" {
		h, ok := healthWords[enumWord(w)]
		switch {
		case ok:
			r.Health = &h
		case enumWord(w) == "forsinket" || enumWord(w) == "forsinkelser":
			problem("health", `health %q is ambiguous: write MINOR_DELAYS (mindre forsinkelser) or MAJOR_DELAYS (betydelige forsinkelser)`, w)
		default:
			h := store.Health(w)
			r.Health = &h
		}
	}
	if w := v["progress"]; w == "" {
		problem("progress", "progress is required (a whole number from 0 to 100)")
	} else if n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(w, "%"))); err != nil {
		problem("progress", "progress %q is not a whole number from 0 to 100", w)
	} else {
		r.Progress = n
	}
	rows.reports = append(rows.reports, r)
	rows.lines = append(rows.lines, line)
}

// enumWord folds a phase or health word for look-up: lower case, with
// spaces, hyphens and underscores alike ("In-operation" = "in operation").
func enumWord(s string) string {
	s = strings.NewReplacer("_", " ", "-", " ").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// phaseWords and healthWords map the words a file may use to the enums:
// the enum names themselves and the action plan's Norwegian words. Only
// words with one meaning are here; "avsluttet" (ended: completed, or
// given up?) is refused with a question.
var phaseWords = enumWords(store.AllPhases, map[string]store.Phase{
	"ikke startet": store.PhasePlanned, "ikke påbegynt": store.PhasePlanned, "planlagt": store.PhasePlanned,
	"pågår": store.PhaseActive, "pågående": store.PhaseActive, "i gang": store.PhaseActive,
	"satt på vent": store.PhasePaused, "på vent": store.PhasePaused,
	"ferdigstilt": store.PhaseCompleted, "fullført": store.PhaseCompleted,
	"i drift": store.PhaseInOperation,
	"avbrutt": store.PhaseDiscontinued,
})

var healthWords = enumWords(store.AllHealths, map[string]store.Health{
	"i rute": store.HealthOnTrack, "grønn": store.HealthOnTrack, "green": store.HealthOnTrack,
	"mindre forsinkelser": store.HealthMinorDelays, "mindre forsinket": store.HealthMinorDelays, "gul": store.HealthMinorDelays, "yellow": store.HealthMinorDelays,
	"betydelige forsinkelser": store.HealthMajorDelays, "betydelig forsinket": store.HealthMajorDelays, "store forsinkelser": store.HealthMajorDelays, "rød": store.HealthMajorDelays, "red": store.HealthMajorDelays,
})

func enumWords[T ~string](all []T, words map[string]T) map[string]T {
	for _, v := range all {
		words[enumWord(string(v))] = v
	}
	return words
}

// report turns the problems found reading the file and those the store
// found into one error, by line and column.
func (rows *statusRows) report(name string, fromStore *store.RowErrors) error {
	all := slices.Clone(rows.problems)
	had := map[rowProblem]bool{}
	for _, p := range rows.problems {
		had[rowProblem{line: p.line, column: p.column}] = true
	}
	if fromStore != nil {
		for _, e := range fromStore.Rows {
			p := rowProblem{line: rows.lines[e.Index], column: e.Field}
			if !had[p] { // a value the file could not give is not wrong twice
				p.msg = e.Message
				all = append(all, p)
			}
		}
	}
	order := func(c string) int { return slices.Index(statusColumns, c) }
	slices.SortStableFunc(all, func(a, b rowProblem) int {
		if a.line != b.line {
			return a.line - b.line
		}
		return order(a.column) - order(b.column)
	})
	bad := map[int]bool{}
	lines := make([]string, len(all))
	for i, p := range all {
		bad[p.line] = true
		if p.column == "" {
			lines[i] = fmt.Sprintf("line %d: %s", p.line, p.msg)
			continue
		}
		col := rows.spelling[p.column]
		if col == "" {
			col = p.column
		}
		lines[i] = fmt.Sprintf("line %d, column %s: %s", p.line, col, p.msg)
	}
	if len(lines) > 200 {
		lines = append(lines[:200:200], fmt.Sprintf("… and %d more", len(all)-200))
	}
	verb := "are"
	if len(bad) == 1 {
		verb = "is"
	}
	return fmt.Errorf("%s: %d of %s %s invalid; nothing was written:\n  %s", name, len(bad), countOf(len(rows.reports), "row"), verb, strings.Join(lines, "\n  "))
}

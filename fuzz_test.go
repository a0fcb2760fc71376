package main

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"handlingsplan/defaultdata"
	"handlingsplan/store"
)

var (
	fuzzStoreOnce sync.Once
	fuzzStore     *store.DB
	fuzzStoreErr  error
)

// checkStore is an in-memory store with the default data, shared by the
// runs of a fuzz target: checking writes nothing.
func checkStore(t *testing.T) *store.DB {
	fuzzStoreOnce.Do(func() {
		fuzzStore, fuzzStoreErr = store.Open(store.Options{InMemory: true})
		if fuzzStoreErr != nil {
			return
		}
		plan, err := defaultdata.Plan()
		if err == nil {
			err = fuzzStore.ImportPlan(context.Background(), plan)
		}
		fuzzStoreErr = err
	})
	if fuzzStoreErr != nil {
		t.Fatal(fuzzStoreErr)
	}
	return fuzzStore
}

// FuzzStatusCSV feeds arbitrary files through import-status --check: the
// CSV reading, the store's checks and the problem report. Whatever the
// file, the answer is an error that says what is wrong (by line) or a set
// of reports; never a panic. Seeds: testdata/fuzz/FuzzStatusCSV (files as
// municipalities send them: Excel's semicolons, a byte-order mark,
// Norwegian words).
func FuzzStatusCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, file []byte) {
		rows, err := parseStatusCSV(file)
		if err != nil {
			if msg := err.Error(); msg == "" || !utf8.ValidString(msg) {
				t.Fatalf("unreadable file refused with %q", msg)
			}
			return
		}
		if len(rows.reports) != len(rows.lines) {
			t.Fatalf("%d reports but %d line numbers", len(rows.reports), len(rows.lines))
		}
		for _, l := range rows.lines {
			if l < 2 {
				t.Fatalf("a report on line %d: line 1 is the header", l)
			}
		}
		err = checkStore(t).CheckStatusReports(context.Background(), rows.reports)
		var rowErrs *store.RowErrors
		if err != nil && !errors.As(err, &rowErrs) {
			t.Fatalf("check: %v", err)
		}
		if rowErrs == nil && len(rows.problems) == 0 {
			return // a good file
		}
		msg := rows.report("status.csv", rowErrs).Error()
		if !strings.Contains(msg, "nothing was written") || !strings.Contains(msg, "line ") {
			t.Fatalf("problem report does not name lines: %q", msg)
		}
	})
}

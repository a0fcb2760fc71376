package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// RowError is one problem with one report of a bulk import.
type RowError struct {
	// Index is the report's position in the slice given to the import.
	Index int
	// Field names the report's field at fault (tiltakKey, period, bodyKey,
	// phase, health, progress), or is empty for the report as a whole.
	Field string
	// Message says what is wrong; it is safe to show.
	Message string
}

// RowErrors is every problem found in a bulk import, in row order. It is
// an [Error] with code [Invalid] (through Unwrap), so [ErrorCode] and
// [ErrorMessage] work on it.
type RowErrors struct {
	Rows []RowError
}

func (e *RowErrors) Error() string {
	rows := map[int]bool{}
	for _, r := range e.Rows {
		rows[r.Index] = true
	}
	if len(e.Rows) == 0 {
		return "invalid status reports"
	}
	first := e.Rows[0]
	msg := fmt.Sprintf("%d status report(s) are invalid; the first, report %d: ", len(rows), first.Index)
	if first.Field != "" {
		msg += first.Field + ": "
	}
	return msg + first.Message
}

// Unwrap returns the [Error] that classifies e as [Invalid].
func (e *RowErrors) Unwrap() error {
	return &Error{Code: Invalid, Message: e.Error()}
}

// importBatch is how many reports go into one transaction at first. A
// batch that turns out too large for a transaction is split in two.
const importBatch = 256

// ImportStatusReports stores many status reports, as many
// [DB.ReportStatus] calls would: each report replaces an earlier one for
// the same tiltak, period and body (so importing a file again changes
// nothing but versions and times), moves the tiltak's phase, health,
// progress and counters when its period is the latest, and is written to
// the audit trail and the outbox.
//
// Every report is checked first, against the rules of ReportStatus and
// against the store (the tiltak and body must exist, and no two reports may
// share tiltak, period and body); if any fails, nothing is written and the
// error is a [*RowErrors] listing every problem. The reports are then
// written in transactions of bounded size, in order; progress, if not nil,
// is called after each one with how many are written. A failure while
// writing (the store changed under the import, or the context ended)
// leaves the transactions before it written; importing the same reports
// again completes the job.
func (db *DB) ImportStatusReports(ctx context.Context, actor Actor, reports []StatusReport, progress func(done, total int)) error {
	if err := db.CheckStatusReports(ctx, reports); err != nil {
		return err
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	total, size := len(reports), importBatch
	for done := 0; done < total; {
		batch := reports[done:min(done+size, total)]
		tooBig := false
		now := db.now().UTC()
		err := db.update(ctx, func(txn *badger.Txn) error {
			newest := newNewestKeys(nil)
			for i := range batch {
				r := batch[i] // a copy: a failed transaction leaves the caller's reports as they were
				if err := reportStatusTxn(txn, now, actor, &r, newest); err != nil {
					tooBig = errors.Is(err, badger.ErrTxnTooBig)
					return err
				}
			}
			return nil
		})
		if tooBig && size > 1 {
			size /= 2
			continue
		}
		if err != nil {
			return fmt.Errorf("status report %d–%d: %w", done, done+len(batch)-1, err)
		}
		done += len(batch)
		progress(done, total)
	}
	return nil
}

// CheckStatusReports checks reports as [DB.ImportStatusReports] does
// before it writes anything, and writes nothing. Returns a [*RowErrors]
// listing every problem, or nil if the reports can be imported.
func (db *DB) CheckStatusReports(ctx context.Context, reports []StatusReport) error {
	var rows []RowError
	add := func(i int, err *Error) {
		rows = append(rows, RowError{Index: i, Field: err.Field, Message: err.Message})
	}
	seen := map[string]bool{}
	err := db.bdb.View(func(txn *badger.Txn) error {
		known := map[string]bool{} // record key → exists
		exists := func(kind Kind, key string) (bool, error) {
			k := string(recordKey(kind, key))
			if ok, done := known[k]; done {
				return ok, nil
			}
			_, err := txn.Get([]byte(k))
			if err != nil && err != badger.ErrKeyNotFound {
				return false, err
			}
			known[k] = err == nil
			return known[k], nil
		}
		for i := range reports {
			if i%1000 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			r := &reports[i]
			problems := r.problems()
			for _, p := range problems {
				add(i, p)
			}
			for _, ref := range []struct {
				kind       Kind
				field, key string
			}{{KindTiltak, "tiltakKey", r.TiltakKey}, {KindBody, "bodyKey", r.BodyKey}} {
				if ref.key == "" {
					continue // told by problems
				}
				ok, err := exists(ref.kind, ref.key)
				if err != nil {
					return err
				}
				if !ok {
					add(i, FieldErrorf(Invalid, ref.field, "%s %q does not exist", kindLabel(ref.kind), ref.key))
				}
			}
			id := r.TiltakKey + "\x00" + r.Period + "\x00" + r.BodyKey
			if seen[id] {
				add(i, Errorf(Invalid, "an earlier report has the same tiltak %q, period %s and body %q", r.TiltakKey, r.Period, r.BodyKey))
			}
			seen[id] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		return &RowErrors{Rows: rows}
	}
	return nil
}

// problems checks each field of a status report by the rules of
// [StatusReport.validate], returning every problem rather than the first.
func (r *StatusReport) problems() []*Error {
	var out []*Error
	add := func(err error) {
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			e = Errorf(Invalid, "%s", err.Error())
		}
		out = append(out, e)
	}
	add(required("tiltakKey", r.TiltakKey))
	if r.Period == "" {
		add(required("period", r.Period))
	} else if _, err := ParsePeriod(r.Period); err != nil {
		add(err)
	}
	add(required("bodyKey", r.BodyKey))
	switch {
	case r.Phase == "":
		add(required("phase", string(r.Phase)))
	case !r.Phase.IsValid():
		add(FieldErrorf(Invalid, "phase", "phase %q is not one of %s", r.Phase, joinEnum(AllPhases)))
	}
	switch {
	case r.Health != nil && !r.Health.IsValid():
		add(FieldErrorf(Invalid, "health", "health %q is not one of %s", *r.Health, joinEnum(AllHealths)))
	case r.Phase == PhaseActive && r.Health == nil:
		add(FieldErrorf(Invalid, "health", "health is required when phase is ACTIVE"))
	}
	add(validateProgress("progress", &r.Progress))
	if len(out) == 0 {
		// The one rule book is validate; this list only spells it out.
		add(r.validate())
	}
	return out
}

func joinEnum[T ~string](all []T) string {
	s := make([]string, len(all))
	for i, v := range all {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

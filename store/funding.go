package store

import (
	"context"
	"sort"
	"time"

	"github.com/dgraph-io/badger/v4"
)

func validateYear(field string, y int) error {
	if y < 2000 || y > 2100 {
		return FieldErrorf(Invalid, field, "%s must be a fiscal year 2000–2100, not %d", field, y)
	}
	return nil
}

func validateNok(field string, v *int64) error {
	if v != nil && *v < 0 {
		return FieldErrorf(Invalid, field, "%s must be whole kroner ≥ 0, not %d", field, *v)
	}
	return nil
}

func (f *Funding) validate() error {
	if err := ValidateKey("key", f.Key); err != nil {
		return err
	}
	if !f.Source.IsValid() {
		return FieldErrorf(Invalid, "source", "source %q is not a funding source", f.Source)
	}
	if !f.Purpose.IsValid() {
		return FieldErrorf(Invalid, "purpose", "purpose %q is not DEVELOPMENT or OPERATIONS", f.Purpose)
	}
	if f.SharePercent != nil && (*f.SharePercent < 0 || *f.SharePercent > 100) {
		return FieldErrorf(Invalid, "sharePercent", "sharePercent must be 0–100, not %d", *f.SharePercent)
	}
	seen := map[int]bool{}
	whole := 0
	for _, y := range f.Years {
		if y.Year == nil {
			whole++
		} else {
			if err := validateYear("years.year", *y.Year); err != nil {
				return err
			}
			if seen[*y.Year] {
				return FieldErrorf(Invalid, "years", "years lists %d twice", *y.Year)
			}
			seen[*y.Year] = true
		}
		if err := validateNok("years.amountNok", &y.AmountNok); err != nil {
			return err
		}
		if !y.Status.IsValid() {
			return FieldErrorf(Invalid, "years.status", "status %q is not CONFIRMED, APPLIED, PLANNED or MISSING", y.Status)
		}
	}
	if whole > 1 {
		return FieldErrorf(Invalid, "years", "years may have at most one entry without a year (the grant's whole life)")
	}
	if f.Provenance != nil {
		return f.Provenance.validate()
	}
	return nil
}

// SetFunding adds a funding line to a tiltak, or replaces the line with
// the same key. Returns NotFound for an unknown tiltak, Invalid for a bad
// line.
func (db *DB) SetFunding(ctx context.Context, actor Actor, tiltakKey string, line Funding) (*TiltakFinance, error) {
	if err := line.validate(); err != nil {
		return nil, err
	}
	sort.SliceStable(line.Years, func(i, j int) bool { return yearOrder(line.Years[i].Year) < yearOrder(line.Years[j].Year) })
	return db.changeFinance(ctx, actor, tiltakKey, func(_ *badger.Txn, f *TiltakFinance, _ MoneySettings, _ time.Time) error {
		for i := range f.Funding {
			if f.Funding[i].Key == line.Key {
				f.Funding[i] = line
				return nil
			}
		}
		f.Funding = append(f.Funding, line)
		sort.SliceStable(f.Funding, func(i, j int) bool { return f.Funding[i].Key < f.Funding[j].Key })
		return nil
	})
}

// RemoveFunding removes a funding line. Returns NotFound for an unknown
// tiltak or line.
func (db *DB) RemoveFunding(ctx context.Context, actor Actor, tiltakKey, key string) error {
	_, err := db.changeFinance(ctx, actor, tiltakKey, func(_ *badger.Txn, f *TiltakFinance, _ MoneySettings, _ time.Time) error {
		for i := range f.Funding {
			if f.Funding[i].Key == key {
				f.Funding = append(f.Funding[:i], f.Funding[i+1:]...)
				return nil
			}
		}
		return FieldErrorf(NotFound, "key", "tiltak %q has no funding line %q", tiltakKey, key)
	})
	return err
}

func yearOrder(y *int) int {
	if y == nil {
		return 0
	}
	return *y
}

// ConfirmedNok is the line's confirmed amount: every year when year is
// nil, else that year only.
func (f *Funding) ConfirmedNok(year *int) int64 {
	var n int64
	for _, y := range f.Years {
		if y.Status == FundingConfirmed && (year == nil || (y.Year != nil && *y.Year == *year)) {
			n += y.AmountNok
		}
	}
	return n
}

// ConfirmedTotalNok is the line's confirmed amount over every year.
func (f *Funding) ConfirmedTotalNok() int64 { return f.ConfirmedNok(nil) }

// TotalNok is the sum of the line's amounts whatever their status.
func (f *Funding) TotalNok() int64 {
	var n int64
	for _, y := range f.Years {
		n += y.AmountNok
	}
	return n
}

// GrantRefOrNull returns the grant reference, or nil.
func (f *Funding) GrantRefOrNull() *string { return orNull(f.GrantRef) }

// nearCompletionProgress is the progress from which an ACTIVE tiltak is
// near completion.
const nearCompletionProgress = 80

// OperationsUnfunded reports whether a tiltak near completion — ACTIVE at
// 80 % progress or more, COMPLETED or IN_OPERATION — has no funding line
// for OPERATIONS with a CONFIRMED amount: when it is done, nobody pays to
// run it.
func OperationsUnfunded(t *Tiltak, f *TiltakFinance) bool {
	if t.Phase == nil {
		return false
	}
	switch *t.Phase {
	case PhaseCompleted, PhaseInOperation:
	case PhaseActive:
		if t.Progress == nil || *t.Progress < nearCompletionProgress {
			return false
		}
	default:
		return false
	}
	for i := range f.Funding {
		for _, y := range f.Funding[i].Years {
			if f.Funding[i].Purpose == PurposeOperations && y.Status == FundingConfirmed {
				return false
			}
		}
	}
	return true
}

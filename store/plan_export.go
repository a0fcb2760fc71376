package store

import (
	"cmp"
	"context"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// ExportPlan returns the whole plan as one [Plan] document, read from one
// consistent snapshot: every entity with its version, time of last change
// and provenance, the status reports and the sources. The order is stable,
// so two exports of the same data are identical: each kind by key,
// governance levels by level, and status reports by tiltak, then period
// (oldest first), then body. [DB.ImportPlan] reads the result back into an
// empty store as it was. The audit trail, the outbox and API tokens are not
// part of the plan and are left out.
func (db *DB) ExportPlan(ctx context.Context) (*Plan, error) {
	p := &Plan{Format: PlanFormat}
	err := db.bdb.View(func(txn *badger.Txn) error {
		var err error
		if p.Bodies, err = exportKind[Body](ctx, txn, KindBody); err != nil {
			return err
		}
		if p.GovernanceLevels, err = exportKind[GovernanceLevel](ctx, txn, KindGovernanceLevel); err != nil {
			return err
		}
		if p.Forums, err = exportKind[Forum](ctx, txn, KindForum); err != nil {
			return err
		}
		if p.LifeEvents, err = exportKind[LifeEvent](ctx, txn, KindLifeEvent); err != nil {
			return err
		}
		if p.FocusAreas, err = exportKind[FocusArea](ctx, txn, KindFocusArea); err != nil {
			return err
		}
		if p.Initiatives, err = exportKind[Initiative](ctx, txn, KindInitiative); err != nil {
			return err
		}
		if p.Tiltak, err = exportKind[Tiltak](ctx, txn, KindTiltak); err != nil {
			return err
		}
		if p.StatusReports, err = exportKind[StatusReport](ctx, txn, KindStatusReport); err != nil {
			return err
		}
		if p.Money, err = exportMoney(ctx, txn); err != nil {
			return err
		}
		if p.Lifecycle, err = exportLifecycle(txn); err != nil {
			return err
		}
		p.Sources, err = exportSources(txn)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Record keys already come in key order, but the order is part of the
	// format, so it is stated here rather than left to the key layout
	// ("r/sr/a-b/" sorts before "r/sr/a/", and "10" before "9").
	slices.SortFunc(p.Bodies, func(a, b Body) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(p.GovernanceLevels, func(a, b GovernanceLevel) int { return cmp.Compare(a.Level, b.Level) })
	slices.SortFunc(p.Forums, func(a, b Forum) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(p.LifeEvents, func(a, b LifeEvent) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(p.FocusAreas, func(a, b FocusArea) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(p.Initiatives, func(a, b Initiative) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(p.Tiltak, func(a, b Tiltak) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(p.StatusReports, compareReports)
	if len(p.StatusReports) == 0 {
		p.StatusReports = nil // omitted, as in a plan that never had any
	}
	return p, nil
}

// compareReports orders status reports by tiltak, period (the order
// reports are stored in: by last day, a quarter before its half year) and
// body.
func compareReports(a, b StatusReport) int {
	if c := cmp.Compare(a.TiltakKey, b.TiltakKey); c != 0 {
		return c
	}
	pa, _ := ParsePeriod(a.Period)
	pb, _ := ParsePeriod(b.Period)
	if c := cmp.Compare(pa.sortKey(), pb.sortKey()); c != 0 {
		return c
	}
	return cmp.Compare(a.BodyKey, b.BodyKey)
}

// exportKind decodes every record of kind, in key order. The result is
// never nil, so an empty kind is written as [] rather than null.
func exportKind[T any](ctx context.Context, txn *badger.Txn, kind Kind) ([]T, error) {
	prefix := []byte(recordPrefix[kind])
	it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 100, Prefix: prefix})
	defer it.Close()
	out := []T{}
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var v T
		if err := it.Item().Value(func(b []byte) error { return decode(b, &v) }); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// exportSources reads the plan's list of sources (nil if it has none).
func exportSources(txn *badger.Txn) ([]Source, error) {
	item, err := txn.Get(keySources)
	if err == badger.ErrKeyNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Source
	return out, item.Value(func(b []byte) error { return decode(b, &out) })
}

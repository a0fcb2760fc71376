package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// ImportPlan loads a whole plan into an empty store. Every entity and
// reference is checked before anything is written; if a check fails the
// store is left as it was and the error names the entity and field.
// Returns Invalid for a bad plan and Conflict if the store is not empty.
func (db *DB) ImportPlan(ctx context.Context, p *Plan) error {
	if p.Format != PlanFormat {
		return FieldErrorf(Invalid, "format", "plan format %q is not %q", p.Format, PlanFormat)
	}
	if err := checkPlan(p); err != nil {
		return err
	}
	empty, err := db.isEmptyPlan()
	if err != nil {
		return err
	}
	if !empty {
		return Errorf(Conflict, "the store already holds a plan: import needs an empty data directory")
	}
	now := db.now().UTC()
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	var werr error
	emit := func(k string, v []byte) {
		if werr == nil {
			if v == nil {
				v = []byte{}
			}
			werr = wb.Set([]byte(k), v)
		}
	}
	put := func(kind Kind, key string, rec any, m *Meta, d derived) error {
		if m.Version == 0 {
			m.Version = 1
		}
		if m.UpdatedAt.IsZero() {
			m.UpdatedAt = now
		}
		b, err := encode(rec)
		if err != nil {
			return err
		}
		emit(string(recordKey(kind, key)), b)
		for k, v := range d {
			emit(k, v)
		}
		return ctx.Err()
	}
	focusAreaOf := map[string]string{}
	for i := range p.Initiatives {
		focusAreaOf[p.Initiatives[i].Key] = p.Initiatives[i].FocusAreaKey
	}
	fa := func(in string) string { return focusAreaOf[in] }
	counters := counterDeltas{}
	var errs []error
	for i := range p.Bodies {
		b := &p.Bodies[i]
		errs = append(errs, put(KindBody, b.Key, b, &b.Meta, bodyDerived(b)))
	}
	for i := range p.GovernanceLevels {
		g := &p.GovernanceLevels[i]
		errs = append(errs, put(KindGovernanceLevel, levelKey(g.Level), g, &g.Meta, governanceLevelDerived(g)))
	}
	for i := range p.Forums {
		f := &p.Forums[i]
		errs = append(errs, put(KindForum, f.Key, f, &f.Meta, forumDerived(f)))
	}
	for i := range p.LifeEvents {
		e := &p.LifeEvents[i]
		errs = append(errs, put(KindLifeEvent, e.Key, e, &e.Meta, lifeEventDerived(e)))
	}
	for i := range p.FocusAreas {
		f := &p.FocusAreas[i]
		errs = append(errs, put(KindFocusArea, f.Key, f, &f.Meta, focusAreaDerived(f)))
	}
	for i := range p.Initiatives {
		in := &p.Initiatives[i]
		errs = append(errs, put(KindInitiative, in.Key, in, &in.Meta, initiativeDerived(in)))
	}
	for i := range p.Tiltak {
		t := &p.Tiltak[i]
		errs = append(errs, put(KindTiltak, t.Key, t, &t.Meta, tiltakDerived(t, fa)))
		counters.addTiltak(t, fa, 1)
	}
	if len(p.Sources) > 0 {
		b, err := encode(p.Sources)
		errs = append(errs, err)
		emit(string(keySources), b)
	}
	periods := periodIndex{}
	for i := range p.StatusReports {
		r := &p.StatusReports[i]
		per, _ := ParsePeriod(r.Period) // checked by checkPlan
		if r.Version == 0 {
			r.Version = 1
		}
		if r.UpdatedAt.IsZero() {
			r.UpdatedAt = now
		}
		if r.ReportedAt.IsZero() {
			r.ReportedAt = r.UpdatedAt
		}
		b, err := encode(r)
		errs = append(errs, err)
		emit(string(statusReportKey(r.TiltakKey, per.sortKey(), r.BodyKey)), b)
		emitObstacles(r, per, emit)
		periods.add(r)
	}
	periods.emit(emit)
	errs = append(errs, importMoney(p, put, emit))
	errs = append(errs, emitLifecycle(p, emit))
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for rec, cells := range groupDeltas(counters) {
		b, err := json.Marshal(cells)
		if err != nil {
			return err
		}
		emit(rec, b)
	}
	if werr != nil {
		return fmt.Errorf("import: %w", werr)
	}
	// A write batch, not one transaction: an import can exceed a
	// transaction's size. It goes to an empty store, and is synced once.
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return db.bdb.Sync()
}

// isEmptyPlan reports whether the store holds no entity records.
func (db *DB) isEmptyPlan() (bool, error) {
	empty := true
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("r/")})
		defer it.Close()
		it.Seek([]byte("r/"))
		empty = !it.ValidForPrefix([]byte("r/"))
		return nil
	})
	return empty, err
}

// IsEmpty reports whether the store holds no plan yet.
func (db *DB) IsEmpty() (bool, error) { return db.isEmptyPlan() }
